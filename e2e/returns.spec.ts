// The monthly return, end to end: the owner unit fills and submits with evidence, the county
// reviewer returns it with a reason, the owner fixes and resubmits, the reviewer approves; the
// month is then locked for the owner and its figures appear on the project page.
import { expect, test, type Browser, type Page } from "@playwright/test";
import Decimal from "decimal.js";
import { formatNumber } from "../lib/domain/money";
import { currentPeriod, latestReportingMonth, nextDueMonth } from "../lib/domain/reporting-calendar";
import { query, signIn, typeBeforeHydration } from "./fixtures";

const PNG = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==", "base64");

/** The app's due day (env.RETURN_DUE_DAY); the e2e server runs with the default. */
const DUE_DAY = 25;

async function as(browser: Browser, username: string): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await signIn(page, username);
  return page;
}

test("owner submits with evidence, reviewer returns, owner resubmits, reviewer approves, month locks", async ({ browser }) => {
  test.setTimeout(120_000); // three people, eleven pages
  // The month the project page leads with: the one due next, for a project not behind on its returns.
  const period = nextDueMonth(new Date(), DUE_DAY);
  const [project] = await query<{ id: string; name: string; completed: string }>(
    `SELECT p.id, p.name, p."completedInvestment"::text AS completed FROM "Project" p JOIN "Organization" o ON o.id = p."ownerOrgId"
      WHERE o.name = '仁怀市人民政府' AND p."reviewDivisionCode" = '520382' AND p."lifecycleStage" = 'CONSTRUCTION'
        -- Room below the total for every month reported so far (submitted ones too, as the form counts them).
        AND p."totalInvestment" > (SELECT coalesce(sum(r."completedInvestment"), 0) FROM "MonthlyReturn" r WHERE r."projectId" = p.id) + 1000
        AND NOT EXISTS (SELECT 1 FROM "MonthlyReturn" r WHERE r."projectId" = p.id AND r.period = $1::date)
        AND EXISTS (SELECT 1 FROM "MonthlyReturn" r WHERE r."projectId" = p.id AND r.period = $2::date AND r.status IN ('SUBMITTED', 'APPROVED'))
      ORDER BY p."planKey" LIMIT 1`,
    [`${period}-01`, `${latestReportingMonth(new Date(), DUE_DAY)}-01`],
  );
  expect(project).toBeDefined();
  const url = `/projects/${project!.id}/returns/${period}`;

  // 1. The owner unit files the month from the project page, with a photo as evidence.
  const owner = await as(browser, "owner.editor");
  await owner.goto(`/projects/${project!.id}`);
  await expect(owner.getByText(`填报 ${currentPeriod(new Date())} 月报`)).toHaveCount(0); // never a month that has not ended
  await owner.getByRole("link", { name: new RegExp(`^填报 ${period} 月报（\\d{4}-\\d{2}-\\d{2} 截止）$`) }).click();
  await expect(owner).toHaveURL(new RegExp(`${url}$`));
  await owner.getByLabel("本月完成投资（万元）").fill("-3");
  await owner.getByLabel("形象进度（%）").fill("100");
  await owner.getByRole("button", { name: "提交审核" }).click();
  await expect(owner.getByText("本月完成投资（万元）：金额不能为负数")).toBeVisible(); // the message names the field
  await expect(owner.getByLabel("形象进度（%）")).toHaveValue("100"); // nothing typed is lost
  await owner.getByLabel("本月完成投资（万元）").fill("12.5");
  await expect(owner.getByTestId("cumulative")).toContainText("本月 =");
  await owner.locator("input[type=file][name=attachments]").setInputFiles({ name: "现场照片.png", mimeType: "image/png", buffer: PNG });
  await owner.getByRole("button", { name: "提交审核" }).click();
  await expect(owner.getByText("月报已提交，等待审核。")).toBeVisible();
  await expect(owner.getByTestId("return-status")).toHaveText("已提交待审核");
  const download = owner.getByRole("link", { name: "现场照片.png", exact: true });
  const response = await owner.request.get((await download.getAttribute("href"))!);
  expect(response.status()).toBe(200);
  expect(response.headers()["content-disposition"]).toContain("attachment");
  // The photo previews in the page: the same route, inline, with its stored type and nosniff.
  const thumbnail = owner.getByTestId("attachment-thumbnail");
  await expect(thumbnail).toBeVisible();
  await expect.poll(() => thumbnail.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBe(1);
  const preview = await owner.request.get((await thumbnail.getAttribute("src"))!);
  expect(preview.status()).toBe(200);
  expect(preview.headers()["content-disposition"]).toMatch(/^inline; /);
  expect(preview.headers()["content-type"]).toBe("image/png");
  expect(preview.headers()["x-content-type-options"]).toBe("nosniff");

  // 2. The county reviewer finds it in the queue and returns it with a reason.
  const reviewer = await as(browser, "reviewer");
  await reviewer.goto("/returns");
  await reviewer.getByRole("table", { name: "待审核月报" }).getByRole("link", { name: project!.name }).first().click();
  await expect(reviewer).toHaveURL(new RegExp(`${url}$`));
  await reviewer.getByRole("button", { name: "退回修改" }).click();
  await expect(reviewer.getByText("请填写理由").first()).toBeVisible(); // a return needs a reason
  await reviewer.getByLabel("退回理由（退回时必填）").fill("完成投资与支付凭证不符，请核实");
  await reviewer.getByRole("button", { name: "退回修改" }).click();
  await expect(reviewer.getByTestId("return-status")).toHaveText("已退回");

  // 3. The owner sees the reason (also on "my work"), fixes the figure and submits again.
  await owner.goto("/my-work");
  await expect(owner.getByTestId("returned")).toContainText("完成投资与支付凭证不符");
  await owner.goto(url);
  await expect(owner.getByText("该月报已被退回，理由：完成投资与支付凭证不符，请核实")).toBeVisible();
  await owner.getByLabel("本月完成投资（万元）").fill("15");
  await owner.getByRole("button", { name: "提交审核" }).click();
  await expect(owner.getByTestId("return-status")).toHaveText("已提交待审核");

  // 4. The reviewer approves.
  // 审核通过 locks the month: it asks first, and Cancel sends nothing.
  await reviewer.goto(url);
  // Beside the figures: what the owner changed since the 退回 (12.5 → 15), the plan and 序时进度.
  const context = reviewer.getByTestId("review-context");
  await expect(context.getByRole("table", { name: "退回后的修改" }).getByRole("row", { name: /本月完成投资.*12\.5.*15/ })).toBeVisible();
  await expect(context.getByTestId("review-plan")).toContainText("序时进度");
  const questions: string[] = [];
  reviewer.once("dialog", (dialog) => { questions.push(dialog.message()); void dialog.dismiss(); });
  await reviewer.getByRole("button", { name: "审核通过" }).click();
  await expect.poll(() => questions.length).toBe(1);
  expect(questions[0]).toContain("锁定");
  await reviewer.waitForLoadState("networkidle"); // nothing was sent
  await expect(reviewer.getByTestId("return-status")).toHaveText("已提交待审核");
  reviewer.once("dialog", (dialog) => void dialog.accept());
  await reviewer.getByRole("button", { name: "审核通过" }).click();
  await expect(reviewer.getByTestId("return-status")).toHaveText("已审核");

  // 5. The month is locked for the owner; the approved figure is on the project page.
  await owner.goto(url);
  await expect(owner.getByText("该月已审核并锁定；如需修改请提交更正申请。")).toBeVisible();
  await expect(owner.getByRole("button", { name: "提交审核" })).toHaveCount(0);
  await expect(owner.getByTestId("return-figures")).toContainText("15.00");
  await owner.goto(`/projects/${project!.id}`);
  const returnsTable = owner.getByRole("table", { name: "月报" });
  await expect(returnsTable.getByRole("row", { name: new RegExp(`${period}.*已审核.*15\\.00`) })).toBeVisible();
  const expected = formatNumber(new Decimal(project!.completed).plus(15), 2);
  await expect(owner.getByTestId("completed-total")).toHaveText(expected);
  const [row] = await query<{ status: string; completed: string }>(
    `SELECT r.status, p."completedInvestment"::text AS completed FROM "MonthlyReturn" r JOIN "Project" p ON p.id = r."projectId" WHERE r."projectId" = $1 AND r.period = $2::date`,
    [project!.id, `${period}-01`],
  );
  expect(row!.status).toBe("APPROVED");
  expect(new Decimal(row!.completed).equals(new Decimal(project!.completed).plus(15))).toBe(true);

  // 6. The auditor reads the resubmission in words on /audit, with the record as stored one click away.
  const auditor = await as(browser, "auditor");
  await auditor.goto(`/audit?project=${project!.id}&action=return.submit`);
  const sentence = auditor.getByTestId("audit-sentence").filter({ hasText: "本月完成投资（万元） 由 12.50 改为 15.00" });
  await expect(sentence).toHaveCount(1);
  await expect(sentence).toContainText(`提交 ${project!.name} ${period} 月报`);
  const event = auditor.getByRole("row").filter({ has: sentence });
  const raw = event.locator("pre");
  await expect(raw).toBeHidden();
  await event.getByText("原始记录").click();
  await expect(raw).toBeVisible();
  await expect(raw).toContainText('"completedInvestment": {');
  await expect(raw).toContainText('"to": "15"');
});

test("a file over the per-file limit is refused in the page, naming the limit, before anything is sent", async ({ browser }) => {
  const period = currentPeriod(new Date());
  const [project] = await query<{ id: string }>(
    `SELECT p.id FROM "Project" p JOIN "Organization" o ON o.id = p."ownerOrgId"
      WHERE o.name = '仁怀市人民政府' AND p."lifecycleStage" = 'CONSTRUCTION'
        AND NOT EXISTS (SELECT 1 FROM "MonthlyReturn" r WHERE r."projectId" = p.id AND r.period = $1::date AND r.status <> 'DRAFT')
      ORDER BY p."planKey" DESC LIMIT 1`,
    [`${period}-01`],
  );
  const owner = await as(browser, "owner.editor");
  await owner.goto(`/projects/${project!.id}/returns/${period}`);
  await expect(owner.getByText(/单个不超过 \d+ MB/)).toBeVisible();
  const before = await query<{ n: string }>(`SELECT count(*)::text AS n FROM "AuditEvent"`);
  await owner.locator("input[type=file][name=attachments]").setInputFiles({ name: "扫描件.pdf", mimeType: "application/pdf", buffer: Buffer.alloc(21 * 1024 * 1024, 0x25) });
  await expect(owner.getByTestId("files-problem")).toContainText("“扫描件.pdf”超过单个文件 20 MB 的上限");
  await owner.getByRole("button", { name: "保存草稿" }).click();
  await expect(owner.getByTestId("files-problem")).toBeVisible();
  expect(await query<{ n: string }>(`SELECT count(*)::text AS n FROM "AuditEvent"`)).toEqual(before);
});

test("a month's figure typed before the page hydrated survives a refused submission", async ({ page }) => {
  const period = nextDueMonth(new Date(), DUE_DAY);
  const [project] = await query<{ id: string }>(
    `SELECT p.id FROM "Project" p JOIN "Organization" o ON o.id = p."ownerOrgId"
      WHERE o.name = '仁怀市人民政府' AND p.approval = 'ACCEPTED' AND p."lifecycleStage" = 'CONSTRUCTION'
        AND NOT EXISTS (SELECT 1 FROM "MonthlyReturn" r WHERE r."projectId" = p.id AND r.period = $1::date)
      ORDER BY p."planKey" DESC LIMIT 1`,
    [`${period}-01`],
  );
  await signIn(page, "owner.editor");
  await typeBeforeHydration(page, `/projects/${project!.id}/returns/${period}`, async () => {
    await page.getByLabel("本月完成投资（万元）").fill("-3");
  });
  await page.getByRole("button", { name: "提交审核" }).click();
  await expect(page.getByText("本月完成投资（万元）：金额不能为负数")).toBeVisible();
  await expect(page.getByLabel("本月完成投资（万元）")).toHaveValue("-3");
});
