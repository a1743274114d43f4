// Reading the audit log, verifying its hash chain against the signed checkpoints (auditors and
// the audit administrator), and taking a checkpoint on demand (the audit administrator).
import "server-only";
import { prisma } from "@/lib/db";
import { createCheckpoint, verifyAuditLogAndCheckpoints } from "@/lib/audit/checkpoint";
import { assertPermission, type CurrentUser } from "@/lib/auth/session";

export async function listAuditEvents(actor: CurrentUser, options: { page: number; perPage?: number }) {
  await assertPermission(actor, "audit:read:all");
  const perPage = Math.min(options.perPage ?? 50, 200);
  const [rows, total] = await Promise.all([
    prisma.auditEvent.findMany({ orderBy: { seq: "desc" }, skip: (options.page - 1) * perPage, take: perPage }),
    prisma.auditEvent.count(),
  ]);
  return { rows, total, page: options.page, perPage, pageCount: Math.max(1, Math.ceil(total / perPage)) };
}

/** The chain walked and held against every checkpoint file and row, with the latest checkpoint. */
export async function verifyAuditLog(actor: CurrentUser) {
  await assertPermission(actor, "audit:read:all");
  return verifyAuditLogAndCheckpoints(prisma);
}

/** A signed checkpoint of the chain head now; taking it is itself an audit event. */
export async function createAuditCheckpoint(actor: CurrentUser, input: { reason?: string | undefined }, ip: string) {
  await assertPermission(actor, "audit:checkpoint:all");
  const created = await createCheckpoint(prisma, { actorId: actor.id, actorName: actor.username, ip, reason: input.reason ?? null });
  return { seq: created.file.seq, fileName: created.fileName };
}
