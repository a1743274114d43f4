// Takes screenshots of the running app as each demo role sees it, for a person to look at:
//   BASE_URL=http://localhost:3000 npx tsx scripts/screenshots.ts [outDir]
// SCREENSHOT_WIDTH=390 takes them as a phone sees them (844 px high); SCREENSHOT_LOCALE=en in English;
// SCREENSHOT_PAGES=/projects?county=520382,/dashboard takes those pages instead of each user's list.
import { mkdirSync } from "node:fs";
import path from "node:path";
import { chromium, type Page } from "@playwright/test";
import { localeCookie } from "../i18n/config";
import { currentTotp } from "../lib/auth/totp";
import { DEMO_PASSWORD } from "../prisma/seed/demo-users";

const base = process.env.BASE_URL ?? "http://localhost:3000";
const out = process.argv[2] ?? "test-results/screenshots";
const width = Number(process.env.SCREENSHOT_WIDTH ?? 1440);
const locale = process.env.SCREENSHOT_LOCALE === "en" ? "en" : "zh-CN";

const plan: { user: string; pages: string[] }[] = [
  { user: "leader", pages: ["/", "/delays", "/notices", "/report", "/returns", "/reconciliation", "/projects", "/projects?light=RED&cols=name,county,owner,lifecycleStage,trafficLight", "/projects?column=15&sort=plannedInvestment.desc", "/plan", "/indicators"] },
  { user: "owner.editor", pages: ["/", "/notices", "/projects", "/my-work", "/notifications", "/import"] },
  { user: "reviewer", pages: ["/projects", "/returns", "/notifications", "/import"] },
  { user: "auditor", pages: ["/audit"] },
  { user: "sysadmin", pages: ["/admin/users", "/admin/organizations", "/admin/system"] },
  { user: "secadmin", pages: ["/admin/security"] },
];

async function signIn(page: Page, username: string) {
  await page.goto(`${base}/login`);
  await page.getByLabel("用户名").fill(username);
  await page.getByLabel("密码").fill(DEMO_PASSWORD);
  await page.getByRole("button", { name: "登录" }).click();
  // Wait for the sign-in to land (or for an administrator's second-factor prompt).
  await Promise.race([
    page.waitForURL((url) => !url.pathname.startsWith("/login"), { timeout: 15_000 }),
    page.getByLabel("动态验证码（管理员）").waitFor({ timeout: 15_000 }),
  ]).catch(() => undefined);
  await page.waitForLoadState("networkidle");
  if (page.url().includes("/account/mfa")) {
    const secret = (await page.getByTestId("totp-secret").textContent())!.trim();
    await page.screenshot({ path: path.join(out, `${username}-mfa.png`), fullPage: true });
    await page.getByLabel("6 位动态码").fill(currentTotp(secret, username));
    await page.getByRole("button", { name: "验证并启用" }).click();
    await page.getByRole("heading", { name: "恢复码（只显示这一次）" }).waitFor();
  }
}

async function main() {
  mkdirSync(out, { recursive: true });
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  // SCREENSHOT_USERS=leader,auditor takes only those users; SCREENSHOT_FULL=1 takes whole pages.
  const only = process.env.SCREENSHOT_USERS?.split(",");
  for (const { user, pages } of plan.filter((p) => !only || only.includes(p.user))) {
    // Signed in through the Chinese form; English is then the language cookie, as the switch sets it.
    const context = await browser.newContext({ viewport: { width, height: width <= 500 ? 844 : 900 }, locale: "zh-CN" });
    const page = await context.newPage();
    await signIn(page, user);
    if (locale === "en") await context.addCookies([{ name: localeCookie, value: "en", url: base }]);
    for (const target of process.env.SCREENSHOT_PAGES?.split(",") ?? pages) {
      await page.goto(`${base}${target}`);
      await page.waitForLoadState("networkidle");
      const file = path.join(out, `${user}${target.replace(/[/?=&.,]/g, "_") || "_home"}-${width}-${locale}.png`);
      await page.screenshot({ path: file, fullPage: process.env.SCREENSHOT_FULL === "1" });
      console.log(file);
    }
    await context.close();
  }
  await browser.close();
}

void main();
