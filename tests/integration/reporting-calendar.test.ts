// One reporting calendar, seen by users: on the same day, the dashboard and the monthly report as of
// the same month show the same totals, 序时进度, SPI and 督办 counts (issue 17). Three months: the
// latest reporting month (the dashboard reads its stored facts; the report sums returns) and two
// earlier ones, one in the previous year. The late list, my-work and the lights count the same months.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import Decimal from "decimal.js";
import { actor } from "@/tests/helpers/actors";
import { sqlOn } from "@/tests/helpers/sql";
import { seededTestDatabase, type TestDatabase } from "@/tests/helpers/test-database";

// China 12:00 on 4 December 2026: October is the latest reporting month, November's and December's
// returns are in (the demo approves most of them) but not yet due.
const TODAY = new Date("2026-12-04T04:00:00Z");
const MONTHS = ["2026-10", "2026-06", "2025-12"] as const;

let db: TestDatabase;
const { sql } = sqlOn(() => db.url);
let prisma: typeof import("@/lib/db").prisma;
let portfolio: typeof import("@/lib/portfolio/facts") & typeof import("@/lib/portfolio/lights") & typeof import("@/lib/portfolio/dashboard") & typeof import("@/lib/portfolio/delays");
let report: typeof import("@/lib/portfolio/report");

/** Amounts compared as numbers of 万元 to 4 places, whatever their string form. */
const wan = (v: { toString(): string } | null | undefined) => (v === null || v === undefined ? null : new Decimal(v.toString()).toDecimalPlaces(4).toString());

beforeAll(async () => {
  ({ db, prisma } = await seededTestDatabase(new Date("2026-12-04T00:00:00Z")));
  portfolio = { ...(await import("@/lib/portfolio/facts")), ...(await import("@/lib/portfolio/lights")), ...(await import("@/lib/portfolio/dashboard")), ...(await import("@/lib/portfolio/delays")) };
  report = await import("@/lib/portfolio/report");
  // 督办 sent on either side of month ends (China time): in May; at 01:00 on 1 October in China
  // (still 30 September in UTC: it belongs to October); and today, in December.
  const notices = { ...(await import("@/lib/notices/queries")), ...(await import("@/lib/notices/commands")) };
  const leaderUser = await prisma.user.findUniqueOrThrow({ where: { username: "leader" } });
  const leader = { ...(await actor(["LEADERSHIP"])), id: leaderUser.id, organizationId: leaderUser.organizationId };
  const projects = await prisma.project.findMany({ where: { ownerOrgId: { not: null } }, orderBy: { planKey: "asc" }, take: 3, select: { id: true } });
  const sentAt = ["2026-05-10T02:00:00Z", "2026-09-30T17:00:00Z", null];
  for (const [i, p] of projects.entries()) {
    const n = await notices.sendNotice(leader, { projectId: p.id, subject: `督办 ${i}`, deadline: "2026-12-20" }, null, TODAY);
    if (sentAt[i]) await sql(`UPDATE "SupervisionNotice" SET "sentAt" = $2, deadline = '2026-10-20' WHERE id = $1`, [n.id, sentAt[i]]);
  }
}, 180_000);

afterAll(async () => {
  await prisma?.$disconnect();
  await db?.drop();
});

describe("the dashboard and the monthly report as of the same month agree", () => {
  it("the demo data has returns approved after the latest reporting month (what the dashboard used to add in)", async () => {
    const [later] = await sql<{ n: string }>(`SELECT count(*)::text AS n FROM "MonthlyReturn" WHERE status = 'APPROVED' AND period >= '2026-11-01'`);
    expect(Number(later!.n)).toBeGreaterThan(0);
  });

  for (const month of MONTHS) {
    it(`as of ${month}: totals, 序时进度, SPI, breakdowns and 督办 counts, field by field`, async () => {
      const leader = await actor(["LEADERSHIP"]);
      const d = await portfolio.getDashboard(leader, TODAY, month);
      const r = await report.monthlyReport(leader, month, TODAY);
      const soft = expect.soft;

      soft(d.reportingPeriod, "as of month").toBe(r.month);
      soft(d.year, "year").toBe(r.year);
      soft(d.metrics.elapsedMonths, "months of 序时进度").toBe(r.monthIndex);
      soft(d.projectCount, "projects").toBe(r.total.count);
      soft(wan(d.plannedInvestment), "十四五计划投资").toBe(wan(r.total.planned));
      soft(wan(d.target), "target").toBe(wan(r.target));
      soft(wan(d.completedInvestment), "cumulative completed through the month").toBe(wan(r.total.completedTotal));
      soft(wan(d.metrics.annualPlan), "annual plan").toBe(wan(r.total.annualPlan));
      soft(wan(d.metrics.investmentCompletionRate.numerator), "completed year to date").toBe(wan(r.total.completedYtd));
      soft(wan(d.metrics.scheduleTarget), "序时进度 amount").toBe(wan(r.scheduleTarget));
      soft(d.metrics.scheduleShare.toDecimalPlaces(2).toString(), "序时进度 share (the report's 2 places)").toBe(r.scheduleShare);
      soft(wan(d.metrics.spi), "SPI").toBe(wan(r.spi));
      soft(wan(d.metrics.investmentCompletionRate.percent?.toDecimalPlaces(2)), "completion rate").toBe(wan(r.total.ytdShare));
      soft(d.noticeCounts, "督办 counts").toEqual(r.noticeCounts);

      const rows = (xs: { key: string; count: number; plannedInvestment: string; annualPlan: string; completedThisYear: string; completedInvestment: string }[]) =>
        xs.map((x) => [x.key, x.count, wan(x.plannedInvestment), wan(x.annualPlan), wan(x.completedThisYear), wan(x.completedInvestment)]);
      const reportRows = (xs: { key: string; count: number; planned: string; annualPlan: string; completedYtd: string; completedTotal: string }[]) =>
        xs.map((x) => [x.key, x.count, wan(x.planned), wan(x.annualPlan), wan(x.completedYtd), wan(x.completedTotal)]);
      soft(rows(d.byColumn), "by column").toEqual(reportRows(r.byColumn));
      soft(rows(d.byCounty), "by county").toEqual(reportRows(r.byCounty));

      // And both equal the definition written out in SQL: approved returns of January..M only.
      const [y] = await sql<{ ytd: string; total: string }>(
        `SELECT coalesce(sum(m."completedInvestment") FILTER (WHERE m.period >= $1::date AND ap.amount > 0 AND p."lifecycleStage" <> 'CANCELLED'), 0)::text AS ytd,
                coalesce(sum(m."completedInvestment"), 0)::text AS total
           FROM "MonthlyReturn" m JOIN "Project" p ON p.id = m."projectId"
           LEFT JOIN "AnnualPlan" ap ON ap."projectId" = p.id AND ap.year = $3
          WHERE m.status = 'APPROVED' AND m.period < $2::date`,
        [`${month.slice(0, 4)}-01-01`, new Date(Date.UTC(Number(month.slice(0, 4)), Number(month.slice(5)), 1)).toISOString().slice(0, 10), Number(month.slice(0, 4))],
      );
      soft(wan(r.total.completedYtd), "report year to date = SQL").toBe(wan(y!.ytd));
      soft(wan(r.total.completedTotal), "report cumulative = SQL").toBe(wan(y!.total));
    });
  }

  it("counts 督办 issued up to the end of the month in China", async () => {
    const leader = await actor(["LEADERSHIP"]);
    const counts = async (month: string) => {
      const c = (await report.monthlyReport(leader, month, TODAY)).noticeCounts;
      return c.OPEN + c.ANSWERED + c.CLOSED;
    };
    expect(await counts("2026-09")).toBe(1);
    expect(await counts("2026-10")).toBe(2);
    expect(await counts("2026-12")).toBe(3);
    expect((await portfolio.getDashboard(leader, TODAY)).noticeCounts).toEqual((await report.monthlyReport(leader, "2026-10", TODAY)).noticeCounts);
  });
});

describe("the lights, the late list, my-work and the report's returns due count the same months", () => {
  it("the SQL forms of returnsOwedFrom and isInAnnualPlan select what the TypeScript does, for every project", async () => {
    const { returnsOwedFrom } = await import("@/lib/domain/reporting-calendar");
    const { isInAnnualPlan } = await import("@/lib/domain/portfolio-metrics");
    const { Prisma } = await import("@/lib/generated/prisma/client");
    const rows = await prisma.$queryRaw<{ id: string; owedFrom: Date | null; inPlan: boolean }[]>`
      SELECT p.id, ${portfolio.RETURNS_OWED_FROM_SQL} AS "owedFrom",
             ${portfolio.inAnnualPlanSql(Prisma.sql`ap.amount`, Prisma.sql`p."lifecycleStage"`)} AS "inPlan"
        FROM "Project" p LEFT JOIN "AnnualPlan" ap ON ap."projectId" = p.id AND ap.year = 2026`;
    const projects = await prisma.project.findMany({
      select: { id: true, lifecycleStage: true, plannedStart: true, createdAt: true, milestones: { where: { kind: "START" }, select: { actualDate: true } }, annualPlans: { where: { year: 2026 }, select: { amount: true } } },
    });
    const byId = new Map(projects.map((p) => [p.id, p]));
    let owing = 0;
    for (const r of rows) {
      const p = byId.get(r.id)!;
      const expected = returnsOwedFrom({ lifecycleStage: p.lifecycleStage, actualStart: p.milestones[0]?.actualDate ?? null, plannedStart: p.plannedStart, createdAt: p.createdAt });
      expect(r.owedFrom ? r.owedFrom.toISOString().slice(0, 7) : null, r.id).toBe(expected);
      expect(r.inPlan, r.id).toBe(isInAnnualPlan(p.annualPlans[0]?.amount ?? null, p.lifecycleStage));
      if (expected) owing++;
    }
    expect(owing).toBeGreaterThan(0);
  });

  it("the SQL form of isInAnnualPlan agrees with the TypeScript on every stage and kind of amount, seeded or not", async () => {
    const { isInAnnualPlan } = await import("@/lib/domain/portfolio-metrics");
    const { LifecycleStage } = await import("@/lib/generated/prisma/enums");
    const { Prisma } = await import("@/lib/generated/prisma/client");
    const amounts = [null, "0", "-1", "0.0001", "5000"];
    const cases = Object.values(LifecycleStage).flatMap((stage) => amounts.map((amount) => ({ stage, amount })));
    const values = Prisma.join(cases.map((c, i) => Prisma.sql`(${i}::int, ${c.amount}::numeric, ${c.stage}::"LifecycleStage")`));
    const rows = await prisma.$queryRaw<{ i: number; inPlan: boolean }[]>`
      SELECT v.i, ${portfolio.inAnnualPlanSql(Prisma.sql`v.amount`, Prisma.sql`v.stage`)} AS "inPlan" FROM (VALUES ${values}) AS v(i, amount, stage) ORDER BY v.i`;
    expect(rows.map((r) => r.inPlan)).toEqual(cases.map((c) => isInAnnualPlan(c.amount, c.stage)));
    expect(rows.some((r) => r.inPlan) && rows.some((r) => !r.inPlan)).toBe(true);
  });

  it("every project on the late list is behind by as many months as its light counts, and my-work lists those months", async () => {
    const { listLateReturns, myWork } = await import("@/lib/returns/queries");
    await portfolio.ensureFreshLights(portfolio.reportingDay(TODAY));
    const late = await listLateReturns(await actor(["LEADERSHIP"]), TODAY);
    expect(late.period).toBe("2026-10");
    expect(late.rows.length).toBeGreaterThan(0);
    const lights = await prisma.projectLight.findMany({ select: { projectId: true, reasons: true } });
    const counted = new Map<string, number>();
    for (const l of lights) {
      const overdue = (l.reasons as { code: string; params: { overdueCount?: number } }[]).find((x) => x.code === "RETURNS_OVERDUE");
      if (overdue) counted.set(l.projectId, overdue.params.overdueCount!);
    }
    expect(Object.fromEntries(late.rows.map((r) => [r.projectId, r.monthsLate]))).toEqual(Object.fromEntries(counted));

    // One owner unit with a late project: its overdue months are exactly the late list's.
    const lateRow = late.rows[0]!;
    const owner = await actor(["OWNER_EDITOR"], lateRow.owner!.name);
    const work = await myWork(owner, TODAY);
    expect(work.asOfPeriod).toBe("2026-10");
    expect(work.duePeriod).toBe("2026-11");
    const mine = late.rows.filter((r) => r.owner?.id === owner.organizationId);
    const overdueBy = new Map<string, string[]>();
    for (const o of work.overdue) overdueBy.set(o.projectId, [...(overdueBy.get(o.projectId) ?? []), o.period]);
    expect(Object.fromEntries([...overdueBy].map(([id, months]) => [id, months.length]))).toEqual(Object.fromEntries(mine.map((r) => [r.projectId, r.monthsLate])));
    for (const months of overdueBy.values()) expect(months.at(-1)).toBe("2026-10");
  });

  it("the report's returns due are the projects that owe the month, plus any that sent one anyway", async () => {
    const r = await report.monthlyReport(await actor(["LEADERSHIP"]), "2026-10", TODAY);
    const [x] = await sql<{ due: string; received: string }>(
      `SELECT count(*)::text AS due, count(*) FILTER (WHERE m.status IN ('SUBMITTED', 'APPROVED'))::text AS received
         FROM "Project" p LEFT JOIN "MonthlyReturn" m ON m."projectId" = p.id AND m.period = '2026-10-01'
        WHERE (p."lifecycleStage" = 'CONSTRUCTION' AND date_trunc('month', coalesce((SELECT s."actualDate" FROM "Milestone" s WHERE s."projectId" = p.id AND s.kind = 'START'), p."plannedStart", p."createdAt"::date)) <= '2026-10-01')
           OR m.status IN ('SUBMITTED', 'APPROVED')`,
    );
    expect(r.returns.due).toBe(Number(x!.due));
    expect(r.returns.received).toBe(Number(x!.received));
    expect(r.returns.due).toBeGreaterThanOrEqual(r.returns.received);
  });
});
