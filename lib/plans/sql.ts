// The plan rules in SQL (lib/plans/rules.ts is the TypeScript form; tests/integration/plans.test.ts
// holds them equal): which projects a plan holds, which plan a return counts for, and the
// portfolio's per-project facts seen from one plan (docs/decisions/0028-more-than-one-plan.md).
import "server-only";
import { Prisma } from "@/lib/generated/prisma/client";

/** The ids of the projects plan `planId` holds: those it first named (home plan) and those continuing in it (续建). */
export function planProjectIdsSql(planId: string): Prisma.Sql {
  return Prisma.sql`(SELECT hp.id FROM "Project" hp WHERE hp."planId" = ${planId} UNION ALL SELECT pc."projectId" FROM "PlanContinuation" pc WHERE pc."planId" = ${planId})`;
}

/**
 * planOfYear() in SQL: the plan a return of project `projectId` in `year` counts for, among the
 * project's plans: the latest started by that year, else its earliest.
 */
export function returnPlanSql(projectId: Prisma.Sql, year: Prisma.Sql): Prisma.Sql {
  return Prisma.sql`(SELECT rp.id FROM "Plan" rp
     WHERE rp.id IN (SELECT hp."planId" FROM "Project" hp WHERE hp.id = ${projectId} UNION ALL SELECT pc."planId" FROM "PlanContinuation" pc WHERE pc."projectId" = ${projectId})
     ORDER BY (rp."periodStart" <= ${year}) DESC,
              CASE WHEN rp."periodStart" <= ${year} THEN -rp."periodStart" ELSE rp."periodStart" END,
              CASE WHEN rp."periodStart" <= ${year} THEN rp.id END DESC, rp.id
     LIMIT 1)`;
}

/**
 * The per-project facts (monthFactsSql or storedFactsSql, as of a month of `year`) of plan
 * `planId`'s projects only, as that plan sees them: its column and planned investment for a
 * continued project; and, for a project in several plans, only the approved returns that count for
 * this plan (returnPlanSql): cumulative investment summed from them, the year's figures kept only
 * when the year counts for this plan. A project in one plan keeps its facts unchanged.
 * Same columns as the facts, so every sum written over them applies unchanged.
 */
export function planFactsSql(facts: Prisma.Sql, planId: string, year: number, monthsBefore: Date): Prisma.Sql {
  const own = Prisma.sql`o.own`;
  return Prisma.sql`(
    SELECT f.id, f."ownerOrgId", f."reviewDivisionCode", coalesce(c."columnId", f."columnId") AS "columnId", f."sectorCode", f."lifecycleStage",
           CASE WHEN c."projectId" IS NULL THEN f."plannedInvestment" ELSE c."plannedInvestment" END AS "plannedInvestment", f."totalInvestment",
           f.light, f."confidenceFlagged", f."asOf",
           CASE WHEN pc_any."projectId" IS NULL THEN f."completedInvestment" ELSE coalesce(a.total, 0) END AS "completedInvestment",
           CASE WHEN ${own} THEN f."completedMonth" END AS "completedMonth",
           CASE WHEN ${own} THEN f."annualPlan" END AS "annualPlan",
           CASE WHEN ${own} THEN f."completedThisYear" ELSE 0 END AS "completedThisYear",
           CASE WHEN ${own} THEN f."fundsThisYear" END AS "fundsThisYear",
           CASE WHEN ${own} THEN f."paymentsThisYear" END AS "paymentsThisYear",
           (${own} AND f."inAnnualPlan") AS "inAnnualPlan",
           f."startDue", f.started, f."completionDue", f."completedOnTime", f."completionDateUnknown"
      FROM ${facts} f
      LEFT JOIN "PlanContinuation" c ON c."projectId" = f.id AND c."planId" = ${planId}
      LEFT JOIN (SELECT DISTINCT "projectId" FROM "PlanContinuation") pc_any ON pc_any."projectId" = f.id
      CROSS JOIN LATERAL (SELECT (pc_any."projectId" IS NULL OR ${returnPlanSql(Prisma.sql`f.id`, Prisma.sql`${year}::int`)} = ${planId}) AS own) o
      LEFT JOIN (
        SELECT m."projectId", sum(m."completedInvestment") AS total FROM "MonthlyReturn" m
         WHERE m.status = 'APPROVED' AND m.period < ${monthsBefore} AND m."projectId" IN (SELECT "projectId" FROM "PlanContinuation")
           AND ${returnPlanSql(Prisma.sql`m."projectId"`, Prisma.sql`extract(year FROM m.period)::int`)} = ${planId}
         GROUP BY 1) a ON a."projectId" = f.id
     WHERE f.id IN ${planProjectIdsSql(planId)})`;
}

/** Whether an approved return `m` (alias) counts for plan `planId` (the trend and the funds of a plan, when several are loaded). */
export function returnCountsForPlanSql(planId: string): Prisma.Sql {
  return Prisma.sql`${returnPlanSql(Prisma.sql`m."projectId"`, Prisma.sql`extract(year FROM m.period)::int`)} = ${planId}`;
}
