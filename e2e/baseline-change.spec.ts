// 项目调整申请 end to end (docs/decisions/0030): the owner unit proposes a new baseline with a reason,
// the city's review office (市发改委, 520300) decides it from its queue on /returns; an approved
// milestone date shows on the project page beside the original, with the slippage against both;
// a refused total investment leaves the baseline as it was and shows the owner the reason.
import { expect, test, type Browser, type Page } from "@playwright/test";
import zhCN from "../messages/zh-CN.json";
import { query, signIn } from "./fixtures";

async function as(browser: Browser, username: string): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await signIn(page, username);
  return page;
}

const DAY_MS = 86_400_000;
const day = (iso: string) => Date.parse(`${iso}T00:00:00Z`);
const plusDays = (iso: string, days: number) => new Date(day(iso) + days * DAY_MS).toISOString().slice(0, 10);
/** formatSlippage (lib/portfolio/slippage.ts): "+12", "-3", "0". */
const slippage = (from: string, to: string) => {
  const days = Math.round((day(to) - day(from)) / DAY_MS);
  return days > 0 ? `+${days}` : String(days);
};

/** An accepted project of the demo owner unit that has never had a change request. */
const FREE_PROJECT = `FROM "Project" p JOIN "Organization" o ON o.id = p."ownerOrgId" WHERE o.name = '仁怀市人民政府' AND p.approval = 'ACCEPTED' AND NOT EXISTS (SELECT 1 FROM "BaselineChange" b WHERE b."projectId" = p.id)`;

test("a later milestone baseline: proposed by the owner unit, approved by the city office; the page shows both baselines and both slippages", async ({ browser }) => {
  test.setTimeout(90_000);
  const [m] = await query<{ projectId: string; name: string; kind: keyof typeof zhCN.enums.MilestoneKind; baseline: string; original: string; reached: string }>(
    `SELECT p.id AS "projectId", p.name, ms.kind::text AS kind, ms."baselineDate"::text AS baseline,
            coalesce(ms."originalBaselineDate", ms."baselineDate")::text AS original, coalesce(ms."actualDate", ms."forecastDate")::text AS reached
       ${FREE_PROJECT.replace("WHERE", `JOIN "Milestone" ms ON ms."projectId" = p.id WHERE`)}
        AND ms."baselineDate" IS NOT NULL AND coalesce(ms."actualDate", ms."forecastDate") IS NOT NULL
      ORDER BY p."planKey", ms.kind LIMIT 1`,
  );
  expect(m, "an owner project with a milestone that has a baseline and a forecast or actual date").toBeDefined();
  // As registered, not generated: a demo date is not yet a baseline (its first real value becomes the
  // original, docs/decisions/0030), so this milestone's date is made a real one first.
  await query(`UPDATE "Milestone" SET "isDemo" = false WHERE "projectId" = $1 AND kind = $2::"MilestoneKind"`, [m!.projectId, m!.kind]);
  const kind = zhCN.enums.MilestoneKind[m!.kind];
  const moved = plusDays(m!.baseline, 45);
  const reason = `征地延后，市政府专题会议纪要〔2026〕${Date.now() % 1000}号`;

  // 1. The owner unit proposes the new date with its reason.
  const owner = await as(browser, "owner.editor");
  await owner.goto(`/projects/${m!.projectId}`);
  const proposal = owner.getByTestId("baseline-proposal");
  await proposal.getByLabel(`里程碑基线·${kind}`).fill(moved);
  await proposal.getByLabel("调整理由").fill(reason);
  await proposal.getByRole("button", { name: "提交调整申请" }).click();
  // The page now lists the request as 待审核 in place of the form.
  await expect(owner.getByText("已有一项调整申请待审核，审核后才能再提出。")).toBeVisible();
  await expect(owner.getByTestId("baseline-request").first()).toContainText("待审核");

  // 2. The city office finds it in its queue, with the values before and after, and approves it.
  const city = await as(browser, "city.reviewer");
  await city.goto("/returns");
  const item = city.getByTestId("baseline-queue-item").filter({ hasText: m!.name });
  await expect(item).toContainText(`${m!.baseline} → ${moved}`);
  await expect(item).toContainText(reason);
  await item.getByRole("button", { name: "批准", exact: true }).click();
  await expect(item).toHaveCount(0); // decided: it leaves the queue

  // 3. The project page: the current baseline and the original one, the slippage against each.
  await owner.goto(`/projects/${m!.projectId}`);
  const row = owner.getByTestId("milestone-row").filter({ has: owner.getByRole("cell", { name: kind, exact: true }) });
  const cells = row.getByRole("cell");
  await expect(cells.nth(1)).toHaveText(moved); // 当前基线
  await expect(cells.nth(2)).toHaveText(m!.original); // 原计划: as first set, whatever came between
  await expect(cells.nth(5)).toHaveText(slippage(moved, m!.reached)); // 偏差（天）
  await expect(cells.nth(6)).toHaveText(slippage(m!.original, m!.reached)); // 较原计划（天）
  await expect(owner.getByTestId("baseline-request").first()).toContainText("已批准");

  const [stored] = await query<{ current: string; original: string; audited: string }>(
    `SELECT ms."baselineDate"::text AS current, ms."originalBaselineDate"::text AS original,
            (SELECT count(*) FROM "AuditEvent" e WHERE e.action = 'baseline.approve' AND e."entityType" = 'Project' AND e."entityId" = ms."projectId"::text)::text AS audited
       FROM "Milestone" ms JOIN "BaselineChange" b ON b."projectId" = ms."projectId" WHERE ms."projectId" = $1 AND ms.kind = $2`,
    [m!.projectId, m!.kind],
  );
  expect(stored).toEqual({ current: moved, original: m!.original, audited: "1" });
});

test("a higher total investment refused by the city office: the baseline stays and the owner sees why", async ({ browser }) => {
  test.setTimeout(90_000);
  const [p] = await query<{ id: string; name: string; total: string }>(
    `SELECT p.id, p.name, p."totalInvestment"::text AS total ${FREE_PROJECT} AND p."totalInvestment" IS NOT NULL ORDER BY p."planKey" DESC LIMIT 1`,
  );
  expect(p).toBeDefined();
  const proposed = (Number(p!.total) + 1000).toFixed(2);
  const refusal = "未附批复文件，请补充后重新申请";

  const owner = await as(browser, "owner.editor");
  await owner.goto(`/projects/${p!.id}`);
  const proposal = owner.getByTestId("baseline-proposal");
  await proposal.getByLabel("总投资（万元）").fill(proposed);
  await proposal.getByLabel("调整理由").fill("设计变更增加投资");
  await proposal.getByRole("button", { name: "提交调整申请" }).click();
  // The page now lists the request as 待审核 in place of the form.
  await expect(owner.getByText("已有一项调整申请待审核，审核后才能再提出。")).toBeVisible();
  await expect(owner.getByTestId("baseline-request").first()).toContainText("待审核");

  const city = await as(browser, "city.reviewer");
  await city.goto("/returns");
  const item = city.getByTestId("baseline-queue-item").filter({ hasText: p!.name });
  await item.getByRole("button", { name: "退回", exact: true }).click();
  await expect(item.getByText("请填写理由").first()).toBeVisible(); // a refusal needs a reason
  await item.getByLabel("退回理由（退回时必填）").fill(refusal);
  await item.getByRole("button", { name: "退回", exact: true }).click();
  await expect(item).toHaveCount(0);

  await owner.goto(`/projects/${p!.id}`);
  const request = owner.getByTestId("baseline-request").first();
  await expect(request).toContainText("已退回");
  await expect(request).toContainText(`退回理由：${refusal}`);
  await expect(owner.getByTestId("baseline-proposal")).toBeVisible(); // nothing pending: it may ask again
  const [stored] = await query<{ total: string; status: string }>(
    `SELECT p."totalInvestment"::text AS total, b.status::text AS status FROM "Project" p JOIN "BaselineChange" b ON b."projectId" = p.id WHERE p.id = $1`,
    [p!.id],
  );
  expect(stored).toEqual({ total: p!.total, status: "REFUSED" });
});
