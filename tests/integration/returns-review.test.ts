// The reviewer's week on a real, seeded database: bulk approval from the queue (each return its own
// command, version check and audit event; stale, unclean and out-of-scope returns refused one by
// one while the others pass) and the context shown beside a return's figures (previous approved
// month, annual plan and 序时进度, cumulative, what changed since a 退回).
import Decimal from "decimal.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CurrentUser } from "@/lib/auth/session";
import { userActor } from "@/tests/helpers/actors";
import { seededTestDatabase, type TestDatabase } from "@/tests/helpers/test-database";

let db: TestDatabase;
let prisma: typeof import("@/lib/db").prisma;
let commands: typeof import("@/lib/returns/commands");
let queries: typeof import("@/lib/returns/queries");
let owner: CurrentUser;
let reviewer: CurrentUser;
const AS_OF = new Date("2026-11-29T04:00:00Z");
const BULK_PERIOD = new Date("2026-11-01T00:00:00Z");
/** A second month for the projects the first tests already used. */
const DECEMBER = new Date("2026-12-01T00:00:00Z");
let mine: Candidate[];
let others: Candidate[];

type Candidate = { id: string; total: string };

/** 仁怀 projects (the reviewer's county) under construction with room below their total and no return for the months used. */
async function candidates(where: "mine" | "other", limit: number): Promise<Candidate[]> {
  const county = where === "mine";
  return prisma.$queryRaw<Candidate[]>`
    SELECT p.id, p."totalInvestment"::text AS total
      FROM "Project" p JOIN "Organization" o ON o.id = p."ownerOrgId"
     WHERE p."lifecycleStage" = 'CONSTRUCTION' AND p."totalInvestment" > p."completedInvestment" + 10000
       AND (${county} AND o.name = '仁怀市人民政府' AND p."reviewDivisionCode" = '520382'
            OR NOT ${county} AND p."reviewDivisionCode" IS NOT NULL AND p."reviewDivisionCode" <> '520382')
       AND NOT EXISTS (SELECT 1 FROM "MonthlyReturn" r WHERE r."projectId" = p.id AND r.period >= '2026-11-01')
     ORDER BY p."planKey" LIMIT ${limit}`;
}

/** A submitted return put straight in the queue (as the owner's submit leaves it). */
async function submitted(projectId: string, completedInvestment: string, version = 1, period = BULK_PERIOD) {
  return prisma.monthlyReturn.create({ data: { projectId, period, status: "SUBMITTED", completedInvestment, submittedAt: new Date("2026-09-10T02:00:00Z"), version } });
}

async function completed(projectId: string) {
  return new Decimal((await prisma.project.findUniqueOrThrow({ where: { id: projectId }, select: { completedInvestment: true } })).completedInvestment.toString());
}

async function approvals(returnId: string) {
  return prisma.auditEvent.findMany({ where: { entityType: "MonthlyReturn", entityId: returnId, action: "return.approve" } });
}

beforeAll(async () => {
  ({ db, prisma } = await seededTestDatabase(new Date("2026-11-15T00:00:00Z")));
  commands = await import("@/lib/returns/commands");
  queries = await import("@/lib/returns/queries");
  owner = await userActor("owner.editor");
  reviewer = await userActor("reviewer");
  mine = await candidates("mine", 6);
  others = await candidates("other", 1);
  expect(mine.length).toBe(6);
  expect(others.length).toBe(1);
});

afterAll(async () => {
  await prisma?.$disconnect();
  await db?.drop();
});

describe("bulk approval from the review queue", () => {
  it("approves every ticked clean return, each in its own command with its own audit event", async () => {
    const [a, b] = mine;
    const ra = await submitted(a!.id, "12.5");
    const rb = await submitted(b!.id, "7");
    const before = { a: await completed(a!.id), b: await completed(b!.id) };
    const queue = await queries.listReviewQueue(reviewer, AS_OF);
    for (const r of [ra, rb]) expect(queue.returns.find((q) => q.id === r.id)).toMatchObject({ clean: true, version: 1, findings: {} });

    const { batchId, results } = await commands.approveReturns(reviewer, { selected: [{ returnId: ra.id, version: 1 }, { returnId: rb.id, version: 1 }] }, "127.0.0.1");
    expect(results.map((r) => [r.returnId, r.outcome])).toEqual([[ra.id, "approved"], [rb.id, "approved"]]);
    for (const r of [ra, rb]) {
      const row = await prisma.monthlyReturn.findUniqueOrThrow({ where: { id: r.id } });
      expect(row.status).toBe("APPROVED");
      expect(row.version).toBe(2);
      const events = await approvals(r.id);
      expect(events).toHaveLength(1);
      expect(events[0]!.actorId).toBe(reviewer.id);
      expect((events[0]!.details as { bulkApprovalId: string }).bulkApprovalId).toBe(batchId);
    }
    expect((await completed(a!.id)).minus(before.a).toString()).toBe("12.5");
    expect((await completed(b!.id)).minus(before.b).toString()).toBe("7");
  });

  it("refuses a stale and an unclean return, naming each, while the others are approved", async () => {
    const [, , c, d, e] = mine;
    const stale = await submitted(c!.id, "3", 2); // changed since the reviewer saw version 1
    // Above the project's total investment without an explanation: the submit checks would find it.
    const unclean = await submitted(d!.id, new Decimal(d!.total).plus(1).toString());
    const clean = await submitted(e!.id, "4");
    const queue = await queries.listReviewQueue(reviewer, AS_OF);
    expect(queue.returns.find((q) => q.id === unclean.id)).toMatchObject({ clean: false, findings: { completedInvestment: ["validation.return.aboveTotal"] } });

    const { results } = await commands.approveReturns(reviewer, { selected: [{ returnId: stale.id, version: 1 }, { returnId: unclean.id, version: 1 }, { returnId: clean.id, version: 1 }] }, "127.0.0.1");
    expect(results).toEqual([
      { returnId: stale.id, outcome: "refused", reason: "stale" },
      { returnId: unclean.id, outcome: "refused", reason: "unclean", findings: { completedInvestment: ["validation.return.aboveTotal"], overrunNote: ["validation.return.noteRequired"] } },
      { returnId: clean.id, outcome: "approved", projectId: e!.id, period: "2026-11" },
    ]);
    for (const r of [stale, unclean]) {
      expect((await prisma.monthlyReturn.findUniqueOrThrow({ where: { id: r.id } })).status).toBe("SUBMITTED");
      expect(await approvals(r.id)).toHaveLength(0);
    }
    expect(await approvals(clean.id)).toHaveLength(1);
    // Approving the same return again is refused by the workflow, not applied twice.
    const again = await commands.approveReturns(reviewer, { selected: [{ returnId: clean.id, version: 2 }] }, "127.0.0.1");
    expect(again.results).toEqual([{ returnId: clean.id, outcome: "refused", reason: "state" }]);
  });

  it("refuses another county's return and records the denial; the reviewer's own pass", async () => {
    const [foreign] = others;
    const ours = await submitted(mine[0]!.id, "6", 1, DECEMBER);
    const theirs = await submitted(foreign!.id, "5");
    expect((await queries.listReviewQueue(reviewer, AS_OF)).returns.some((q) => q.id === theirs.id)).toBe(false);
    const denialsBefore = await prisma.auditEvent.count({ where: { action: "auth.permission.denied", actorId: reviewer.id } });

    const { results } = await commands.approveReturns(reviewer, { selected: [{ returnId: theirs.id, version: 1 }, { returnId: ours.id, version: 1 }] }, "127.0.0.1");
    expect(results.map((r) => [r.returnId, r.outcome, r.outcome === "refused" ? r.reason : null])).toEqual([[theirs.id, "refused", "forbidden"], [ours.id, "approved", null]]);
    expect((await prisma.monthlyReturn.findUniqueOrThrow({ where: { id: theirs.id } })).status).toBe("SUBMITTED");
    expect(await approvals(theirs.id)).toHaveLength(0);
    expect(await prisma.auditEvent.count({ where: { action: "auth.permission.denied", actorId: reviewer.id } })).toBe(denialsBefore + 1);
  });

  it("is refused as a whole to a user without the approve permission", async () => {
    const r = await submitted(mine[1]!.id, "1", 1, DECEMBER);
    await expect(commands.approveReturns(owner, { selected: [{ returnId: r.id, version: 1 }] }, "127.0.0.1")).rejects.toThrow();
    expect((await prisma.monthlyReturn.findUniqueOrThrow({ where: { id: r.id } })).status).toBe("SUBMITTED");
  });
});

describe("the context beside a return's figures", () => {
  it("shows the previous approved month, the plan and 序时进度, the cumulative, and what changed since it was returned", async () => {
    const project = mine[5]!;
    const DEC = new Date("2026-12-29T04:00:00Z");
    await prisma.annualPlan.upsert({ where: { projectId_year: { projectId: project.id, year: 2026 } }, create: { projectId: project.id, year: 2026, amount: "1200" }, update: { amount: "1200" } });
    const form = (period: string, over: Record<string, unknown> = {}) => ({
      projectId: project.id, period, version: 0, intent: "submit" as const,
      completedInvestment: "30", payments: "20", progressPercent: null, progressText: "基础施工",
      funds: {}, milestones: {}, overrunNote: null, fundsNote: null, progressNote: null, problems: [], resolveProblems: [], ...over,
    });
    // The previous month (November) approved; December submitted, returned, changed and submitted again.
    await commands.saveReturn(owner, form("2026-11", { completedInvestment: "40", progressText: "主体施工" }), [], "127.0.0.1", DEC);
    const previousMonth = await prisma.monthlyReturn.findUniqueOrThrow({ where: { projectId_period: { projectId: project.id, period: new Date("2026-11-01T00:00:00Z") } } });
    await commands.reviewReturn(reviewer, { returnId: previousMonth.id, version: previousMonth.version, decision: "approve", reason: null }, "127.0.0.1");
    await commands.saveReturn(owner, form("2026-12"), [], "127.0.0.1", DEC);
    const month = await prisma.monthlyReturn.findUniqueOrThrow({ where: { projectId_period: { projectId: project.id, period: new Date("2026-12-01T00:00:00Z") } } });
    await commands.reviewReturn(reviewer, { returnId: month.id, version: 1, decision: "return", reason: "完成投资与形象进度不符" }, "127.0.0.1");
    await commands.saveReturn(owner, form("2026-12", { version: 2, intent: "save", completedInvestment: "25" }), [], "127.0.0.1", DEC);
    await commands.saveReturn(owner, form("2026-12", { version: 3, completedInvestment: "26", progressText: "基础施工完成" }), [], "127.0.0.1", DEC);

    const page = (await queries.getReturnPage(reviewer, project.id, "2026-12", DEC))!;
    expect(page.row!.status).toBe("SUBMITTED");
    const review = page.review;
    expect(review.previous).toMatchObject({ period: "2026-11", status: "APPROVED" });
    expect(review.previous.values).toMatchObject({ completedInvestment: "40", progressText: "主体施工" });
    expect(review.plan.annualPlan!.toString()).toBe("1200");
    expect(review.plan.months).toBe(12);
    expect(review.plan.scheduleTarget!.toString()).toBe("1200"); // 1200 × 12 / 12
    expect(review.plan.scheduleShare.toFixed(2)).toBe("100.00");
    // The approved months of 2026 before December (the seeded ones and November's 40), then with December's 26.
    const sum = async (from: string) => new Decimal((await prisma.monthlyReturn.aggregate({ where: { projectId: project.id, status: "APPROVED", period: { gte: new Date(from), lt: new Date("2026-12-01T00:00:00Z") } }, _sum: { completedInvestment: true } }))._sum.completedInvestment?.toString() ?? "0");
    const year = await sum("2026-01-01T00:00:00Z");
    expect(year.greaterThanOrEqualTo(40)).toBe(true);
    expect(review.cumulative.yearToDate.before.toString()).toBe(year.toString());
    expect(review.cumulative.yearToDate.withMonth.toString()).toBe(year.plus(26).toString());
    expect(review.plan.completedShare!.toFixed(4)).toBe(year.plus(26).times(100).dividedBy(1200).toFixed(4));
    const approvedBefore = { _sum: { completedInvestment: await sum("2000-01-01T00:00:00Z") } };
    expect(review.cumulative.sinceStart.before.toString()).toBe(new Decimal(approvedBefore._sum.completedInvestment!.toString()).toString());
    expect(review.cumulative.sinceStart.withMonth.minus(review.cumulative.sinceStart.before).toString()).toBe("26");
    // Since the 退回: two saves merge into one change per field (30 → 26, not 30 → 25 → 26).
    expect(review.sinceReturned!.changes).toEqual({ completedInvestment: { from: "30", to: "26" }, progressText: { from: "基础施工", to: "基础施工完成" } });

    // November was never returned: nothing changed since a 退回 to show.
    const novPage = (await queries.getReturnPage(reviewer, project.id, "2026-11", DEC))!;
    expect(novPage.review.sinceReturned).toBeNull();
    expect(novPage.review.previous.period).toBe("2026-10");
  });
});
