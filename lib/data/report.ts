// 城镇化重点项目建设月报 for a chosen month: the library against 4500亿 through that month, this
// year to date by column and county, returns received, the red/yellow list with reasons, 督办 and
// the indicators. Figures come from APPROVED returns of months up to the report month; lights are
// the current computed ones (the engine judges today, not the past), which the page says.
import "server-only";
import { prisma } from "@/lib/db";
import { env } from "@/lib/env";
import { assertPermission, type CurrentUser } from "@/lib/auth/session";
import { percentOf, scheduleShare, scheduleTarget } from "@/lib/domain/portfolio-metrics";
import { FIRST_PERIOD, currentPeriod, dueDate, isPeriod, lastDuePeriod, periodStart } from "@/lib/domain/returns";
import { Prisma } from "@/lib/generated/prisma/client";
import { projectSql as projectScopeSql } from "@/lib/policy";
import { listIndicators } from "./indicators";
import { listNotices, noticeCounts } from "./notices";
import { listDelayReview } from "./portfolio";

export function defaultReportMonth(now: Date = new Date()): string {
  return lastDuePeriod(now, env.RETURN_DUE_DAY);
}

/** A month the report can be made for: 2021-01 up to the current month. */
export function isReportMonth(month: string, now: Date = new Date()): boolean {
  return isPeriod(month) && month >= FIRST_PERIOD && month <= currentPeriod(now);
}

export interface ReportRow {
  key: string;
  label: string;
  count: number;
  planned: string;
  annualPlan: string;
  completedMonth: string;
  completedYtd: string;
  completedTotal: string;
  /** 本年完成 ÷ 年度计划 (%). */
  ytdShare: string | null;
}

type Sum = Prisma.Decimal | null;
const s = (v: Sum | undefined) => (v ?? 0).toString();

export async function monthlyReport(actor: CurrentUser, month: string, now: Date = new Date()) {
  await assertPermission(actor, "portfolio:read:all");
  if (!isReportMonth(month, now)) throw new RangeError(`not a report month: ${month}`);
  const scope = projectScopeSql(actor) ?? Prisma.sql`FALSE`;
  const start = periodStart(month);
  const year = start.getUTCFullYear();
  const monthIndex = start.getUTCMonth() + 1;
  const yearStart = new Date(Date.UTC(year, 0, 1));
  const monthEnd = new Date(Date.UTC(year, monthIndex, 1)); // exclusive

  // Per project: this year's plan, the month's, the year-to-date and the cumulative approved figures through the month.
  const perProject = Prisma.sql`
    SELECT p.id, p."columnId", p."plannedInvestment", p."lifecycleStage",
           CASE WHEN ap.amount > 0 AND p."lifecycleStage" <> 'CANCELLED' THEN ap.amount END AS "annualPlan",
           r.month, r.ytd, r.total
      FROM "Project" p
      LEFT JOIN "AnnualPlan" ap ON ap."projectId" = p.id AND ap.year = ${year}
      LEFT JOIN LATERAL (
        SELECT sum(m."completedInvestment") FILTER (WHERE m.period = ${start}) AS month,
               sum(m."completedInvestment") FILTER (WHERE m.period >= ${yearStart}) AS ytd,
               sum(m."completedInvestment") AS total
          FROM "MonthlyReturn" m WHERE m."projectId" = p.id AND m.status = 'APPROVED' AND m.period < ${monthEnd}
      ) r ON TRUE
     WHERE ${scope}`;
  const sums = Prisma.sql`count(*) AS count, sum(x."plannedInvestment") AS planned, sum(x."annualPlan") AS "annualPlan",
    sum(x.month) AS "completedMonth", sum(x.ytd) FILTER (WHERE x."annualPlan" IS NOT NULL) AS "completedYtd", sum(x.total) AS "completedTotal"`;

  const [totalRows, columnRows, countyRows, returnsRows, plan, delays, notices, counts, indicators] = await Promise.all([
    prisma.$queryRaw<Record<string, Sum | bigint>[]>`SELECT ${sums} FROM (${perProject}) x`,
    prisma.$queryRaw<(Record<string, Sum | bigint> & { key: string; label: string })[]>`
      SELECT c.number::text AS key, '专栏' || c.number || ' ' || c.title AS label, ${sums}
        FROM (${perProject}) x JOIN "PlanColumn" c ON c.id = x."columnId" GROUP BY c.number, c.title ORDER BY c.number`,
    prisma.$queryRaw<(Record<string, Sum | bigint> & { key: string; label: string })[]>`
      SELECT d.code AS key, d.name AS label, ${sums}
        FROM (${perProject}) x JOIN "ProjectLocation" pl ON pl."projectId" = x.id JOIN "AdminDivision" d ON d.code = pl."divisionCode"
       GROUP BY d.code, d.name, d."sortOrder" ORDER BY d."sortOrder"`,
    // Returns for the month: due from projects under construction; received = submitted or approved.
    prisma.$queryRaw<{ due: bigint; received: bigint; approved: bigint }[]>`
      SELECT count(*) AS due,
             count(*) FILTER (WHERE m.status IN ('SUBMITTED', 'APPROVED')) AS received,
             count(*) FILTER (WHERE m.status = 'APPROVED') AS approved
        FROM "Project" p LEFT JOIN "MonthlyReturn" m ON m."projectId" = p.id AND m.period = ${start}
       WHERE ${scope} AND (p."lifecycleStage" = 'CONSTRUCTION' OR m.status IN ('SUBMITTED', 'APPROVED'))`,
    prisma.plan.findFirst({ select: { keyInvestmentTarget: true } }),
    listDelayReview(actor, { limit: 100 }, now),
    listNotices(actor, { take: 200 }, now),
    noticeCounts(actor, now),
    listIndicators(actor),
  ]);

  const row = (r: Record<string, Sum | bigint> & { key?: string; label?: string }): ReportRow => ({
    key: r.key ?? "",
    label: r.label ?? "",
    count: Number(r.count as bigint),
    planned: s(r.planned as Sum),
    annualPlan: s(r.annualPlan as Sum),
    completedMonth: s(r.completedMonth as Sum),
    completedYtd: s(r.completedYtd as Sum),
    completedTotal: s(r.completedTotal as Sum),
    ytdShare: percentOf(s(r.completedYtd as Sum), s(r.annualPlan as Sum))?.toDecimalPlaces(2).toString() ?? null,
  });
  const total = row(totalRows[0]!);
  const returns = returnsRows[0]!;
  const target = plan?.keyInvestmentTarget.toString() ?? "45000000";
  return {
    month,
    year,
    monthIndex,
    dueDate: dueDate(month, env.RETURN_DUE_DAY),
    generatedAt: now,
    target,
    total,
    /** 序时进度 of the report month: the year's plan × month / 12. */
    scheduleTarget: scheduleTarget(total.annualPlan, monthIndex).toDecimalPlaces(4).toString(),
    scheduleShare: scheduleShare(monthIndex).toDecimalPlaces(2).toString(),
    plannedShareOfTarget: percentOf(total.planned, target)?.toDecimalPlaces(2).toString() ?? null,
    completedShareOfTarget: percentOf(total.completedTotal, target)?.toDecimalPlaces(2).toString() ?? null,
    returns: { due: Number(returns.due), received: Number(returns.received), approved: Number(returns.approved) },
    byColumn: columnRows.map(row),
    byCounty: countyRows.map(row),
    delays,
    notices: notices.filter((n) => n.status !== "CLOSED" || (n.closedAt && n.closedAt >= start)),
    noticeCounts: counts,
    indicators,
  };
}

export type MonthlyReport = Awaited<ReturnType<typeof monthlyReport>>;
