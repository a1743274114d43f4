// The stored traffic lights (ProjectLight, with PortfolioFact): the engine's snapshots read in
// sets, recomputed when out of date or marked stale by a trigger. The engine itself is pure, in
// lib/domain/traffic-lights.ts (docs/decisions/0012-portfolio-dashboard.md).
import "server-only";
import { prisma } from "@/lib/db";
import { env } from "@/lib/env";
import { READ_PROJECTS } from "@/lib/auth/permissions";
import { assertPermission, type CurrentUser } from "@/lib/auth/session";
import { Decimal } from "@/lib/domain/money";
import { projectContribution, type FundsInPlace, type MilestoneFacts, type ProjectSnapshot } from "@/lib/domain/portfolio-metrics";
import { addMonths, chinaDay, latestReportingMonth, periodStart, returnsOwedFrom, yearToDate } from "@/lib/domain/reporting-calendar";
import { TRAFFIC_LIGHT_RULES, type TrafficLightRules } from "@/lib/domain/traffic-light-rules";
import { evaluateTrafficLight, type Light, type LightReason } from "@/lib/domain/traffic-lights";
import { Prisma } from "@/lib/generated/prisma/client";
// The projects the actor may see, as a condition on `p` (lib/policy: the one access policy).
import { projectSql as projectScopeSql } from "@/lib/policy";
import type { DeliveryConfidence, LifecycleStage } from "@/lib/generated/prisma/enums";

/** The pool or a caller's transaction: a single project's light is recomputed inside the change that made it stale. */
type Db = Prisma.TransactionClient | typeof prisma;

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
/** The projects whose id lies between two ids (uuid order), both included. */
export interface IdRange {
  from: string;
  to: string;
}

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
export async function loadSnapshots(ids: readonly string[] | null | IdRange, year: number, asOf: Date, dueDay: number, db: Db = prisma): Promise<Map<string, ProjectSnapshot>> {
  const out = new Map<string, ProjectSnapshot>();
  if (Array.isArray(ids) && ids.length === 0) return out;
  const range = ids !== null && !Array.isArray(ids) ? (ids as IdRange) : null;
  const idArray = Array.isArray(ids) ? [...(ids as readonly string[])] : [];
  // null = every project: whole-table scans beat 100,000 index probes.
  // A range of ids (the full pass, chunk by chunk): index range scans, set-based within the range.
  const only = (column: Prisma.Sql) =>
    ids === null ? Prisma.sql`TRUE` : range ? Prisma.sql`${column} BETWEEN ${range.from}::uuid AND ${range.to}::uuid` : Prisma.sql`${column} = ANY(${idArray}::uuid[])`;
  // This year's figures are year to date as of the latest reporting month: returns of later months
  // (already approved or not) count from the day their month becomes the reporting month.
  const month = latestReportingMonth(asOf, dueDay);
  const ytd = yearToDate(month);
  if (ytd.year !== year) throw new RangeError(`${year} is not the year of the reporting month ${month}`);
  const yearStart = ytd.start;
  const nextYear = ytd.end;
  // Each project's figures from its returns. Every project: one hash aggregate over the table
  // (100k index probes through a LATERAL took 18 s at 100k projects, the aggregate 2-4 s).
  // A few ids: the LATERAL probes the (projectId, period) index.
  const returnFigures = (where: Prisma.Sql, key: Prisma.Sql) => Prisma.sql`
          SELECT ${key}
                 sum(m."completedInvestment") FILTER (WHERE m.status = 'APPROVED' AND m.period >= ${yearStart} AND m.period < ${nextYear}) AS "completedThisYear",
                 sum(m.payments) FILTER (WHERE m.status = 'APPROVED' AND m.period >= ${yearStart} AND m.period < ${nextYear}) AS "paymentsThisYear",
                 count(*) FILTER (WHERE m.status = 'APPROVED' AND m.period >= ${yearStart} AND m.period < ${nextYear}) AS "approvedThisYear",
                 max(m.period) FILTER (WHERE m.status IN ('SUBMITTED', 'APPROVED')) AS "latestReported"
            FROM "MonthlyReturn" m WHERE ${where}`;
  // Sequential on a transaction's one connection; in parallel on the pool otherwise.
  const [projects, funds, milestones] = await Promise.all([
    db.$queryRaw<ProjectRow[]>`
      SELECT p.id, p."lifecycleStage", p."plannedStart", p."plannedCompletion", p."totalInvestment", p."completedInvestment",
             p."deliveryConfidence", p."createdAt", ap.amount AS "annualPlan",
             r."completedThisYear", r."paymentsThisYear", coalesce(r."approvedThisYear", 0) AS "approvedThisYear", r."latestReported"
        FROM "Project" p
        LEFT JOIN "AnnualPlan" ap ON ap."projectId" = p.id AND ap.year = ${year}
        ${Array.isArray(ids) ? Prisma.sql`LEFT JOIN LATERAL (${returnFigures(Prisma.sql`m."projectId" = p.id`, Prisma.empty)}) r ON TRUE` : Prisma.sql`LEFT JOIN (${returnFigures(only(Prisma.sql`m."projectId"`), Prisma.sql`m."projectId",`)} GROUP BY m."projectId") r ON r."projectId" = p.id`}
       WHERE ${only(Prisma.sql`p.id`)}`,
    db.$queryRaw<{ projectId: string; sourceCode: string; amount: Prisma.Decimal }[]>`
      SELECT m."projectId", f."sourceCode", sum(f.amount) AS amount
        FROM "ReturnFunding" f JOIN "MonthlyReturn" m ON m.id = f."returnId"
       WHERE ${only(Prisma.sql`m."projectId"`)} AND m.status = 'APPROVED' AND m.period >= ${yearStart} AND m.period < ${nextYear}
       GROUP BY 1, 2`,
    db.$queryRaw<(MilestoneFacts & { projectId: string })[]>`
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

/** Chunk transactions of a large recomputation writing at once, beside the engine's own work. */
const WRITES_IN_FLIGHT = 2;

/** Above this many rows to recompute, snapshots are read by id range (set-based) instead of by id list. */
const SET_BASED_FROM = 20_000;

interface LightWrite {
  asOf: Date;
  dueDay: number;
  year: number;
  /** A row marked stale after this instant (the database's clock) stays stale: its change came after the read. */
  loadedAt: Date;
}

/** The stored rows for a set of snapshots: the light, its reasons and what the dashboard sums. */
function lightRows(snapshots: Map<string, ProjectSnapshot>, asOf: Date, rules: TrafficLightRules, year: number) {
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
  const funds = [...snapshots].flatMap(([projectId, snapshot]) =>
    (snapshot.fundsInPlaceThisYear ?? []).map((f) => ({ projectId, sourceCode: f.sourceCode, amount: f.amount.toString() })),
  );
  return { rows, funds };
}

/**
 * The statements that store one set of lights (ProjectLight, PortfolioFact, PortfolioFactFunds),
 * run by the caller in one transaction: a batch on the pool, or inside a change's own transaction.
 */
function lightStatements(db: Db, computed: ReturnType<typeof lightRows>, w: LightWrite): Prisma.PrismaPromise<number>[] {
  const { asOf, dueDay, year, loadedAt } = w;
  const chunkIds = computed.rows.map((r) => r.projectId);
  const json = JSON.stringify(computed.rows);
  return [
    db.$executeRaw`
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
    db.$executeRaw`
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
    db.$executeRaw`DELETE FROM "PortfolioFactFunds" WHERE "projectId" = ANY(${chunkIds}::uuid[])`,
    db.$executeRaw`
        INSERT INTO "PortfolioFactFunds" ("projectId", "sourceCode", amount)
        SELECT x."projectId"::uuid, x."sourceCode", x.amount FROM jsonb_to_recordset(${JSON.stringify(computed.funds)}::jsonb) AS x("projectId" text, "sourceCode" text, amount numeric)
        ON CONFLICT ("projectId", "sourceCode") DO UPDATE SET amount = EXCLUDED.amount`,
  ];
}

/** The database's clock now (staleAt is written by triggers with clock_timestamp()). */
async function databaseNow(db: Db): Promise<Date> {
  const [row] = await db.$queryRaw<{ now: Date }[]>`SELECT clock_timestamp() AS now`;
  return row!.now;
}

/** More projects than this in one change go to the job queue instead (lib/jobs/enqueue.ts). */
export const IN_TRANSACTION_MAX = 50;

/**
 * Recomputes the lights of `projectIds` inside the caller's transaction, as of today: the change
 * that made them stale (an approval, a correction, a registry edit, a baseline decision, an
 * accepted project) commits with its new light, so the dashboard read right after shows it.
 * Call it last in the transaction, after every write that marks the light stale. The rows are
 * locked first, so a concurrent change to the same project waits and marks it stale again after.
 * Bulk changes enqueue a job instead (enqueueLightsRefresh); more than IN_TRANSACTION_MAX ids are refused.
 */
export async function refreshProjectLights(tx: Prisma.TransactionClient, projectIds: readonly string[], asOf: Date = reportingDay()): Promise<number> {
  const ids = [...new Set(projectIds)];
  if (ids.length === 0) return 0;
  if (ids.length > IN_TRANSACTION_MAX) throw new RangeError(`${ids.length} lights in one transaction: enqueue a job for more than ${IN_TRANSACTION_MAX}`);
  const rules = trafficLightRules();
  const dueDay = rules.monthlyReturn.dueDay;
  const year = planYearOf(asOf, dueDay);
  await tx.$queryRaw`SELECT 1 FROM "ProjectLight" WHERE "projectId" = ANY(${ids}::uuid[]) ORDER BY "projectId" FOR UPDATE`;
  const loadedAt = await databaseNow(tx);
  const snapshots = await loadSnapshots(ids, year, asOf, dueDay, tx);
  for (const statement of lightStatements(tx, lightRows(snapshots, asOf, rules, year), { asOf, dueDay, year, loadedAt })) await statement;
  return snapshots.size;
}

/**
 * Recomputes the lights that are missing, marked stale, or from another day or due day (only the
 * missing and stale ones with `onlyChanged`); returns how many. The job queue runs it (the day's
 * recomputation, lib/jobs; a bulk change's job); pages never do when a job worker runs.
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
  const loadedAt = await databaseNow(prisma);
  // Many rows: chunks of the id order, each read by id range (set-based, no 100,000-element
  // arrays) while the previous chunk is evaluated. Loading the whole library at once held every
  // snapshot in memory: a fifth of the run was garbage collection.
  const setBased = ids.length >= SET_BASED_FROM;
  const sorted = ids.map((r) => r.id);
  if (setBased) sorted.sort(); // lowercase hex: string order is uuid order
  const chunks: string[][] = [];
  for (let i = 0; i < sorted.length; i += REFRESH_CHUNK) chunks.push(sorted.slice(i, i + REFRESH_CHUNK));
  const load = (chunk: string[]) => {
    const loading = setBased
      ? loadSnapshots({ from: chunk[0]!, to: chunk.at(-1)! }, year, asOf, dueDay).then((m) => {
          // The range also holds projects that are fresh: only the chunk's ids are rewritten.
          const wanted = new Set(chunk);
          for (const id of m.keys()) if (!wanted.has(id)) m.delete(id);
          return m;
        })
      : loadSnapshots(chunk, year, asOf, dueDay);
    loading.catch(() => undefined); // awaited below; never an unhandled rejection
    return loading;
  };
  // The engine runs in Node while PostgreSQL writes the previous chunks: up to WRITES_IN_FLIGHT
  // chunk transactions at once (disjoint projects, so they never wait on each other's rows).
  // Measured at 100k (bench/RESULTS.md): evaluation, upserts and loading were each a third.
  const inFlight: Promise<unknown>[] = [];
  const settle = async () => {
    const outcome = await inFlight.shift();
    if (outcome instanceof Error) throw outcome;
  };
  try {
    let next: Promise<Map<string, ProjectSnapshot>> | null = load(chunks[0]!);
    for (let c = 0; c < chunks.length; c++) {
      const snapshots: Map<string, ProjectSnapshot> = await next!;
      next = c + 1 < chunks.length ? load(chunks[c + 1]!) : null;
      // One transaction per chunk; a row marked stale after this chunk was read stays stale.
      const write = prisma.$transaction(lightStatements(prisma, lightRows(snapshots, asOf, rules, year), { asOf, dueDay, year, loadedAt }));
      // Caught at once (an unawaited rejection would be "unhandled"); rethrown by settle().
      inFlight.push(write.then(() => null, (error: unknown) => (error instanceof Error ? error : new Error(String(error)))));
      if (inFlight.length >= WRITES_IN_FLIGHT) await settle();
    }
    while (inFlight.length) await settle();
  } finally {
    // On an error, the chunks already sent still finish before the error is reported.
    await Promise.all(inFlight);
  }
  // A recomputation this large rewrote most rows: fresh statistics keep the freshness check an
  // index lookup (stale ones claim every row is out of date, and the planner scans the table).
  if (setBased) await prisma.$executeRaw`ANALYZE "ProjectLight", "PortfolioFact", "PortfolioFactFunds"`;
  return ids.length;
}

// ---------------------------------------------------------------------------------------------
// Reading: with a job worker, pages read the stored lights as they are (docs/decisions/0032).

const WORKER_FLAG = Symbol.for("zunyi.lights.keptByJobs");
type FlagHolder = { [WORKER_FLAG]?: boolean };

/**
 * Says that a job worker keeps this database's lights (lib/jobs/worker.ts calls it when it starts
 * in this process): reads then never recompute. On globalThis, because Next.js loads
 * instrumentation.ts and the pages as separate module graphs of one process.
 */
export function setLightsKeptByJobs(on: boolean): void {
  (globalThis as FlagHolder)[WORKER_FLAG] = on;
}

export function lightsKeptByJobs(): boolean {
  return (globalThis as FlagHolder)[WORKER_FLAG] === true;
}

/**
 * Called by every reader of the stored lights (dashboard, delay review, project table; the
 * report through the dashboard). With a job worker in this process it does nothing: changes
 * recomputed their project's light in their own transaction, bulk changes and the new day are
 * jobs, and a page shows `lightsAsOf` while the day's job has not finished. Without one (tests,
 * the e2e server with JOBS_WORKER=0, scripts, a host that serves without the worker) nothing
 * else would bring the lights up to date, so the reader falls back to ensureFreshLights.
 */
export async function lightsForReading(asOf: Date = reportingDay()): Promise<void> {
  if (lightsKeptByJobs()) return;
  await ensureFreshLights(asOf);
}

/** The fallback's new-day recomputation above this many lights runs in the background (see ensureFreshLights). */
const ROLLOVER_INLINE_MAX = 5000;
let rollover: Promise<unknown> | null = null;

/**
 * The fallback without a job worker (lightsForReading): brings the stored lights up to date
 * before they are read. Missing and changed ones (marked by the triggers) are recomputed first,
 * always. When a new day makes many others out of date, those are recomputed in the background,
 * one run per process, and readers see the previous day's lights meanwhile; `lightsAsOf` tells them.
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

/**
 * The stored light of one project the actor may see, or null. A project page may recompute its
 * own project (when marked stale or from another day), never more.
 */
export async function getProjectLight(actor: CurrentUser, projectId: string, now: Date = new Date()) {
  await assertPermission(actor, ...READ_PROJECTS);
  const scope = projectScopeSql(actor);
  if (!scope) return null;
  const asOf = reportingDay(now);
  const read = () => prisma.$queryRaw<{ light: Light | null; reasons: LightReason[]; missingData: LightReason[]; confidenceDifference: number | null; confidenceFlagged: boolean; asOf: Date; stale: boolean }[]>`
    SELECT l.light::text AS light, l.reasons, l."missingData", l."confidenceDifference", l."confidenceFlagged", l."asOf",
           (l."projectId" IS NULL OR l."staleAt" IS NOT NULL OR l."asOf" <> ${asOf}::date OR l."dueDay" <> ${env.RETURN_DUE_DAY}) AS stale
      FROM "Project" p LEFT JOIN "ProjectLight" l ON l."projectId" = p.id WHERE p.id = ${projectId}::uuid AND ${scope}`;
  let [row] = await read();
  if (row?.stale) {
    await prisma.$transaction((tx) => refreshProjectLights(tx, [projectId], asOf));
    [row] = await read();
  }
  if (!row || row.light === null) return null;
  const { stale: _stale, light, ...rest } = row;
  return { light, ...rest };
}
