import { expect, test } from "@playwright/test";
import { DEMO_PASSWORD_FOR_TESTS, query, signIn, totpFor, typeBeforeHydration } from "./fixtures";

test("the system status page shows database and migrations in Chinese", async ({ page }) => {
  await signIn(page, "sysadmin");
  await page.goto("/admin/system");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("系统状态");
  const status = page.getByRole("region", { name: "系统状态" });
  await expect(status).toContainText("正常");
  await expect(status).toContainText("可连接");
  await expect(page.locator("html")).toHaveAttribute("lang", "zh-CN");
});

test("health endpoint: status and version for anyone, database and migrations for administrators", async ({ request, page }) => {
  const response = await request.get("/api/health");
  expect(response.status()).toBe(200);
  const body = await response.json();
  expect(body.status).toBe("ok");
  expect(body.version).toMatch(/^\d+\.\d+\.\d+/);
  expect(Object.keys(body).sort()).toEqual(["checkedAt", "status", "version"]);

  await signIn(page, "sysadmin");
  const detailed = await (await page.request.get("/api/health")).json();
  expect(detailed.database.reachable).toBe(true);
  expect(detailed.migrations.pending).toEqual([]);
  expect(detailed.migrations.applied).toBeGreaterThan(0);
  expect(["embedded", "server"]).toContain(detailed.mode);
});

test("every response carries the security headers", async ({ request }) => {
  for (const path of ["/login", "/api/health", "/projects", "/api/attachments/00000000-0000-4000-8000-000000000000"]) {
    const response = await request.get(path);
    const headers = response.headers();
    expect(headers["content-security-policy"], path).toContain("frame-ancestors 'none'");
    expect(headers["x-frame-options"], path).toBe("DENY");
    // Frames only of the app's own origin (the PDF preview of evidence, docs/decisions/0034).
    expect(headers["content-security-policy"], path).toContain("frame-src 'self'");
    expect(headers["content-security-policy"], path).not.toContain("unsafe-eval");
    expect(headers["x-content-type-options"], path).toBe("nosniff");
    expect(headers["referrer-policy"], path).toBe("strict-origin-when-cross-origin");
    expect(headers["strict-transport-security"], path).toBeUndefined();
  }
  const overHttps = await request.get("/login", { headers: { "x-forwarded-proto": "https" } });
  expect(overHttps.headers()["strict-transport-security"]).toContain("max-age=");
});

test("the language can be switched to English and back", async ({ page }) => {
  await signIn(page, "leader");
  await page.goto("/projects");
  // The button's name is what it shows (WCAG 2.5.3, axe label-content-name-mismatch), in the language it offers.
  await page.getByRole("button", { name: "English", exact: true }).click();
  await expect(page.getByRole("heading", { name: "Project library" })).toBeVisible();
  await page.getByRole("button", { name: "中文", exact: true }).click();
  await expect(page.getByRole("heading", { name: "项目库" })).toBeVisible();
});

test("a refused form names the field and keeps what was typed (but never the password)", async ({ page }) => {
  await signIn(page, "sysadmin");
  await page.goto("/admin/users");
  await page.getByLabel("用户名").fill("zhang.san");
  await page.getByLabel("姓名").fill("张三");
  await page.getByLabel("初始密码").fill("password123");
  await page.getByRole("checkbox", { name: "审计", exact: true }).check();
  await page.getByRole("button", { name: "新建用户" }).click();
  await expect(page.getByText("这是常见密码或与旧密码相同，请换一个").first()).toBeVisible();
  await expect(page.getByLabel("用户名")).toHaveValue("zhang.san");
  await expect(page.getByLabel("姓名")).toHaveValue("张三");
  await expect(page.getByLabel("初始密码")).toHaveValue("");
});

test("an auditor verifies the hash chain on demand, and the verification joins the log", async ({ page }) => {
  await signIn(page, "auditor");
  await page.goto("/audit");
  await page.getByRole("button", { name: "立即完整校验" }).click();
  await expect(page.getByText("校验完成：哈希链完整。")).toBeVisible();
  await expect(page.getByText(/最近一次完整校验：.*由 auditor 执行/)).toBeVisible();
  await expect(page.getByText(/哈希链完整：已校验 \d+ 条记录/)).toBeVisible();
  const [row] = await query<{ n: string }>(`SELECT count(*)::text AS n FROM "AuditEvent" WHERE action = 'audit.verify' AND "actorName" = 'auditor'`);
  expect(Number(row!.n)).toBeGreaterThan(0);

  // The log narrows on screen: the auditor's own verifications, counted as the database counts them.
  const filters = page.getByRole("form", { name: "筛选" });
  await filters.getByLabel("用户").fill("auditor");
  await filters.getByLabel("操作前缀").fill("audit.verify");
  await filters.getByRole("button", { name: "筛选" }).click();
  await expect(page).toHaveURL(/user=auditor/);
  await expect(page.getByTestId("audit-count")).toHaveText(`符合条件的记录 ${Number(row!.n)} 条`);
  const actions = await page.getByRole("table").getByRole("row").filter({ has: page.getByRole("cell") }).allInnerTexts();
  expect(actions.length).toBeGreaterThan(0);
  for (const text of actions) expect(text).toContain("audit.verify");
  // A bad filter is named, not a server error.
  await page.goto("/audit?from=2026-13-45");
  await expect(page.getByText("筛选条件有误，已忽略：起始日")).toBeVisible();
});

test("an administrator who typed name and password before the page hydrated still reaches the second factor with them", async ({ browser }) => {
  const first = await browser.newContext();
  await signIn(await first.newPage(), "sysadmin"); // enrols the second factor on a fresh database
  await first.close();
  const context = await browser.newContext();
  const page = await context.newPage();
  await typeBeforeHydration(page, "/login", async () => {
    await page.getByLabel("用户名").fill("sysadmin");
    await page.getByLabel("密码").fill(DEMO_PASSWORD_FOR_TESTS);
  });
  await page.getByRole("button", { name: "登录" }).click();
  await expect(page.getByLabel("动态验证码（管理员）")).toBeVisible();
  // The second step posts the name and password again: they must still be in the fields.
  await expect(page.getByLabel("用户名")).toHaveValue("sysadmin");
  await page.getByLabel("动态验证码（管理员）").fill((await totpFor("sysadmin"))!);
  await page.getByRole("button", { name: "登录" }).click();
  await page.waitForURL((url) => !url.pathname.startsWith("/login"));
  await context.close();
});
