// Reconciliation (issue 8 §4): do the figures add up? Project sums against column totals and the
// plan's target (Plan.keyInvestmentTarget); projects without a budget; stored cumulative figures against the approved
// monthly returns they must equal; and anomalies an auditor should look at. Every check is one
// SQL statement over the whole portfolio, so the report stays cheap at 100k projects.
import "server-only";
import Decimal from "decimal.js";
import { prisma } from "@/lib/db";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { assertPermission, type CurrentUser } from "@/lib/auth/session";
import { resolvePlan } from "@/lib/plans/plans";
import { acceptedProjectSql } from "@/lib/policy";

/** A month's completed investment counts as a jump above this multiple of the project's previous reported month … */
export const JUMP_FACTOR = 3;
/** … and above this many 万元 (small projects' noise is not an anomaly). */
export const JUMP_MIN_WAN = 1000;
/** Listed rows per check on the page; the count is always complete. The export lists every row (EXPORT_LIMIT). */
const LIMIT = 200;
export const RECONCILIATION_EXPORT_LIMIT = 100_000;

interface ProjectRef {
  projectId: string;
  name: string;
}

/**
 * The checks. The column totals and the target are one plan's (`planId`, default the current plan
 * by date: lib/plans): its 专栏, the projects it names (its own and those continuing in it, 续建, with
 * the planned investment it gives them) against its own target. The other checks are about each
 * project's records, whichever plan names it, and cover the whole library.
 */
export async function reconciliationReport(actor: CurrentUser, { limit = LIMIT, planId, db = prisma }: { limit?: number; planId?: string; db?: PrismaClient } = {}) {
  await assertPermission(actor, "reconciliation:read:all");
  const resolved = await resolvePlan(planId);
  const plan = resolved?.plan ?? null;
  const [columns, noBudget, noBudgetCount, cumulative, fundsAboveTotal, jumps, selfApproved] = await Promise.all([
    db.$queryRaw<{ number: number; title: string; projects: bigint; planned: string; total: string; completed: string; approved: string }[]>`
      SELECT c.number, c.title, count(x.id) AS projects,
             coalesce(sum(x.planned), 0)::text AS planned,
             coalesce(sum(x.total), 0)::text AS total,
             coalesce(sum(x.completed), 0)::text AS completed,
             coalesce(sum(r.approved), 0)::text AS approved
        FROM "PlanColumn" c
        LEFT JOIN (
          SELECT p.id, p."columnId", p."plannedInvestment" AS planned, p."totalInvestment" AS total, p."completedInvestment" AS completed FROM "Project" p WHERE ${acceptedProjectSql()}
          UNION ALL
          SELECT p.id, pc."columnId", pc."plannedInvestment", p."totalInvestment", p."completedInvestment" FROM "PlanContinuation" pc JOIN "Project" p ON p.id = pc."projectId"
        ) x ON x."columnId" = c.id
        LEFT JOIN (SELECT "projectId", sum("completedInvestment") AS approved FROM "MonthlyReturn" WHERE status = 'APPROVED' GROUP BY "projectId") r ON r."projectId" = x.id
       WHERE c."planId" = ${plan?.id ?? ""}
       GROUP BY c.number, c.title ORDER BY c.number`,
    db.$queryRaw<(ProjectRef & { missing: string })[]>`
      SELECT id AS "projectId", name,
             concat_ws(',', CASE WHEN "plannedInvestment" IS NULL THEN 'plannedInvestment' END, CASE WHEN "totalInvestment" IS NULL THEN 'totalInvestment' END) AS missing
        FROM "Project" p WHERE ("plannedInvestment" IS NULL OR "totalInvestment" IS NULL) AND ${acceptedProjectSql()} ORDER BY "planKey" NULLS LAST, id LIMIT ${limit}`,
    db.project.count({ where: { OR: [{ plannedInvestment: null }, { totalInvestment: null }], approval: "ACCEPTED" } }),
    // The stored cumulative must equal the sum of the approved months (kept in step by approvals).
    db.$queryRaw<(ProjectRef & { stored: string; approved: string })[]>`
      SELECT p.id AS "projectId", p.name, p."completedInvestment"::text AS stored, coalesce(r.approved, 0)::text AS approved
        FROM "Project" p
        LEFT JOIN (SELECT "projectId", sum("completedInvestment") AS approved FROM "MonthlyReturn" WHERE status = 'APPROVED' GROUP BY "projectId") r ON r."projectId" = p.id
       WHERE p."completedInvestment" <> coalesce(r.approved, 0)
       ORDER BY abs(p."completedInvestment" - coalesce(r.approved, 0)) DESC LIMIT ${limit}`,
    db.$queryRaw<(ProjectRef & { funds: string; total: string })[]>`
      SELECT p.id AS "projectId", p.name, f.funds::text AS funds, p."totalInvestment"::text AS total
        FROM "Project" p
        JOIN (SELECT r."projectId", sum(f.amount) AS funds FROM "ReturnFunding" f JOIN "MonthlyReturn" r ON r.id = f."returnId" WHERE r.status = 'APPROVED' GROUP BY r."projectId") f ON f."projectId" = p.id
       WHERE p."totalInvestment" IS NOT NULL AND f.funds > p."totalInvestment"
       ORDER BY f.funds - p."totalInvestment" DESC LIMIT ${limit}`,
    db.$queryRaw<(ProjectRef & { period: Date; amount: string; previous: string })[]>`
      SELECT x."projectId", p.name, x.period, x.amount::text AS amount, x.previous::text AS previous
        FROM (SELECT "projectId", period, "completedInvestment" AS amount,
                     lag("completedInvestment") OVER (PARTITION BY "projectId" ORDER BY period) AS previous
                FROM "MonthlyReturn" WHERE status IN ('SUBMITTED', 'APPROVED')) x
        JOIN "Project" p ON p.id = x."projectId"
       WHERE x.previous IS NOT NULL AND x.amount > ${JUMP_MIN_WAN} AND x.amount > x.previous * ${JUMP_FACTOR}
       ORDER BY x.amount / greatest(x.previous, 0.01) DESC LIMIT ${limit}`,
    db.$queryRaw<(ProjectRef & { period: Date; userName: string })[]>`
      SELECT r."projectId", p.name, r.period, u."displayName" AS "userName"
        FROM "MonthlyReturn" r JOIN "Project" p ON p.id = r."projectId" JOIN "User" u ON u.id = r."submittedById"
       WHERE r.status = 'APPROVED' AND r."submittedById" = r."reviewedById"
       ORDER BY r.period DESC LIMIT ${limit}`,
  ]);

  const sum = (key: "planned" | "total" | "completed" | "approved") => columns.reduce((acc, c) => acc.plus(c[key]), new Decimal(0));
  const planned = sum("planned");
  const month = (d: Date) => d.toISOString().slice(0, 7);
  const target = plan?.keyInvestmentTarget ?? null;
  return {
    /** The plan whose columns and target are compared, and every loaded plan (for a selector). */
    plan,
    plans: resolved?.plans ?? [],
    /** The Plan row's target (万元); null before the plan is loaded. */
    target,
    columns: columns.map((c) => ({ ...c, projects: Number(c.projects), matches: new Decimal(c.completed).equals(c.approved) })),
    totals: { planned: planned.toString(), total: sum("total").toString(), completed: sum("completed").toString(), approved: sum("approved").toString(), gapToTarget: target === null ? null : new Decimal(target).minus(planned).toString() },
    noBudget: { count: noBudgetCount, rows: noBudget.map((r) => ({ ...r, missing: r.missing.split(",") })) },
    cumulativeMismatch: cumulative.map((r) => ({ ...r, difference: new Decimal(r.stored).minus(r.approved).toString() })),
    fundsAboveTotal,
    jumps: jumps.map((r) => ({ ...r, period: month(r.period) })),
    selfApproved: selfApproved.map((r) => ({ ...r, period: month(r.period) })),
  };
}

export type ReconciliationReport = Awaited<ReturnType<typeof reconciliationReport>>;
