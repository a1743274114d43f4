// 项目调整申请 reads (docs/decisions/0030): a project's requests, the city reviewer's queue, and how
// many projects had their baseline changed this calendar year (Beijing time) for the dashboard.
import "server-only";
import { prisma } from "@/lib/db";
import { READ_PROJECTS } from "@/lib/auth/permissions";
import { assertPermission, type CurrentUser } from "@/lib/auth/session";
import { mayOnProject, projectWhere } from "@/lib/policy";
import type { BaselineValues } from "./schema";

const CHINA_OFFSET_MS = 8 * 3_600_000;

/** The Beijing calendar year an instant falls in, as [start, end) instants. */
export function chinaYearRange(now: Date): { year: number; start: Date; end: Date } {
  const year = new Date(now.getTime() + CHINA_OFFSET_MS).getUTCFullYear();
  return { year, start: new Date(Date.UTC(year, 0, 1) - CHINA_OFFSET_MS), end: new Date(Date.UTC(year + 1, 0, 1) - CHINA_OFFSET_MS) };
}

function shape<T extends { previous: unknown; proposed: unknown }>(row: T): Omit<T, "previous" | "proposed"> & { previous: BaselineValues; proposed: BaselineValues } {
  return { ...row, previous: row.previous as BaselineValues, proposed: row.proposed as BaselineValues };
}

/** A project's change requests, newest first (whoever may read the project). */
export async function listProjectBaselineChanges(actor: CurrentUser, projectId: string) {
  await assertPermission(actor, ...READ_PROJECTS);
  const scope = projectWhere(actor);
  if (!scope) return [];
  const rows = await prisma.baselineChange.findMany({ where: { projectId, project: scope }, orderBy: { createdAt: "desc" }, take: 50 });
  return rows.map(shape);
}

/** The city reviewer's queue: pending requests, oldest first. */
export async function listPendingBaselineChanges(actor: CurrentUser) {
  await assertPermission(actor, "baseline:approve:city");
  const scope = projectWhere(actor, "reviewBaseline");
  if (!scope) return [];
  const rows = await prisma.baselineChange.findMany({
    where: { status: "PENDING", project: scope },
    orderBy: { createdAt: "asc" },
    take: 200,
    include: {
      project: {
        select: { id: true, name: true, ownerOrgId: true, reviewDivisionCode: true, approval: true, locations: { select: { divisionCode: true } }, ownerOrg: { select: { name: true } } },
      },
    },
  });
  // The city office decides every project's baseline but reads only some projects' pages (its
  // county's and the multi-county ones): the queue carries the decision and says which it may open.
  return rows.map((row) => {
    const { ownerOrgId, reviewDivisionCode, approval, locations, ...project } = row.project;
    const mayRead = mayOnProject(actor, "read", { ownerOrgId, reviewDivisionCode, approval, locationDivisionCodes: locations.map((l) => l.divisionCode) });
    return { ...shape(row), project: { ...project, mayRead } };
  });
}

/** 本年调整计划: projects in the actor's scope with at least one approved change this Beijing year. */
export async function countRebaselinedProjects(actor: CurrentUser, now: Date = new Date(), county?: string): Promise<{ year: number; count: number }> {
  await assertPermission(actor, ...READ_PROJECTS);
  const { year, start, end } = chinaYearRange(now);
  const scope = projectWhere(actor);
  if (!scope) return { year, count: 0 };
  const rows = await prisma.baselineChange.findMany({
    where: { status: "APPROVED", decidedAt: { gte: start, lt: end }, project: county ? { AND: [scope, { locations: { some: { divisionCode: county } } }] } : scope },
    distinct: ["projectId"],
    select: { projectId: true },
  });
  return { year, count: rows.length };
}
