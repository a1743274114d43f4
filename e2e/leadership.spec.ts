// The leadership group's month: the dashboard, drilling into a red project, a 督办 notice sent,
// answered by the owner unit and closed, and the monthly report for last month.
import { expect, test } from "@playwright/test";
import { query, signIn } from "./fixtures";

/** A project of 仁怀市人民政府 made red by its own data: planned to start 200 days ago, not started. */
async function redProject(): Promise<{ id: string; name: string; ownerId: string }> {
  const [p] = await query<{ id: string; name: string; ownerId: string }>(
    `SELECT p.id, p.name, o.id AS "ownerId" FROM "Project" p JOIN "Organization" o ON o.id = p."ownerOrgId"
      WHERE o.name = '仁怀市人民政府' AND p.approval = 'ACCEPTED' ORDER BY p."planKey" DESC LIMIT 1`,
  );
  await query(`UPDATE "Milestone" SET "actualDate" = NULL, status = 'SCHEDULED' WHERE "projectId" = $1 AND kind = 'START'`, [p!.id]);
  await query(`UPDATE "Project" SET "lifecycleStage" = 'PREPARATION', "plannedStart" = current_date - 200 WHERE id = $1`, [p!.id]);
  return p!;
}

test("leadership drills from the dashboard into a red project, sends a 督办; the owner answers; leadership closes it", async ({ browser }) => {
  test.setTimeout(180_000);
  const project = await redProject();
  const subject = `e2e 督办 ${Date.now()}：请说明未按计划开工的原因`;

  const leader = await (await browser.newContext()).newPage();
  await signIn(leader, "leader");
  await expect(leader).toHaveURL(/\/dashboard$/);
  await expect(leader.getByRole("heading", { level: 1, name: "领导驾驶舱" })).toBeVisible();
  await expect(leader.getByText("项目库十四五计划投资")).toBeVisible({ timeout: 60_000 }); // the first visit computes every light

  // The red count drills into the project table filtered by the computed light.
  await leader.getByRole("link", { name: /^红灯 \d+$/ }).click();
  await expect(leader).toHaveURL(/\/projects\?light=RED/);
  await leader.getByRole("combobox", { name: "业主单位", exact: true }).selectOption({ label: "仁怀市人民政府" });
  await expect(leader).toHaveURL(new RegExp(`owner=${project.ownerId}`));
  await leader.getByRole("link", { name: project.name, exact: true }).click();
  await expect(leader.getByRole("heading", { level: 1 })).toContainText(project.name);

  // The delay review lists it with its reason; the notice goes to the owner unit.
  await leader.goto("/delays?light=red");
  const row = leader.getByTestId("delay-row").filter({ hasText: project.name });
  await expect(row).toContainText("未开工");
  await row.getByText(`对“${project.name}”发出督办`).click();
  await row.getByLabel("督办事项").fill(subject);
  await row.getByLabel("办理期限").fill("2099-12-31");
  await row.getByRole("button", { name: "发出督办" }).click();
  await expect(row.getByText("督办已发出，业主单位已收到消息。")).toBeVisible();

  // The owner unit sees it, with a notification, and answers.
  const owner = await (await browser.newContext()).newPage();
  await signIn(owner, "owner.editor");
  // 我的待办 (the owner's landing page) lists it to answer, with its deadline, linking to the notice.
  await expect(owner).toHaveURL(/\/my-work$/);
  const toAnswer = owner.getByTestId("notices").getByRole("listitem").filter({ hasText: subject });
  await expect(toAnswer).toContainText("2099-12-31 前答复");
  await expect(toAnswer.getByRole("link", { name: project.name })).toHaveAttribute("href", /^\/notices#notice-/);
  await owner.goto("/notifications");
  await expect(owner.getByText(`${project.name}：收到领导小组督办，请按期答复`).first()).toBeVisible();
  await owner.goto("/notices");
  const ownerNotice = owner.getByTestId("notice").filter({ hasText: subject });
  await expect(ownerNotice).toContainText("待答复");
  await ownerNotice.getByLabel("办理情况").fill("已协调用地预审，计划下月开工。");
  await ownerNotice.getByRole("button", { name: "提交办理情况" }).click();
  await expect(ownerNotice.getByText("办理情况已提交。")).toBeVisible();
  await owner.goto("/my-work"); // answered: no longer waiting for the owner
  await expect(owner.getByTestId("notices")).not.toContainText(subject);

  // Leadership reads the answer and closes the notice.
  await leader.goto("/notices");
  const notice = leader.getByTestId("notice").filter({ hasText: subject });
  await expect(notice).toContainText("已答复");
  await expect(notice).toContainText("已协调用地预审，计划下月开工。");
  await notice.getByRole("button", { name: "办结" }).click();
  await expect(notice).toContainText("已办结"); // the forms are gone once it is closed
  await leader.reload();
  await expect(leader.getByTestId("notice").filter({ hasText: subject })).toContainText("已办结");

  const [audit] = await query<{ actions: string[] }>(
    `SELECT array_agg(e.action ORDER BY e.seq) AS actions FROM "AuditEvent" e JOIN "SupervisionNotice" n ON n.id::text = e."entityId" WHERE n.subject = $1`,
    [subject],
  );
  expect(audit!.actions).toEqual(["notice.send", "notice.answer", "notice.close"]);
});

test("an owner unit cannot send a 督办 or open the dashboard", async ({ page }) => {
  await signIn(page, "owner.editor");
  expect((await page.request.get("/dashboard", { maxRedirects: 0 })).status()).toBe(403);
  expect((await page.request.get("/delays", { maxRedirects: 0 })).status()).toBe(403);
});

test("the monthly report renders for last month, with its summary, lists and Excel export", async ({ page }) => {
  test.setTimeout(120_000);
  await signIn(page, "leader");
  const now = new Date(Date.now() + 8 * 3_600_000); // China
  const last = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1));
  const month = `${last.getUTCFullYear()}-${String(last.getUTCMonth() + 1).padStart(2, "0")}`;
  await page.goto(`/report?month=${month}`);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(`遵义市城镇化重点项目建设月报（${last.getUTCFullYear()} 年 ${last.getUTCMonth() + 1} 月）`);
  await expect(page.getByTestId("report-summary")).toContainText("4,500.00");
  for (const section of ["一、总体情况", "二、分专栏完成情况（亿元）", "三、分区县完成情况（亿元）", "四、红黄灯项目及原因", "五、督办事项", "六、主要指标"]) {
    await expect(page.getByRole("heading", { level: 2, name: section })).toBeVisible();
  }
  const response = await page.request.get(`/api/report?month=${month}`);
  expect(response.status()).toBe(200);
  expect(response.headers()["content-type"]).toContain("spreadsheetml");
  expect((await page.request.get(`/api/report?month=1999-01`)).status()).toBe(400);
});
