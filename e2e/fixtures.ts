// Shared e2e helpers: sign in as a demo account through the real form (enrolling or answering
// the administrators' second factor), and read from the app's database for setup and checks.
import { expect, type Page } from "@playwright/test";
import pg from "pg";
import { currentTotp, decryptSecret } from "../lib/auth/totp";
import { DEMO_PASSWORD } from "../prisma/seed/demo-users";
import { PAGE_ACCESS, type PagePath } from "../lib/auth/route-access";

export const DEMO_PASSWORD_FOR_TESTS = DEMO_PASSWORD;

export async function query<T extends Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: process.env.E2E_DATABASE_URL });
  await client.connect();
  try {
    return (await client.query(sql, params)).rows as T[];
  } finally {
    await client.end();
  }
}

export async function totpFor(username: string): Promise<string | null> {
  const [row] = await query<{ totpSecret: string | null; totpEnabledAt: Date | null; totpLastStep: number | null }>(
    `SELECT "totpSecret", "totpEnabledAt", "totpLastStep" FROM "User" WHERE username = $1`,
    [username],
  );
  if (!row?.totpSecret || !row.totpEnabledAt) return null;
  // A code works once (issue 14): after a sign-in in this 30 s step, wait for the next one.
  const nextStepAt = ((row.totpLastStep ?? 0) + 1) * 30_000;
  if (Date.now() < nextStepAt) await new Promise((resolve) => setTimeout(resolve, nextStepAt - Date.now() + 50));
  return currentTotp(decryptSecret(row.totpSecret, process.env.AUTH_SECRET!), username);
}

/** Signs in through the login form; administrators enrol TOTP on first use and answer it later. */
export async function signIn(page: Page, username: string, password = DEMO_PASSWORD): Promise<void> {
  await page.goto("/login");
  await page.getByLabel("用户名").fill(username);
  await page.getByLabel("密码").fill(password);
  await page.getByRole("button", { name: "登录" }).click();
  const totpField = page.getByLabel("动态验证码（管理员）");
  await Promise.race([page.waitForURL((url) => !url.pathname.startsWith("/login")), totpField.waitFor()]);
  if (page.url().includes("/login")) {
    const code = await totpFor(username);
    expect(code, `${username} should have TOTP enrolled`).not.toBeNull();
    await totpField.fill(code!);
    await page.getByRole("button", { name: "登录" }).click();
    await page.waitForURL((url) => !url.pathname.startsWith("/login"));
  }
  // The sign-in lands on "/", which may redirect again (to enrol a second factor): wait for the final page.
  await expect(page.locator("main h1")).toBeVisible();
  await page.waitForLoadState("networkidle");
  if (new URL(page.url()).pathname === "/account/mfa") {
    const secret = (await page.getByTestId("totp-secret").textContent())!.trim();
    await page.getByLabel("6 位动态码").fill(currentTotp(secret, username));
    await page.getByRole("button", { name: "验证并启用" }).click();
    await expect(page.getByRole("heading", { name: "恢复码（只显示这一次）" })).toBeVisible();
  }
}

/**
 * Collects what the browser reports as going wrong on a page: console errors (CSP violations are
 * logged as "Refused to ..."), uncaught errors (React's hydration errors, #418) and CSP violation
 * events. (The favicon is shipped since issue 19: a 404 for it counts too.)
 */
export async function collectBrowserErrors(page: Page): Promise<string[]> {
  const errors: string[] = [];
  page.on("console", (message) => {
    if (message.type() !== "error") return;
    errors.push(`console: ${message.text()} (${message.location().url})`);
  });
  page.on("pageerror", (error) => errors.push(`uncaught: ${error.message}`));
  await page.exposeFunction("__reportCspViolation", (text: string) => errors.push(`csp: ${text}`));
  await page.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (event) => {
      (window as unknown as { __reportCspViolation: (t: string) => void }).__reportCspViolation(
        `${event.violatedDirective} blocked ${event.blockedURI || "inline"} at ${event.sourceFile}:${event.lineNumber}`,
      );
    });
  });
  return errors;
}

/** One concrete URL for every page of the matrix: a project of the demo owner unit (仁怀市人民政府), the leader's user page. */
export async function samplePaths(): Promise<Record<PagePath, string>> {
  const [project] = await query<{ id: string }>(`SELECT id FROM "Project" WHERE approval = 'ACCEPTED' ORDER BY "planKey" LIMIT 1`);
  const [user] = await query<{ id: string }>(`SELECT id FROM "User" WHERE username = 'leader'`);
  const paths = Object.fromEntries(Object.keys(PAGE_ACCESS).map((p) => [p, p])) as Record<PagePath, string>;
  paths["/projects/[id]"] = `/projects/${project!.id}`;
  paths["/admin/users/[id]"] = `/admin/users/${user!.id}`;
  const [owned] = await query<{ id: string }>(
    `SELECT p.id FROM "Project" p JOIN "Organization" o ON o.id = p."ownerOrgId" WHERE o.name = '仁怀市人民政府' AND p.approval = 'ACCEPTED' LIMIT 1`,
  );
  paths["/projects/[id]/edit"] = `/projects/${owned!.id}/edit`; // the owner editor's own project
  paths["/projects/[id]/returns/[period]"] = `/projects/${owned!.id}/returns/2025-06`;
  paths["/projects/[id]/figures"] = `/projects/${owned!.id}/figures`;
  return paths;
}

/** The main navigation (issue 19: grouped by task; a group of several pages is a disclosure button). */
function mainNav(page: Page) {
  return page.getByRole("navigation", { name: /^(主导航|Main navigation)$/ });
}

/** Every page name the main navigation offers, opening each group in turn. */
export async function navLinkNames(page: Page): Promise<string[]> {
  const nav = mainNav(page);
  const names = new Set(await nav.getByRole("link").allInnerTexts());
  const buttons = nav.getByRole("button");
  for (let i = 0; i < (await buttons.count()); i++) {
    await buttons.nth(i).click();
    await expect(buttons.nth(i)).toHaveAttribute("aria-expanded", "true");
    for (const name of await nav.getByRole("link").allInnerTexts()) names.add(name);
  }
  return [...names].map((n) => n.trim());
}

/** Follows a link of the main navigation, opening its group first when it is in one. */
export async function clickNav(page: Page, name: string): Promise<void> {
  const nav = mainNav(page);
  const link = nav.getByRole("link", { name, exact: true });
  if ((await link.count()) === 0) {
    const buttons = nav.getByRole("button");
    for (let i = 0; i < (await buttons.count()) && (await link.count()) === 0; i++) await buttons.nth(i).click();
  }
  await link.click();
}

/**
 * Opens `url` with its scripts held back, runs `type` on the server-rendered page (what a user on a
 * slow line does before React has hydrated), then lets the scripts through and waits until React
 * owns the page's forms. Forms must keep what was typed (components/forms/use-typed-value.ts).
 */
export async function typeBeforeHydration(page: Page, url: string, type: () => Promise<void>): Promise<void> {
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  const pattern = "**/_next/static/chunks/**";
  await page.route(pattern, async (route) => {
    await held;
    await route.continue();
  });
  // Not "domcontentloaded": the page's deferred scripts are what is held, and that event waits for them.
  await page.goto(url, { waitUntil: "commit" });
  await page.locator("form").first().waitFor();
  // Proof that the page is not yet hydrated while typing: React marks the elements it owns.
  expect(await page.evaluate(() => Object.keys(document.querySelector("form")!).some((k) => k.startsWith("__react")))).toBe(false);
  await type();
  release();
  await page.waitForFunction(() => {
    const forms = [...document.querySelectorAll("form")];
    return forms.length > 0 && forms.every((f) => Object.keys(f).some((k) => k.startsWith("__reactFiber")));
  });
  await page.unroute(pattern);
}
