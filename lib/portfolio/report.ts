// 城镇化重点项目建设月报 for a chosen month: the library against 4500亿 through that month, this
// year to date by column and county, returns received, the red/yellow list with reasons, 督办 and
// the indicators. "As of the month" is the reporting calendar's (lib/domain/reporting-calendar.ts):
// APPROVED returns of months up to the report month, year to date January..month, 督办 issued up
// to the month's end; the per-project figures are monthFactsSql, the dashboard's for past months.
// Lights are the current computed ones (the engine judges today, not the past), which the page says.
import "server-only";
import { readReplica } from "@/lib/db-replica";
import { env } from "@/lib/env";
import { assertPermission, type CurrentUser } from "@/lib/auth/session";
import { percentOf, scheduleIndex, scheduleShare, scheduleTarget } from "@/lib/domain/portfolio-metrics";
import { dueDate, isAsOfMonth, latestReportingMonth, periodStart, yearToDate } from "@/lib/domain/reporting-calendar";
import { Prisma } from "@/lib/generated/prisma/client";
import { countedProjectSql as projectScopeSql } from "@/lib/policy";
import { listIndicators } from "@/lib/data/indicators";
import { listNotices, noticeCounts } from "@/lib/notices/queries";
import { RETURNS_OWED_FROM_SQL, monthFactsSql, planTarget } from "./facts";
import { resolvePlan } from "@/lib/plans/plans";
import { planFactsSql, planProjectIdsSql, returnPlanSql } from "@/lib/plans/sql";
import { listDelayReview } from "./delays";
import { prisma } from "@/lib/db";
import { cachedAggregate, scopeKey } from "@/lib/cache/aggregates";
import { dataVersion } from "@/lib/cache/data-version";
import { isoDay } from "@/lib/domain/dates";
import { aggregateMaxAge } from "./dashboard";
import { lightsForReading, reportingDay } from "./lights";

/** The latest reporting month: the dashboard's default month too. */
export function defaultReportMonth(now: Date = new Date()): string {
  return latestReportingMonth(now, env.RETURN_DUE_DAY);
}

/** A month the report can be made for: 2021-01 up to the current month. */
export function isReportMonth(month: string, now: Date = new Date()): boolean {
  return isAsOfMonth(month, now);
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
  /** Projects with a red / yellow computed light (today's lights; the county map colours by them). */
  red: number;
  yellow: number;
}

type Sum = Prisma.Decimal | null;
const s = (v: Sum | undefined) => (v ?? 0).toString();

/** The report of `month` for plan `planId` (default: the current plan by date; docs/decisions/0028). */
export async function monthlyReport(actor: CurrentUser, month: string, now: Date = new Date(), planId?: string): Promise<MonthlyReport> {
  await assertPermission(actor, "portfolio:read:all");
  if (!isReportMonth(month, now)) throw new RangeError(`not a report month: ${month}`);
  // Kept per (scope, day, month, plan) for one data version, as the dashboard (lib/cache, docs/decisions/0039).
  const asOf = reportingDay(now);
  await lightsForReading(asOf);
  const version = await dataVersion(prisma);
  const key = JSON.stringify(["report", scopeKey(actor), isoDay(asOf), month, planId ?? null]);
  const report = await cachedAggregate(key, version, async () => {
    const value = await computeReport(actor, month, now, planId);
    return { value, maxAgeMs: aggregateMaxAge(value.dataAsOf, null, asOf) };
  });
  return { ...report, generatedAt: now };
}

async function computeReport(actor: CurrentUser, month: string, now: Date, planId: string | undefined) {
  const resolved = await resolvePlan(planId, now);
  // With several plans, one plan's projects and the returns that count for it (lib/plans/sql.ts).
  const onePlan = resolved?.several ? resolved.plan.id : null;
  const scope = projectScopeSql(actor) ?? Prisma.sql`FALSE`;
  const start = periodStart(month);
  const ytd = yearToDate(month);
  const year = ytd.year;
  const monthIndex = ytd.months;

  // Per project as of the month: the year's plan and membership, the month's, the year-to-date and
  // the cumulative approved figures through the month.
  const facts = onePlan ? planFactsSql(monthFactsSql(month), onePlan, year, ytd.end) : monthFactsSql(month);
  const perProject = Prisma.sql`SELECT * FROM ${facts} p WHERE ${scope}`;
  const sums = Prisma.sql`count(*) AS count, sum(x."plannedInvestment") AS planned, sum(x."annualPlan") FILTER (WHERE x."inAnnualPlan") AS "annualPlan",
    sum(x."completedMonth") AS "completedMonth", sum(x."completedThisYear") FILTER (WHERE x."inAnnualPlan") AS "completedYtd", sum(x."completedInvestment") AS "completedTotal",
    count(*) FILTER (WHERE x.light = 'RED') AS red, count(*) FILTER (WHERE x.light = 'YELLOW') AS yellow`;

  // The sums may come from the read replica (docs/decisions/0023); 督办, the indicators and the
  // target read the primary, the delay list routes itself.
  const [
    {
      value: [totalRows, columnRows, countyRows, returnsRows],
      asOf: sumsAsOf,
    },
    target,
    delays,
    notices,
    counts,
    indicators,
  ] = await Promise.all([
    readReplica.read((db) => Promise.all([
    db.$queryRaw<Record<string, Sum | bigint>[]>`SELECT ${sums} FROM (${perProject}) x`,
    db.$queryRaw<(Record<string, Sum | bigint> & { key: string; label: string })[]>`
      SELECT c.number::text AS key, c.title AS label, ${sums}
        FROM (${perProject}) x JOIN "PlanColumn" c ON c.id = x."columnId" GROUP BY c.number, c.title ORDER BY c.number`,
    db.$queryRaw<(Record<string, Sum | bigint> & { key: string; label: string })[]>`
      SELECT d.code AS key, d.name AS label, ${sums}
        FROM (${perProject}) x JOIN "ProjectLocation" pl ON pl."projectId" = x.id JOIN "AdminDivision" d ON d.code = pl."divisionCode"
       GROUP BY d.code, d.name, d."sortOrder" ORDER BY d."sortOrder"`,
    // Returns for the month: due from the projects that owe it (the calendar's returnsOwedFrom, as
    // the lights and the late list count), or that sent one anyway; received = submitted or approved.
    db.$queryRaw<{ due: bigint; received: bigint; approved: bigint }[]>`
      SELECT count(*) AS due,
             count(*) FILTER (WHERE m.status IN ('SUBMITTED', 'APPROVED')) AS received,
             count(*) FILTER (WHERE m.status = 'APPROVED') AS approved
        FROM "Project" p LEFT JOIN "MonthlyReturn" m ON m."projectId" = p.id AND m.period = ${start}
       WHERE ${scope} AND (${RETURNS_OWED_FROM_SQL} <= ${start} OR m.status IN ('SUBMITTED', 'APPROVED'))
         AND ${onePlan ? Prisma.sql`p.id IN ${planProjectIdsSql(onePlan)} AND ${returnPlanSql(Prisma.sql`p.id`, Prisma.sql`${year}::int`)} = ${onePlan}` : Prisma.sql`TRUE`}`,
    ])),
    resolved ? resolved.plan.keyInvestmentTarget : planTarget(),
    listDelayReview(actor, { limit: 100 }, now),
    listNotices(actor, { take: 200, sentBefore: ytd.issuedBefore }, now),
    noticeCounts(actor, now, { sentBefore: ytd.issuedBefore }),
    listIndicators(actor, resolved?.plan.id, now),
  ]);

  const row = (r: Record<string, Sum | bigint> & { key?: string; label?: string }): ReportRow => ({
    key: r.key ?? "",
    label: r.label ?? "",
    count: Number(r.count),
    planned: s(r.planned as Sum),
    annualPlan: s(r.annualPlan as Sum),
    completedMonth: s(r.completedMonth as Sum),
    completedYtd: s(r.completedYtd as Sum),
    completedTotal: s(r.completedTotal as Sum),
    ytdShare: percentOf(s(r.completedYtd as Sum), s(r.annualPlan as Sum))?.toDecimalPlaces(2).toString() ?? null,
    red: Number(r.red ?? 0),
    yellow: Number(r.yellow ?? 0),
  });
  const total = row(totalRows[0]!);
  const returns = returnsRows[0]!;
  return {
    /** The plan this report is of; null before any plan is loaded. */
    plan: resolved?.plan ?? null,
    plans: resolved?.plans ?? [],
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
    /** SPI: 本年累计完成 ÷ 序时进度 amount. */
    spi: scheduleIndex(total.completedYtd, total.annualPlan, monthIndex)?.toDecimalPlaces(4).toString() ?? null,
    plannedShareOfTarget: percentOf(total.planned, target)?.toDecimalPlaces(2).toString() ?? null,
    completedShareOfTarget: percentOf(total.completedTotal, target)?.toDecimalPlaces(2).toString() ?? null,
    returns: { due: Number(returns.due), received: Number(returns.received), approved: Number(returns.approved) },
    byColumn: columnRows.map(row),
    byCounty: countyRows.map(row),
    delays,
    notices: notices.filter((n) => n.status !== "CLOSED" || (n.closedAt && n.closedAt >= start)),
    noticeCounts: counts,
    indicators,
    /** The oldest as-of time of the parts the read replica served; null when the primary served all. */
    dataAsOf: [sumsAsOf, delays.dataAsOf].reduce<Date | null>((oldest, at) => (at && (!oldest || at < oldest) ? at : oldest), null),
  };
}

export type MonthlyReport = Awaited<ReturnType<typeof computeReport>>;
