// Reads of the project library. The full server-side table (filters, sorting, export) builds
// on listProjects; the project page on getProject.
import "server-only";
import { z } from "zod";
import { prisma } from "@/lib/db";
import type { Prisma } from "@/lib/generated/prisma/client";

export const MAX_PER_PAGE = 100;

export const projectListQuery = z
  .object({
    page: z.coerce.number().int().min(1).default(1),
    perPage: z.coerce.number().int().min(1).max(MAX_PER_PAGE).default(50),
    column: z.coerce.number().int().min(1).max(19).optional(),
    county: z.string().max(10).optional(),
    q: z.string().trim().max(100).optional(),
  })
  .strict();

export type ProjectListQuery = z.infer<typeof projectListQuery>;

export async function listProjects(query: ProjectListQuery) {
  const where: Prisma.ProjectWhereInput = {
    ...(query.column ? { column: { number: query.column } } : {}),
    ...(query.county ? { locations: { some: { divisionCode: query.county } } } : {}),
    ...(query.q ? { OR: [{ name: { contains: query.q } }, { projectCode: { contains: query.q } }] } : {}),
  };
  const [rows, total] = await prisma.$transaction([
    prisma.project.findMany({
      where,
      orderBy: [{ planKey: "asc" }, { createdAt: "asc" }],
      skip: (query.page - 1) * query.perPage,
      take: query.perPage,
      select: {
        id: true,
        planKey: true,
        name: true,
        targetStage2025: true,
        lifecycleStage: true,
        plannedInvestment: true,
        demoFields: true,
        column: { select: { number: true } },
        programme: { select: { name: true } },
        sector: { select: { nameZh: true, nameEn: true } },
        locations: { select: { division: { select: { name: true, sortOrder: true } } } },
        ownerOrg: { select: { name: true } },
      },
    }),
    prisma.project.count({ where }),
  ]);
  return { rows, total, page: query.page, perPage: query.perPage, pageCount: Math.max(1, Math.ceil(total / query.perPage)) };
}

export async function getProject(id: string) {
  if (!z.uuid().safeParse(id).success) return null;
  return prisma.project.findUnique({
    where: { id },
    include: {
      plan: { select: { title: true } },
      column: true,
      programme: true,
      sector: true,
      ownerOrg: true,
      locations: { include: { division: true }, orderBy: { division: { sortOrder: "asc" } } },
      annualPlans: { orderBy: { year: "asc" } },
      fundingPlans: { include: { source: true }, orderBy: { source: { sortOrder: "asc" } } },
      milestones: { orderBy: { baselineDate: "asc" } },
    },
  });
}

export async function listDivisions() {
  return prisma.adminDivision.findMany({ orderBy: { sortOrder: "asc" }, select: { code: true, name: true } });
}
