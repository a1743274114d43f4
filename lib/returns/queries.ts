// Monthly returns, reads: one return's page (figures, context, who may do what), a project's
// returns, the review queue, who is late, the owner unit's desk. The workflow is in ./commands.ts,
// the pure rules in ./rules.ts.
import "server-only";
import Decimal from "decimal.js";
import { prisma } from "@/lib/db";
import { env } from "@/lib/env";
import { READ_RETURNS, canAny } from "@/lib/auth/permissions";
import { assertPermission, type CurrentUser } from "@/lib/auth/session";
import { REPORTED_STATUSES, addMonths, buildReturnContext, changesSinceReturned, checkReturnFigures, currentPeriod, dueDate, isEditable, isOverdue, periodOf, periodStart, type ReportedReturn, type ReturnContext, type ReturnStatus } from "./rules";
import { cumulativeAsOf } from "./cumulative";
import { monthsOfYearAsOf } from "@/lib/domain/reporting-calendar";
import { percentOf, scheduleShare, scheduleTarget } from "@/lib/domain/portfolio-metrics";
import { isAuditAction, parseAuditDetails } from "@/lib/audit/events";
import { Prisma } from "@/lib/generated/prisma/client";
import { type FigureValues } from "./rules";
import { daysBetween } from "@/lib/domain/dates";
import { chinaDay, latestReportingMonth, nextDueMonth, obligationOf, returnsOwedFrom, returnsToFile } from "@/lib/domain/reporting-calendar";
import { mayOnProject, projectSql, projectWhere } from "@/lib/policy";
import { RETURNS_OWED_FROM_SQL } from "@/lib/portfolio/facts";

type Tx = Prisma.TransactionClient;

const num = (value: { toString(): string } | null | undefined): string | null => (value === null || value === undefined ? null : new Decimal(value.toString()).toString());
const day = (date: Date) => date.toISOString().slice(0, 10);

type ReturnWithParts = Prisma.MonthlyReturnGetPayload<{ include: { funds: true; milestones: true } }>;

export function figureValues(row: ReturnWithParts): FigureValues {
  return {
    completedInvestment: num(row.completedInvestment)!,
    payments: num(row.payments),
    progressPercent: num(row.progressPercent),
    progressText: row.progressText,
    funds: Object.fromEntries(row.funds.map((f) => [f.sourceCode, num(f.amount)!])),
    milestones: Object.fromEntries(row.milestones.map((m) => [m.kind, day(m.actualDate)])),
    overrunNote: row.overrunNote,
    fundsNote: row.fundsNote,
    progressNote: row.progressNote,
  };
}

/** The project if the actor may read its returns, else null (unknown and out-of-scope look alike). */
export async function readableProject(actor: CurrentUser, projectId: string) {
  if (!canAny(actor, READ_RETURNS)) return null;
  const scope = projectWhere(actor);
  if (!scope || !/^[0-9a-f-]{36}$/i.test(projectId)) return null;
  return prisma.project.findFirst({
    where: { AND: [{ id: projectId }, scope] },
    select: {
      id: true, name: true, ownerOrgId: true, reviewDivisionCode: true, approval: true, lifecycleStage: true, totalInvestment: true, plannedStart: true, demoFields: true,
      ownerOrg: { select: { name: true } },
      fundingPlans: { select: { sourceCode: true, amount: true, source: { select: { nameZh: true, nameEn: true } } }, orderBy: { source: { sortOrder: "asc" } } },
      milestones: { select: { kind: true, baselineDate: true, forecastDate: true, actualDate: true } },
    },
  });
}

type ContextProject = { id: string; totalInvestment: Decimal | { toString(): string } | null; fundingPlans: { sourceCode: string; amount: { toString(): string } }[]; milestones: { kind: string; actualDate: Date | null }[] };
const REPORTED_SELECT = { id: true, projectId: true, period: true, completedInvestment: true, progressPercent: true, funds: { select: { sourceCode: true, amount: true } } } as const;
type ReportedRow = Prisma.MonthlyReturnGetPayload<{ select: typeof REPORTED_SELECT }>;

/** The rules' context from the project and its other reported returns (loaded by the caller). */
function contextOf(project: ContextProject, period: string, others: readonly ReportedRow[]): ReturnContext & { completedThrough: Decimal } {
  return buildReturnContext(
    {
      totalInvestment: project.totalInvestment === null ? null : new Decimal(project.totalInvestment.toString()),
      plannedFunding: Object.fromEntries(project.fundingPlans.map((f) => [f.sourceCode, new Decimal(f.amount.toString())])),
      milestonesOnRecord: project.milestones,
    },
    period,
    others.map((r): ReportedReturn => ({
      period: periodOf(r.period),
      completedInvestment: new Decimal(r.completedInvestment.toString()),
      progressPercent: r.progressPercent === null ? null : new Decimal(r.progressPercent.toString()),
      funds: Object.fromEntries(r.funds.map((f) => [f.sourceCode, new Decimal(f.amount.toString())])),
    })),
  );
}

/** Figures of the project's other reported returns, which the rules compare against. */
export async function returnContext(db: Tx | typeof prisma, project: ContextProject, period: string, excludeId: string | null): Promise<ReturnContext & { completedThrough: Decimal }> {
  const others = await db.monthlyReturn.findMany({
    where: { projectId: project.id, status: { in: [...REPORTED_STATUSES] }, ...(excludeId ? { NOT: { id: excludeId } } : {}) },
    select: REPORTED_SELECT,
    orderBy: { period: "asc" },
  });
  return contextOf(project, period, others);
}

/**
 * What the checks of a return (checkReturnFigures, the same that block submission) say about its
 * stored figures against the project's other reported months: field → message keys, {} when
 * clean. A "clean" return may be approved in bulk from the queue.
 */
export async function returnFindings(db: Tx | typeof prisma, returnId: string): Promise<Record<string, string[]>> {
  const row = await db.monthlyReturn.findUniqueOrThrow({
    where: { id: returnId },
    include: { funds: true, milestones: true, project: { select: { id: true, totalInvestment: true, fundingPlans: { select: { sourceCode: true, amount: true } }, milestones: { select: { kind: true, actualDate: true } } } } },
  });
  return checkReturnFigures(figureValues(row), await returnContext(db, row.project, periodOf(row.period), row.id));
}

/**
 * Beside a return's own figures, what the reviewer judges them against: the previous month's
 * approved figures, the year's plan and 序时进度 as of the month (portfolio-metrics, the
 * dashboard's rule), the approved cumulative before the month and with it (cumulative.ts), and,
 * after a 退回, what the owner changed since (from the return's audit events).
 */
export async function reviewContext(
  project: { id: string; totalInvestment: { toString(): string } | null },
  period: string,
  month: { completedInvestment: string } | null,
  history: readonly { action: string; at: Date; details: unknown }[],
) {
  const year = Number(period.slice(0, 4));
  const previousPeriod = addMonths(period, -1);
  const [previous, plan, approved] = await Promise.all([
    prisma.monthlyReturn.findUnique({ where: { projectId_period: { projectId: project.id, period: periodStart(previousPeriod) } }, include: { funds: true, milestones: true } }),
    prisma.annualPlan.findUnique({ where: { projectId_year: { projectId: project.id, year } }, select: { amount: true } }),
    prisma.monthlyReturn.findMany({ where: { projectId: project.id, status: "APPROVED", period: { lt: periodStart(period) } }, select: { period: true, completedInvestment: true } }),
  ]);
  const cumulative = cumulativeAsOf(approved.map((r) => ({ period: periodOf(r.period), completedInvestment: r.completedInvestment.toString() })), period, month?.completedInvestment ?? 0);
  const months = monthsOfYearAsOf(year, period);
  const annualPlan = plan ? new Decimal(plan.amount.toString()) : null;
  const steps = history.map((e) => ({
    action: e.action,
    at: e.at,
    changes: (e.action === "return.save" || e.action === "return.submit") && isAuditAction(e.action) ? parseAuditDetails(e.action, e.details).changes : null,
  }));
  return {
    previous: { period: previousPeriod, status: previous?.status ?? null, values: previous?.status === "APPROVED" ? figureValues(previous) : null },
    plan: {
      year,
      annualPlan,
      months,
      /** 序时进度 (%, share of the year's plan) and its amount (万元). */
      scheduleShare: scheduleShare(months),
      scheduleTarget: annualPlan ? scheduleTarget(annualPlan, months) : null,
      /** Approved this year including this month, as % of the year's plan. */
      completedShare: percentOf(cumulative.yearToDate.withMonth, annualPlan),
    },
    cumulative: { ...cumulative, totalInvestment: project.totalInvestment === null ? null : new Decimal(project.totalInvestment.toString()), totalShare: percentOf(cumulative.sinceStart.withMonth, project.totalInvestment === null ? null : project.totalInvestment.toString()) },
    sinceReturned: changesSinceReturned(steps),
  };
}

export type ReviewContext = Awaited<ReturnType<typeof reviewContext>>;

// ---------------------------------------------------------------------------------------------
// Reading one return.

export async function getReturnPage(actor: CurrentUser, projectId: string, period: string, asOf = new Date()) {
  const project = await readableProject(actor, projectId);
  if (!project) return null;
  const row = await prisma.monthlyReturn.findUnique({
    where: { projectId_period: { projectId, period: periodStart(period) } },
    include: {
      funds: true,
      milestones: true,
      problems: { orderBy: { createdAt: "asc" } },
      attachments: { orderBy: { createdAt: "asc" }, include: { uploadedBy: { select: { displayName: true } } } },
      corrections: { orderBy: { createdAt: "desc" }, include: { requestedBy: { select: { displayName: true } }, decidedBy: { select: { displayName: true } } } },
      submittedBy: { select: { displayName: true } },
      reviewedBy: { select: { displayName: true } },
    },
  });
  const context = await returnContext(prisma, project, period, row?.id ?? null);
  const [openProblems, history, sources] = await Promise.all([
    prisma.returnProblem.findMany({ where: { projectId, status: "OPEN", NOT: row ? { returnId: row.id } : undefined }, orderBy: { createdAt: "asc" } }),
    row ? prisma.auditEvent.findMany({ where: { entityType: "MonthlyReturn", entityId: row.id }, orderBy: { seq: "asc" } }) : Promise.resolve([]),
    prisma.fundingSource.findMany({ orderBy: { sortOrder: "asc" }, select: { code: true, nameZh: true, nameEn: true } }),
  ]);
  const status = (row?.status ?? null);
  const owner = mayOnProject(actor, "fileReturns", project);
  const reviewer = mayOnProject(actor, "reviewReturns", project);
  const pendingCorrection = row?.corrections.find((c) => c.status === "PENDING") ?? null;
  const values = row ? figureValues(row) : null;
  const review = await reviewContext(project, period, values, history);
  return {
    project,
    period,
    row,
    values,
    context,
    review,
    openProblems,
    history,
    sources,
    due: { date: dueDate(period, env.RETURN_DUE_DAY), overdue: !REPORTED_STATUSES.includes(status as never) && isOverdue(period, asOf, env.RETURN_DUE_DAY) },
    may: {
      edit: owner && isEditable(status) && period <= currentPeriod(asOf),
      review: reviewer && status === "SUBMITTED",
      requestCorrection: owner && status === "APPROVED" && !pendingCorrection,
      decideCorrection: reviewer && !!pendingCorrection,
    },
    pendingCorrection,
  };
}

// ---------------------------------------------------------------------------------------------
// Lists: the project's returns, the review queue, who is late, my work.

/** All returns of a project, oldest first, with the cumulative approved figure after each. */
export async function listProjectReturns(actor: CurrentUser, projectId: string) {
  const project = await readableProject(actor, projectId);
  if (!project) return [];
  const rows = await prisma.monthlyReturn.findMany({
    where: { projectId },
    orderBy: { period: "asc" },
    select: { id: true, period: true, status: true, completedInvestment: true, payments: true, progressPercent: true, isDemo: true, funds: { select: { sourceCode: true, amount: true } } },
  });
  let cumulative = new Decimal(0);
  return rows.map((r) => {
    if (r.status === "APPROVED") cumulative = cumulative.plus(r.completedInvestment.toString());
    return { ...r, period: periodOf(r.period), approvedCumulative: cumulative.toString() };
  });
}

/** Submitted returns and pending corrections the reviewer must decide. */
export async function listReviewQueue(actor: CurrentUser, asOf: Date = new Date()) {
  await assertPermission(actor, "return:approve:county");
  const reviewed = projectWhere(actor, "reviewReturns");
  if (!reviewed) return { returns: [], corrections: [] };
  const inScope = { project: reviewed };
  const [returns, corrections] = await Promise.all([
    prisma.monthlyReturn.findMany({
      where: { status: "SUBMITTED", ...inScope },
      orderBy: [{ submittedAt: "asc" }, { period: "asc" }],
      take: 500,
      include: {
        funds: true,
        milestones: true,
        submittedBy: { select: { displayName: true } },
        project: { select: { id: true, name: true, ownerOrg: { select: { name: true } }, totalInvestment: true, fundingPlans: { select: { sourceCode: true, amount: true } }, milestones: { select: { kind: true, actualDate: true } } } },
      },
    }),
    prisma.correctionRequest.findMany({
      where: { status: "PENDING", monthlyReturn: inScope },
      orderBy: { createdAt: "asc" },
      select: { id: true, reason: true, createdAt: true, requestedBy: { select: { displayName: true } }, monthlyReturn: { select: { period: true, project: { select: { id: true, name: true } } } } },
    }),
  ]);
  // Days waiting: calendar days (China) since it was submitted or requested; the queue is oldest first.
  const today = chinaDay(asOf);
  const waiting = (since: Date | null) => (since ? daysBetween(chinaDay(since), today) : null);
  // Each return's checks (the ones that block submission), against the project's other reported
  // months, loaded in one query: a return without findings is "clean" and may be approved in bulk.
  const reported = await prisma.monthlyReturn.findMany({ where: { projectId: { in: [...new Set(returns.map((r) => r.projectId))] }, status: { in: [...REPORTED_STATUSES] } }, select: REPORTED_SELECT });
  return {
    returns: returns.map((r) => {
      const findings = checkReturnFigures(figureValues(r), contextOf(r.project, periodOf(r.period), reported.filter((o) => o.projectId === r.projectId && o.id !== r.id)));
      return {
        id: r.id, version: r.version, period: periodOf(r.period), completedInvestment: r.completedInvestment, submittedAt: r.submittedAt, isDemo: r.isDemo, submittedBy: r.submittedBy,
        project: { id: r.project.id, name: r.project.name, ownerOrg: r.project.ownerOrg },
        daysWaiting: waiting(r.submittedAt),
        findings,
        clean: Object.keys(findings).length === 0,
      };
    }),
    corrections: corrections.map((c) => ({ ...c, period: periodOf(c.monthlyReturn.period), daysWaiting: waiting(c.createdAt) })),
  };
}

/**
 * Projects in the actor's scope that are behind on their returns as of the latest reporting month,
 * with how many months: the reporting calendar's monthsBehind (lib/domain/reporting-calendar.ts),
 * from the first month owed after the latest reported (submitted or approved) return, as the light
 * counts them. Worst first, then by name in pinyin order.
 *
 * The database computes how far behind each project is, orders by it and applies the limit, so
 * the limit keeps the worst. Names are put in pinyin order here: embedded PGlite has no Chinese
 * collation (its ICU carries only the root locale), so the database can order names only by
 * code point, which decides nothing but which equally-late names a full limit cuts.
 */
export async function listLateReturns(actor: CurrentUser, asOf = new Date(), limit = 1000) {
  if (!canAny(actor, READ_RETURNS)) {
    await assertPermission(actor, ...READ_RETURNS);
  }
  const period = latestReportingMonth(asOf, env.RETURN_DUE_DAY);
  const scope = projectSql(actor, "count"); // a new project not accepted yet owes no returns (docs/decisions/0031)
  if (!scope) return { period, rows: [] };
  const due = Prisma.sql`${periodStart(period)}::date`;
  const reported = Prisma.sql`${[...REPORTED_STATUSES]}::"ReturnStatus"[]`;
  // monthsBehind in SQL: since = the later of the first month owed and the month after the last
  // reported one; behind while since is not after the reporting month.
  const late = await prisma.$queryRaw<{ id: string; lastReported: string | null; monthsLate: number }[]>`
    SELECT p.id, to_char(l.last, 'YYYY-MM') AS "lastReported",
           ((extract(year FROM ${due}) * 12 + extract(month FROM ${due}))
             - (extract(year FROM s.since) * 12 + extract(month FROM s.since)) + 1)::int AS "monthsLate"
      FROM "Project" p
     CROSS JOIN LATERAL (
       SELECT max(r.period) AS last FROM "MonthlyReturn" r WHERE r."projectId" = p.id AND r.status = ANY(${reported})
     ) l
     CROSS JOIN LATERAL (
       SELECT GREATEST(${RETURNS_OWED_FROM_SQL}, (date_trunc('month', l.last::timestamp) + interval '1 month')::date) AS since
     ) s
     WHERE ${scope} AND p."lifecycleStage" = 'CONSTRUCTION' AND s.since <= ${due}
     ORDER BY "monthsLate" DESC, p.name, p.id
     LIMIT ${limit}`;
  const details = new Map(
    (
      await prisma.project.findMany({
        where: { id: { in: late.map((r) => r.id) } },
        select: { id: true, name: true, ownerOrg: { select: { id: true, name: true } }, locations: { select: { division: { select: { name: true } } } } },
      })
    ).map((p) => [p.id, p]),
  );
  const rows = late.map((r) => {
    const p = details.get(r.id)!;
    return { projectId: p.id, name: p.name, owner: p.ownerOrg, counties: p.locations.map((l) => l.division.name), lastReported: r.lastReported, monthsLate: r.monthsLate };
  });
  rows.sort((a, b) => b.monthsLate - a.monthsLate || a.name.localeCompare(b.name, "zh-CN"));
  return { period, rows };
}

/** The owner unit's desk: returns due and overdue, returned to them, drafts, open problems. */
export async function myWork(actor: CurrentUser, asOf = new Date()) {
  await assertPermission(actor, "return:read:own-org");
  const orgId = actor.organizationId;
  const asOfPeriod = latestReportingMonth(asOf, env.RETURN_DUE_DAY);
  const mine = projectWhere(actor, "ownReturns");
  if (!orgId || !mine) return { asOfPeriod, duePeriod: currentPeriod(asOf), due: [], overdue: [], returned: [], drafts: [], problems: [], corrections: [] };
  // The reporting calendar decides: overdue = the months the project is behind (as the light and
  // the late list count them); due = the month after the latest reporting month, if owed.
  const nextDue = nextDueMonth(asOf, env.RETURN_DUE_DAY);
  const projects = await prisma.project.findMany({
    where: { AND: [mine, { lifecycleStage: "CONSTRUCTION" }] },
    select: {
      id: true, name: true, lifecycleStage: true, plannedStart: true, createdAt: true,
      milestones: { where: { kind: "START" }, select: { kind: true, actualDate: true } },
      monthlyReturns: { where: { OR: [{ status: { in: [...REPORTED_STATUSES] } }, { period: periodStart(nextDue) }] }, orderBy: { period: "desc" }, select: { period: true, status: true } },
    },
    orderBy: { planKey: "asc" },
  });
  const overdue: { projectId: string; name: string; period: string; dueDate: Date }[] = [];
  const due: { projectId: string; name: string; period: string; dueDate: Date; status: ReturnStatus | null }[] = [];
  for (const p of projects) {
    const byPeriod = new Map(p.monthlyReturns.map((r) => [periodOf(r.period), r.status]));
    const reportedMonths = p.monthlyReturns.filter((r) => REPORTED_STATUSES.includes(r.status as never)).map((r) => periodOf(r.period));
    const owedFrom = returnsOwedFrom(obligationOf(p));
    const toFile = returnsToFile(owedFrom, reportedMonths, asOf, env.RETURN_DUE_DAY);
    for (const period of toFile.overdue) {
      overdue.push({ projectId: p.id, name: p.name, period, dueDate: dueDate(period, env.RETURN_DUE_DAY) });
    }
    if (toFile.due) {
      due.push({ projectId: p.id, name: p.name, period: toFile.due, dueDate: dueDate(toFile.due, env.RETURN_DUE_DAY), status: byPeriod.get(toFile.due) ?? null });
    }
  }
  // Reading the list writes nothing: overdue months are announced by the daily reminder job
  // (lib/jobs/reminders.ts), the one place that decides who is told and when.
  const own = { project: mine };
  const [returned, drafts, problems, corrections] = await Promise.all([
    prisma.monthlyReturn.findMany({ where: { status: "RETURNED", ...own }, orderBy: { period: "asc" }, select: { id: true, period: true, returnReason: true, reviewedAt: true, project: { select: { id: true, name: true } } } }),
    prisma.monthlyReturn.findMany({ where: { status: "DRAFT", ...own }, orderBy: { period: "asc" }, select: { id: true, period: true, updatedAt: true, project: { select: { id: true, name: true } } } }),
    prisma.returnProblem.findMany({ where: { status: "OPEN", ...own }, orderBy: { createdAt: "asc" }, select: { id: true, category: true, level: true, description: true, createdAt: true, monthlyReturn: { select: { period: true } }, project: { select: { id: true, name: true } } } }),
    prisma.correctionRequest.findMany({ where: { monthlyReturn: own, OR: [{ status: "PENDING" }, { decidedAt: { gte: new Date(asOf.getTime() - 30 * 86_400_000) } }] }, orderBy: { createdAt: "desc" }, select: { id: true, status: true, reason: true, decisionNote: true, monthlyReturn: { select: { period: true, project: { select: { id: true, name: true } } } } } }),
  ]);
  return {
    asOfPeriod,
    duePeriod: nextDue,
    due,
    overdue,
    returned: returned.map((r) => ({ ...r, period: periodOf(r.period) })),
    drafts: drafts.map((r) => ({ ...r, period: periodOf(r.period) })),
    problems: problems.map((p) => ({ ...p, period: periodOf(p.monthlyReturn.period) })),
    corrections: corrections.map((c) => ({ ...c, period: periodOf(c.monthlyReturn.period) })),
  };
}

