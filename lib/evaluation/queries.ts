// The 十四五 final evaluation (终期评估, issue 20; docs/decisions/0026-final-evaluation.md): target
// achievement per project with its evidence, achievement rates by 专栏 / 子工程 / county / owner
// unit, 2021–2025 investment against the plan, funds in place against plan, the 36 indicators of
// 专栏1 against their 2025 targets, and the carry-over projects. Computed as of 2025-12-31 from
// APPROVED returns only, on the chosen basis: approved by a cut-off day (default 2025-12-31: what
// the record said then) or approved by now. Reads go to the replica when it is fresh (lib/db-replica).
import "server-only";
import { readReplica } from "@/lib/db-replica";
import { env } from "@/lib/env";
import { assertPermission, type CurrentUser } from "@/lib/auth/session";
import { Decimal, sumWan } from "@/lib/domain/money";
import { isoDay } from "@/lib/domain/dates";
import { periodOf } from "@/lib/domain/reporting-calendar";
import { Prisma, type PrismaClient } from "@/lib/generated/prisma/client";
import type { LifecycleStage, MilestoneKind, TargetStage } from "@/lib/generated/prisma/enums";
import { countedProjectSql as projectScopeSql } from "@/lib/policy";
import {
  EVALUATION_END_DAY,
  EVALUATION_FIRST_YEAR,
  EVALUATION_LAST_YEAR,
  EVALUATION_YEARS,
  indicatorVerdict,
  projectAchievement,
  ratePercent,
  type ProjectAchievement,
  type StageEvidence,
} from "./rules";
import type { EvaluationOptions, ProjectFilter } from "./schema";

const PERIOD_FROM = `${EVALUATION_FIRST_YEAR}-01-01`;
const PERIOD_UNTIL = `${EVALUATION_LAST_YEAR + 1}-01-01`;

/**
 * The China day a return was approved. Demo returns were seeded approved without a reviewer's
 * time; they count as approved on their due day (day RETURN_DUE_DAY of the next month), so the
 * cut-off treats them as real returns approved on time would be. Any other approved return
 * without a time (none is written so) has no day and is left out of the cut-off basis.
 */
function approvedOnSql(dueDay: number): Prisma.Sql {
  return Prisma.sql`coalesce((m."reviewedAt" + interval '8 hours')::date,
    CASE WHEN m."isDemo" THEN (m.period + interval '1 month')::date + (${dueDay}::int - 1) END)`;
}

/**
 * The approved returns on the chosen basis, one row per return: its figures as they stood then.
 * On the cut-off basis a return approved after the day is left out, and a correction approved
 * after the day is undone: the figures are the `previous` of the first such correction.
 */
export function approvedReturnsSql(options: EvaluationOptions, dueDay: number = env.RETURN_DUE_DAY): Prisma.Sql {
  const approvedOn = approvedOnSql(dueDay);
  if (options.basis === "now") {
    return Prisma.sql`(SELECT m.id, m."projectId", m.period, m."isDemo", ${approvedOn} AS "approvedOn", m."completedInvestment" AS completed, NULL::jsonb AS "previousFunds"
      FROM "MonthlyReturn" m WHERE m.status = 'APPROVED')`;
  }
  return Prisma.sql`(SELECT a.* FROM (
      SELECT m.id, m."projectId", m.period, m."isDemo", ${approvedOn} AS "approvedOn",
             coalesce((c.previous->>'completedInvestment')::numeric, m."completedInvestment") AS completed,
             c.previous->'funds' AS "previousFunds"
        FROM "MonthlyReturn" m
        LEFT JOIN LATERAL (
          SELECT x.previous FROM "CorrectionRequest" x
           WHERE x."returnId" = m.id AND x.status = 'APPROVED' AND (x."decidedAt" + interval '8 hours')::date > ${options.cutoff}::date
           ORDER BY x."decidedAt" LIMIT 1) c ON TRUE
       WHERE m.status = 'APPROVED') a
    WHERE a."approvedOn" <= ${options.cutoff}::date)`;
}

export interface EvaluationProject {
  id: string;
  name: string;
  planKey: string | null;
  columnNumber: number;
  columnTitle: string;
  programmeKey: string;
  programmeName: string;
  ownerOrgId: string | null;
  ownerName: string | null;
  counties: { code: string; name: string }[];
  targetStage2025: TargetStage;
  lifecycleStage: LifecycleStage;
  achievement: ProjectAchievement;
  totalInvestment: string | null;
  plannedInvestment: string | null;
  /** Approved completed investment of 2021-01..2025-12 on the basis (万元). */
  completed: string;
  completedByYear: string[];
  /** totalInvestment − completed, when the total is known. */
  remaining: string | null;
  /** The current record's completion: actual when finished after the plan, else forecast, else planned. */
  completion: { date: string; source: "actual" | "forecast" | "planned" } | null;
  /** Some figure of this project rests on demo data. */
  isDemo: boolean;
}

export interface RateRow {
  key: string;
  label: string;
  /** The query filter that lists the projects behind the rate. */
  filter: ProjectFilter;
  projects: number;
  met: number;
  rate: string | null;
  planned: string;
  completed: string;
  /** completed ÷ planned (%). */
  completedShare: string | null;
  isDemo: boolean;
}

const pct = (part: Decimal, whole: Decimal | null): string | null =>
  whole === null || whole.isZero() ? null : part.times(100).dividedBy(whole).toDecimalPlaces(2).toString();

type Row = Record<string, unknown>;

async function readEvaluation(db: PrismaClient, actor: CurrentUser, options: EvaluationOptions) {
  // The evaluated plan is the one ending in EVALUATION_LAST_YEAR (十四五), and its projects are those
  // it named (home plan); a later plan loaded beside it changes nothing here (docs/decisions/0028).
  const evaluatedPlan = Prisma.sql`(SELECT ep.id FROM "Plan" ep WHERE ep."periodEnd" = ${EVALUATION_LAST_YEAR} ORDER BY ep."periodStart", ep.id LIMIT 1)`;
  const scope = Prisma.sql`${projectScopeSql(actor) ?? Prisma.sql`FALSE`} AND p."planId" = ${evaluatedPlan}`;
  const approved = approvedReturnsSql(options);
  const inPeriod = Prisma.sql`r.period >= ${PERIOD_FROM}::date AND r.period < ${PERIOD_UNTIL}::date`;
  const [plan, projects, completed, funds, evidence, demoMilestones, completion, annualPlans, plannedFunding, sources, indicators, excluded] = await Promise.all([
    db.plan.findFirst({ where: { periodEnd: EVALUATION_LAST_YEAR }, orderBy: [{ periodStart: "asc" }, { id: "asc" }], select: { title: true, periodStart: true, periodEnd: true, keyInvestmentTarget: true, keyInvestmentTargetText: true } }),
    db.$queryRaw<Row[]>`
      SELECT p.id, p.name, p."planKey", p."targetStage2025"::text AS "targetStage2025", p."lifecycleStage"::text AS "lifecycleStage",
             p."totalInvestment"::text AS "totalInvestment", p."plannedInvestment"::text AS "plannedInvestment", p."plannedCompletion",
             cardinality(p."demoFields") > 0 AS "demoFields",
             c.number AS "columnNumber", c.title AS "columnTitle", g.key AS "programmeKey", g.name AS "programmeName",
             p."ownerOrgId", o.name AS "ownerName",
             coalesce((SELECT json_agg(json_build_object('code', d.code, 'name', d.name) ORDER BY d."sortOrder")
                         FROM "ProjectLocation" pl JOIN "AdminDivision" d ON d.code = pl."divisionCode" WHERE pl."projectId" = p.id), '[]'::json) AS counties
        FROM "Project" p JOIN "PlanColumn" c ON c.id = p."columnId" JOIN "Programme" g ON g.id = p."programmeId"
        LEFT JOIN "Organization" o ON o.id = p."ownerOrgId"
       WHERE ${scope}
       ORDER BY c.number, g.seq, p."planKey" NULLS LAST, p.name, p.id`,
    db.$queryRaw<Row[]>`
      SELECT r."projectId", extract(year FROM r.period)::int AS year, sum(r.completed)::text AS amount, bool_or(r."isDemo") AS demo
        FROM ${approved} r JOIN "Project" p ON p.id = r."projectId"
       WHERE ${scope} AND ${inPeriod} GROUP BY 1, 2`,
    db.$queryRaw<Row[]>`
      SELECT r."projectId", f.code, sum(f.amount)::text AS amount, bool_or(r."isDemo") AS demo
        FROM ${approved} r JOIN "Project" p ON p.id = r."projectId"
        CROSS JOIN LATERAL (
          SELECT x."sourceCode" AS code, x.amount FROM "ReturnFunding" x WHERE x."returnId" = r.id AND r."previousFunds" IS NULL
          UNION ALL
          SELECT e.key, e.value::numeric FROM jsonb_each_text(CASE WHEN jsonb_typeof(r."previousFunds") = 'object' THEN r."previousFunds" ELSE '{}'::jsonb END) e) f
       WHERE ${scope} AND ${inPeriod} GROUP BY 1, 2`,
    // Per project and kind, the milestone date as the latest approval on the basis recorded it.
    db.$queryRaw<Row[]>`
      SELECT DISTINCT ON (r."projectId", rm.kind) r."projectId", rm.kind::text AS kind, rm."actualDate", r."approvedOn", r.period, r."isDemo"
        FROM ${approved} r JOIN "ReturnMilestone" rm ON rm."returnId" = r.id JOIN "Project" p ON p.id = r."projectId"
       WHERE ${scope}
       ORDER BY r."projectId", rm.kind, r."approvedOn" DESC NULLS LAST, r.period DESC`,
    db.$queryRaw<Row[]>`
      SELECT ms."projectId", ms.kind::text AS kind, ms."actualDate" FROM "Milestone" ms JOIN "Project" p ON p.id = ms."projectId"
       WHERE ${scope} AND ms."isDemo" AND ms."actualDate" IS NOT NULL`,
    db.$queryRaw<Row[]>`
      SELECT ms."projectId", ms.kind::text AS kind, ms."actualDate", ms."forecastDate", ms."isDemo" FROM "Milestone" ms JOIN "Project" p ON p.id = ms."projectId"
       WHERE ${scope} AND ms.kind IN ('ACCEPTANCE', 'IN_SERVICE')`,
    db.$queryRaw<Row[]>`
      SELECT ap.year, sum(ap.amount)::text AS amount, bool_or(ap."isDemo") AS demo FROM "AnnualPlan" ap JOIN "Project" p ON p.id = ap."projectId"
       WHERE ${scope} AND ap.year BETWEEN ${EVALUATION_FIRST_YEAR} AND ${EVALUATION_LAST_YEAR} GROUP BY 1`,
    db.$queryRaw<Row[]>`
      SELECT pf."sourceCode" AS code, sum(pf.amount)::text AS amount, bool_or(pf."isDemo") AS demo FROM "ProjectFunding" pf JOIN "Project" p ON p.id = pf."projectId"
       WHERE ${scope} GROUP BY 1`,
    db.fundingSource.findMany({ orderBy: { sortOrder: "asc" }, select: { code: true, nameZh: true, nameEn: true } }),
    db.indicator.findMany({ where: { plan: { periodEnd: EVALUATION_LAST_YEAR } }, orderBy: { number: "asc" }, include: { values: { orderBy: { year: "asc" }, select: { year: true, value: true, isDemo: true } } } }),
    // What the cut-off leaves out: approvals of 2021–2025 months after the day (or without a day).
    options.basis === "cutoff"
      ? db.$queryRaw<Row[]>`
          SELECT count(*)::int AS returns, coalesce(sum(m."completedInvestment"), 0)::text AS amount,
                 count(*) FILTER (WHERE m.period >= ${`${EVALUATION_LAST_YEAR}-01-01`}::date)::int AS "lastYear"
            FROM "MonthlyReturn" m JOIN "Project" p ON p.id = m."projectId"
           WHERE ${scope} AND m.status = 'APPROVED' AND m.period >= ${PERIOD_FROM}::date AND m.period < ${PERIOD_UNTIL}::date
             AND (${approvedOnSql(env.RETURN_DUE_DAY)} IS NULL OR ${approvedOnSql(env.RETURN_DUE_DAY)} > ${options.cutoff}::date)`
      : Promise.resolve([] as Row[]),
  ]);
  return { plan, projects, completed, funds, evidence, demoMilestones, completion, annualPlans, plannedFunding, sources, indicators, excluded: excluded[0] ?? null };
}

const str = (v: unknown): string => (v === null || v === undefined ? "" : String(v));
const day = (v: unknown): string => (v instanceof Date ? isoDay(v) : typeof v === "string" ? v.slice(0, 10) : "");

export async function finalEvaluation(actor: CurrentUser, options: EvaluationOptions, now: Date = new Date()) {
  await assertPermission(actor, "portfolio:read:all");
  const { value: raw, asOf } = await readReplica.read((db) => readEvaluation(db, actor, options));
  const yearIndex = new Map(EVALUATION_YEARS.map((y, i) => [y as number, i]));

  // Per project: completed by year, funds by source, evidence.
  const completedBy = new Map<string, Decimal[]>();
  const demoProjects = new Set<string>();
  for (const r of raw.completed) {
    const id = str(r.projectId);
    const years = completedBy.get(id) ?? EVALUATION_YEARS.map(() => new Decimal(0));
    const i = yearIndex.get(Number(r.year));
    if (i !== undefined) years[i] = years[i]!.plus(str(r.amount));
    completedBy.set(id, years);
    if (r.demo) demoProjects.add(id);
  }
  const evidenceBy = new Map<string, StageEvidence[]>();
  for (const e of raw.evidence) {
    const id = str(e.projectId);
    const list = evidenceBy.get(id) ?? [];
    list.push({ kind: str(e.kind) as MilestoneKind, actualDate: day(e.actualDate), approvedOn: e.approvedOn ? day(e.approvedOn) : null, period: e.period ? periodOf(e.period as Date) : null, isDemo: Boolean(e.isDemo) });
    evidenceBy.set(id, list);
  }
  // Demo milestones stand in for approved ones (marked demo) where no approved return carries the kind.
  for (const e of raw.demoMilestones) {
    const id = str(e.projectId);
    const list = evidenceBy.get(id) ?? [];
    if (!list.some((x) => x.kind === e.kind)) list.push({ kind: str(e.kind) as MilestoneKind, actualDate: day(e.actualDate), approvedOn: null, period: null, isDemo: true });
    evidenceBy.set(id, list);
  }
  const completionBy = new Map<string, { kind: string; actual: string | null; forecast: string | null; demo: boolean }[]>();
  for (const c of raw.completion) {
    const id = str(c.projectId);
    const list = completionBy.get(id) ?? [];
    list.push({ kind: str(c.kind), actual: c.actualDate ? day(c.actualDate) : null, forecast: c.forecastDate ? day(c.forecastDate) : null, demo: Boolean(c.isDemo) });
    completionBy.set(id, list);
  }

  const projects: EvaluationProject[] = raw.projects.map((p) => {
    const id = str(p.id);
    const years = completedBy.get(id) ?? EVALUATION_YEARS.map(() => new Decimal(0));
    const completed = sumWan(years);
    const achievement = projectAchievement(str(p.targetStage2025) as TargetStage, evidenceBy.get(id) ?? []);
    const total = p.totalInvestment === null ? null : new Decimal(str(p.totalInvestment));
    const marks = completionBy.get(id) ?? [];
    const acceptance = marks.find((m) => m.kind === "ACCEPTANCE");
    const service = marks.find((m) => m.kind === "IN_SERVICE");
    const actual = acceptance?.actual ?? service?.actual ?? null;
    const forecast = acceptance?.forecast ?? service?.forecast ?? null;
    const planned = p.plannedCompletion ? day(p.plannedCompletion) : null;
    const completion = actual ? { date: actual, source: "actual" as const } : forecast ? { date: forecast, source: "forecast" as const } : planned ? { date: planned, source: "planned" as const } : null;
    return {
      id,
      name: str(p.name),
      planKey: p.planKey === null ? null : str(p.planKey),
      columnNumber: Number(p.columnNumber),
      columnTitle: str(p.columnTitle),
      programmeKey: str(p.programmeKey),
      programmeName: str(p.programmeName),
      ownerOrgId: p.ownerOrgId === null ? null : str(p.ownerOrgId),
      ownerName: p.ownerName === null ? null : str(p.ownerName),
      counties: (p.counties as { code: string; name: string }[]) ?? [],
      targetStage2025: str(p.targetStage2025) as TargetStage,
      lifecycleStage: str(p.lifecycleStage) as LifecycleStage,
      achievement,
      totalInvestment: total?.toString() ?? null,
      plannedInvestment: p.plannedInvestment === null ? null : str(p.plannedInvestment),
      completed: completed.toString(),
      completedByYear: years.map((y) => y.toString()),
      remaining: total === null ? null : total.minus(completed).toString(),
      completion,
      isDemo: Boolean(p.demoFields) || demoProjects.has(id) || (achievement.evidence?.isDemo ?? false) || marks.some((m) => m.demo),
    };
  });

  // Rates and investment by group.
  const group = (rows: EvaluationProject[], keyOf: (p: EvaluationProject) => { key: string; label: string; filter: ProjectFilter }[]): RateRow[] => {
    const groups = new Map<string, { label: string; filter: ProjectFilter; rows: EvaluationProject[] }>();
    for (const p of rows) {
      for (const k of keyOf(p)) {
        const g = groups.get(k.key) ?? { label: k.label, filter: k.filter, rows: [] };
        g.rows.push(p);
        groups.set(k.key, g);
      }
    }
    return [...groups.entries()].map(([key, g]) => {
      const met = g.rows.filter((p) => p.achievement.met).length;
      const planned = sumWan(g.rows.map((p) => p.plannedInvestment));
      const completedSum = sumWan(g.rows.map((p) => p.completed));
      return {
        key,
        label: g.label,
        filter: g.filter,
        projects: g.rows.length,
        met,
        rate: ratePercent(met, g.rows.length),
        planned: planned.toString(),
        completed: completedSum.toString(),
        completedShare: pct(completedSum, planned),
        isDemo: g.rows.some((p) => p.isDemo),
      };
    });
  };
  const byColumn = group(projects, (p) => [{ key: String(p.columnNumber), label: `${p.columnNumber} ${p.columnTitle}`, filter: { column: p.columnNumber } }]);
  const byProgramme = group(projects, (p) => [{ key: p.programmeKey, label: p.programmeName, filter: { programme: p.programmeKey } }]);
  const byCounty = group(projects, (p) =>
    p.counties.length ? p.counties.map((c) => ({ key: c.code, label: c.name, filter: { county: c.code } })) : [{ key: "none", label: "", filter: { county: "none" } }],
  );
  const byOwner = group(projects, (p) => [{ key: p.ownerOrgId ?? "none", label: p.ownerName ?? "", filter: { owner: p.ownerOrgId ?? "none" } }]).sort(
    (a, b) => b.projects - a.projects || a.label.localeCompare(b.label, "zh-CN"),
  );
  const total = group(projects, () => [{ key: "all", label: "", filter: {} }])[0] ?? { key: "all", label: "", filter: {}, projects: 0, met: 0, rate: null, planned: "0", completed: "0", completedShare: null, isDemo: false };

  const target = raw.plan ? new Decimal(raw.plan.keyInvestmentTarget.toString()) : null;
  const annualPlan = new Map(raw.annualPlans.map((r) => [Number(r.year), { amount: new Decimal(str(r.amount)), demo: Boolean(r.demo) }]));
  let cumulative = new Decimal(0);
  const byYear = EVALUATION_YEARS.map((year, i) => {
    const completedYear = sumWan(projects.map((p) => p.completedByYear[i]));
    cumulative = cumulative.plus(completedYear);
    const plan = annualPlan.get(year);
    return {
      year,
      annualPlan: plan?.amount.toString() ?? null,
      completed: completedYear.toString(),
      /** completed ÷ annual plan (%). */
      planShare: plan ? pct(completedYear, plan.amount) : null,
      cumulative: cumulative.toString(),
      cumulativeShareOfTarget: pct(cumulative, target),
      isDemo: (plan?.demo ?? false) || raw.completed.some((r) => Number(r.year) === year && Boolean(r.demo)),
    };
  });

  const fundsBy = new Map<string, { amount: Decimal; demo: boolean }>();
  for (const f of raw.funds) {
    const code = str(f.code);
    const cur = fundsBy.get(code) ?? { amount: new Decimal(0), demo: false };
    fundsBy.set(code, { amount: cur.amount.plus(str(f.amount)), demo: cur.demo || Boolean(f.demo) });
  }
  const plannedBy = new Map(raw.plannedFunding.map((f) => [str(f.code), { amount: new Decimal(str(f.amount)), demo: Boolean(f.demo) }]));
  const bySource = raw.sources
    .filter((s) => fundsBy.has(s.code) || plannedBy.has(s.code))
    .map((s) => {
      const inPlace = fundsBy.get(s.code)?.amount ?? new Decimal(0);
      const planned = plannedBy.get(s.code)?.amount ?? new Decimal(0);
      return { code: s.code, nameZh: s.nameZh, nameEn: s.nameEn, inPlace: inPlace.toString(), planned: planned.toString(), share: pct(inPlace, planned), isDemo: (fundsBy.get(s.code)?.demo ?? false) || (plannedBy.get(s.code)?.demo ?? false) };
    });
  const fundsInPlace = sumWan(bySource.map((s) => s.inPlace));
  const fundsPlanned = sumWan(bySource.map((s) => s.planned));

  const indicators = raw.indicators.map((ind) => {
    const evaluation = indicatorVerdict({ ...ind, values: ind.values.map((v) => ({ year: v.year, value: v.value.toString() })) });
    return {
      id: ind.id,
      number: ind.number,
      category: ind.category,
      name: ind.name,
      unit: ind.unit,
      baselineText: ind.baselineText,
      targetText: ind.targetText,
      target2025: ind.target2025?.toString() ?? null,
      cumulative: ind.cumulative,
      comparator: ind.comparator,
      direction: ind.direction,
      value: evaluation.value?.toString() ?? null,
      years: evaluation.years,
      verdict: evaluation.verdict,
      isDemo: ind.values.some((v) => v.isDemo && v.year >= EVALUATION_FIRST_YEAR && v.year <= EVALUATION_LAST_YEAR),
    };
  });

  const carryOver = projects.filter((p) => p.achievement.reached !== "COMPLETE");
  const completedTotal = new Decimal(total.completed);
  return {
    options,
    generatedAt: now,
    servedAsOf: asOf,
    endDay: EVALUATION_END_DAY,
    plan: raw.plan ? { title: raw.plan.title, periodStart: raw.plan.periodStart, periodEnd: raw.plan.periodEnd, targetText: raw.plan.keyInvestmentTargetText } : null,
    target: target?.toString() ?? null,
    total,
    completedShareOfTarget: pct(completedTotal, target),
    /** On the cut-off basis: approvals of 2021–2025 months after the day, left out. */
    excluded: raw.excluded ? { returns: Number(raw.excluded.returns), amount: str(raw.excluded.amount), lastYear: Number(raw.excluded.lastYear) } : null,
    projects,
    byColumn,
    byProgramme,
    byCounty,
    byOwner,
    byYear,
    bySource,
    funds: { inPlace: fundsInPlace.toString(), planned: fundsPlanned.toString(), share: pct(fundsInPlace, fundsPlanned) },
    indicators,
    indicatorCounts: { MET: indicators.filter((i) => i.verdict === "MET").length, NOT_MET: indicators.filter((i) => i.verdict === "NOT_MET").length, NO_DATA: indicators.filter((i) => i.verdict === "NO_DATA").length },
    carryOver: {
      rows: carryOver,
      remaining: sumWan(carryOver.map((p) => (p.remaining !== null && new Decimal(p.remaining).greaterThan(0) ? p.remaining : null))).toString(),
    },
    isDemo: projects.some((p) => p.isDemo) || indicators.some((i) => i.isDemo),
  };
}

export type FinalEvaluation = Awaited<ReturnType<typeof finalEvaluation>>;

/** The projects behind one rate (the filter of a link). */
export function filterProjects(rows: readonly EvaluationProject[], filter: ProjectFilter): EvaluationProject[] {
  return rows.filter(
    (p) =>
      (filter.column === undefined || p.columnNumber === filter.column) &&
      (filter.programme === undefined || p.programmeKey === filter.programme) &&
      (filter.county === undefined || (filter.county === "none" ? p.counties.length === 0 : p.counties.some((c) => c.code === filter.county))) &&
      (filter.owner === undefined || (filter.owner === "none" ? p.ownerOrgId === null : p.ownerOrgId === filter.owner)) &&
      (filter.met === undefined || p.achievement.met === (filter.met === "yes")),
  );
}
