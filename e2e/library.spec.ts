import { expect, test } from "@playwright/test";
import { signIn } from "./fixtures";

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

test("project list filters by column and opens a project with its source phrase and demo mark", async ({ page }) => {
  await page.goto("/projects");
  await expect(page.getByText("共 307 个项目")).toBeVisible();
  await page.getByLabel("专栏").selectOption({ label: "专栏16 城镇市政基础设施建设重点工程" });
  await page.getByRole("button", { name: "搜索" }).click();
  await expect(page).toHaveURL(/column=16/);
  await expect(page.getByText("共 19 个项目")).toBeVisible();
  await page.getByRole("link", { name: "遵义市城市轨道交通1号线" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toContainText("遵义市城市轨道交通1号线");
  await expect(page.locator("blockquote")).toHaveText("力争建成遵义市城市轨道交通1号线及2号线一期工程");
  await expect(page.getByText("示例数据").first()).toBeVisible();
  await expect(page.getByRole("cell", { name: "竣工验收" })).toBeVisible();
});

test("search finds a project by a Chinese substring", async ({ page }) => {
  await page.goto("/projects?q=" + encodeURIComponent("仡源变电站"));
  await expect(page.getByText("共 1 个项目")).toBeVisible();
  await expect(page.getByRole("link", { name: "务川县500千伏仡源变电站" })).toBeVisible();
});

test("an unknown project id is a not-found page, not an error", async ({ page }) => {
  const response = await page.goto("/projects/00000000-0000-0000-0000-000000000000");
  expect(response?.status()).toBe(404);
});
