// Reads of a plan, its columns and programmes with project counts (docs/decisions/0028: a plan's
// projects are those it named and those continuing in it).
import "server-only";
import { prisma } from "@/lib/db";
import { assertPermission, type CurrentUser } from "@/lib/auth/session";
import { Decimal } from "@/lib/domain/money";
import { resolvePlan } from "@/lib/plans/plans";

/** Plan `planId` (default: the current plan by date), or null before any plan is loaded. */
export async function getPlanOverview(actor: CurrentUser, planId?: string) {
  await assertPermission(actor, "plan:read:all");
  const resolved = await resolvePlan(planId);
  if (!resolved) return null;
  const counts = { select: { projects: true, continuations: true } } as const;
  const row = await prisma.plan.findUnique({
    where: { id: resolved.plan.id },
    include: {
      columns: { orderBy: { number: "asc" }, include: { programmes: { orderBy: { seq: "asc" }, include: { _count: counts } }, _count: counts } },
      _count: { select: { projects: true, continuations: true, indicators: true } },
    },
  });
  if (!row) return null;
  // Counts are the plan's own projects plus those continuing in it (续建).
  const count = (c: { projects: number; continuations: number }) => ({ projects: c.projects + c.continuations });
  const plan = {
    ...row,
    columns: row.columns.map((column) => ({
      ...column,
      _count: count(column._count),
      programmes: column.programmes.map((programme) => ({ ...programme, _count: count(programme._count) })),
    })),
    _count: { ...count(row._count), indicators: row._count.indicators },
  };
  const [home, continued] = await Promise.all([
    prisma.project.aggregate({ where: { planId: row.id }, _sum: { plannedInvestment: true, totalInvestment: true } }),
    prisma.planContinuation.aggregate({ where: { planId: row.id }, _sum: { plannedInvestment: true } }),
  ]);
  const homePlanned = home._sum.plannedInvestment;
  const continuedPlanned = continued._sum.plannedInvestment;
  const plannedInvestmentSum = homePlanned === null && continuedPlanned === null ? null : new Decimal((homePlanned ?? 0).toString()).plus((continuedPlanned ?? 0).toString()).toString();
  return { plan, plans: resolved.plans, plannedInvestmentSum, totalInvestmentSum: home._sum.totalInvestment };
}

export async function listColumnsWithProjects(actor: CurrentUser, planId?: string) {
  await assertPermission(actor, "plan:read:all");
  const resolved = await resolvePlan(planId);
  return prisma.planColumn.findMany({ where: { hasProjects: true, ...(resolved ? { planId: resolved.plan.id } : {}) }, orderBy: { number: "asc" }, select: { id: true, number: true, title: true } });
}
