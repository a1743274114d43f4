// Reads of the project library. The full server-side table (filters, sorting, export) builds
// on listProjects; the project page on getProject.
import "server-only";
import { z } from "zod";
import { prisma } from "@/lib/db";
import { assertPermission, type CurrentUser } from "@/lib/auth/session";
import type { Prisma } from "@/lib/generated/prisma/client";

const READ_PROJECTS = ["project:read:all", "project:read:county", "project:read:own-org"] as const;

/**
 * The projects a user may see: all (leadership, auditors), those in the reviewer's county, or
 * those owned by the user's organization. null = none at all.
 */
export function projectScope(actor: CurrentUser): Prisma.ProjectWhereInput | null {
  if (actor.permissions.has("project:read:all")) return {};
  const any: Prisma.ProjectWhereInput[] = [];
  if (actor.permissions.has("project:read:county") && actor.divisionCode) {
    any.push({ locations: { some: { divisionCode: actor.divisionCode } } });
  }
  if (actor.permissions.has("project:read:own-org") && actor.organizationId) any.push({ ownerOrgId: actor.organizationId });
  return any.length ? { OR: any } : null;
}

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

export async function listProjects(actor: CurrentUser, query: ProjectListQuery) {
  await assertPermission(actor, ...READ_PROJECTS);
  const scope = projectScope(actor);
  if (!scope) return { rows: [], total: 0, page: 1, perPage: query.perPage, pageCount: 1 };
  const where: Prisma.ProjectWhereInput = {
    AND: [scope],
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

/** A project the user may see, else null — the same answer whether it is missing or out of scope. */
export async function getProject(actor: CurrentUser, id: string) {
  await assertPermission(actor, ...READ_PROJECTS);
  const scope = projectScope(actor);
  if (!scope || !z.uuid().safeParse(id).success) return null;
  return prisma.project.findFirst({
    where: { AND: [{ id }, scope] },
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
