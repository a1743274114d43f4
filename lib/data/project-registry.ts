// Owner units edit the registry fields of their own projects. The write and its audit event
// commit together; a stale version is refused with the other editor's change, never overwritten.
import "server-only";
import Decimal from "decimal.js";
import { prisma } from "@/lib/db";
import { appendAuditEvent } from "@/lib/audit/log";
import { NotFoundError } from "@/lib/auth/permissions";
import { assertPermission, type CurrentUser } from "@/lib/auth/session";
import { mayOnProject, projectWhere } from "@/lib/policy";
import { REGISTRY_FIELDS, type ProjectRegistryInput, type SettleCountyInput } from "@/lib/validations/project";
import { reviewDivisionOf } from "@/lib/returns/rules";
import { isBaselineSet, sameBaselineValue } from "@/lib/baselines/rules";
import { refreshProjectLights } from "@/lib/portfolio/lights";
import { ValidationError } from "./users";

type FieldValues = Record<(typeof REGISTRY_FIELDS)[number], string | null>;

export class StaleEditError extends Error {
  constructor(public readonly current: FieldValues & { version: number }, public readonly changedBy: { name: string | null; at: string } | null) {
    super("the project was changed by someone else");
    this.name = "StaleEditError";
  }
}

function values(project: {
  projectCode: string | null; projectType: string | null; nature: string | null; lifecycleStage: string;
  plannedStart: Date | null; plannedCompletion: Date | null; totalInvestment: Decimal | { toString(): string } | null; plannedInvestment: { toString(): string } | null;
}): FieldValues {
  return {
    projectCode: project.projectCode,
    projectType: project.projectType,
    nature: project.nature,
    lifecycleStage: project.lifecycleStage,
    plannedStart: project.plannedStart?.toISOString().slice(0, 10) ?? null,
    plannedCompletion: project.plannedCompletion?.toISOString().slice(0, 10) ?? null,
    totalInvestment: project.totalInvestment === null ? null : new Decimal(project.totalInvestment.toString()).toString(),
    plannedInvestment: project.plannedInvestment === null ? null : new Decimal(project.plannedInvestment.toString()).toString(),
  };
}

/** The project as the edit form needs it, if the user may edit it. */
export async function getEditableProject(actor: CurrentUser, projectId: string) {
  await assertPermission(actor, "project:update:own-org");
  if (!/^[0-9a-f-]{36}$/i.test(projectId)) return null;
  const editable = projectWhere(actor, "edit");
  if (!editable) return null;
  const project = await prisma.project.findFirst({ where: { AND: [{ id: projectId }, editable] } });
  if (!project) return null;
  return {
    id: project.id, name: project.name, version: project.version, demoFields: project.demoFields, ...values(project),
    /** Registry fields that hold a set baseline: read-only here, changed by a 项目调整申请 (docs/decisions/0030). */
    lockedFields: isBaselineSet(project.totalInvestment, project.demoFields.includes("totalInvestment")) ? (["totalInvestment"] as const) : ([] as const),
  };
}

export async function updateProjectRegistry(actor: CurrentUser, input: ProjectRegistryInput, ip: string) {
  await assertPermission(actor, "project:update:own-org");
  const editable = projectWhere(actor, "edit");
  if (!editable) throw new NotFoundError("Project");
  if (input.projectCode) {
    const clash = await prisma.project.findFirst({ where: { projectCode: input.projectCode, NOT: { id: input.projectId } }, select: { id: true } });
    if (clash) throw new ValidationError({ projectCode: ["validation.projectCodeTaken"] });
  }
  return prisma.$transaction(async (tx) => {
    const before = await tx.project.findFirst({ where: { AND: [{ id: input.projectId }, editable] } });
    if (!before) throw new NotFoundError("Project");
    const next: FieldValues = {
      projectCode: input.projectCode, projectType: input.projectType, nature: input.nature, lifecycleStage: input.lifecycleStage,
      plannedStart: input.plannedStart, plannedCompletion: input.plannedCompletion, totalInvestment: input.totalInvestment, plannedInvestment: input.plannedInvestment,
    };
    const old = values(before);
    const staleError = async () => {
      const last = await tx.auditEvent.findFirst({ where: { entityType: "Project", entityId: input.projectId, action: "project.update" }, orderBy: { seq: "desc" } });
      return new StaleEditError({ ...old, version: before.version }, last ? { name: last.actorName, at: last.at.toISOString() } : null);
    };
    // An editor holding an old version sees what is there now before anything else is said of the edit.
    if (before.version !== input.version) throw await staleError();
    // A set baseline changes only by an approved 项目调整申请 (docs/decisions/0030).
    const totalLocked = isBaselineSet(before.totalInvestment, before.demoFields.includes("totalInvestment"));
    if (totalLocked && !sameBaselineValue(old.totalInvestment, next.totalInvestment)) throw new ValidationError({ totalInvestment: ["validation.baseline.locked"] });
    const changed = REGISTRY_FIELDS.filter((f) => (old[f] === null ? null : String(old[f])) !== next[f]);
    const updated = await tx.project.updateMany({
      where: { id: input.projectId, version: input.version },
      data: {
        projectCode: next.projectCode,
        projectType: input.projectType,
        nature: input.nature,
        lifecycleStage: input.lifecycleStage,
        plannedStart: next.plannedStart ? new Date(next.plannedStart) : null,
        plannedCompletion: next.plannedCompletion ? new Date(next.plannedCompletion) : null,
        totalInvestment: next.totalInvestment,
        // The first real 总投资 is also the original baseline; it never changes after.
        ...(before.originalTotalInvestment === null && next.totalInvestment !== null && changed.includes("totalInvestment") ? { originalTotalInvestment: next.totalInvestment } : {}),
        plannedInvestment: next.plannedInvestment,
        // A value an owner unit enters is real data: it no longer counts as demo.
        demoFields: before.demoFields.filter((f) => !changed.includes(f as (typeof REGISTRY_FIELDS)[number])),
        version: { increment: 1 },
      },
    });
    if (updated.count === 0) throw await staleError();
    // A field the light reads or the dashboard sums may have changed: recomputed with the edit (docs/decisions/0032).
    if (changed.length) await refreshProjectLights(tx, [input.projectId]);
    if (changed.length) {
      await appendAuditEvent(tx, {
        actorId: actor.id, actorName: actor.username, action: "project.update", entityType: "Project", entityId: input.projectId, ip,
        details: {
          fields: changed,
          before: Object.fromEntries(changed.map((f) => [f, old[f]])),
          after: Object.fromEntries(changed.map((f) => [f, next[f]])),
          fromVersion: input.version,
          // Which of the replaced values were generated demo data (figure history and OC4IDS mark them).
          demoBefore: before.demoFields.filter((f) => (changed as readonly string[]).includes(f)),
        },
      });
    }
    return { changed };
  });
}

/**
 * A reviewer settles the county of a project marked 区县待确认 (docs/decisions/0022): the project's
 * review office (for such a project the city's, 520300) sets its counties once; the review office
 * then follows the counties as the seed sets it. The change and its audit event (project.update,
 * fields ["counties"]) commit together; the seed never overwrites it.
 */
export async function settleProjectCounty(actor: CurrentUser, input: SettleCountyInput, ip: string) {
  await assertPermission(actor, "return:approve:county");
  const counties = [...new Set(input.counties)];
  const known = await prisma.adminDivision.findMany({ where: { code: { in: counties } }, select: { code: true } });
  if (known.length !== counties.length) throw new ValidationError({ counties: ["validation.county"] });
  return prisma.$transaction(async (tx) => {
    const project = await tx.project.findUnique({
      where: { id: input.projectId },
      select: { id: true, version: true, countyPending: true, ownerOrgId: true, reviewDivisionCode: true, approval: true, locations: { select: { divisionCode: true } } },
    });
    const facts = project && { ownerOrgId: project.ownerOrgId, reviewDivisionCode: project.reviewDivisionCode, approval: project.approval, locationDivisionCodes: project.locations.map((l) => l.divisionCode) };
    if (!project || !facts || !mayOnProject(actor, "settleCounty", facts)) throw new NotFoundError("Project");
    if (!project.countyPending || project.locations.length) throw new ValidationError({ counties: ["validation.countyAlreadySettled"] });
    const reviewDivisionCode = reviewDivisionOf(counties);
    const updated = await tx.project.updateMany({
      where: { id: project.id, version: input.version, countyPending: true },
      data: { countyPending: false, reviewDivisionCode, version: { increment: 1 } },
    });
    if (updated.count === 0) throw new ValidationError({ counties: ["validation.countyStale"] });
    await tx.projectLocation.createMany({ data: counties.map((divisionCode) => ({ projectId: project.id, divisionCode })) });
    await refreshProjectLights(tx, [project.id]);
    await appendAuditEvent(tx, {
      actorId: actor.id, actorName: actor.username, action: "project.update", entityType: "Project", entityId: project.id, ip,
      details: {
        fields: ["counties"],
        before: { counties: [], reviewDivisionCode: project.reviewDivisionCode },
        after: { counties, reviewDivisionCode },
        fromVersion: input.version,
      },
    });
    return { counties, reviewDivisionCode };
  });
}

/** The divisions a reviewer may choose from when settling a county, in the usual order. */
export async function listSettleableDivisions(actor: CurrentUser) {
  await assertPermission(actor, "return:approve:county");
  return prisma.adminDivision.findMany({ orderBy: { sortOrder: "asc" }, select: { code: true, name: true } });
}
