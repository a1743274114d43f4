import { expect, test } from "@playwright/test";
import ExcelJS from "exceljs";
import { query, signIn } from "./fixtures";

test.beforeEach(async ({ page }) => {
  await signIn(page, "leader");
});

test("plan page lists the columns with project counts and no 专栏4", async ({ page }) => {
  await page.goto("/plan");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("遵义市“十四五”新型城镇化发展规划");
  await expect(page.getByText("4,500 亿元", { exact: true })).toBeVisible();
  const column9 = page.getByRole("region", { name: /专栏9/ });
  await expect(column9.getByRole("link", { name: "项目数：47" })).toBeVisible();
  await expect(column9).toContainText("学前教育发展工程");
  await expect(page.getByRole("region", { name: /^专栏4 / })).toHaveCount(0);
  await expect(page.getByText("规划原文中没有专栏4。")).toBeVisible();
});

test("indicators page lists the 36 indicators with baseline and target", async ({ page }) => {
  await page.goto("/indicators");
  const rows = page.getByRole("row");
  await expect(rows).toHaveCount(37);
  const first = page.getByRole("row", { name: /常住人口城镇化率/ });
  await expect(first).toContainText("56.69");
  await expect(first).toContainText("62左右");
  await expect(page.getByRole("row", { name: /城镇化投资/ })).toContainText("[4500]");
});

test("project list filters by column and county, sorts by budget, and opens a project", async ({ page }) => {
  await page.goto("/projects");
  // Other specs may add projects (the import spec does): count what the database holds. An owner
  // unit's new project waits as 待审核 and the leader does not see it (docs/decisions/0031).
  const [all] = await query<{ count: string }>(`SELECT count(*)::text AS count FROM "Project" WHERE approval = 'ACCEPTED'`);
  await expect(page.getByText(`共 ${all!.count} 个项目`).first()).toBeVisible();
  await page.getByRole("combobox", { name: "专栏", exact: true }).selectOption({ label: "专栏16 城镇市政基础设施建设重点工程" });
  await expect(page).toHaveURL(/column=16/);
  const [c16] = await query<{ count: string }>(`SELECT count(*)::text AS count FROM "Project" p JOIN "PlanColumn" c ON c.id = p."columnId" WHERE c.number = 16 AND p.approval = 'ACCEPTED'`);
  expect(Number(c16!.count)).toBeGreaterThanOrEqual(19); // the plan's 19, plus any a spec imported
  await expect(page.getByText(`共 ${c16!.count} 个项目`).first()).toBeVisible();
  await page.getByRole("combobox", { name: "区县", exact: true }).selectOption({ label: "遵义市（市级）" });
  await expect(page).toHaveURL(/county=520300/);
  await expect(page.getByRole("region", { name: /筛选结果合计/ })).toContainText("亿元");
  await page.getByRole("button", { name: /十四五计划投资（亿元）/ }).click();
  await expect(page).toHaveURL(/sort=plannedInvestment\.(asc|desc)/);
  await page.waitForLoadState("networkidle");
  await expect(page.locator('[aria-busy="true"]')).toHaveCount(0);
  const direction = new URL(page.url()).searchParams.get("sort")!.endsWith("desc") ? -1 : 1;
  const header = page.getByRole("columnheader");
  const plannedIndex = (await header.allTextContents()).findIndex((text) => text.includes("十四五计划投资"));
  const values = await page.locator("tbody tr").evaluateAll(
    (rows, index) => rows.map((row) => Number((row.children[index] as HTMLElement).innerText.replace(/[^0-9.]/g, ""))),
    plannedIndex,
  );
  expect(values.length).toBeGreaterThan(1);
  expect(values).toEqual([...values].sort((a, b) => direction * (a - b)));
  // The URL is the view: reloading it reproduces the same filtered, sorted table.
  await page.reload();
  await expect(page.getByRole("combobox", { name: "专栏", exact: true })).toHaveValue("16");
  await page.getByRole("combobox", { name: "区县", exact: true }).selectOption({ label: "全部" });
  await expect(page).not.toHaveURL(/county=/);
  await page.waitForLoadState("networkidle");
  await expect(page.locator('[aria-busy="true"]')).toHaveCount(0);
  await page.getByRole("link", { name: "遵义市城市轨道交通1号线" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toContainText("遵义市城市轨道交通1号线");
  await expect(page.locator("blockquote")).toHaveText("力争建成遵义市城市轨道交通1号线及2号线一期工程");
  await expect(page.getByText("示例数据").first()).toBeVisible();
  await expect(page.getByRole("cell", { name: "竣工验收" })).toBeVisible();
});

test("search finds a project by a Chinese substring", async ({ page }) => {
  await page.goto("/projects");
  await page.getByLabel("按名称或项目代码搜索").fill("仡源变电站");
  await page.getByRole("button", { name: "搜索" }).click();
  await expect(page.getByText("共 1 个项目").first()).toBeVisible();
  await expect(page.getByRole("link", { name: "务川县500千伏仡源变电站" })).toBeVisible();
});

test("the filtered set exports to Excel with Chinese headers and numbers", async ({ page }) => {
  await page.goto("/projects?column=15");
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "导出 Excel" }).click()]);
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.readFile(await download.path());
  const sheet = workbook.getWorksheet("项目库")!;
  expect(sheet.rowCount).toBe(48); // header + the 47 projects of 专栏15
  expect(sheet.getRow(1).values).toContain("十四五计划投资（亿元）");
});

test("a link with an unknown sort id is refused with a message naming the field", async ({ page, request }) => {
  await page.goto("/projects?sort=passwordHash.asc");
  await expect(page.getByRole("alert").filter({ hasText: "链接中的查询条件无效" })).toContainText("sort");
  const response = await request.get("/api/projects/export?format=csv&sort=passwordHash.asc");
  expect([400, 401]).toContain(response.status());
  const signedIn = await page.request.get("/api/projects/export?format=csv&sort=passwordHash.asc");
  expect(signedIn.status()).toBe(400);
  expect((await signedIn.json()).problems[0].field).toBe("sort");
});

test("an unknown project id is a not-found page, not an error", async ({ page }) => {
  const response = await page.goto("/projects/00000000-0000-0000-0000-000000000000");
  expect(response?.status()).toBe(404);
  // In the reader's language, inside the app's frame, with the way back (not Next's English default).
  await expect(page.getByRole("heading", { level: 1, name: "页面不存在" })).toBeVisible();
  await expect(page.locator("main#main").getByRole("link", { name: "返回首页" })).toBeVisible();
});
