// Organizations (owner units, county governments, city departments), managed by the system
// administrator. Writes are versioned and audited in the same transaction.
import "server-only";
import { prisma } from "@/lib/db";
import { appendAuditEvent } from "@/lib/audit/log";
import { NotFoundError } from "@/lib/auth/permissions";
import { assertPermission, type CurrentUser } from "@/lib/auth/session";
import { Prisma } from "@/lib/generated/prisma/client";
import type { OrganizationKind } from "@/lib/generated/prisma/enums";
import { ConflictError, ValidationError } from "./users";

export async function listOrganizations(actor: CurrentUser) {
  await assertPermission(actor, "organization:manage:all");
  return prisma.organization.findMany({
    orderBy: [{ kind: "asc" }, { name: "asc" }],
    include: { parent: { select: { name: true } }, division: { select: { name: true } }, _count: { select: { users: true, ownedProjects: true } } },
  });
}

export interface OrganizationInput {
  organizationId?: string;
  version?: number;
  name: string;
  kind: OrganizationKind;
  parentId: string | null;
  divisionCode: string | null;
  notifyEmail: string | null;
}

export async function saveOrganization(actor: CurrentUser, input: OrganizationInput, ip: string) {
  await assertPermission(actor, "organization:manage:all");
  const fields = { name: input.name, kind: input.kind, parentId: input.parentId, divisionCode: input.divisionCode, notifyEmail: input.notifyEmail };
  if (input.organizationId && input.organizationId === input.parentId) throw new ValidationError({ parentId: ["validation.invalid"] });
  try {
    return await prisma.$transaction(async (tx) => {
      if (!input.organizationId) {
        const created = await tx.organization.create({ data: fields });
        await appendAuditEvent(tx, { actorId: actor.id, actorName: actor.username, action: "organization.create", entityType: "Organization", entityId: created.id, ip, details: { after: fields } });
        return created;
      }
      const before = await tx.organization.findUnique({ where: { id: input.organizationId } });
      if (!before) throw new NotFoundError("Organization");
      const updated = await tx.organization.updateMany({ where: { id: input.organizationId, version: input.version ?? -1 }, data: { ...fields, version: { increment: 1 } } });
      if (updated.count === 0) throw new ConflictError("Organization");
      await appendAuditEvent(tx, {
        actorId: actor.id, actorName: actor.username, action: "organization.update", entityType: "Organization", entityId: before.id, ip,
        details: { before: { name: before.name, kind: before.kind, parentId: before.parentId, divisionCode: before.divisionCode, notifyEmail: before.notifyEmail }, after: fields },
      });
      return before;
    });
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") throw new ValidationError({ name: ["validation.nameTaken"] });
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2003") throw new ValidationError({ divisionCode: ["validation.invalid"] });
    throw error;
  }
}
