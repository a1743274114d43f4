// The county map on the dashboard (issue 18 §2): a county is a link that narrows the dashboard to
// it (and from there to its project list),
// every county takes keyboard focus with its name and value, the table alternative is there, the
// measure comes from the URL (a bad value falls back, never an error), and the monthly report
// prints the same map. Screenshots at 1440 and 390 px are attached to the run.
import { expect, test } from "@playwright/test";
import { collectBrowserErrors, query, signIn } from "./fixtures";

const RENHUAI = "520382";

test("the county map narrows the dashboard to a county and opens its project list, takes keyboard focus per county and has a table alternative", async ({ page }, testInfo) => {
  test.setTimeout(180_000);
  const errors = await collectBrowserErrors(page);
  await signIn(page, "leader");
  await page.goto("/dashboard?measure=investment");
  const map = page.getByTestId("dashboard-county-map-figure");
  await expect(map).toBeVisible({ timeout: 60_000 }); // the first visit computes every light

  // 14 counties drawn plus 市级 and 新蒲新区 as tiles: 16 links, each named with its value.
  const counties = map.locator("svg a[data-county]");
  await expect(counties).toHaveCount(16);
  const [row] = await query<{ n: string }>(`SELECT count(DISTINCT l."projectId")::text AS n FROM "ProjectLocation" l JOIN "Project" p ON p.id = l."projectId" WHERE l."divisionCode" = $1 AND p.approval = 'ACCEPTED'`, [RENHUAI]);
  const n = row!.n;
  const renhuai = map.getByRole("link", { name: new RegExp(`^仁怀市：[\\d,.]+ 亿元，${n} 个项目`) });
  await expect(renhuai).toHaveCount(1);
  await expect(map.getByRole("link", { name: /^新蒲新区：/ })).toHaveCount(1);
  await expect(map.getByRole("link", { name: /^遵义市（市级）：/ })).toHaveCount(1);
  await expect(map.getByRole("link", { name: "十四五计划投资" })).toHaveAttribute("aria-current", "true");

  // The table alternative: every division with its count and the same value.
  const table = page.getByTestId("dashboard-county-map-table");
  await expect(table.getByRole("row")).toHaveCount(17);
  await expect(table.getByRole("row", { name: /仁怀市/ })).toContainText(n);

  // Keyboard: Tab reaches the counties one by one, each with its accessible name.
  await page.getByRole("link", { name: "红黄灯项目占比" }).focus();
  await page.keyboard.press("Tab");
  const focused: string[] = [];
  for (let i = 0; i < 16; i++) {
    focused.push((await page.evaluate(() => document.activeElement?.getAttribute("data-county"))) ?? "");
    await page.keyboard.press("Tab");
  }
  expect(new Set(focused).size).toBe(16);
  expect(focused).toContain(RENHUAI);

  await page.setViewportSize({ width: 1440, height: 900 });
  await map.scrollIntoViewIfNeeded();
  await page.screenshot({ path: testInfo.outputPath("dashboard-1440.png"), fullPage: true });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.screenshot({ path: testInfo.outputPath("dashboard-390.png"), fullPage: true });
  await page.setViewportSize({ width: 1280, height: 720 });

  // Clicking a county narrows the dashboard to it; from there, its project list.
  // The centre of a county's bounding box can fall outside its (concave) shape, so the mouse goes
  // to a point the shape itself covers, as a user would aim at it.
  await map.scrollIntoViewIfNeeded();
  const point = await renhuai.locator("path").evaluate((path: SVGPathElement) => {
    const box = path.getBBox();
    const ctm = path.getScreenCTM()!;
    for (let fy = 0.5, step = 0; step < 40; step++) {
      for (let fx = 0.1; fx < 0.95; fx += 0.05) {
        const x = box.x + box.width * fx;
        const y = box.y + box.height * (fy + (step % 2 ? 1 : -1) * Math.ceil(step / 2) * 0.02);
        if (!path.isPointInFill(new DOMPoint(x, y))) continue;
        const screen = new DOMPoint(x, y).matrixTransform(ctm);
        const hit = document.elementFromPoint(screen.x, screen.y);
        if (hit === path || path.parentElement?.contains(hit)) return { x: screen.x, y: screen.y };
      }
    }
    return null;
  });
  expect(point, "a point inside 仁怀市 that the mouse can reach").not.toBeNull();
  await page.mouse.click(point!.x, point!.y);
  await expect(page).toHaveURL(new RegExp(`/dashboard\\?measure=investment&county=${RENHUAI}#county-map$`), { timeout: 60_000 });
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("领导驾驶舱 · 仁怀市");
  await expect(page.getByTestId("dashboard-county")).toContainText("本页只统计位于仁怀市的项目");
  await expect(map.locator(`svg a[data-county="${RENHUAI}"]`)).toHaveAttribute("aria-current", "page");
  await expect(counties).toHaveCount(16); // the map keeps every county to switch to
  // The headline links keep the county: 红黄灯 projects of 仁怀市.
  await expect(page.getByTestId("rate-fundsInPlaceRate").getByRole("link")).toHaveAttribute("href", `/projects?light=RED%2CYELLOW&county=${RENHUAI}`);
  await page.getByTestId("dashboard-county").getByRole("link", { name: "打开仁怀市的项目清单" }).click();
  await expect(page).toHaveURL(new RegExp(`/projects\\?county=${RENHUAI}$`));
  await expect(page.getByRole("combobox", { name: "区县", exact: true })).toHaveValue(RENHUAI);
  await expect(page.getByText(`共 ${n} 个项目`).first()).toBeVisible();

  // Back to the whole city from the narrowed page.
  await page.goBack();
  await page.getByTestId("dashboard-county").getByRole("link", { name: "查看全市" }).click();
  await expect(page).toHaveURL(/\/dashboard\?measure=investment#county-map$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("领导驾驶舱");

  // A county that is not one of the library's: the field named, the way back, no error page.
  const unknown = await page.goto("/dashboard?county=999999");
  expect(unknown!.status()).toBe(200);
  await expect(page.getByRole("alert").filter({ hasText: "区县：未知的区县" })).toBeVisible();
  await expect(page.getByRole("link", { name: "查看全市" })).toHaveAttribute("href", "/dashboard");

  // A bad measure is the default measure, not an error.
  const response = await page.goto("/dashboard?measure=%3Cscript%3E");
  expect(response!.status()).toBe(200);
  await expect(page.getByRole("link", { name: "累计完成占十四五计划" })).toHaveAttribute("aria-current", "true");
  expect(errors).toEqual([]);
});

test("the printable monthly report carries the county map and its table", async ({ page }, testInfo) => {
  await signIn(page, "leader");
  await page.goto("/report");
  const map = page.getByTestId("report-county-map-figure");
  await expect(map).toBeVisible({ timeout: 60_000 });
  await expect(map.locator("svg a[data-county]")).toHaveCount(16);
  await expect(page.getByTestId("report-county-map-table").getByRole("row")).toHaveCount(17);
  await page.emulateMedia({ media: "print" });
  await map.screenshot({ path: testInfo.outputPath("report-map-print.png") });
});
