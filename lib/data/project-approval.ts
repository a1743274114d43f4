// New projects an owner unit adds wait for their review office (待审核, docs/decisions/0031): the
// reviewer's queue, accepting or refusing (with a reason the owner reads), and the owner's
// resubmission of a refused project. Each change and its audit event commit together; the
// version guards against two reviewers (or reviewer and owner) deciding on the same state.
import "server-only";
import { prisma } from "@/lib/db";
import { appendAuditEvent } from "@/lib/audit/log";
import { NotFoundError, can } from "@/lib/auth/permissions";
import { assertPermission, type CurrentUser } from "@/lib/auth/session";
import { mayOnProject, projectWhere } from "@/lib/policy";
import type { ResubmitNewProjectInput, ReviewNewProjectInput } from "@/lib/validations/project-approval";
import { refreshProjectLights } from "@/lib/portfolio/lights";
import { ConflictError } from "./users";

const QUEUE_LIMIT = 200;

/** The new projects waiting for the actor's review office, oldest first (the reviewer's queue on /returns). */
export async function listNewProjectsToReview(actor: CurrentUser) {
  if (!can(actor, "project:accept:county") && !can(actor, "project:accept:city")) return { rows: [], total: 0 };
  const reviewable = projectWhere(actor, "accept");
  if (!reviewable) return { rows: [], total: 0 };
  const where = { AND: [reviewable, { approval: "PENDING" as const }] };
  const [rows, total] = await Promise.all([
    prisma.project.findMany({
      where,
      orderBy: [{ createdAt: "asc" }, { id: "asc" }],
      take: QUEUE_LIMIT,
      select: {
        id: true, name: true, createdAt: true, totalInvestment: true, version: true,
        ownerOrg: { select: { name: true } },
        locations: { select: { division: { select: { name: true } } }, orderBy: { division: { sortOrder: "asc" } } },
      },
    }),
    prisma.project.count({ where }),
  ]);
  return { rows, total };
}

/** The review office accepts a new project into the library, or refuses it with a reason. */
export async function reviewNewProject(actor: CurrentUser, input: ReviewNewProjectInput, ip: string) {
  await assertPermission(actor, "project:accept:county", "project:accept:city");
  return prisma.$transaction(async (tx) => {
    const project = await tx.project.findUnique({
      where: { id: input.projectId },
      select: { id: true, name: true, version: true, approval: true, ownerOrgId: true, reviewDivisionCode: true },
    });
    // Out of the actor's review office, or already accepted: as if it did not exist.
    if (!project || !mayOnProject(actor, "accept", project)) throw new NotFoundError("Project");
    const accept = input.decision === "accept";
    const updated = await tx.project.updateMany({
      where: { id: project.id, version: input.version, approval: "PENDING" },
      data: { approval: accept ? "ACCEPTED" : "REFUSED", approvalReason: accept ? null : input.reason, version: { increment: 1 } },
    });
    if (updated.count === 0) throw new ConflictError("Project");
    // An accepted project joins the dashboard's sums with its light (docs/decisions/0032).
    if (accept) await refreshProjectLights(tx, [project.id]);
    const facts = { name: project.name, ownerOrgId: project.ownerOrgId, reviewDivisionCode: project.reviewDivisionCode, fromVersion: input.version };
    await appendAuditEvent(
      tx,
      accept
        ? { actorId: actor.id, actorName: actor.username, action: "project.accept", entityType: "Project", entityId: project.id, ip, details: facts }
        : { actorId: actor.id, actorName: actor.username, action: "project.refuse", entityType: "Project", entityId: project.id, ip, details: { ...facts, reason: input.reason! } },
    );
    return { approval: accept ? ("ACCEPTED" as const) : ("REFUSED" as const) };
  });
}

/** The owner unit sends a refused project back for review (after correcting it with the registry form or import). */
export async function resubmitNewProject(actor: CurrentUser, input: ResubmitNewProjectInput, ip: string) {
  await assertPermission(actor, "project:update:own-org");
  return prisma.$transaction(async (tx) => {
    const project = await tx.project.findUnique({
      where: { id: input.projectId },
      select: { id: true, name: true, version: true, approval: true, approvalReason: true, ownerOrgId: true },
    });
    if (!project || !mayOnProject(actor, "edit", project)) throw new NotFoundError("Project");
    const updated = await tx.project.updateMany({
      where: { id: project.id, version: input.version, approval: "REFUSED" },
      data: { approval: "PENDING", approvalReason: null, version: { increment: 1 } },
    });
    if (updated.count === 0) throw new ConflictError("Project");
    await appendAuditEvent(tx, {
      actorId: actor.id, actorName: actor.username, action: "project.resubmit", entityType: "Project", entityId: project.id, ip,
      details: { name: project.name, fromVersion: input.version, previousReason: project.approvalReason },
    });
  });
}
