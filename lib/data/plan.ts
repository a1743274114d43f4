// Reads of the plan, its columns and programmes with project counts.
import "server-only";
import { prisma } from "@/lib/db";
import { assertPermission, type CurrentUser } from "@/lib/auth/session";

export async function getPlanOverview(actor: CurrentUser) {
  await assertPermission(actor, "plan:read:all");
  const plan = await prisma.plan.findFirst({
    include: {
      columns: {
        orderBy: { number: "asc" },
        include: {
          programmes: { orderBy: { seq: "asc" }, include: { _count: { select: { projects: true } } } },
          _count: { select: { projects: true } },
        },
      },
      _count: { select: { projects: true, indicators: true } },
    },
  });
  if (!plan) return null;
  const totals = await prisma.project.aggregate({ _sum: { plannedInvestment: true, totalInvestment: true } });
  return { plan, plannedInvestmentSum: totals._sum.plannedInvestment, totalInvestmentSum: totals._sum.totalInvestment };
}

export async function listColumnsWithProjects(actor: CurrentUser) {
  await assertPermission(actor, "plan:read:all");
  return prisma.planColumn.findMany({ where: { hasProjects: true }, orderBy: { number: "asc" }, select: { id: true, number: true, title: true } });
}
