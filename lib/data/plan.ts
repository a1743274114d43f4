// Reads of the plan, its columns and programmes with project counts.
import "server-only";
import { prisma } from "@/lib/db";

export async function getPlanOverview() {
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

export async function listColumnsWithProjects() {
  return prisma.planColumn.findMany({ where: { hasProjects: true }, orderBy: { number: "asc" }, select: { id: true, number: true, title: true } });
}
