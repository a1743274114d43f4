// English everywhere (issue 18 §4): every page each role may open, rendered in English, shows no
// Chinese character outside proper names and data people wrote (project, organization and county
// names, the plan's own words, user content such as 督办 subjects and reasons). Chinese punctuation
// used as a separator (：、（）) is a failure too: it is CJK and belongs to the Chinese UI only.
// Proper names are either inside an element marked lang="zh-CN" or equal to a value stored in the
// database, which this spec reads; everything else must come from messages/en.json.
import { expect, test, type Page } from "@playwright/test";
import { PAGE_ACCESS, roleMayUse, type PagePath } from "../lib/auth/route-access";
import { localeCookie } from "../i18n/config";
import { DEMO_USERS } from "../prisma/seed/demo-users";
import { query, samplePaths, signIn } from "./fixtures";

/** CJK ideographs, CJK symbols and punctuation (、。「」), full-width forms (：（），). */
const CJK = /[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]/;

/** Every stored value a page may show verbatim: names from the plan and the registry, and what users wrote. */
async function dataStrings(): Promise<string[]> {
  const rows = await query<{ s: string | null }>(`
    SELECT name AS s FROM "Project" UNION SELECT "planName" FROM "Project" UNION SELECT "sourcePhrase" FROM "Project"
    UNION SELECT name FROM "Organization" UNION SELECT name FROM "AdminDivision"
    UNION SELECT title FROM "Plan" UNION SELECT "keyInvestmentTargetText" FROM "Plan"
    UNION SELECT title FROM "PlanColumn" UNION SELECT name FROM "Programme"
    UNION SELECT category FROM "Indicator" UNION SELECT name FROM "Indicator" UNION SELECT unit FROM "Indicator"
    UNION SELECT "targetText" FROM "Indicator" UNION SELECT "baselineText" FROM "Indicator" UNION SELECT note FROM "Indicator"
    UNION SELECT "sourceNote" FROM "IndicatorValue"
    UNION SELECT "displayName" FROM "User"
    UNION SELECT subject FROM "SupervisionNotice" UNION SELECT answer FROM "SupervisionNotice" UNION SELECT "closingNote" FROM "SupervisionNotice"
    UNION SELECT description FROM "ReturnProblem" UNION SELECT resolution FROM "ReturnProblem"
    UNION SELECT "progressText" FROM "MonthlyReturn" UNION SELECT "overrunNote" FROM "MonthlyReturn"
    UNION SELECT "fundsNote" FROM "MonthlyReturn" UNION SELECT "progressNote" FROM "MonthlyReturn" UNION SELECT "returnReason" FROM "MonthlyReturn"
    UNION SELECT reason FROM "CorrectionRequest" UNION SELECT "decisionNote" FROM "CorrectionRequest"
    UNION SELECT reason FROM "AuditEvent" UNION SELECT "actorName" FROM "AuditEvent" UNION SELECT "actorOrganizationName" FROM "AuditEvent"
    UNION SELECT "fileName" FROM "Attachment" UNION SELECT name FROM "SavedView" UNION SELECT "fileName" FROM "ImportBatch" UNION SELECT name FROM "ApiToken"`);
  return rows.map((r) => r.s?.trim()).filter((s): s is string => !!s && CJK.test(s));
}

/** The visible text and the text-bearing attributes of the page, outside elements marked lang="zh-CN". */
async function pageTexts(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const out: string[] = [document.title];
    const exempt = (el: Element | null) => !el || !!el.closest('[lang="zh-CN"], script, style, noscript, template');
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const text = node.textContent?.trim();
      if (text && !exempt(node.parentElement)) out.push(text);
    }
    for (const el of Array.from(document.querySelectorAll("[placeholder], [title], [aria-label], [alt]"))) {
      if (exempt(el)) continue;
      for (const name of ["placeholder", "title", "aria-label", "alt"]) {
        const value = el.getAttribute(name);
        if (value) out.push(value);
      }
    }
    return out;
  });
}

/** Texts with Chinese left once every stored value (longest first) is taken out. */
function leaks(texts: string[], data: string[]): string[] {
  return texts
    .map((text) => data.reduce((rest, value) => (rest.includes(value) ? rest.split(value).join(" ") : rest), text))
    .filter((rest) => CJK.test(rest));
}

async function useEnglish(page: Page): Promise<void> {
  const url = new URL(page.url() === "about:blank" ? "http://127.0.0.1/" : page.url());
  await page.context().addCookies([{ name: localeCookie, value: "en", domain: url.hostname, path: "/" }]);
}

let data: string[] = [];
test.beforeAll(async () => {
  data = (await dataStrings()).sort((a, b) => b.length - a.length);
});

test("the sign-in page in English has no Chinese", async ({ page, baseURL }) => {
  await page.goto(baseURL!);
  await useEnglish(page);
  await page.goto("/login");
  await expect(page.locator("html")).toHaveAttribute("lang", "en");
  expect(leaks(await pageTexts(page), data)).toEqual([]);
});

// One role per kind of page set; the two owner and two reviewer accounts see the same pages.
const ROLES = DEMO_USERS.filter((u) => !["owner.viewer", "city.reviewer"].includes(u.username));

for (const demo of ROLES) {
  test(`${demo.username} (${demo.role}) sees every page in English without Chinese outside proper names`, async ({ page }) => {
    test.setTimeout(240_000); // up to 20 pages rendered on the server, plus a TOTP wait for administrators
    await signIn(page, demo.username);
    await useEnglish(page);
    const paths = await samplePaths();
    const found: string[] = [];
    let visited = 0;
    for (const [route, access] of Object.entries(PAGE_ACCESS)) {
      if (access === "public" || !roleMayUse([demo.role], access)) continue;
      if (route === "/account/mfa") continue; // enrolment, already passed by signIn
      const response = await page.goto(paths[route as PagePath]);
      if (response?.status() === 404) continue; // a scoped page outside this role's projects
      expect(response?.status(), route).toBeLessThan(400);
      await expect(page.locator("html")).toHaveAttribute("lang", "en");
      visited += 1;
      for (const text of leaks(await pageTexts(page), data)) found.push(`${route}: ${text.slice(0, 120)}`);
    }
    expect(visited, "pages walked").toBeGreaterThan(2);
    expect([...new Set(found)], `Chinese text in the English UI of ${demo.username}`).toEqual([]);
  });
}
