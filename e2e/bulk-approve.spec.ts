// The reviewer's bulk approval: two clean submitted returns of the county are ticked in the queue
// and approved together after a confirmation; each is approved and audited on its own. A reviewer
// who types /my-work sees the returns waiting for them.
import { expect, test } from "@playwright/test";
import { query, signIn } from "./fixtures";

// An early month no demo return uses, so the spec's returns are its own.
const PERIOD = "2021-03";

test("the reviewer ticks two clean returns, confirms, and both are approved with an audit event each", async ({ page }) => {
  test.setTimeout(90_000);
  const projects = await query<{ id: string; name: string }>(
    `SELECT p.id, p.name FROM "Project" p JOIN "Organization" o ON o.id = p."ownerOrgId"
      WHERE o.name = '仁怀市人民政府' AND p.approval = 'ACCEPTED' AND p."reviewDivisionCode" = '520382' AND p."lifecycleStage" = 'CONSTRUCTION'
        AND p."totalInvestment" > (SELECT coalesce(sum(r."completedInvestment"), 0) FROM "MonthlyReturn" r WHERE r."projectId" = p.id) + 1000
        AND NOT EXISTS (SELECT 1 FROM "MonthlyReturn" r WHERE r."projectId" = p.id AND r.period = $1::date)
      ORDER BY p."planKey" DESC LIMIT 2`,
    [`${PERIOD}-01`],
  );
  expect(projects).toHaveLength(2);
  const ids: string[] = [];
  for (const p of projects) {
    const [row] = await query<{ id: string }>(
      `INSERT INTO "MonthlyReturn" (id, "projectId", period, status, "completedInvestment", "submittedAt", version, "createdAt", "updatedAt")
       VALUES (gen_random_uuid(), $1, $2::date, 'SUBMITTED', 1.5, now() - interval '3 days', 1, now(), now()) RETURNING id`,
      [p.id, `${PERIOD}-01`],
    );
    ids.push(row!.id);
  }

  await signIn(page, "reviewer");
  // 我的待办 is the reviewer's queue: what waits, oldest first, with days waiting.
  await page.goto("/my-work");
  await expect(page.getByTestId("to-review")).toContainText(projects[0]!.name);
  await expect(page.getByTestId("to-review")).toContainText("已等待");

  await page.goto("/returns");
  const button = page.getByRole("button", { name: /^批量审核通过/ });
  await expect(button).toBeDisabled();
  for (const p of projects) await page.getByRole("checkbox", { name: `选择 ${p.name} · ${PERIOD}` }).check();
  await expect(button).toHaveText("批量审核通过（2）");
  const questions: string[] = [];
  page.once("dialog", (dialog) => { questions.push(dialog.message()); void dialog.accept(); });
  await button.click();
  await expect(page.getByTestId("bulk-outcome")).toContainText("已审核通过 2 份，未通过 0 份。");
  expect(questions[0]).toContain("2 份");
  for (const p of projects) await expect(page.getByTestId("bulk-outcome")).toContainText(`${p.name} · ${PERIOD}：已审核通过`);

  const rows = await query<{ status: string; approvals: string }>(
    `SELECT r.status, (SELECT count(*) FROM "AuditEvent" e WHERE e."entityId" = r.id::text AND e.action = 'return.approve')::text AS approvals
       FROM "MonthlyReturn" r WHERE r.id = ANY($1::uuid[])`,
    [ids],
  );
  expect(rows).toEqual([{ status: "APPROVED", approvals: "1" }, { status: "APPROVED", approvals: "1" }]);
});
