// The read API's projects: the project table's own data functions (lib/data/projects.ts), so the
// scope and the filters are exactly the UI's, mapped to the API's stable fields.
import "server-only";
import { getProject, listProjects, type ProjectListRow } from "@/lib/data/projects";
import type { CurrentUser } from "@/lib/auth/session";
import { ValidationError } from "@/lib/data/users";
import type { ProjectListQuery } from "@/lib/validations/project-list";
import { decodeCursor, encodeCursor } from "./cursor";
import type { z } from "zod";
import { getProjectLight } from "@/lib/portfolio/lights";
import { readReplica } from "@/lib/db-replica";
import { UNIT, type ProjectsQuery, type projectDetail, type projectSummary, type projectsResponse } from "./schemas";

/** A stored Decimal as the API's decimal string (plain notation, never exponent). */
export function money(value: { toFixed(): string } | null): string | null {
  return value === null ? null : value.toFixed();
}

export function day(value: Date | null): string | null {
  return value ? value.toISOString().slice(0, 10) : null;
}

function summary(row: ProjectListRow): z.input<typeof projectSummary> {
  return {
    id: row.id,
    planKey: row.planKey,
    projectCode: row.projectCode,
    name: row.name,
    column: { number: row.column.number, title: row.column.title },
    programme: row.programme.name,
    sector: row.sector ? { code: row.sector.code, nameZh: row.sector.nameZh, nameEn: row.sector.nameEn } : null,
    counties: row.locations.map((l) => ({ code: l.division.code, name: l.division.name })),
    countyPending: row.countyPending,
    owner: row.ownerOrg ? { id: row.ownerOrg.id, name: row.ownerOrg.name } : null,
    targetStage2025: row.targetStage2025,
    lifecycleStage: row.lifecycleStage,
    plannedStart: day(row.plannedStart),
    plannedCompletion: day(row.plannedCompletion),
    totalInvestment: money(row.totalInvestment),
    plannedInvestment: money(row.plannedInvestment),
    completedInvestment: money(row.completedInvestment)!,
    deliveryConfidence: row.deliveryConfidence,
    trafficLight: row.trafficLight?.light ?? null,
    demoFields: row.demoFields,
    approval: row.approval,
  };
}

/**
 * One page of the caller's projects, in the table's order, and the cursor of the next. Read from the
 * replica when there is one (docs/decisions/0023); `dataAsOf` is then how current it is (the route
 * sends it as X-Data-As-Of), null when the primary answered.
 */
export async function listApiProjects(actor: CurrentUser, query: ProjectsQuery): Promise<z.input<typeof projectsResponse> & { dataAsOf: Date | null }> {
  const { cursor, limit, ...filters } = query;
  const bound = { ...filters, limit };
  let offset = 0;
  if (cursor !== undefined) {
    const position = decodeCursor(bound, cursor);
    if (!position || position.offset % limit !== 0) throw new ValidationError({ cursor: ["validation.invalid"] });
    offset = position.offset;
  }
  // The table's query: the same filters, a page of `limit`, and the light kept fresh (it is shown).
  const listQuery: ProjectListQuery = { ...filters, page: offset / limit + 1, perPage: limit, cols: ["trafficLight"] };
  const { value: result, asOf: dataAsOf } = await readReplica.read((db) => listProjects(actor, listQuery, db));
  const next = offset + result.rows.length;
  return {
    unit: UNIT,
    data: result.rows.map(summary),
    total: result.total,
    totals: result.totals,
    limit,
    nextCursor: result.rows.length === limit && next < result.total ? encodeCursor(bound, { offset: next }) : null,
    dataAsOf,
  };
}

/** One project with its milestones, funds and annual plans, or null (missing or out of scope alike). */
export async function getApiProject(actor: CurrentUser, id: string): Promise<z.input<typeof projectDetail> | null> {
  const p = await getProject(actor, id);
  if (!p) return null;
  const light = await getProjectLight(actor, id);
  return {
    id: p.id,
    planKey: p.planKey,
    projectCode: p.projectCode,
    name: p.name,
    column: { number: p.column.number, title: p.column.title },
    programme: p.programme.name,
    sector: p.sector ? { code: p.sector.code, nameZh: p.sector.nameZh, nameEn: p.sector.nameEn } : null,
    counties: p.locations.map((l) => ({ code: l.division.code, name: l.division.name })),
    countyPending: p.countyPending,
    owner: p.ownerOrg ? { id: p.ownerOrg.id, name: p.ownerOrg.name } : null,
    targetStage2025: p.targetStage2025,
    lifecycleStage: p.lifecycleStage,
    plannedStart: day(p.plannedStart),
    plannedCompletion: day(p.plannedCompletion),
    totalInvestment: money(p.totalInvestment),
    plannedInvestment: money(p.plannedInvestment),
    completedInvestment: money(p.completedInvestment)!,
    deliveryConfidence: p.deliveryConfidence,
    trafficLight: light?.light ?? null,
    demoFields: p.demoFields,
    approval: p.approval,
    planName: p.planName,
    sourcePhrase: p.sourcePhrase,
    projectType: p.projectType,
    nature: p.nature,
    milestones: p.milestones.map((m) => ({ kind: m.kind, status: m.status, baselineDate: day(m.baselineDate), forecastDate: day(m.forecastDate), actualDate: day(m.actualDate) })),
    funds: p.fundingPlans.map((f) => ({ source: f.sourceCode, nameZh: f.source.nameZh, nameEn: f.source.nameEn, amount: money(f.amount)! })),
    annualPlans: p.annualPlans.map((a) => ({ year: a.year, amount: money(a.amount)! })),
    updatedAt: p.updatedAt.toISOString(),
  };
}
