// The portfolio as the leadership group sees it: computed traffic lights kept per project
// (ProjectLight), the dashboard's totals and breakdowns, the delay-review list. Lights come from
// the pure engine (lib/domain/traffic-lights.ts); figures are summed in SQL over the actor's scope
// (docs/decisions/0012-portfolio-dashboard.md).
import "server-only";
import { prisma } from "@/lib/db";
import { readReplica } from "@/lib/db-replica";
import { env } from "@/lib/env";
import { READ_NOTICES } from "@/lib/auth/permissions";
import { assertPermission, type CurrentUser } from "@/lib/auth/session";
import { Decimal } from "@/lib/domain/money";
import { metricsAsOfMonth, type PortfolioMetrics, type PortfolioTotals } from "@/lib/domain/portfolio-metrics";
import { FIRST_PERIOD, isAsOfMonth, latestReportingMonth, periodOf, periodStart, yearToDate } from "@/lib/domain/reporting-calendar";
import { type Light } from "@/lib/domain/traffic-lights";
import { Prisma } from "@/lib/generated/prisma/client";
// The projects the actor may see, as a condition on `p` (lib/policy: the one access policy).
import { NOT_ACCEPTED_PROJECT_IDS, acceptedProjectSql, countedProjectSql as projectScopeSql, wholeApprovalScope } from "@/lib/policy";
import type { LifecycleStage } from "@/lib/generated/prisma/enums";
import { noticeCounts } from "@/lib/notices/queries";
import { countRebaselinedProjects } from "@/lib/baselines/queries";
import { resolvePlan, type PlanSummary } from "@/lib/plans/plans";
import { planFactsSql, planProjectIdsSql, returnCountsForPlanSql, returnPlanSql } from "@/lib/plans/sql";
import { approvedAfterSql, monthFactsSql, storedFactsSql } from "./facts";
import { lightsForReading, reportingDay } from "./lights";
import { cachedAggregate, scopeKey } from "@/lib/cache/aggregates";
import { dataVersion } from "@/lib/cache/data-version";
import { isoDay } from "@/lib/domain/dates";

// ---------------------------------------------------------------------------------------------
// The dashboard

export interface Breakdown {
  key: string;
  /** The stored name: the column's title (key = its number), the county's, sector's (Chinese) or owner's name; "" for none. Shown through groupLabel (i18n/format.ts). */
  label: string;
  /** Sectors only: the code list's English name. */
  labelEn?: string;
  count: number;
  plannedInvestment: string;
  completedInvestment: string;
  annualPlan: string;
  completedThisYear: string;
  red: number;
  yellow: number;
}

export interface Dashboard {
  /** The plan the figures are of (the `plan` asked for, else the current plan by date); null before any plan is loaded. */
  plan: PlanSummary | null;
  /** Every loaded plan, oldest first (the selector). */
  plans: PlanSummary[];
  /** The statistics day (China): lights, 开工率 and 按期竣工率 are as of it. */
  asOf: Date;
  year: number;
  /** The month every amount, 序时进度, SPI and 督办 count is as of ("YYYY-MM"; the latest reporting month unless asked). */
  reportingPeriod: string;
  /** Whether reportingPeriod is the latest reporting month on asOf (the stored lights' month). */
  latestReportingMonth: boolean;
  dueDay: number;
  projectCount: number;
  /** The earliest day the lights in scope were computed for (earlier than asOf while a new day's recomputation runs). */
  lightsAsOf: Date | null;
  /** 4500亿 in 万元, from the plan; null before the plan is loaded. */
  target: string | null;
  plannedInvestment: string;
  totalInvestment: string;
  /** 累计完成投资 of the library as of the month (approved returns of 2021-01..reportingPeriod). */
  completedInvestment: string;
  /** Completed within the plan period (Plan.periodStart to Plan.periodEnd), the figure the 4500亿 target is about; with several plans, only returns counting for this plan (docs/decisions/0028). */
  completedInPlanPeriod: string;
  planPeriodEnd: number;
  metrics: PortfolioMetrics;
  byLight: Record<Light, number>;
  byStage: Record<LifecycleStage, number>;
  byColumn: Breakdown[];
  byCounty: Breakdown[];
  bySector: Breakdown[];
  byOwner: Breakdown[];
  funds: { code: string; nameZh: string; nameEn: string; planned: string; inPlaceThisYear: string }[];
  trend: { period: string; completed: string; cumulative: string }[];
  confidenceFlagged: number;
  /** 督办 issued up to the end of reportingPeriod, by status now; null without permission to read notices. */
  noticeCounts: { OPEN: number; ANSWERED: number; CLOSED: number; overdue: number } | null;
  rebaselined: { year: number; count: number };
  /** When the read replica served the figures, the time they are as of (components/data-as-of.tsx); null from the primary. */
  dataAsOf: Date | null;
  /**
   * The county the figures are narrowed to (a project lying in several counties counts in each),
   * or null for the whole scope. byCounty is never narrowed: the map keeps every county to click.
   */
  county: { code: string; name: string } | null;
}

/** What narrows the dashboard beyond the reader's scope (the map's click). */
export interface DashboardFilter {
  /** An AdminDivision code; an unknown code is refused with UnknownCountyError. */
  county?: string;
}

/** The county asked for is not a division of the library. */
export class UnknownCountyError extends Error {
  constructor(readonly code: string) {
    super(`unknown county: ${code}`);
  }
}

type Sum = Prisma.Decimal | null;
const str = (value: Sum | undefined) => (value ?? 0).toString();

function breakdown(rows: (DashboardRow & { label: string; labelEn?: string; key: string })[]): Breakdown[] {
  return rows.map((r) => ({
    key: r.key,
    label: r.label,
    ...(r.labelEn !== undefined ? { labelEn: r.labelEn } : {}),
    count: Number(r.count),
    plannedInvestment: str(r.planned as Sum),
    completedInvestment: str(r.completed as Sum),
    annualPlan: str(r.annualPlan as Sum),
    completedThisYear: str(r.completedThisYear as Sum),
    red: Number(r.red),
    yellow: Number(r.yellow),
  }));
}

/** The totals over the facts p (count, amounts, the 四率's counts and sums). */
const TOTAL_SUMS = Prisma.sql`count(*) AS count, sum(p."plannedInvestment") AS planned, sum(p."totalInvestment") AS total,
  sum(p."completedInvestment") AS completed,
  count(*) FILTER (WHERE p."startDue") AS "dueToStart",
  count(*) FILTER (WHERE p.started AND p."startDue") AS started,
  count(*) FILTER (WHERE p."completionDue") AS "dueToComplete",
  count(*) FILTER (WHERE p."completedOnTime") AS "onTime",
  count(*) FILTER (WHERE p."completionDateUnknown") AS "completionDateUnknown",
  count(*) FILTER (WHERE p."inAnnualPlan") AS "inAnnualPlan",
  count(*) FILTER (WHERE p."inAnnualPlan" AND p."fundsThisYear" IS NULL) AS "withoutFunds",
  sum(p."annualPlan") FILTER (WHERE p."inAnnualPlan") AS "annualPlan",
  sum(p."completedThisYear") FILTER (WHERE p."inAnnualPlan") AS "completedThisYear",
  sum(p."fundsThisYear") FILTER (WHERE p."inAnnualPlan") AS funds,
  sum(p."completedThisYear") FILTER (WHERE p."inAnnualPlan" AND p."paymentsThisYear" IS NOT NULL) AS "evWithPayments",
  sum(p."paymentsThisYear") FILTER (WHERE p."inAnnualPlan") AS payments,
  count(*) FILTER (WHERE p."confidenceFlagged") AS "confidenceFlagged", min(p."asOf") AS "lightsAsOf"`;

/** What each breakdown bar shows. */
const BREAKDOWN_SUMS = Prisma.sql`count(*) AS count, sum(p."plannedInvestment") AS planned, sum(p."completedInvestment") AS completed,
  sum(p."annualPlan") FILTER (WHERE p."inAnnualPlan") AS "annualPlan", sum(p."completedThisYear") FILTER (WHERE p."inAnnualPlan") AS "completedThisYear",
  count(*) FILTER (WHERE p.light = 'RED') AS red, count(*) FILTER (WHERE p.light = 'YELLOW') AS yellow`;

type DashboardRow = Record<string, Sum | bigint | Date | string | null> & { dim: "light" | "stage" | "column" | "sector" | "owner"; key: string | null };

/** PortfolioRollup's counts and amounts: TOTAL_SUMS' and BREAKDOWN_SUMS' names (migration portfolio_rollup). */
const ROLLUP_COUNTS = ["count", "dueToStart", "started", "dueToComplete", "onTime", "completionDateUnknown", "inAnnualPlan", "withoutFunds", "confidenceFlagged", "red", "yellow"];
const ROLLUP_AMOUNTS = ["planned", "total", "completed", "annualPlan", "completedThisYear", "funds", "evWithPayments", "payments"];
const rollupColumns = (alias: string) => Prisma.raw([...ROLLUP_COUNTS, ...ROLLUP_AMOUNTS].map((c) => `${alias}."${c}"`).join(", "));
const ROLLUP_SUMS = Prisma.raw([...ROLLUP_COUNTS.map((c) => `sum(s."${c}")::bigint AS "${c}"`), ...ROLLUP_AMOUNTS.map((c) => `sum(s."${c}") AS "${c}"`)].join(", "));

type RollupRow = Record<string, Sum | bigint | string | null> & { dim: string; key: string; label: string | null; sortOrder: number | null };

/**
 * The figures of every accepted project as of the stored month, from the sums the database keeps
 * (PortfolioRollup, docs/decisions/0046): the rollup holds every fact; the few projects not
 * accepted are taken off, and so are the months approved after `month` (as storedFactsSql does).
 * One row per (dim, key) with anything in it: 'all', the five breakdowns, 'county' (with the
 * division's name and order) and 'asOf' (the lights' days).
 */
function rollupFigures(db: Pick<Prisma.TransactionClient, "$queryRaw">, month: string) {
  const notCounted = Prisma.sql`f.id IN ${NOT_ACCEPTED_PROJECT_IDS}`;
  return db.$queryRaw<RollupRow[]>`
    SELECT s.dim, s.key, d.name AS label, d."sortOrder", ${ROLLUP_SUMS}
      FROM (SELECT r.dim, r.key, ${rollupColumns("r")} FROM "PortfolioRollup" r
            UNION ALL
            SELECT sh.dim, sh.key, ${rollupColumns("sh")} FROM "PortfolioFact" f CROSS JOIN LATERAL portfolio_fact_shares(f, -1) sh WHERE ${notCounted}
            UNION ALL
            SELECT sh.dim, sh.key, ${rollupColumns("sh")}
              FROM ${approvedAfterSql(month)} a JOIN "PortfolioFact" f ON f.id = a."projectId"
             CROSS JOIN LATERAL (SELECT * FROM portfolio_fact_shares(f, -1) UNION ALL SELECT * FROM portfolio_fact_shares(f, 1, a.amount)) sh
             WHERE NOT (${notCounted})) s
      LEFT JOIN "AdminDivision" d ON s.dim = 'county' AND d.code = s.key
     GROUP BY s.dim, s.key, d.name, d."sortOrder"
    HAVING sum(s.count) > 0`;
}

/** Funds by source of every accepted project from PortfolioFundsRollup ('planned' or 'inPlace'), less those not accepted. */
function fundsRollupSql(kind: "planned" | "inPlace"): Prisma.Sql {
  const table = kind === "planned" ? Prisma.sql`"ProjectFunding"` : Prisma.sql`"PortfolioFactFunds"`;
  return Prisma.sql`(SELECT "sourceCode", sum(amount) AS amount FROM (
      SELECT "sourceCode", amount FROM "PortfolioFundsRollup" WHERE kind = ${kind}
      UNION ALL
      SELECT x."sourceCode", -x.amount FROM ${table} x WHERE x."projectId" IN ${NOT_ACCEPTED_PROJECT_IDS}) f GROUP BY 1)`;
}

/**
 * The dashboard as of `month` (default: the latest reporting month on `now`; any month from
 * 2021-01 to the current one). Amounts, 序时进度, SPI and 督办 counts are as of the month, the
 * same as the monthly report's for that month; lights and the 开工率/按期竣工率 counts are as of
 * the day (not reconstructed for other months: there they count nothing).
 *
 * Lights are refreshed first (only rows out of date are recomputed, with their PortfolioFact),
 * then everything is summed in SQL over the scope from PortfolioFact, one narrow row per project:
 * the totals; the breakdowns by light, stage, column, sector and owner in one pass (GROUPING
 * SETS); counties apart (a project may lie in several). The monthly trend of the whole library
 * comes from PortfolioMonth (kept by triggers); a narrower scope sums its own returns
 * (docs/decisions/0013-list-and-dashboard-queries.md).
 */
export async function getDashboard(
  actor: CurrentUser,
  now: Date = new Date(),
  month?: string,
  planId?: string,
  filter: DashboardFilter = {},
  /** "live": every sum from the facts themselves, never the kept rollup nor the cache (the rollup's test and benchmark compare the two). */
  sums: "kept" | "live" = "kept",
): Promise<Dashboard> {
  await assertPermission(actor, "portfolio:read:all");
  if (sums === "live") return computeDashboard(actor, now, month, planId, filter, false);
  // Kept per (scope, day, month, plan, county) for one data version (lib/cache, docs/decisions/0039).
  // Stale lights are refreshed first, so the version read next is the one the figures are of.
  const asOf = reportingDay(now);
  await lightsForReading(asOf);
  const version = await dataVersion(prisma);
  const key = JSON.stringify(["dashboard", scopeKey(actor), isoDay(asOf), month ?? null, planId ?? null, filter.county ?? null]);
  return cachedAggregate(key, version, async () => {
    const value = await computeDashboard(actor, now, month, planId, filter);
    return { value, maxAgeMs: aggregateMaxAge(value.dataAsOf, value.lightsAsOf, asOf) };
  });
}

/**
 * How long figures may be kept beyond their data version: those a replica served, no longer than
 * it may lag; those computed while a new day's lights are recomputed in the background, briefly.
 */
export function aggregateMaxAge(dataAsOf: Date | null, lightsAsOf: Date | null, asOf: Date): number | undefined {
  if (lightsAsOf && isoDay(lightsAsOf) !== isoDay(asOf)) return 10_000;
  if (dataAsOf) return env.REPLICA_MAX_LAG_SECONDS * 1000;
  return undefined;
}

async function computeDashboard(actor: CurrentUser, now: Date, month: string | undefined, planId: string | undefined, filter: DashboardFilter, kept = true): Promise<Dashboard> {
  const county = filter.county === undefined ? null : await prisma.adminDivision.findUnique({ where: { code: filter.county }, select: { code: true, name: true } });
  if (filter.county !== undefined && !county) throw new UnknownCountyError(filter.county);
  const resolved = await resolvePlan(planId, now);
  const asOf = reportingDay(now);
  const dueDay = env.RETURN_DUE_DAY;
  const latest = latestReportingMonth(asOf, dueDay);
  const asOfMonth = month ?? latest;
  if (!isAsOfMonth(asOfMonth, now)) throw new RangeError(`not a month the dashboard can be as of: ${asOfMonth}`);
  const ytd = yearToDate(asOfMonth);
  const year = ytd.year;
  const stored = asOfMonth === latest;
  await lightsForReading(asOf);
  // The reader's scope (the policy), for the map; `scope` adds the county asked for, for the rest.
  const readerScope = projectScopeSql(actor) ?? Prisma.sql`FALSE`;
  const scope = county
    ? Prisma.sql`(${readerScope}) AND p.id IN (SELECT "projectId" FROM "ProjectLocation" WHERE "divisionCode" = ${county.code})`
    : readerScope;
  const everything = actor.permissions.has("project:read:all") && !county;
  // With several plans loaded, everything is of the one plan: its projects, and of a project in
  // several plans only the returns that count for this one (lib/plans/sql.ts). With one plan the
  // queries are those of before (docs/decisions/0028).
  const onePlan = resolved?.several ? resolved.plan.id : null;
  const inPlan = (projectId: Prisma.Sql) => (onePlan ? Prisma.sql`${projectId} IN ${planProjectIdsSql(onePlan)}` : Prisma.sql`TRUE`);
  const countsForPlan = onePlan ? returnCountsForPlanSql(onePlan) : Prisma.sql`TRUE`;
  const yearCountsForPlan = (projectId: Prisma.Sql) => (onePlan ? Prisma.sql`${returnPlanSql(projectId, Prisma.sql`${year}::int`)} = ${onePlan}` : Prisma.sql`TRUE`);
  const inScope = (projectId: Prisma.Sql) =>
    everything ? Prisma.sql`${inPlan(projectId)} AND ${acceptedProjectSql(projectId)}` : Prisma.sql`${projectId} IN (SELECT p.id FROM "PortfolioFact" p WHERE ${scope}) AND ${inPlan(projectId)}`;
  const trendFrom = periodStart(FIRST_PERIOD);
  const allFacts = stored ? storedFactsSql(asOfMonth) : monthFactsSql(asOfMonth);
  const facts = onePlan ? planFactsSql(allFacts, onePlan, year, ytd.end) : allFacts;
  const readsNotices = READ_NOTICES.some((p) => actor.permissions.has(p));
  // Every accepted project as of the stored month, one plan, no county: the sums the database keeps.
  const fromRollup = kept && stored && !onePlan && !county && wholeApprovalScope(actor, "count") === "accepted";
  type Sums = [Record<string, Sum | bigint | Date | null>[], DashboardRow[], (DashboardRow & { label: string; key: string })[]];
  const liveSums = (db: Pick<Prisma.TransactionClient, "$queryRaw">): Promise<Sums> =>
    Promise.all([
      db.$queryRaw<Record<string, Sum | bigint | Date | null>[]>`SELECT ${TOTAL_SUMS} FROM ${facts} p WHERE ${scope}`,
      db.$queryRaw<DashboardRow[]>`
        SELECT CASE WHEN GROUPING(p.light) = 0 THEN 'light' WHEN GROUPING(p."lifecycleStage") = 0 THEN 'stage' WHEN GROUPING(p."columnId") = 0 THEN 'column'
                    WHEN GROUPING(p."sectorCode") = 0 THEN 'sector' ELSE 'owner' END AS dim,
               coalesce(p.light::text, p."lifecycleStage"::text, p."columnId"::text, p."sectorCode", p."ownerOrgId"::text) AS key,
               ${BREAKDOWN_SUMS}
          FROM ${facts} p WHERE ${scope}
         GROUP BY GROUPING SETS ((p.light), (p."lifecycleStage"), (p."columnId"), (p."sectorCode"), (p."ownerOrgId"))`,
      db.$queryRaw<(DashboardRow & { label: string; key: string })[]>`
        SELECT d.code AS key, d.name AS label, ${BREAKDOWN_SUMS}
          FROM ${facts} p JOIN "ProjectLocation" pl ON pl."projectId" = p.id JOIN "AdminDivision" d ON d.code = pl."divisionCode"
         WHERE ${readerScope} GROUP BY d.code, d.name, d."sortOrder" ORDER BY d."sortOrder"`,
    ]);
  const rollupSums = async (db: Pick<Prisma.TransactionClient, "$queryRaw">): Promise<Sums> => {
    const rows = await rollupFigures(db, asOfMonth);
    const days = rows.filter((r) => r.dim === "asOf").map((r) => r.key).sort();
    const all = rows.find((r) => r.dim === "all");
    return [
      [{ ...(all as Record<string, Sum | bigint> | undefined), lightsAsOf: days.length ? new Date(`${days[0]}T00:00:00.000Z`) : null }],
      rows.filter((r) => r.dim !== "all" && r.dim !== "asOf" && r.dim !== "county") as unknown as DashboardRow[],
      rows
        .filter((r) => r.dim === "county")
        .sort((a, b) => a.sortOrder! - b.sortOrder!)
        .map((r) => ({ ...r, label: r.label! })) as unknown as (DashboardRow & { label: string; key: string })[],
    ];
  };

  // The sums may come from the read replica (docs/decisions/0023); the lights were refreshed on the
  // primary above, the 督办 counts (an authorized lookup) read the primary.
  const [
    {
      value: [[totalRows, groupRows, countyRows], columns, sectors, owners, fundRows, trendRows, plan],
      asOf: dataAsOf,
    },
    notices,
    rebaselined,
  ] = await Promise.all([
    readReplica.read((db) => Promise.all([
    fromRollup ? rollupSums(db) : liveSums(db),
    db.planColumn.findMany({ select: { id: true, number: true, title: true } }),
    db.sector.findMany({ select: { code: true, nameZh: true, nameEn: true, sortOrder: true } }),
    db.organization.findMany({ select: { id: true, name: true } }),
    db.$queryRaw<{ code: string; nameZh: string; nameEn: string; planned: Sum; inPlace: Sum }[]>`
      SELECT fs.code, fs."nameZh", fs."nameEn", pf.amount AS planned, lf.amount AS "inPlace"
        FROM "FundingSource" fs
        LEFT JOIN ${
          fromRollup ? fundsRollupSql("planned") : Prisma.sql`(SELECT "sourceCode", sum(amount) AS amount FROM "ProjectFunding" WHERE ${inScope(Prisma.sql`"projectId"`)} GROUP BY 1)`
        } pf ON pf."sourceCode" = fs.code
        LEFT JOIN ${
          fromRollup
            ? fundsRollupSql("inPlace")
            : stored
            ? Prisma.sql`(SELECT "sourceCode", sum(amount) AS amount FROM "PortfolioFactFunds" WHERE ${inScope(Prisma.sql`"projectId"`)} AND ${yearCountsForPlan(Prisma.sql`"projectId"`)} GROUP BY 1)`
            : Prisma.sql`(SELECT x."sourceCode", sum(x.amount) AS amount FROM "ReturnFunding" x JOIN "MonthlyReturn" m ON m.id = x."returnId"
                           WHERE m.status = 'APPROVED' AND m.period >= ${ytd.start} AND m.period < ${ytd.end} AND ${inScope(Prisma.sql`m."projectId"`)} AND ${countsForPlan} GROUP BY 1)`
        } lf ON lf."sourceCode" = fs.code
       ORDER BY fs."sortOrder"`,
    everything && !onePlan
      ? db.$queryRaw<{ period: Date; completed: Sum }[]>`
          SELECT period, completed FROM "PortfolioMonth" WHERE period >= ${trendFrom} AND period < ${ytd.end} AND returns > 0 ORDER BY period`
      : db.$queryRaw<{ period: Date; completed: Sum }[]>`
          SELECT m.period, sum(m."completedInvestment") AS completed
            FROM "MonthlyReturn" m JOIN "Project" p ON p.id = m."projectId"
           WHERE m.status = 'APPROVED' AND m.period >= ${trendFrom} AND m.period < ${ytd.end} AND ${scope} AND ${inPlan(Prisma.sql`m."projectId"`)} AND ${countsForPlan}
           GROUP BY m.period ORDER BY m.period`,
    Promise.resolve(resolved?.plan ?? null),
    ])),
    readsNotices ? noticeCounts(actor, now, { sentBefore: ytd.issuedBefore, ...(county ? { county: county.code } : {}) }) : null,
    countRebaselinedProjects(actor, now, county?.code),
  ]);

  const t = totalRows[0]!; // an aggregate without GROUP BY always returns one row
  const group = (dim: DashboardRow["dim"]) => groupRows.filter((r) => r.dim === dim);
  const columnOf = new Map(columns.map((c) => [c.id, c]));
  const sectorOf = new Map(sectors.map((c) => [c.code, c]));
  const ownerOf = new Map(owners.map((o) => [o.id, o.name]));
  const byPlanned = (a: Breakdown, b: Breakdown) => new Decimal(b.plannedInvestment).comparedTo(a.plannedInvestment) || a.label.localeCompare(b.label, "zh-CN");
  const columnRows = group("column")
    .map((r) => ({ ...r, key: String(columnOf.get(r.key!)!.number), label: columnOf.get(r.key!)!.title }))
    .sort((a, b) => Number(a.key) - Number(b.key));
  const sectorRows = group("sector").map((r) => ({ ...r, key: r.key ?? "", label: r.key ? sectorOf.get(r.key)!.nameZh : "", labelEn: r.key ? sectorOf.get(r.key)!.nameEn : "" }));
  const ownerRows = group("owner").map((r) => ({ ...r, key: r.key ?? "", label: r.key ? ownerOf.get(r.key)! : "" }));
  const lightRows = group("light").map((r) => ({ light: r.key as Light | null, count: r.count as bigint }));
  const stageRows = group("stage").map((r) => ({ stage: r.key as LifecycleStage, count: r.count as bigint }));

  const n = (k: string) => Number((t[k] as bigint | null) ?? 0);
  const d = (k: string) => new Decimal(((t[k] as Sum) ?? 0).toString());
  const totals: PortfolioTotals = {
    dueToStart: n("dueToStart"), started: n("started"), dueToComplete: n("dueToComplete"), onTime: n("onTime"),
    completionDateUnknown: n("completionDateUnknown"), inAnnualPlan: n("inAnnualPlan"), withoutFunds: n("withoutFunds"),
    annualPlan: d("annualPlan"), completed: d("completedThisYear"), funds: d("funds"), evWithPayments: d("evWithPayments"), payments: d("payments"),
  };
  const byLight = { RED: 0, YELLOW: 0, NO_DATA: 0, GREEN: 0, NOT_APPLICABLE: 0 } as Record<Light, number>;
  for (const r of lightRows) if (r.light) byLight[r.light] = Number(r.count);
  const byStage = { PREPARATION: 0, CONSTRUCTION: 0, COMPLETED: 0, SUSPENDED: 0, CANCELLED: 0 } as Record<LifecycleStage, number>;
  for (const r of stageRows) byStage[r.stage] = Number(r.count);
  const planPeriodEnd = plan?.periodEnd ?? 2025;
  const planPeriodStart = plan?.periodStart ?? 2021;
  const inPlanPeriod = trendRows.filter((r) => r.period.getUTCFullYear() >= planPeriodStart && r.period.getUTCFullYear() <= planPeriodEnd).reduce((sum, r) => sum.plus(str(r.completed)), new Decimal(0));
  let cumulative = new Decimal(0);
  const trend = trendRows.map((r) => {
    cumulative = cumulative.plus(str(r.completed));
    return { period: periodOf(r.period), completed: str(r.completed), cumulative: cumulative.toString() };
  });

  return {
    plan: resolved?.plan ?? null,
    plans: resolved?.plans ?? [],
    asOf,
    year,
    reportingPeriod: asOfMonth,
    latestReportingMonth: stored,
    dueDay,
    projectCount: n("count"),
    lightsAsOf: (t.lightsAsOf as Date | null) ?? null,
    target: plan?.keyInvestmentTarget ?? null,
    plannedInvestment: str(t.planned as Sum),
    totalInvestment: str(t.total as Sum),
    completedInvestment: str(t.completed as Sum),
    completedInPlanPeriod: inPlanPeriod.toString(),
    planPeriodEnd,
    metrics: metricsAsOfMonth(totals, asOfMonth),
    byLight,
    byStage,
    byColumn: breakdown(columnRows),
    byCounty: breakdown(countyRows),
    bySector: breakdown(sectorRows).sort(byPlanned),
    byOwner: breakdown(ownerRows).sort(byPlanned).slice(0, 20),
    funds: fundRows.map((f) => ({ code: f.code, nameZh: f.nameZh, nameEn: f.nameEn, planned: str(f.planned), inPlaceThisYear: str(f.inPlace) })),
    trend,
    confidenceFlagged: n("confidenceFlagged"),
    noticeCounts: notices,
    /** 本年调整计划: projects with an approved baseline change this Beijing calendar year (docs/decisions/0030). */
    rebaselined,
    dataAsOf,
    county,
  };
}
