// The 十四五 final evaluation (issue 20): an auditor opens /evaluation, reads the rule and the
// basis, drills from a county's rate to its projects and their evidence, switches to "approved by
// now", prints it on A4 and downloads the .xlsx; a bad parameter is a 400 naming the field.
import { expect, test } from "@playwright/test";
import { signIn } from "./fixtures";

test("the final evaluation: rule, basis, drill-down from a county's rate, print and Excel", async ({ page }) => {
  test.setTimeout(180_000);
  await signIn(page, "auditor");
  await page.goto("/evaluation");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("遵义市“十四五”新型城镇化发展规划 终期评估");
  await expect(page.getByTestId("evaluation-basis")).toContainText("截至 2025-12-31（北京时间）已审核的月报");
  await expect(page.getByTestId("evaluation-rule")).toContainText("建成：有“竣工验收”或“投用”里程碑。");
  await expect(page.getByTestId("evaluation-summary")).toContainText("4,500.00");
  for (const section of ["一、总体情况", "二、分专栏目标达成与投资（亿元）", "四、分区县目标达成与投资（亿元）", "七、主要指标（专栏1）", "八、结转项目", "九、项目目标达成清单"]) {
    await expect(page.getByRole("heading", { level: 2, name: section })).toBeVisible();
  }

  // A county's rate → its projects, with their evidence.
  const county = page.getByTestId("evaluation-by-county").getByRole("row").filter({ hasText: "仁怀市" });
  const count = Number(await county.getByRole("cell").nth(1).textContent());
  expect(count).toBeGreaterThan(0);
  await county.getByRole("link", { name: "仁怀市" }).click();
  await expect(page).toHaveURL(/\/evaluation\?county=520382#projects$/, { timeout: 30_000 });
  await expect(page.getByTestId("evaluation-filter")).toContainText(`筛选：仁怀市（${count} 个项目）`);
  await expect(page.getByTestId("evaluation-projects").getByRole("row")).toHaveCount(count + 1);

  // "Approved by now" is a choice, and the page says which basis it shows.
  await page.getByRole("radio", { name: "截至目前已审核" }).check();
  await page.getByRole("button", { name: "查看" }).click();
  await expect(page).toHaveURL(/basis=now/, { timeout: 30_000 });
  await expect(page.getByTestId("evaluation-basis")).toContainText("口径：截至目前");

  // Print: A4 pages.
  await page.emulateMedia({ media: "print" });
  const pdf = await page.pdf({ preferCSSPageSize: true });
  expect(pdf.subarray(0, 5).toString()).toBe("%PDF-");
  await page.emulateMedia({ media: "screen" });

  const xlsx = await page.request.get("/api/evaluation?basis=now&county=520382");
  expect(xlsx.status()).toBe(200);
  expect(xlsx.headers()["content-type"]).toContain("spreadsheetml");
  const bad = await page.request.get("/api/evaluation?cutoff=2025-12-30");
  expect(bad.status()).toBe(400);
  expect(JSON.stringify(await bad.json())).toContain('"field":"cutoff"');
});
