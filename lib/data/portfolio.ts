// The portfolio as the leadership group sees it: computed traffic lights kept per project
// (ProjectLight), the dashboard's totals and breakdowns, the delay-review list. Lights come from
// the pure engine (lib/domain/traffic-lights.ts); figures are summed in SQL over the actor's scope
// (docs/decisions/0012-portfolio-dashboard.md).
import "server-only";
import { prisma } from "@/lib/db";
import { env } from "@/lib/env";
import { READ_NOTICES, READ_PROJECTS } from "@/lib/auth/permissions";
import { assertPermission, type CurrentUser } from "@/lib/auth/session";
import { Decimal } from "@/lib/domain/money";
import {
  METRIC_DEFINITIONS,
  STAGES_OUTSIDE_ANNUAL_PLAN,
  metricDefinitions,
  metricsAsOfMonth,
  projectContribution,
  type FundsInPlace,
  type MilestoneFacts,
  type PortfolioMetrics,
  type PortfolioTotals,
  type ProjectSnapshot,
} from "@/lib/domain/portfolio-metrics";
import { FIRST_PERIOD, addMonths, chinaDay, isAsOfMonth, latestReportingMonth, periodOf, periodStart, returnsOwedFrom, yearToDate } from "@/lib/domain/reporting-calendar";
import { TRAFFIC_LIGHT_RULES, type TrafficLightRules } from "@/lib/domain/traffic-light-rules";
import { evaluateTrafficLight, type Light, type LightReason } from "@/lib/domain/traffic-lights";
import { Prisma } from "@/lib/generated/prisma/client";
// The projects the actor may see, as a condition on `p` (lib/policy: the one access policy).
import { projectSql as projectScopeSql } from "@/lib/policy";
import type { DeliveryConfidence, LifecycleStage, MilestoneKind } from "@/lib/generated/prisma/enums";
import { noticeCounts } from "./notices";

/** The engine's rules with this deployment's return due day (env.RETURN_DUE_DAY). */
export function trafficLightRules(): TrafficLightRules {
  return { ...TRAFFIC_LIGHT_RULES, monthlyReturn: { ...TRAFFIC_LIGHT_RULES.monthlyReturn, dueDay: env.RETURN_DUE_DAY } };
}

/** The reporting day for an instant: its calendar day in China (UTC midnight), as the engine reads dates. */
export function reportingDay(now: Date = new Date()): Date {
  return chinaDay(now);
}

/** The year whose figures the lights judge: the year of the latest reporting month (December's return is judged in January). */
export function planYearOf(asOf: Date, dueDay: number = env.RETURN_DUE_DAY): number {
  return yearToDate(latestReportingMonth(asOf, dueDay)).year;
}

/** The 规划目标 (4500亿, 万元) from the plan row, its one home; null before the plan is loaded. */
export async function planTarget(): Promise<string | null> {
  const plan = await prisma.plan.findFirst({ select: { keyInvestmentTarget: true } });
  return plan?.keyInvestmentTarget.toString() ?? null;
}

// ---------------------------------------------------------------------------------------------
// The calendar's and the plan's rules in SQL, written from the same definitions as the TypeScript
// (tests/integration/reporting-calendar.test.ts holds each form equal to the other).

/** isInAnnualPlan() as SQL: a positive annual plan of a project that has not left the plan. */
export function inAnnualPlanSql(amount: Prisma.Sql, lifecycleStage: Prisma.Sql): Prisma.Sql {
  return Prisma.sql`(coalesce(${amount} > 0, FALSE) AND ${lifecycleStage}::text <> ALL(${[...STAGES_OUTSIDE_ANNUAL_PLAN]}::text[]))`;
}

/**
 * returnsOwedFrom() as SQL on the "Project" alias `p`: the first day of the first month owed, NULL
 * when the project owes none (not under construction).
 */
export const RETURNS_OWED_FROM_SQL = Prisma.sql`(CASE WHEN p."lifecycleStage" = 'CONSTRUCTION' THEN GREATEST(${periodStart(FIRST_PERIOD)}::date,
  date_trunc('month', coalesce((SELECT ms."actualDate" FROM "Milestone" ms WHERE ms."projectId" = p.id AND ms.kind = 'START'), p."plannedStart", p."createdAt"::date)::timestamp)::date) END)`;

// ---------------------------------------------------------------------------------------------
// Snapshots: everything the engine needs, for many projects in four set-based queries.

interface ProjectRow {
  id: string;
  lifecycleStage: LifecycleStage;
  plannedStart: Date | null;
  plannedCompletion: Date | null;
  totalInvestment: Prisma.Decimal | null;
  completedInvestment: Prisma.Decimal;
  deliveryConfidence: DeliveryConfidence | null;
  createdAt: Date;
  annualPlan: Prisma.Decimal | null;
  completedThisYear: Prisma.Decimal | null;
  paymentsThisYear: Prisma.Decimal | null;
  approvedThisYear: bigint;
  latestReported: Date | null;
}

/**
 * Builds the engine's snapshots for the given projects and year.
 * - completed/payments/funds this year: APPROVED returns of January..the latest reporting month
 *   (lib/domain/reporting-calendar.ts yearToDate), the figures the dashboard and report sum;
 * - funds are unknown (null) when no return of the year was approved, [] when approved ones had none;
 * - latestReturnPeriod: the latest SUBMITTED or APPROVED month;
 * - returnsRequiredFrom: the calendar's returnsOwedFrom (projects under construction, from the
 *   month works started). Projects that owe no return get a first month after the reporting
 *   month, so the return rule cannot fire for them (a suspension is a light of its own).
 */
export async function loadSnapshots(ids: readonly string[] | null, year: number, asOf: Date, dueDay: number): Promise<Map<string, ProjectSnapshot>> {
  const out = new Map<string, ProjectSnapshot>();
  if (ids !== null && ids.length === 0) return out;
  const idArray = ids === null ? [] : [...ids];
  // null = every project: whole-table scans beat 100,000 index probes.
  const only = (column: Prisma.Sql) => (ids === null ? Prisma.sql`TRUE` : Prisma.sql`${column} = ANY(${idArray}::uuid[])`);
  // This year's figures are year to date as of the latest reporting month: returns of later months
  // (already approved or not) count from the day their month becomes the reporting month.
  const month = latestReportingMonth(asOf, dueDay);
  const ytd = yearToDate(month);
  if (ytd.year !== year) throw new RangeError(`${year} is not the year of the reporting month ${month}`);
  const yearStart = ytd.start;
  const nextYear = ytd.end;
  const [projects, funds, milestones] = await Promise.all([
    prisma.$queryRaw<ProjectRow[]>`
      SELECT p.id, p."lifecycleStage", p."plannedStart", p."plannedCompletion", p."totalInvestment", p."completedInvestment",
             p."deliveryConfidence", p."createdAt", ap.amount AS "annualPlan",
             r."completedThisYear", r."paymentsThisYear", coalesce(r."approvedThisYear", 0) AS "approvedThisYear", r."latestReported"
        FROM "Project" p
        LEFT JOIN "AnnualPlan" ap ON ap."projectId" = p.id AND ap.year = ${year}
        LEFT JOIN LATERAL (
          SELECT sum(m."completedInvestment") FILTER (WHERE m.status = 'APPROVED' AND m.period >= ${yearStart} AND m.period < ${nextYear}) AS "completedThisYear",
                 sum(m.payments) FILTER (WHERE m.status = 'APPROVED' AND m.period >= ${yearStart} AND m.period < ${nextYear}) AS "paymentsThisYear",
                 count(*) FILTER (WHERE m.status = 'APPROVED' AND m.period >= ${yearStart} AND m.period < ${nextYear}) AS "approvedThisYear",
                 max(m.period) FILTER (WHERE m.status IN ('SUBMITTED', 'APPROVED')) AS "latestReported"
            FROM "MonthlyReturn" m WHERE m."projectId" = p.id
        ) r ON TRUE
       WHERE ${only(Prisma.sql`p.id`)}`,
    prisma.$queryRaw<{ projectId: string; sourceCode: string; amount: Prisma.Decimal }[]>`
      SELECT m."projectId", f."sourceCode", sum(f.amount) AS amount
        FROM "ReturnFunding" f JOIN "MonthlyReturn" m ON m.id = f."returnId"
       WHERE ${only(Prisma.sql`m."projectId"`)} AND m.status = 'APPROVED' AND m.period >= ${yearStart} AND m.period < ${nextYear}
       GROUP BY 1, 2`,
    prisma.$queryRaw<(MilestoneFacts & { projectId: string })[]>`
      SELECT "projectId", kind, "baselineDate", "forecastDate", "actualDate" FROM "Milestone" WHERE ${only(Prisma.sql`"projectId"`)}`,
  ]);
  const fundsBy = new Map<string, FundsInPlace[]>();
  for (const f of funds) (fundsBy.get(f.projectId) ?? fundsBy.set(f.projectId, []).get(f.projectId)!).push({ sourceCode: f.sourceCode, amount: f.amount.toString() });
  const milestonesBy = new Map<string, MilestoneFacts[]>();
  for (const m of milestones) {
    (milestonesBy.get(m.projectId) ?? milestonesBy.set(m.projectId, []).get(m.projectId)!).push({ kind: m.kind, baselineDate: m.baselineDate, forecastDate: m.forecastDate, actualDate: m.actualDate });
  }
  const nothingDue = periodStart(addMonths(month, 1));
  for (const p of projects) {
    const ms = milestonesBy.get(p.id) ?? [];
    const owedFrom = returnsOwedFrom({ lifecycleStage: p.lifecycleStage, actualStart: ms.find((m) => m.kind === "START")?.actualDate ?? null, plannedStart: p.plannedStart, createdAt: p.createdAt });
    const requiredFrom = owedFrom === null ? nothingDue : periodStart(owedFrom);
    out.set(p.id, {
      lifecycleStage: p.lifecycleStage,
      plannedStart: p.plannedStart,
      plannedCompletion: p.plannedCompletion,
      totalInvestment: p.totalInvestment?.toString() ?? null,
      planYear: year,
      annualPlan: p.annualPlan?.toString() ?? null,
      completedThisYear: p.completedThisYear?.toString() ?? "0",
      completedTotal: p.completedInvestment.toString(),
      fundsInPlaceThisYear: Number(p.approvedThisYear) > 0 ? (fundsBy.get(p.id) ?? []) : null,
      paymentsThisYear: p.paymentsThisYear?.toString() ?? null,
      milestones: ms,
      latestReturnPeriod: p.latestReported,
      returnsRequiredFrom: requiredFrom,
      deliveryConfidence: p.deliveryConfidence,
    });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Stored lights: recomputed when from another day or due day, or marked stale by a trigger.

const REFRESH_CHUNK = 2000;

/** Above this many rows to recompute, snapshots are read with whole-table scans instead of by id. */
const SET_BASED_FROM = 20_000;

/**
 * Recomputes the lights that are missing, marked stale, or from another day or due day (only the
 * missing and stale ones with `onlyChanged`); returns how many.
 */
export async function refreshTrafficLights(asOf: Date = reportingDay(), options: { all?: boolean; onlyChanged?: boolean } = {}): Promise<number> {
  const rules = trafficLightRules();
  const dueDay = rules.monthlyReturn.dueDay;
  const year = planYearOf(asOf, dueDay);
  // Narrow lookups on the (asOf, dueDay) and staleAt indexes instead of reading every wide row;
  // each is empty when everything is fresh. Every project has a light row (a placeholder is
  // inserted with the project, marked stale); the anti-join for rows deleted by hand runs only in
  // the full pass.
  const ids = options.all
    ? await prisma.$queryRaw<{ id: string }[]>`SELECT id FROM "Project"`
    : await prisma.$queryRaw<{ id: string }[]>`
        SELECT "projectId" AS id FROM "ProjectLight" WHERE "staleAt" IS NOT NULL
        UNION SELECT "projectId" FROM "ProjectLight" WHERE "asOf" = ${asOf}::date AND ("dueDay" < ${dueDay} OR "dueDay" > ${dueDay})
        ${
          options.onlyChanged
            ? Prisma.empty
            : Prisma.sql`UNION SELECT "projectId" FROM "ProjectLight" WHERE "asOf" < ${asOf}::date OR "asOf" > ${asOf}::date
                         UNION SELECT p.id FROM "Project" p WHERE NOT EXISTS (SELECT 1 FROM "ProjectLight" l WHERE l."projectId" = p.id)`
        }`;
  if (ids.length === 0) return 0;
  const loadedAt = new Date();
  const all = ids.length >= SET_BASED_FROM ? await loadSnapshots(null, year, asOf, dueDay) : null;
  for (let i = 0; i < ids.length; i += REFRESH_CHUNK) {
    const chunk = ids.slice(i, i + REFRESH_CHUNK).map((r) => r.id);
    const snapshots = all ? new Map(chunk.filter((id) => all.has(id)).map((id) => [id, all.get(id)!])) : await loadSnapshots(chunk, year, asOf, dueDay);
    const rows = [...snapshots].map(([projectId, snapshot]) => {
      const t = evaluateTrafficLight(snapshot, asOf, rules);
      const c = projectContribution(snapshot, year, asOf);
      return {
        projectId,
        light: t.light,
        severity: Number.isFinite(t.severity) ? t.severity : 1e9,
        redRules: t.rules.filter((r) => r.light === "RED").length,
        yellowRules: t.rules.filter((r) => r.light === "YELLOW").length,
        reasons: t.reasons,
        missingData: t.missingData,
        confidenceDifference: t.confidence.comparable ? t.confidence.difference : null,
        confidenceFlagged: t.confidence.comparable && t.confidence.flagged,
        annualPlan: snapshot.annualPlan === null ? null : String(snapshot.annualPlan),
        completedThisYear: String(snapshot.completedThisYear),
        fundsThisYear: snapshot.fundsInPlaceThisYear === null ? null : snapshot.fundsInPlaceThisYear.reduce((sum, f) => sum.plus(f.amount.toString()), new Decimal(0)).toString(),
        paymentsThisYear: snapshot.paymentsThisYear === null ? null : String(snapshot.paymentsThisYear),
        inAnnualPlan: c.inAnnualPlan === 1,
        startDue: c.dueToStart === 1,
        started: c.started === 1,
        completionDue: c.dueToComplete === 1,
        completedOnTime: c.onTime === 1,
        completionDateUnknown: c.completionDateUnknown === 1,
      };
    });
    const chunkIds = rows.map((r) => r.projectId);
    const funds = [...snapshots].flatMap(([projectId, snapshot]) =>
      (snapshot.fundsInPlaceThisYear ?? []).map((f) => ({ projectId, sourceCode: f.sourceCode, amount: f.amount.toString() })),
    );
    // One transaction per chunk; a row marked stale after this chunk was read stays stale.
    const json = JSON.stringify(rows);
    await prisma.$transaction([
      prisma.$executeRaw`
      INSERT INTO "ProjectLight" ("projectId", "asOf", "dueDay", "planYear", light, severity, "redRules", "yellowRules", reasons, "missingData",
        "confidenceDifference", "confidenceFlagged", "staleAt", "computedAt")
      SELECT x."projectId"::uuid, ${asOf}::date, ${dueDay}, ${year}, x.light::"TrafficLightColor", x.severity, x."redRules", x."yellowRules", x.reasons, x."missingData",
             x."confidenceDifference", x."confidenceFlagged", NULL, now()
        FROM jsonb_to_recordset(${json}::jsonb) AS x("projectId" text, light text, severity float8, "redRules" int, "yellowRules" int,
             reasons jsonb, "missingData" jsonb, "confidenceDifference" int, "confidenceFlagged" boolean)
      ON CONFLICT ("projectId") DO UPDATE SET
        "asOf" = EXCLUDED."asOf", "dueDay" = EXCLUDED."dueDay", "planYear" = EXCLUDED."planYear", light = EXCLUDED.light, severity = EXCLUDED.severity,
        "redRules" = EXCLUDED."redRules", "yellowRules" = EXCLUDED."yellowRules", reasons = EXCLUDED.reasons, "missingData" = EXCLUDED."missingData",
        "confidenceDifference" = EXCLUDED."confidenceDifference", "confidenceFlagged" = EXCLUDED."confidenceFlagged", "computedAt" = now(),
        "staleAt" = CASE WHEN "ProjectLight"."staleAt" > (${loadedAt}::timestamptz AT TIME ZONE 'UTC') THEN "ProjectLight"."staleAt" ELSE NULL END`,
      // What the dashboard sums: the project's share of the 四率 and copies of its amounts and
      // dimensions, read from the project as it is now (a later change marks the light stale).
      prisma.$executeRaw`
      INSERT INTO "PortfolioFact" (id, "asOf", "planYear", light, "confidenceFlagged", "plannedInvestment", "totalInvestment", "completedInvestment",
        "lifecycleStage", "columnId", "sectorCode", "ownerOrgId", "reviewDivisionCode", "annualPlan", "completedThisYear", "fundsThisYear",
        "paymentsThisYear", "inAnnualPlan", "startDue", started, "completionDue", "completedOnTime", "completionDateUnknown")
      SELECT p.id, ${asOf}::date, ${year}, x.light::"TrafficLightColor", x."confidenceFlagged", p."plannedInvestment", p."totalInvestment", p."completedInvestment",
             p."lifecycleStage", p."columnId", p."sectorCode", p."ownerOrgId", p."reviewDivisionCode", x."annualPlan", x."completedThisYear", x."fundsThisYear",
             x."paymentsThisYear", x."inAnnualPlan", x."startDue", x.started, x."completionDue", x."completedOnTime", x."completionDateUnknown"
        FROM jsonb_to_recordset(${json}::jsonb) AS x("projectId" text, light text, "confidenceFlagged" boolean, "annualPlan" numeric, "completedThisYear" numeric,
             "fundsThisYear" numeric, "paymentsThisYear" numeric, "inAnnualPlan" boolean, "startDue" boolean, started boolean, "completionDue" boolean,
             "completedOnTime" boolean, "completionDateUnknown" boolean)
        JOIN "Project" p ON p.id = x."projectId"::uuid
      ON CONFLICT (id) DO UPDATE SET
        "asOf" = EXCLUDED."asOf", "planYear" = EXCLUDED."planYear", light = EXCLUDED.light, "confidenceFlagged" = EXCLUDED."confidenceFlagged",
        "plannedInvestment" = EXCLUDED."plannedInvestment", "totalInvestment" = EXCLUDED."totalInvestment", "completedInvestment" = EXCLUDED."completedInvestment",
        "lifecycleStage" = EXCLUDED."lifecycleStage", "columnId" = EXCLUDED."columnId", "sectorCode" = EXCLUDED."sectorCode", "ownerOrgId" = EXCLUDED."ownerOrgId",
        "reviewDivisionCode" = EXCLUDED."reviewDivisionCode", "annualPlan" = EXCLUDED."annualPlan", "completedThisYear" = EXCLUDED."completedThisYear",
        "fundsThisYear" = EXCLUDED."fundsThisYear", "paymentsThisYear" = EXCLUDED."paymentsThisYear", "inAnnualPlan" = EXCLUDED."inAnnualPlan",
        "startDue" = EXCLUDED."startDue", started = EXCLUDED.started, "completionDue" = EXCLUDED."completionDue", "completedOnTime" = EXCLUDED."completedOnTime",
        "completionDateUnknown" = EXCLUDED."completionDateUnknown"`,
      // The year's funds in place by source.
      prisma.$executeRaw`DELETE FROM "PortfolioFactFunds" WHERE "projectId" = ANY(${chunkIds}::uuid[])`,
      prisma.$executeRaw`
        INSERT INTO "PortfolioFactFunds" ("projectId", "sourceCode", amount)
        SELECT x."projectId"::uuid, x."sourceCode", x.amount FROM jsonb_to_recordset(${JSON.stringify(funds)}::jsonb) AS x("projectId" text, "sourceCode" text, amount numeric)
        ON CONFLICT ("projectId", "sourceCode") DO UPDATE SET amount = EXCLUDED.amount`,
    ]);
  }
  // A recomputation this large rewrote most rows: fresh statistics keep the freshness check an
  // index lookup (stale ones claim every row is out of date, and the planner scans the table).
  if (ids.length >= SET_BASED_FROM) await prisma.$executeRaw`ANALYZE "ProjectLight", "PortfolioFact", "PortfolioFactFunds"`;
  return ids.length;
}

/** A new day's recomputation of more lights than this runs in the background (see ensureFreshLights). */
const ROLLOVER_INLINE_MAX = 5000;
let rollover: Promise<unknown> | null = null;

/**
 * Brings the stored lights up to date before they are read. Missing and changed ones (marked by
 * the triggers) are recomputed first, always. When a new day makes many others out of date (a
 * large library on the first request of the day), those are recomputed in the background, one
 * run per process, and readers see the previous day's lights meanwhile; `lightsAsOf` tells them.
 */
export async function ensureFreshLights(asOf: Date = reportingDay()): Promise<void> {
  const [row] = await prisma.$queryRaw<{ count: bigint }[]>`SELECT count(*) AS count FROM "ProjectLight" WHERE "asOf" < ${asOf}::date OR "asOf" > ${asOf}::date`;
  const outOfDate = Number(row?.count ?? 0);
  // Today's lights: only those marked stale since (two index lookups when there are none).
  if (outOfDate === 0) {
    await refreshTrafficLights(asOf, { onlyChanged: true });
    return;
  }
  if (outOfDate <= ROLLOVER_INLINE_MAX) {
    await refreshTrafficLights(asOf);
    return;
  }
  await refreshTrafficLights(asOf, { onlyChanged: true });
  rollover ??= refreshTrafficLights(asOf)
    .catch((error: unknown) => console.error("[lights] background recomputation failed", error))
    .finally(() => {
      rollover = null;
    });
}

// ---------------------------------------------------------------------------------------------
// The dashboard

export interface Breakdown {
  key: string;
  label: string;
  count: number;
  plannedInvestment: string;
  completedInvestment: string;
  annualPlan: string;
  completedThisYear: string;
  red: number;
  yellow: number;
}

export interface Dashboard {
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
  /** Completed within the plan period (2021 to Plan.periodEnd), the figure the 4500亿 target is about. */
  completedInPlanPeriod: string;
  planPeriodEnd: number;
  metrics: PortfolioMetrics;
  definitions: ReturnType<typeof metricDefinitions>;
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
}

type Sum = Prisma.Decimal | null;
const str = (value: Sum | undefined) => (value ?? 0).toString();

function breakdown(rows: (DashboardRow & { label: string; key: string })[]): Breakdown[] {
  return rows.map((r) => ({
    key: r.key,
    label: r.label,
    count: Number(r.count),
    plannedInvestment: str(r.planned as Sum),
    completedInvestment: str(r.completed as Sum),
    annualPlan: str(r.annualPlan as Sum),
    completedThisYear: str(r.completedThisYear as Sum),
    red: Number(r.red),
    yellow: Number(r.yellow),
  }));
}

// ---------------------------------------------------------------------------------------------
// One row per project as of month M: what the dashboard and the monthly report sum. Both forms
// have the columns of PortfolioFact, with "completedInvestment" cumulative through M and the year's
// figures year to date as of M (lib/domain/reporting-calendar.ts yearToDate).

/**
 * From the returns, for any month: approved returns before the month's end, the year's plan, the
 * membership rule in SQL. The 开工率 and 按期竣工率 flags are judged as of a day, not a month, and
 * are kept only for the latest reporting month (storedFactsSql); here they are FALSE.
 */
export function monthFactsSql(month: string): Prisma.Sql {
  const ytd = yearToDate(month);
  return Prisma.sql`(
    SELECT p.id, p."ownerOrgId", p."reviewDivisionCode", p."columnId", p."sectorCode", p."lifecycleStage", p."plannedInvestment", p."totalInvestment",
           f.light, coalesce(f."confidenceFlagged", FALSE) AS "confidenceFlagged", f."asOf",
           coalesce(r.total, 0) AS "completedInvestment", r.month AS "completedMonth",
           ap.amount AS "annualPlan", coalesce(r.ytd, 0) AS "completedThisYear",
           CASE WHEN r."approvedYtd" > 0 THEN coalesce(fu.amount, 0) END AS "fundsThisYear", r.payments AS "paymentsThisYear",
           ${inAnnualPlanSql(Prisma.sql`ap.amount`, Prisma.sql`p."lifecycleStage"`)} AS "inAnnualPlan",
           FALSE AS "startDue", FALSE AS started, FALSE AS "completionDue", FALSE AS "completedOnTime", FALSE AS "completionDateUnknown"
      FROM "Project" p
      LEFT JOIN "PortfolioFact" f ON f.id = p.id
      LEFT JOIN "AnnualPlan" ap ON ap."projectId" = p.id AND ap.year = ${ytd.year}
      LEFT JOIN (
        SELECT m."projectId",
               sum(m."completedInvestment") FILTER (WHERE m.period = ${periodStart(month)}) AS month,
               sum(m."completedInvestment") FILTER (WHERE m.period >= ${ytd.start}) AS ytd,
               count(*) FILTER (WHERE m.period >= ${ytd.start}) AS "approvedYtd",
               sum(m.payments) FILTER (WHERE m.period >= ${ytd.start}) AS payments,
               sum(m."completedInvestment") AS total
          FROM "MonthlyReturn" m WHERE m.status = 'APPROVED' AND m.period < ${ytd.end} GROUP BY 1) r ON r."projectId" = p.id
      LEFT JOIN (
        SELECT m."projectId", sum(x.amount) AS amount FROM "ReturnFunding" x JOIN "MonthlyReturn" m ON m.id = x."returnId"
         WHERE m.status = 'APPROVED' AND m.period >= ${ytd.start} AND m.period < ${ytd.end} GROUP BY 1) fu ON fu."projectId" = p.id)`;
}

/**
 * From the stored facts (PortfolioFact, kept for the latest reporting month by refreshTrafficLights
 * through projectContribution): fast at 100,000 projects. Its cumulative copy of
 * Project.completedInvestment includes months approved ahead of their turn; those are taken off.
 */
function storedFactsSql(month: string): Prisma.Sql {
  const ytd = yearToDate(month);
  return Prisma.sql`(
    SELECT f.id, f."ownerOrgId", f."reviewDivisionCode", f."columnId", f."sectorCode", f."lifecycleStage", f."plannedInvestment", f."totalInvestment",
           f.light, f."confidenceFlagged", f."asOf",
           f."completedInvestment" - coalesce(l.amount, 0) AS "completedInvestment", NULL::numeric AS "completedMonth",
           f."annualPlan", f."completedThisYear", f."fundsThisYear", f."paymentsThisYear", f."inAnnualPlan",
           f."startDue", f.started, f."completionDue", f."completedOnTime", f."completionDateUnknown"
      FROM "PortfolioFact" f
      LEFT JOIN (SELECT m."projectId", sum(m."completedInvestment") AS amount FROM "MonthlyReturn" m
                  WHERE m.status = 'APPROVED' AND m.period >= ${ytd.end} GROUP BY 1) l ON l."projectId" = f.id)`;
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
export async function getDashboard(actor: CurrentUser, now: Date = new Date(), month?: string): Promise<Dashboard> {
  await assertPermission(actor, "portfolio:read:all");
  const asOf = reportingDay(now);
  const dueDay = env.RETURN_DUE_DAY;
  const latest = latestReportingMonth(asOf, dueDay);
  const asOfMonth = month ?? latest;
  if (!isAsOfMonth(asOfMonth, now)) throw new RangeError(`not a month the dashboard can be as of: ${asOfMonth}`);
  const ytd = yearToDate(asOfMonth);
  const year = ytd.year;
  const stored = asOfMonth === latest;
  await ensureFreshLights(asOf);
  const scope = projectScopeSql(actor) ?? Prisma.sql`FALSE`;
  const everything = actor.permissions.has("project:read:all");
  const inScope = (projectId: Prisma.Sql) => (everything ? Prisma.sql`TRUE` : Prisma.sql`${projectId} IN (SELECT p.id FROM "PortfolioFact" p WHERE ${scope})`);
  const trendFrom = periodStart(FIRST_PERIOD);
  const facts = stored ? storedFactsSql(asOfMonth) : monthFactsSql(asOfMonth);
  const readsNotices = READ_NOTICES.some((p) => actor.permissions.has(p));

  const [totalRows, groupRows, countyRows, columns, sectors, owners, fundRows, trendRows, plan, notices] = await Promise.all([
    prisma.$queryRaw<Record<string, Sum | bigint | Date | null>[]>`SELECT ${TOTAL_SUMS} FROM ${facts} p WHERE ${scope}`,
    prisma.$queryRaw<DashboardRow[]>`
      SELECT CASE WHEN GROUPING(p.light) = 0 THEN 'light' WHEN GROUPING(p."lifecycleStage") = 0 THEN 'stage' WHEN GROUPING(p."columnId") = 0 THEN 'column'
                  WHEN GROUPING(p."sectorCode") = 0 THEN 'sector' ELSE 'owner' END AS dim,
             coalesce(p.light::text, p."lifecycleStage"::text, p."columnId"::text, p."sectorCode", p."ownerOrgId"::text) AS key,
             ${BREAKDOWN_SUMS}
        FROM ${facts} p WHERE ${scope}
       GROUP BY GROUPING SETS ((p.light), (p."lifecycleStage"), (p."columnId"), (p."sectorCode"), (p."ownerOrgId"))`,
    prisma.$queryRaw<(DashboardRow & { label: string; key: string })[]>`
      SELECT d.code AS key, d.name AS label, ${BREAKDOWN_SUMS}
        FROM ${facts} p JOIN "ProjectLocation" pl ON pl."projectId" = p.id JOIN "AdminDivision" d ON d.code = pl."divisionCode"
       WHERE ${scope} GROUP BY d.code, d.name, d."sortOrder" ORDER BY d."sortOrder"`,
    prisma.planColumn.findMany({ select: { id: true, number: true, title: true } }),
    prisma.sector.findMany({ select: { code: true, nameZh: true, sortOrder: true } }),
    prisma.organization.findMany({ select: { id: true, name: true } }),
    prisma.$queryRaw<{ code: string; nameZh: string; nameEn: string; planned: Sum; inPlace: Sum }[]>`
      SELECT fs.code, fs."nameZh", fs."nameEn", pf.amount AS planned, lf.amount AS "inPlace"
        FROM "FundingSource" fs
        LEFT JOIN (SELECT "sourceCode", sum(amount) AS amount FROM "ProjectFunding" WHERE ${inScope(Prisma.sql`"projectId"`)} GROUP BY 1) pf ON pf."sourceCode" = fs.code
        LEFT JOIN ${
          stored
            ? Prisma.sql`(SELECT "sourceCode", sum(amount) AS amount FROM "PortfolioFactFunds" WHERE ${inScope(Prisma.sql`"projectId"`)} GROUP BY 1)`
            : Prisma.sql`(SELECT x."sourceCode", sum(x.amount) AS amount FROM "ReturnFunding" x JOIN "MonthlyReturn" m ON m.id = x."returnId"
                           WHERE m.status = 'APPROVED' AND m.period >= ${ytd.start} AND m.period < ${ytd.end} AND ${inScope(Prisma.sql`m."projectId"`)} GROUP BY 1)`
        } lf ON lf."sourceCode" = fs.code
       ORDER BY fs."sortOrder"`,
    everything
      ? prisma.$queryRaw<{ period: Date; completed: Sum }[]>`
          SELECT period, completed FROM "PortfolioMonth" WHERE period >= ${trendFrom} AND period < ${ytd.end} AND returns > 0 ORDER BY period`
      : prisma.$queryRaw<{ period: Date; completed: Sum }[]>`
          SELECT m.period, sum(m."completedInvestment") AS completed
            FROM "MonthlyReturn" m JOIN "Project" p ON p.id = m."projectId"
           WHERE m.status = 'APPROVED' AND m.period >= ${trendFrom} AND m.period < ${ytd.end} AND ${scope}
           GROUP BY m.period ORDER BY m.period`,
    prisma.plan.findFirst({ select: { keyInvestmentTarget: true, periodEnd: true } }),
    readsNotices ? noticeCounts(actor, now, { sentBefore: ytd.issuedBefore }) : null,
  ]);

  const t = totalRows[0]!; // an aggregate without GROUP BY always returns one row
  const group = (dim: DashboardRow["dim"]) => groupRows.filter((r) => r.dim === dim);
  const columnOf = new Map(columns.map((c) => [c.id, c]));
  const sectorOf = new Map(sectors.map((c) => [c.code, c]));
  const ownerOf = new Map(owners.map((o) => [o.id, o.name]));
  const byPlanned = (a: Breakdown, b: Breakdown) => new Decimal(b.plannedInvestment).comparedTo(a.plannedInvestment) || a.label.localeCompare(b.label, "zh-CN");
  const columnRows = group("column")
    .map((r) => ({ ...r, key: String(columnOf.get(r.key!)!.number), label: `专栏${columnOf.get(r.key!)!.number} ${columnOf.get(r.key!)!.title}` }))
    .sort((a, b) => Number(a.key) - Number(b.key));
  const sectorRows = group("sector").map((r) => ({ ...r, key: r.key ?? "", label: r.key ? sectorOf.get(r.key)!.nameZh : "未分类" }));
  const ownerRows = group("owner").map((r) => ({ ...r, key: r.key ?? "", label: r.key ? ownerOf.get(r.key)! : "未确定业主" }));
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
  const inPlanPeriod = trendRows.filter((r) => r.period.getUTCFullYear() <= planPeriodEnd).reduce((sum, r) => sum.plus(str(r.completed)), new Decimal(0));
  let cumulative = new Decimal(0);
  const trend = trendRows.map((r) => {
    cumulative = cumulative.plus(str(r.completed));
    return { period: periodOf(r.period), completed: str(r.completed), cumulative: cumulative.toString() };
  });

  return {
    asOf,
    year,
    reportingPeriod: asOfMonth,
    latestReportingMonth: stored,
    dueDay,
    projectCount: n("count"),
    lightsAsOf: (t.lightsAsOf as Date | null) ?? null,
    target: plan?.keyInvestmentTarget.toString() ?? null,
    plannedInvestment: str(t.planned as Sum),
    totalInvestment: str(t.total as Sum),
    completedInvestment: str(t.completed as Sum),
    completedInPlanPeriod: inPlanPeriod.toString(),
    planPeriodEnd,
    metrics: metricsAsOfMonth(totals, asOfMonth),
    definitions: dueDay === TRAFFIC_LIGHT_RULES.monthlyReturn.dueDay ? METRIC_DEFINITIONS : metricDefinitions(dueDay),
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
  };
}

// ---------------------------------------------------------------------------------------------
// Delay review: red and yellow projects, worst first.

export interface DelayRow {
  projectId: string;
  name: string;
  planKey: string | null;
  light: "RED" | "YELLOW";
  severity: number;
  reasons: LightReason[];
  owner: { id: string; name: string } | null;
  counties: string[];
  deliveryConfidence: DeliveryConfidence | null;
  confidenceDifference: number | null;
  confidenceFlagged: boolean;
  openNotices: number;
  overdueNotices: number;
}

export async function listDelayReview(actor: CurrentUser, options: { light?: ("RED" | "YELLOW")[]; limit?: number } = {}, now: Date = new Date()) {
  await assertPermission(actor, ...READ_PROJECTS);
  const asOf = reportingDay(now);
  await ensureFreshLights(asOf);
  const scope = projectScopeSql(actor);
  if (!scope) return { asOf, rows: [] as DelayRow[], total: 0 };
  const lights = options.light?.length ? options.light : ["RED", "YELLOW"];
  const limit = Math.min(options.limit ?? 500, 2000);
  // Scope through PortfolioFact (narrow, same key and scope columns as "Project"); the whole
  // library needs no join at all.
  const scoped = actor.permissions.has("project:read:all")
    ? Prisma.sql`"ProjectLight" l WHERE`
    : Prisma.sql`"ProjectLight" l JOIN "PortfolioFact" p ON p.id = l."projectId" WHERE ${scope} AND`;
  const [rows, [count]] = await Promise.all([
    prisma.$queryRaw<
      { projectId: string; name: string; planKey: string | null; light: "RED" | "YELLOW"; severity: number; reasons: LightReason[]; ownerId: string | null; ownerName: string | null; counties: string[] | null; deliveryConfidence: DeliveryConfidence | null; confidenceDifference: number | null; confidenceFlagged: boolean; openNotices: bigint; overdueNotices: bigint }[]
    >`
    WITH cand AS (
      -- The first rows in the order of index ProjectLight_worst_first_idx (RED before YELLOW by
      -- the enum's order, then severity and rule counts), read straight off the index ...
      SELECT l."projectId", l.light, l.severity, l."redRules", l."yellowRules" FROM ${scoped} l.light::text = ANY(${lights}::text[])
       ORDER BY l.light, l.severity DESC, l."redRules" DESC, l."yellowRules" DESC, l."projectId" LIMIT ${limit}),
    last AS (SELECT * FROM cand ORDER BY light DESC, severity, "redRules", "yellowRules" LIMIT 1),
    worst AS (
      -- ... plus every row tied with the last one, so the tie-break by 规划编号 below is exact.
      SELECT "projectId" FROM cand
      UNION
      SELECT l."projectId" FROM ${scoped} (l.light, l.severity, l."redRules", l."yellowRules") = (SELECT light, severity, "redRules", "yellowRules" FROM last)),
    top AS (
      SELECT p.id, p.name, p."planKey", p."ownerOrgId", p."deliveryConfidence", l.light, l.severity, l.reasons, l."redRules", l."yellowRules",
             l."confidenceDifference", l."confidenceFlagged"
        FROM worst w JOIN "ProjectLight" l ON l."projectId" = w."projectId" JOIN "Project" p ON p.id = w."projectId"
       ORDER BY l.light, l.severity DESC, l."redRules" DESC, l."yellowRules" DESC, p."planKey" NULLS LAST, p.id
       LIMIT ${limit})
    SELECT w.id AS "projectId", w.name, w."planKey", w.light::text AS light, w.severity, w.reasons, o.id AS "ownerId", o.name AS "ownerName",
           (SELECT array_agg(d.name ORDER BY d."sortOrder") FROM "ProjectLocation" pl JOIN "AdminDivision" d ON d.code = pl."divisionCode" WHERE pl."projectId" = w.id) AS counties,
           w."deliveryConfidence", w."confidenceDifference", w."confidenceFlagged",
           (SELECT count(*) FROM "SupervisionNotice" n WHERE n."projectId" = w.id AND n.status <> 'CLOSED') AS "openNotices",
           (SELECT count(*) FROM "SupervisionNotice" n WHERE n."projectId" = w.id AND n.status = 'OPEN' AND n.deadline < ${asOf}::date) AS "overdueNotices"
      FROM top w LEFT JOIN "Organization" o ON o.id = w."ownerOrgId"
     ORDER BY w.light, w.severity DESC, w."redRules" DESC, w."yellowRules" DESC, w."planKey" NULLS LAST, w.id`,
    prisma.$queryRaw<{ total: bigint }[]>`SELECT count(*) AS total FROM ${scoped} l.light::text = ANY(${lights}::text[])`,
  ]);
  return {
    asOf,
    total: Number(count?.total ?? 0),
    rows: rows.map(
      (r): DelayRow => ({
        projectId: r.projectId,
        name: r.name,
        planKey: r.planKey,
        light: r.light,
        severity: r.severity,
        reasons: r.reasons,
        owner: r.ownerId ? { id: r.ownerId, name: r.ownerName! } : null,
        counties: r.counties ?? [],
        deliveryConfidence: r.deliveryConfidence,
        confidenceDifference: r.confidenceDifference,
        confidenceFlagged: r.confidenceFlagged,
        openNotices: Number(r.openNotices),
        overdueNotices: Number(r.overdueNotices),
      }),
    ),
  };
}

/** The stored light of one project the actor may see (refreshed first), or null. */
export async function getProjectLight(actor: CurrentUser, projectId: string, now: Date = new Date()) {
  await assertPermission(actor, ...READ_PROJECTS);
  const scope = projectScopeSql(actor);
  if (!scope) return null;
  await ensureFreshLights(reportingDay(now));
  const [row] = await prisma.$queryRaw<{ light: Light; reasons: LightReason[]; missingData: LightReason[]; confidenceDifference: number | null; confidenceFlagged: boolean; asOf: Date }[]>`
    SELECT l.light::text AS light, l.reasons, l."missingData", l."confidenceDifference", l."confidenceFlagged", l."asOf"
      FROM "Project" p JOIN "ProjectLight" l ON l."projectId" = p.id WHERE p.id = ${projectId}::uuid AND ${scope}`;
  return row ?? null;
}
