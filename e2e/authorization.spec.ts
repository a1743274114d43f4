// The authorization matrix (lib/auth/route-access.ts) checked on the real server: every demo
// role against every page, owner units against their own and another organization's project,
// the navigation each role sees, and a server action POSTed directly by a role that lacks it.
import { expect, test, type Page } from "@playwright/test";
import { permissionsFor } from "../lib/auth/permissions";
import { LANDING_PAGES, PAGE_ACCESS, roleMayUse, type PagePath } from "../lib/auth/route-access";
import { DEMO_USERS } from "../prisma/seed/demo-users";
import { navLinkNames, query, samplePaths, signIn } from "./fixtures";

async function status(page: Page, path: string): Promise<number> {
  const response = await page.request.get(path, { maxRedirects: 0 });
  return response.status();
}

test("signed-out visitors are sent to sign in from every non-public page", async ({ page }) => {
  const paths = await samplePaths();
  for (const [route, access] of Object.entries(PAGE_ACCESS)) {
    if (access === "public") continue;
    const response = await page.request.get(paths[route as PagePath], { maxRedirects: 0 });
    expect(response.status(), route).toBe(307);
    expect(response.headers().location, route).toContain("/login");
  }
});

for (const demo of DEMO_USERS) {
  test(`${demo.username} (${demo.role}) reaches exactly the pages the matrix allows`, async ({ page }) => {
    test.setTimeout(120_000); // one request per page of the matrix (25 pages), each rendered on the server
    await signIn(page, demo.username);
    const paths = await samplePaths();
    for (const [route, access] of Object.entries(PAGE_ACCESS)) {
      if (access === "public" || access === "session") continue;
      const allowed = roleMayUse([demo.role], access);
      const code = await status(page, paths[route as PagePath]);
      const landsElsewhere = route === "/" && LANDING_PAGES.some((l) => permissionsFor([demo.role]).has(l.permission));
      const scoped = ["/projects/[id]", "/projects/[id]/returns/[period]", "/projects/[id]/figures"].includes(route);
      if (landsElsewhere) {
        expect(code, `${demo.username} ${route} redirects to its landing page`).toBe(307);
      } else if (scoped && allowed && (demo.role.startsWith("OWNER") || demo.role === "COUNTY_REVIEWER")) {
        expect([200, 404], `${demo.username} ${route}`).toContain(code); // scope decides; checked below
      } else {
        expect(code, `${demo.username} ${route}`).toBe(allowed ? 200 : 403);
      }
    }
  });
}

test("an owner unit opens its own project but gets not-found for another organization's", async ({ page }) => {
  await signIn(page, "owner.editor");
  const [own] = await query<{ id: string }>(
    `SELECT p.id FROM "Project" p JOIN "Organization" o ON o.id = p."ownerOrgId" WHERE o.name = '仁怀市人民政府' AND p.approval = 'ACCEPTED' LIMIT 1`,
  );
  const [other] = await query<{ id: string }>(
    `SELECT p.id FROM "Project" p JOIN "Organization" o ON o.id = p."ownerOrgId" WHERE o.name <> '仁怀市人民政府' AND p.approval = 'ACCEPTED' LIMIT 1`,
  );
  expect(await status(page, `/projects/${own!.id}`)).toBe(200);
  expect(await status(page, `/projects/${other!.id}`)).toBe(404);
  await page.goto("/projects");
  const [owned] = await query<{ count: string }>(
    `SELECT count(*) FROM "Project" p JOIN "Organization" o ON o.id = p."ownerOrgId" WHERE o.name = '仁怀市人民政府'`,
  );
  await expect(page.getByText(`共 ${owned!.count} 个项目`, { exact: true })).toBeVisible();
});

test("a county reviewer sees the projects of its county only", async ({ page }) => {
  await signIn(page, "reviewer");
  const [inCounty] = await query<{ id: string }>(`SELECT "projectId" AS id FROM "ProjectLocation" WHERE "divisionCode" = '520382' LIMIT 1`);
  const [outside] = await query<{ id: string }>(
    `SELECT id FROM "Project" WHERE approval = 'ACCEPTED' AND id NOT IN (SELECT "projectId" FROM "ProjectLocation" WHERE "divisionCode" = '520382') LIMIT 1`,
  );
  expect(await status(page, `/projects/${inCounty!.id}`)).toBe(200);
  expect(await status(page, `/projects/${outside!.id}`)).toBe(404);
});

const NAV = ["领导驾驶舱", "延误督办", "建设月报", "督办事项", "项目库", "批量导入", "规划与专栏", "主要指标", "审计日志", "用户管理", "组织机构", "安全设置", "系统状态"];
const EXPECTED_NAV: Record<string, string[]> = {
  "owner.editor": ["督办事项", "项目库", "批量导入", "规划与专栏", "主要指标"],
  "owner.viewer": ["督办事项", "项目库", "规划与专栏", "主要指标"],
  reviewer: ["项目库", "批量导入", "规划与专栏", "主要指标"],
  leader: ["领导驾驶舱", "延误督办", "建设月报", "督办事项", "项目库", "规划与专栏", "主要指标"],
  auditor: ["领导驾驶舱", "延误督办", "建设月报", "督办事项", "项目库", "规划与专栏", "主要指标", "审计日志"],
  sysadmin: ["用户管理", "组织机构", "系统状态"],
  secadmin: ["安全设置", "系统状态"],
  auditadmin: ["审计日志"],
};

for (const [username, expected] of Object.entries(EXPECTED_NAV)) {
  test(`${username} sees only its own navigation`, async ({ page }) => {
    await signIn(page, username);
    await page.goto("/");
    const names = await navLinkNames(page);
    for (const label of NAV) expect(names.includes(label), `${username}: ${label}`).toBe(expected.includes(label));
  });
}

test("a server action POSTed directly by a role without the permission is refused and changes nothing", async ({ browser }) => {
  // Record the real request the system administrator's form sends...
  const adminContext = await browser.newContext();
  const admin = await adminContext.newPage();
  await signIn(admin, "sysadmin");
  await admin.goto("/admin/users");
  await admin.getByLabel("用户名").fill("e2e-created");
  await admin.getByLabel("姓名").fill("E2E 用户");
  await admin.getByLabel("初始密码").fill("Replay-test-2026");
  await admin.getByRole("checkbox", { name: "审计", exact: true }).check();
  const [request] = await Promise.all([
    admin.waitForRequest((r) => r.method() === "POST" && !!r.headers()["next-action"]),
    admin.getByRole("button", { name: "新建用户" }).click(),
  ]);
  await expect(admin.getByText("已创建用户 e2e-created。")).toBeVisible();
  const replayBody = request.postDataBuffer()!.toString("utf8").replaceAll("e2e-created", "e2e-replayed");
  const headers = request.headers();

  // ...and replay it as an owner-unit editor, who holds no user:manage permission.
  const ownerContext = await browser.newContext();
  const owner = await ownerContext.newPage();
  await signIn(owner, "owner.editor");
  const response = await owner.request.post("/admin/users", {
    headers: { "next-action": headers["next-action"]!, "content-type": headers["content-type"]!, origin: new URL(owner.url()).origin, accept: "text/x-component" },
    data: replayBody,
    maxRedirects: 0,
  });
  expect(await response.text()).toContain("validation.forbidden");
  expect(await query(`SELECT 1 FROM "User" WHERE username = 'e2e-replayed'`)).toHaveLength(0);
  const [denied] = await query<{ count: string }>(
    `SELECT count(*) FROM "AuditEvent" WHERE action = 'auth.permission.denied' AND "actorName" = 'owner.editor'`,
  );
  expect(Number(denied!.count)).toBeGreaterThan(0);
  await adminContext.close();
  await ownerContext.close();
});
