// Bulk import in the browser: template download, upload of a file with an error (listed at its
// cell, nothing written), the fixed file previewed and confirmed, then the same file again.
import { readFileSync } from "node:fs";
import { expect, test } from "@playwright/test";
import { REGISTRY_COLUMNS } from "../lib/imports/layouts";
import { xlsxFile } from "../tests/helpers/import-files";
import { clickNav, query, signIn } from "./fixtures";

const HEADERS = REGISTRY_COLUMNS.map((c) => c.header);
const row = (values: Record<string, string | number>) => HEADERS.map((h) => values[h] ?? null);

test("an owner unit downloads the template, fixes a refused file, imports it, and a second import changes nothing", async ({ page }) => {
  test.setTimeout(90_000); // several server round trips on a busy machine
  const stamp = Date.now().toString(36);
  const name = `浏览器导入测试项目${stamp}`;
  const base = { 项目名称: name, 所在区县: "仁怀市", 所属子工程: "专栏16·城镇市政基础设施建设重点工程", 当前阶段: "前期", "2025年目标": "开工", "总投资（万元）": 5000 };

  await signIn(page, "owner.editor");
  await clickNav(page, "批量导入");
  await expect(page.getByRole("heading", { name: "批量导入（Excel 调度表）" })).toBeVisible();

  const template = await page.request.get("/api/import/template?kind=registry");
  expect(template.status()).toBe(200);
  expect(template.headers()["content-type"]).toContain("spreadsheetml");

  const bad = await xlsxFile("项目登记", HEADERS, [row(base), row({ ...base, 项目名称: `${name}-二`, "十四五计划投资（万元）": 9000 })]);
  await page.getByLabel("选择文件（.xlsx 或 .csv）").setInputFiles({ name: "项目登记.xlsx", mimeType: "application/octet-stream", buffer: Buffer.from(bad) });
  await page.getByRole("button", { name: "上传并预览" }).click();
  const errors = page.getByRole("table", { name: /错误（共 1 处/ });
  await expect(errors).toBeVisible();
  await expect(errors.getByRole("row").nth(1)).toContainText("3");
  await expect(errors.getByRole("row").nth(1)).toContainText("十四五计划投资（万元）");
  await expect(errors.getByRole("row").nth(1)).toContainText("十四五计划投资不能大于总投资");
  await expect(page.getByRole("button", { name: "确认导入" })).toHaveCount(0);
  await expect(page.getByRole("heading", { name: "将写入的变化" })).toHaveCount(0); // a refused file writes nothing
  expect(await query(`SELECT id FROM "Project" WHERE name LIKE $1`, [`${name}%`])).toHaveLength(0);

  const good = await xlsxFile("项目登记", HEADERS, [row(base), row({ ...base, 项目名称: `${name}-二`, "十四五计划投资（万元）": 3000 })]);
  await page.getByLabel("选择文件（.xlsx 或 .csv）").setInputFiles({ name: "项目登记.xlsx", mimeType: "application/octet-stream", buffer: Buffer.from(good) });
  await page.getByRole("button", { name: "上传并预览" }).click();
  await expect(page.getByTestId("count-create")).toHaveText("2");
  await expect(page.getByTestId("count-errors")).toHaveText("0");
  await expect(page.getByRole("table", { name: "将写入的变化" })).toContainText(`${name}-二`);
  // Coded values read as users name them: the stage 前期, never the code PREPARATION.
  await expect(page.getByRole("table", { name: "将写入的变化" })).toContainText("→ 前期");
  await expect(page.getByRole("table", { name: "将写入的变化" })).not.toContainText("PREPARATION");
  await page.getByRole("button", { name: "确认导入" }).click();
  // The result, not the same words in the refreshed list of recent imports.
  await expect(page.getByTestId("import-preview").getByRole("status").filter({ hasText: "导入完成：新增 2，修改 0" })).toBeVisible();
  const created = await query<{ owner: string }>(`SELECT o.name AS owner FROM "Project" p JOIN "Organization" o ON o.id = p."ownerOrgId" WHERE p.name LIKE $1`, [`${name}%`]);
  expect(created.map((c) => c.owner)).toEqual(["仁怀市人民政府", "仁怀市人民政府"]);
  const [audit] = await query<{ n: string }>(`SELECT count(*)::text AS n FROM "AuditEvent" WHERE action = 'project.create' AND details->>'source' = 'import' AND details->>'name' LIKE $1`, [`${name}%`]);
  expect(audit!.n).toBe("2");

  // The new project's page says where it came from: the file and row, from the audit log.
  const [first] = await query<{ id: string }>(`SELECT id FROM "Project" WHERE name = $1`, [name]);
  await page.goto(`/projects/${first!.id}`);
  await expect(page.getByText(/通过 Excel 批量导入：文件“项目登记\.xlsx”第 2 行/)).toBeVisible();
  await page.goto("/import");

  await page.reload();
  await page.getByLabel("选择文件（.xlsx 或 .csv）").setInputFiles({ name: "项目登记.xlsx", mimeType: "application/octet-stream", buffer: Buffer.from(good) });
  await page.getByRole("button", { name: "上传并预览" }).click();
  await expect(page.getByText("文件中的数据与系统一致，无需导入。")).toBeVisible();
  await expect(page.getByTestId("count-unchanged")).toHaveText("2");
});

test("a viewer cannot open the import page", async ({ page }) => {
  await signIn(page, "owner.viewer");
  const response = await page.goto("/import");
  expect(response?.status()).toBe(403);
});

test("下载我的项目 uploads back as no change; a refused file offers its error workbook to its uploader only", async ({ page, browser }) => {
  test.setTimeout(120_000);
  await signIn(page, "owner.editor");
  await page.setViewportSize({ width: 1440, height: 1000 });
  await page.goto("/import");
  const mine = page.getByTestId("my-projects-templates");
  await expect(mine.getByRole("heading", { name: "下载我的项目" })).toBeVisible();
  await page.screenshot({ path: "test-results/ownerio/import-1440.png", fullPage: true });

  const [download] = await Promise.all([page.waitForEvent("download"), mine.getByRole("link", { name: "项目登记（已填入本单位可编辑的项目）" }).click()]);
  expect(download.suggestedFilename()).toMatch(/^(项目登记-我的项目|import-registry-mine)\.xlsx$/);
  // Playwright keeps the download under a random name: upload it under the name it was given.
  const filled = readFileSync(await download.path());
  await page.getByLabel("选择文件（.xlsx 或 .csv）").setInputFiles({ name: download.suggestedFilename(), mimeType: "application/octet-stream", buffer: filled });
  await page.getByRole("button", { name: "上传并预览" }).click();
  await expect(page.getByText("文件中的数据与系统一致，无需导入。")).toBeVisible();
  await expect(page.getByTestId("count-update")).toHaveText("0");
  await expect(page.getByTestId("count-errors")).toHaveText("0");

  const bad = await xlsxFile("项目登记", HEADERS, [row({ 项目名称: "错误清单浏览器测试", 所在区县: "不存在的县", 当前阶段: "前期", "2025年目标": "开工" })]);
  await page.reload();
  await page.getByLabel("选择文件（.xlsx 或 .csv）").setInputFiles({ name: "项目登记.xlsx", mimeType: "application/octet-stream", buffer: Buffer.from(bad) });
  await page.getByRole("button", { name: "上传并预览" }).click();
  const link = page.getByTestId("error-workbook");
  await expect(link).toBeVisible();
  await page.screenshot({ path: "test-results/ownerio/import-errors-1440.png", fullPage: true });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.screenshot({ path: "test-results/ownerio/import-errors-390.png", fullPage: true });
  const href = (await link.getAttribute("href"))!;
  const workbook = await page.request.get(href);
  expect(workbook.status()).toBe(200);
  expect(workbook.headers()["content-type"]).toContain("spreadsheetml");
  expect(workbook.headers()["content-disposition"]).toMatch(/^attachment; /);

  // Another person with import rights gets "not found", not the file.
  const other = await (await browser.newContext()).newPage();
  await signIn(other, "reviewer");
  expect((await other.request.get(href)).status()).toBe(404);
});
