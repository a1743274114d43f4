// API tokens end to end (issue 18 §3, docs/decisions/0025-read-api.md): a user creates a token on
// /account/tokens, sees it once, calls /api/v1/projects with it from another client that carries
// no cookie, revokes it and is refused; bad input names the field. The reference page renders the
// OpenAPI document in both languages.
import { expect, request as playwrightRequest, test, type Page } from "@playwright/test";
import { query, signIn } from "./fixtures";

async function bearerGet(page: Page, path: string, token: string) {
  // A fresh client: no session cookie, only the token.
  const client = await playwrightRequest.newContext({ baseURL: new URL(page.url()).origin });
  try {
    const response = await client.get(path, { headers: { Authorization: `Bearer ${token}` }, failOnStatusCode: false });
    return { status: response.status(), body: (await response.json()) as Record<string, unknown> };
  } finally {
    await client.dispose();
  }
}

/** Optional screenshots of a page at desktop and phone width (SCREENSHOTS=1), for a human to look at. */
async function screenshots(page: Page, name: string) {
  if (process.env.SCREENSHOTS !== "1") return;
  for (const width of [1440, 390]) {
    await page.setViewportSize({ width, height: 900 });
    await page.screenshot({ path: `test-results/screens/${name}-${width}.png`, fullPage: true });
  }
  await page.setViewportSize({ width: 1280, height: 720 });
}

test("a user creates an API token, sees it once, calls the API with it and revokes it", async ({ page }) => {
  await signIn(page, "owner.editor");
  await page.goto("/account");
  await page.getByRole("link", { name: "管理我的 API 令牌" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("API 令牌");

  // Bad input names the field and keeps the page (no 5xx): no scope chosen.
  await page.getByLabel("名称").fill("e2e 月度抽取");
  await page.getByRole("button", { name: "生成令牌" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "权限范围" })).toContainText("权限范围：至少选择一项权限范围");

  // Only the scopes the owner unit holds are offered.
  await expect(page.getByRole("checkbox", { name: "读取全部项目" })).toHaveCount(0);
  await page.getByLabel("名称").fill("e2e 月度抽取");
  await page.getByRole("checkbox", { name: "读取本单位项目" }).check();
  await page.getByLabel("有效期").selectOption("30");
  await page.getByRole("button", { name: "生成令牌" }).click();
  const secret = page.getByRole("textbox", { name: "令牌（只显示这一次）" });
  await expect(secret).toBeVisible();
  const token = await secret.inputValue();
  expect(token).toMatch(/^zyk_[A-Za-z0-9_-]{43}$/);
  await screenshots(page, "account-tokens-zh");

  // Stored hashed only; issued with an audit event in the same transaction.
  const [row] = await query<{ id: string; tokenHash: string; permissions: string[] }>(`SELECT id, "tokenHash", permissions FROM "ApiToken" WHERE name = 'e2e 月度抽取'`);
  expect(row!.tokenHash).toMatch(/^[0-9a-f]{64}$/);
  expect(row!.tokenHash).not.toContain(token);
  expect(row!.permissions).toEqual(["project:read:own-org"]);
  expect(await query(`SELECT 1 FROM "AuditEvent" WHERE action = 'api.token.create' AND "entityId" = $1`, [row!.id])).toHaveLength(1);

  // The token reads the owner's own projects, as the project table shows them.
  const answer = await bearerGet(page, "/api/v1/projects?limit=100", token);
  expect(answer.status).toBe(200);
  const [owned] = await query<{ count: string }>(
    `SELECT count(*) FROM "Project" p JOIN "Organization" o ON o.id = p."ownerOrgId" WHERE o.name = '仁怀市人民政府'`,
  );
  expect(answer.body.total).toBe(Number(owned!.count));
  expect(answer.body.unit).toBe("万元");
  // A scope it was not given is refused.
  expect((await bearerGet(page, "/api/v1/indicators", token)).status).toBe(403);

  // Shown once: after a reload the list has it, the secret is gone.
  await page.reload();
  await expect(page.getByRole("textbox", { name: "令牌（只显示这一次）" })).toHaveCount(0);
  expect(await page.content()).not.toContain(token);
  const listed = page.getByRole("row").filter({ hasText: "e2e 月度抽取" });
  await expect(listed).toContainText("有效");
  await expect(listed).toContainText("读取本单位项目");
  await expect(listed).not.toContainText("从未使用");

  await listed.getByRole("button", { name: "撤销令牌“e2e 月度抽取”" }).click();
  await expect(page.getByRole("row").filter({ hasText: "e2e 月度抽取" })).toContainText("已撤销");
  const refused = await bearerGet(page, "/api/v1/projects?limit=1", token);
  expect(refused.status).toBe(401);
  expect(await query(`SELECT 1 FROM "AuditEvent" WHERE action = 'api.token.revoke' AND "entityId" = $1`, [row!.id])).toHaveLength(1);
});

test("the API reference renders the OpenAPI document in Chinese and English", async ({ page, context }) => {
  await signIn(page, "leader");
  await page.goto("/api-reference");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("API 参考");
  await expect(page.getByText("Authorization: Bearer zyk_…")).toBeVisible();
  await expect(page.getByRole("heading", { name: /GET\s*\/api\/v1\/projects\s*项目列表/ })).toBeVisible();
  await expect(page.locator("#schema-ProjectSummary")).toContainText("completedInvestment");
  await screenshots(page, "api-reference-zh");

  await context.addCookies([{ name: "NEXT_LOCALE", value: "en", url: new URL(page.url()).origin }]);
  await page.reload();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("API reference");
  await expect(page.getByRole("heading", { name: "How to authenticate" })).toBeVisible();
  await expect(page.getByRole("heading", { name: /GET\s*\/api\/v1\/lights\s*Lights with reasons/ })).toBeVisible();
  await screenshots(page, "api-reference-en");
  await page.goto("/account/tokens");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("API tokens");
  await screenshots(page, "account-tokens-en");
});

test("the system administrator creates a system account and the security administrator issues its token", async ({ browser }) => {
  test.setTimeout(180_000); // two administrators sign in with their second factor
  const sysContext = await browser.newContext();
  const sysadmin = await sysContext.newPage();
  await signIn(sysadmin, "sysadmin");
  await sysadmin.goto("/admin/users");
  await sysadmin.getByLabel("用户名").fill("e2e.stats");
  await sysadmin.getByLabel("姓名").fill("统计局对接");
  await sysadmin.getByLabel("初始密码").fill("Stats-e2e-2026-long!");
  await sysadmin.getByRole("checkbox", { name: "审计", exact: true }).check();
  await sysadmin.getByRole("checkbox", { name: /^系统账号/ }).check();
  await sysadmin.getByRole("button", { name: "新建用户" }).click();
  await expect(sysadmin.getByText("已创建用户 e2e.stats。")).toBeVisible();
  await sysContext.close();

  const secContext = await browser.newContext();
  const secadmin = await secContext.newPage();
  await signIn(secadmin, "secadmin");
  await secadmin.goto("/admin/security");
  const section = secadmin.getByRole("region", { name: "系统账号" });
  await expect(section).toContainText("e2e.stats");
  await section.getByLabel("名称").fill("统计局月度抽取");
  await section.getByRole("checkbox", { name: "读取全部项目" }).check();
  await section.getByRole("button", { name: "生成令牌" }).click();
  const token = await section.getByRole("textbox", { name: "令牌（只显示这一次）" }).inputValue();
  await screenshots(secadmin, "admin-security-tokens-zh");
  const answer = await bearerGet(secadmin, "/api/v1/projects?limit=1", token);
  expect(answer.status).toBe(200);
  expect(Number(answer.body.total)).toBeGreaterThan(300);
  // The security administrator sees and revokes it among all tokens.
  const row = secadmin.getByRole("region", { name: "全部令牌" }).getByRole("row").filter({ hasText: "统计局月度抽取" });
  await expect(row).toContainText("系统账号");
  await row.getByRole("button", { name: "撤销令牌“统计局月度抽取”" }).click();
  await expect(secadmin.getByRole("region", { name: "全部令牌" }).getByRole("row").filter({ hasText: "统计局月度抽取" })).toContainText("已撤销");
  expect((await bearerGet(secadmin, "/api/v1/projects?limit=1", token)).status).toBe(401);
  await secContext.close();
});
