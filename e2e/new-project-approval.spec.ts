// 新项目审核 end to end (docs/decisions/0031): an owner unit imports two new projects; they wait as
// 待审核, shown to their owner and not counted on the leader's dashboard; the county's review
// office accepts one (now counted) and refuses the other with a reason the owner then reads.
import { expect, test, type Browser, type Page } from "@playwright/test";
import { REGISTRY_COLUMNS } from "../lib/imports/layouts";
import { xlsxFile } from "../tests/helpers/import-files";
import { query, signIn } from "./fixtures";

const HEADERS = REGISTRY_COLUMNS.map((c) => c.header);
const row = (values: Record<string, string | number>) => HEADERS.map((h) => values[h] ?? null);

async function as(browser: Browser, username: string): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await signIn(page, username);
  return page;
}

/** The dashboard's 项目库十四五计划投资 in 亿元, as the leader reads it. */
async function plannedOnDashboard(page: Page): Promise<number> {
  await page.goto("/dashboard");
  const kpi = page.getByRole("link", { name: /^项目库十四五计划投资/ });
  const value = await kpi.locator("div").nth(1).innerText();
  return Number(value.replace(/[^\d.]/g, "")); // "4,500.00 亿元"
}

test("imported new projects wait as 待审核, uncounted; the review office accepts one (counted) and refuses one (reason shown)", async ({ browser }) => {
  test.setTimeout(120_000); // three people
  const stamp = Date.now().toString(36);
  const accepted = `审核流程测试项目${stamp}-入库`;
  const refused = `审核流程测试项目${stamp}-退回`;
  // 50亿 of 十四五计划投资 each: a change the dashboard's two decimals in 亿元 cannot hide.
  const base = { 所在区县: "仁怀市", 所属子工程: "专栏16·城镇市政基础设施建设重点工程", 当前阶段: "前期", "2025年目标": "开工", "总投资（万元）": 600000, "十四五计划投资（万元）": 500000 };

  const leader = await as(browser, "leader");
  const before = await plannedOnDashboard(leader);

  // 1. The owner unit imports them: both wait for review, marked on its pages.
  const owner = await as(browser, "owner.editor");
  await owner.goto("/import");
  const file = await xlsxFile("项目登记", HEADERS, [row({ ...base, 项目名称: accepted }), row({ ...base, 项目名称: refused })]);
  await owner.getByLabel("选择文件（.xlsx 或 .csv）").setInputFiles({ name: "新增项目.xlsx", mimeType: "application/octet-stream", buffer: Buffer.from(file) });
  await owner.getByRole("button", { name: "上传并预览" }).click();
  await expect(owner.getByTestId("count-create")).toHaveText("2");
  await owner.getByRole("button", { name: "确认导入" }).click();
  await expect(owner.getByTestId("import-preview").getByRole("status").filter({ hasText: "导入完成：新增 2，修改 0" })).toBeVisible();
  const ids = new Map((await query<{ id: string; name: string; approval: string }>(`SELECT id, name, approval::text FROM "Project" WHERE name IN ($1, $2)`, [accepted, refused])).map((p) => {
    expect(p.approval, p.name).toBe("PENDING");
    return [p.name, p.id];
  }));
  await owner.goto(`/projects/${ids.get(accepted)}`);
  await expect(owner.getByTestId("new-project-approval")).toContainText("正等待审核单位审核");

  // 2. Not counted, and not visible, for the leader while it waits.
  expect(await plannedOnDashboard(leader)).toBeCloseTo(before, 2);
  expect((await leader.goto(`/projects/${ids.get(accepted)}`))?.status()).toBe(404);

  // 3. The county's review office finds them in its queue; accepts one, refuses the other with a reason.
  const reviewer = await as(browser, "reviewer");
  await reviewer.goto("/returns");
  const queue = reviewer.getByTestId("new-project-queue");
  await queue.getByRole("link", { name: accepted }).click();
  await reviewer.getByRole("button", { name: "审核通过，入库" }).click();
  await expect(reviewer.getByTestId("new-project-approval")).toHaveCount(0); // accepted: the page no longer marks it
  await reviewer.goto(`/projects/${ids.get(refused)}`);
  await reviewer.getByRole("button", { name: "退回", exact: true }).click();
  await expect(reviewer.getByText("请填写理由").first()).toBeVisible(); // a refusal needs a reason
  await reviewer.getByRole("textbox", { name: /^退回理由/ }).fill("项目已在规划库中登记（重复申报）");
  await reviewer.getByRole("button", { name: "退回", exact: true }).click();
  await expect(reviewer.getByTestId("refusal-reason")).toBeVisible();

  // 4. The accepted one counts on the dashboard (once its facts are refreshed); the refused one does not.
  await expect.poll(() => plannedOnDashboard(leader), { timeout: 30_000 }).toBeCloseTo(before + 50, 2);
  await owner.goto(`/projects/${ids.get(refused)}`);
  await expect(owner.getByTestId("refusal-reason")).toHaveText("退回理由：项目已在规划库中登记（重复申报）");
  await expect(owner.getByRole("button", { name: "重新提交审核" })).toBeVisible();
  const audited = await query<{ action: string }>(`SELECT action FROM "AuditEvent" WHERE "entityId" = ANY($1::text[]) AND action IN ('project.accept', 'project.refuse') ORDER BY action`, [[...ids.values()]]);
  expect(audited.map((a) => a.action)).toEqual(["project.accept", "project.refuse"]);
});
