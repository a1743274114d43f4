// Reads of the project library: the server-side table (filters, sorting, totals, export) and
// the project page. Every function takes the acting user and scopes to what it may see.
import "server-only";
import { z } from "zod";
import { prisma } from "@/lib/db";
import { READ_PROJECTS } from "@/lib/auth/permissions";
import { assertPermission, type CurrentUser } from "@/lib/auth/session";
import type { Prisma } from "@/lib/generated/prisma/client";
import type { ProjectListQuery, ProjectSortId } from "@/lib/validations/project-list";


/**
 * The projects a user may see: all (leadership, auditors), those in the reviewer's county, or
 * those owned by the user's organization. null = none at all.
 */
export function projectScope(actor: CurrentUser): Prisma.ProjectWhereInput | null {
  if (actor.permissions.has("project:read:all")) return {};
  const any: Prisma.ProjectWhereInput[] = [];
  if (actor.permissions.has("project:read:county") && actor.divisionCode) {
    // The county's projects, and those whose returns the reviewer's office reviews (the city
    // office reviews projects spanning several counties).
    any.push({ locations: { some: { divisionCode: actor.divisionCode } } }, { reviewDivisionCode: actor.divisionCode });
  }
  if (actor.permissions.has("project:read:own-org") && actor.organizationId) any.push({ ownerOrgId: actor.organizationId });
  return any.length ? { OR: any } : null;
}

/** The filters of the table as a Prisma where clause (values already whitelisted). */
export function projectFilter(query: ProjectListQuery): Prisma.ProjectWhereInput {
  const and: Prisma.ProjectWhereInput[] = [];
  if (query.q) and.push({ OR: [{ name: { contains: query.q, mode: "insensitive" } }, { projectCode: { contains: query.q } }, { planKey: query.q }] });
  if (query.column?.length) and.push({ column: { number: { in: query.column } } });
  if (query.programme?.length) and.push({ programme: { key: { in: query.programme } } });
  if (query.county?.length) and.push({ locations: { some: { divisionCode: { in: query.county } } } });
  if (query.sector?.length) and.push({ sectorCode: { in: query.sector } });
  if (query.stage?.length) and.push({ lifecycleStage: { in: query.stage } });
  if (query.target?.length) and.push({ targetStage2025: { in: query.target } });
  if (query.owner?.length) and.push({ ownerOrgId: { in: query.owner } });
  if (query.funding?.length) and.push({ fundingPlans: { some: { sourceCode: { in: query.funding } } } });
  if (query.budget === "has") and.push({ plannedInvestment: { not: null } });
  if (query.budget === "missing") and.push({ plannedInvestment: null });
  if (query.demo === "yes") and.push({ NOT: { demoFields: { isEmpty: true } } });
  if (query.demo === "no") and.push({ demoFields: { isEmpty: true } });
  return and.length ? { AND: and } : {};
}

const SORTS: Record<ProjectSortId, (direction: Prisma.SortOrder) => Prisma.ProjectOrderByWithRelationInput> = {
  planKey: (d) => ({ planKey: { sort: d, nulls: "last" } }),
  name: (d) => ({ name: d }),
  column: (d) => ({ column: { number: d } }),
  plannedInvestment: (d) => ({ plannedInvestment: { sort: d, nulls: "last" } }),
  totalInvestment: (d) => ({ totalInvestment: { sort: d, nulls: "last" } }),
  plannedStart: (d) => ({ plannedStart: { sort: d, nulls: "last" } }),
  plannedCompletion: (d) => ({ plannedCompletion: { sort: d, nulls: "last" } }),
  lifecycleStage: (d) => ({ lifecycleStage: d }),
  targetStage2025: (d) => ({ targetStage2025: d }),
  updatedAt: (d) => ({ updatedAt: d }),
};

function orderBy(query: ProjectListQuery): Prisma.ProjectOrderByWithRelationInput[] {
  const sort = query.sort ?? { id: "planKey" as const, direction: "asc" as const };
  // The id breaks ties so pages never overlap or skip rows.
  return [SORTS[sort.id](sort.direction), { id: "asc" }];
}

const listSelect = {
  id: true,
  planKey: true,
  projectCode: true,
  name: true,
  targetStage2025: true,
  lifecycleStage: true,
  plannedStart: true,
  plannedCompletion: true,
  plannedInvestment: true,
  totalInvestment: true,
  completedInvestment: true,
  deliveryConfidence: true,
  demoFields: true,
  column: { select: { number: true, title: true } },
  programme: { select: { name: true } },
  sector: { select: { code: true, nameZh: true, nameEn: true } },
  locations: { select: { division: { select: { name: true } } }, orderBy: { division: { sortOrder: "asc" } } },
  ownerOrg: { select: { id: true, name: true } },
  // Figures submitted but not yet approved: shown apart and marked, never added to the approved total.
  monthlyReturns: { where: { status: "SUBMITTED" }, select: { completedInvestment: true } },
} satisfies Prisma.ProjectSelect;

async function scopedWhere(actor: CurrentUser, query: ProjectListQuery): Promise<Prisma.ProjectWhereInput | null> {
  await assertPermission(actor, ...READ_PROJECTS);
  const scope = projectScope(actor);
  return scope ? { AND: [scope, projectFilter(query)] } : null;
}

export interface ProjectTotals {
  count: number;
  totalInvestment: string;
  plannedInvestment: string;
  completedInvestment: string;
}

export async function listProjects(actor: CurrentUser, query: ProjectListQuery) {
  const where = await scopedWhere(actor, query);
  const empty: ProjectTotals = { count: 0, totalInvestment: "0", plannedInvestment: "0", completedInvestment: "0" };
  if (!where) return { rows: [], total: 0, page: 1, perPage: query.perPage, pageCount: 1, totals: empty };
  const [rows, sums] = await Promise.all([
    prisma.project.findMany({ where, orderBy: orderBy(query), skip: (query.page - 1) * query.perPage, take: query.perPage, select: listSelect }),
    prisma.project.aggregate({ where, _count: { _all: true }, _sum: { totalInvestment: true, plannedInvestment: true, completedInvestment: true } }),
  ]);
  const total = sums._count._all;
  return {
    rows,
    total,
    page: query.page,
    perPage: query.perPage,
    pageCount: Math.max(1, Math.ceil(total / query.perPage)),
    totals: {
      count: total,
      totalInvestment: sums._sum.totalInvestment?.toString() ?? "0",
      plannedInvestment: sums._sum.plannedInvestment?.toString() ?? "0",
      completedInvestment: sums._sum.completedInvestment?.toString() ?? "0",
    } satisfies ProjectTotals,
  };
}

export type ProjectListRow = Awaited<ReturnType<typeof listProjects>>["rows"][number];

export const EXPORT_LIMIT = 200_000;

/** Every row of the filtered set (for .xlsx/.csv), in the table's order. */
export async function exportProjects(actor: CurrentUser, query: ProjectListQuery): Promise<ProjectListRow[]> {
  const where = await scopedWhere(actor, query);
  if (!where) return [];
  return prisma.project.findMany({ where, orderBy: orderBy(query), take: EXPORT_LIMIT, select: listSelect });
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

/** Filter options for the table: columns, programmes, counties, sectors, owners, funding sources. */
export async function listProjectFilterOptions(actor: CurrentUser) {
  await assertPermission(actor, ...READ_PROJECTS);
  const scope = projectScope(actor) ?? { id: "00000000-0000-0000-0000-000000000000" };
  const [columns, programmes, divisions, sectors, owners, funding] = await Promise.all([
    prisma.planColumn.findMany({ where: { hasProjects: true }, orderBy: { number: "asc" }, select: { number: true, title: true } }),
    prisma.programme.findMany({ orderBy: { key: "asc" }, select: { key: true, name: true, column: { select: { number: true } } } }),
    prisma.adminDivision.findMany({ orderBy: { sortOrder: "asc" }, select: { code: true, name: true } }),
    prisma.sector.findMany({ where: { projects: { some: {} } }, orderBy: { sortOrder: "asc" }, select: { code: true, nameZh: true, nameEn: true } }),
    prisma.organization.findMany({ where: { ownedProjects: { some: scope } }, orderBy: { name: "asc" }, select: { id: true, name: true } }),
    prisma.fundingSource.findMany({ orderBy: { sortOrder: "asc" }, select: { code: true, nameZh: true, nameEn: true } }),
  ]);
  return { columns, programmes, divisions, sectors, owners, funding };
}

/** The audit history of a project the user may see (every change, who, when, before/after). */
export async function projectHistory(actor: CurrentUser, projectId: string) {
  await assertPermission(actor, ...READ_PROJECTS);
  const scope = projectScope(actor);
  if (!scope || (await prisma.project.count({ where: { AND: [{ id: projectId }, scope] } })) === 0) return [];
  return prisma.auditEvent.findMany({ where: { entityType: "Project", entityId: projectId }, orderBy: { seq: "desc" }, take: 100 });
}

export async function listDivisions() {
  return prisma.adminDivision.findMany({ orderBy: { sortOrder: "asc" }, select: { code: true, name: true } });
}
