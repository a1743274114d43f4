// The portfolio read model's shared facts: the plan target (its one home, the Plan row), the plan's
// and the reporting calendar's rules in SQL, and one row per project as of a month, which the
// dashboard and the monthly report both sum (docs/decisions/0012-portfolio-dashboard.md).
import "server-only";
import { prisma } from "@/lib/db";
import { STAGES_OUTSIDE_ANNUAL_PLAN } from "@/lib/domain/portfolio-metrics";
import { FIRST_PERIOD, periodStart, yearToDate } from "@/lib/domain/reporting-calendar";
import { Prisma } from "@/lib/generated/prisma/client";
// The projects the actor may see, as a condition on `p` (lib/policy: the one access policy).

/**
 * The 规划目标 (4500亿, 万元) of the first plan (十四五) from its row, its one home; null before the
 * plan is loaded. Pages about one plan take its target from lib/plans resolvePlan (docs/decisions/0028).
 */
export async function planTarget(): Promise<string | null> {
  const plan = await prisma.plan.findFirst({ orderBy: [{ periodStart: "asc" }, { id: "asc" }], select: { keyInvestmentTarget: true } });
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
export function storedFactsSql(month: string): Prisma.Sql {
  return Prisma.sql`(
    SELECT f.id, f."ownerOrgId", f."reviewDivisionCode", f."columnId", f."sectorCode", f."lifecycleStage", f."plannedInvestment", f."totalInvestment",
           f.light, f."confidenceFlagged", f."asOf",
           f."completedInvestment" - coalesce(l.amount, 0) AS "completedInvestment", NULL::numeric AS "completedMonth",
           f."annualPlan", f."completedThisYear", f."fundsThisYear", f."paymentsThisYear", f."inAnnualPlan",
           f."startDue", f.started, f."completionDue", f."completedOnTime", f."completionDateUnknown"
      FROM "PortfolioFact" f
      LEFT JOIN ${approvedAfterSql(month)} l ON l."projectId" = f.id)`;
}

/**
 * The completed investment of months after `month` already approved, per project ("projectId",
 * amount): in the stored facts' cumulative figure, not yet in the month's (few rows: an index on
 * (status, period)).
 */
export function approvedAfterSql(month: string): Prisma.Sql {
  return Prisma.sql`(SELECT m."projectId", sum(m."completedInvestment") AS amount FROM "MonthlyReturn" m
                      WHERE m.status = 'APPROVED' AND m.period >= ${yearToDate(month).end} GROUP BY 1)`;
}
