// axe-core on every page each demo role may open, in Chinese and in English (issue 19): no
// critical and no serious violation of WCAG 2.1 A/AA. Also one <main> per page (the 403 page had
// two), a favicon, and a language button whose name is what it shows.
import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import { localeCookie } from "../i18n/config";
import { PAGE_ACCESS, roleMayUse, type PagePath } from "../lib/auth/route-access";
import { DEMO_USERS } from "../prisma/seed/demo-users";
import { DEMO_PASSWORD_FOR_TESTS, query, samplePaths, signIn } from "./fixtures";

const LOCALES = ["zh-CN", "en"] as const;

async function violations(page: Page): Promise<string[]> {
  // label-content-name-mismatch is "experimental" in axe 4.14, off unless asked for: the issue found it on every page.
  const result = await new AxeBuilder({ page })
    .withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice", "experimental"])
    .options({ rules: { "label-content-name-mismatch": { enabled: true } } })
    .analyze();
  return result.violations
    .filter((v) => v.impact === "critical" || v.impact === "serious")
    .map((v) => `${v.id} (${v.impact}) ×${v.nodes.length}: ${v.nodes.slice(0, 3).map((n) => `${n.target.join(" ")} ${n.failureSummary?.split("\n")[1]?.trim() ?? ""}`).join(" | ")}`);
}

async function setLocale(page: Page, locale: (typeof LOCALES)[number]): Promise<void> {
  const url = new URL(page.url());
  await page.context().addCookies([{ name: localeCookie, value: locale, domain: url.hostname, path: "/" }]);
}

test("the sign-in page has no serious accessibility violation, in both languages", async ({ page }) => {
  const found: string[] = [];
  for (const locale of LOCALES) {
    await page.goto("/login");
    await setLocale(page, locale);
    await page.goto("/login");
    found.push(...(await violations(page)).map((v) => `${locale} /login: ${v}`));
  }
  expect(found).toEqual([]);
  const icon = await page.request.get("/favicon.ico");
  expect(icon.status()).toBe(200);
  expect(icon.headers()["content-type"]).toContain("image/");
});

type PageEntry = [PagePath, (typeof PAGE_ACCESS)[PagePath]];

/** One demo user per role: two users of one role render the same components. */
const ROLE_USERS = DEMO_USERS.filter((demo, index) => DEMO_USERS.findIndex((other) => other.role === demo.role) === index);

/** The signed-in pages a role may open (the MFA page is checked on its own below). */
function pagesOf(role: (typeof DEMO_USERS)[number]["role"]): PagePath[] {
  return (Object.entries(PAGE_ACCESS) as PageEntry[])
    .filter(([route, access]) => access !== "public" && route !== "/account/mfa" && roleMayUse([role], access))
    .map(([route]) => route);
}

/**
 * What each role checks in each language. In Chinese, every page the role may open: a page shows
 * each role its own controls (the owner's form, the reviewer's decision, the leader's 督办). In
 * English the markup is the same, so every page once, by the first role that may open it, plus the
 * role's home page and 403 page, whose content is the role's own. (All pages in both languages
 * for all nine demo users took half of the e2e run.)
 */
function plan(): Map<string, PagePath[]> {
  const byTest = new Map<string, PagePath[]>();
  const coveredInEnglish = new Set<PagePath>();
  for (const demo of ROLE_USERS) {
    const pages = pagesOf(demo.role);
    byTest.set(`${demo.username}|zh-CN`, pages);
    const english = pages.filter((route) => route === "/" || !coveredInEnglish.has(route));
    english.forEach((route) => coveredInEnglish.add(route));
    byTest.set(`${demo.username}|en`, english);
  }
  return byTest;
}
const PLAN = plan();

test("in English every signed-in page is checked by some role", () => {
  const checked = new Set([...PLAN.entries()].filter(([key]) => key.endsWith("|en")).flatMap(([, pages]) => pages));
  const all = ROLE_USERS.flatMap((demo) => pagesOf(demo.role));
  expect(all.filter((route) => !checked.has(route))).toEqual([]);
});

for (const demo of ROLE_USERS) for (const locale of LOCALES) {
  test(`${demo.username} (${demo.role}), ${locale}: its pages have no serious accessibility violation`, async ({ page }) => {
    test.setTimeout(600_000); // ~15 pages, each rendered and analysed on a busy machine
    await signIn(page, demo.username);
    const paths = await samplePaths();
    const pages = PLAN.get(`${demo.username}|${locale}`)!.map((route) => paths[route]);
    // One page the role may not open: the 403 page is checked too.
    const refused = (Object.entries(PAGE_ACCESS) as PageEntry[]).find(
      ([, access]) => access !== "public" && access !== "session" && access !== "signed-in" && !roleMayUse([demo.role], access),
    );
    const found: string[] = [];
    {
      await setLocale(page, locale);
      for (const target of [...pages, ...(refused ? [paths[refused[0]]] : [])]) {
        const response = await page.goto(target);
        await page.waitForLoadState("networkidle");
        expect(await page.locator("html").getAttribute("lang"), target).toBe(locale);
        expect(await page.locator("main").count(), `${target}: one <main>`).toBe(1);
        found.push(...(await violations(page)).map((v) => `${locale} ${target} (${response?.status()}): ${v}`));
      }
      // The language button is named by what it shows ("English" / "中文"), not by a hidden label.
      await expect(page.getByRole("button", { name: locale === "zh-CN" ? "English" : "中文", exact: true })).toBeVisible();
    }
    expect(found).toEqual([]);
  });
}

test("each rate on the dashboard shows its numerator, denominator and definition on keyboard focus", async ({ page }) => {
  await signIn(page, "leader");
  await page.goto("/dashboard");
  for (const key of ["startRate", "investmentCompletionRate", "fundsInPlaceRate", "onTimeCompletionRate"]) {
    const card = page.getByTestId(`rate-${key}`);
    const tip = card.getByRole("tooltip");
    await expect(tip).toBeHidden();
    await card.getByRole("link").focus();
    await expect(tip).toBeVisible();
    await expect(tip).toContainText("分子：");
    await expect(tip).toContainText("分母：");
    // The link is described by it, so a screen reader reads the same.
    expect(await card.getByRole("link").getAttribute("aria-describedby")).toBe(await tip.getAttribute("id"));
  }
});

test("an administrator who must enrol a second factor goes from the password step straight to /account/mfa", async ({ page }) => {
  await query(`DELETE FROM "RecoveryCode" WHERE "userId" = (SELECT id FROM "User" WHERE username = 'auditadmin')`);
  await query(`UPDATE "User" SET "totpSecret" = NULL, "totpEnabledAt" = NULL WHERE username = 'auditadmin'`);
  const seen: string[] = [];
  await page.exposeFunction("__seenPath", (p: string) => seen.push(p));
  await page.addInitScript(() => {
    const report = () => (window as unknown as { __seenPath: (p: string) => void }).__seenPath(location.pathname);
    for (const method of ["pushState", "replaceState"] as const) {
      const original = history[method].bind(history);
      history[method] = (...args: Parameters<History["pushState"]>) => {
        original(...args);
        report();
      };
    }
  });
  page.on("framenavigated", (frame) => frame === page.mainFrame() && seen.push(new URL(frame.url()).pathname));
  await page.goto("/login");
  await page.getByLabel("用户名").fill("auditadmin");
  await page.getByLabel("密码").fill(DEMO_PASSWORD_FOR_TESTS);
  await page.getByRole("button", { name: "登录" }).click();
  await expect(page).toHaveURL(/\/account\/mfa$/);
  await expect(page.getByTestId("totp-secret")).toBeVisible();
  expect(seen.filter((p) => p === "/"), seen.join(" → ")).toEqual([]);
});
