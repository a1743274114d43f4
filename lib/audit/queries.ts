// Reading the audit log, verifying its hash chain against the signed checkpoints (auditors and
// the audit administrator), and taking a checkpoint on demand (the audit administrator).
import "server-only";
import { prisma } from "@/lib/db";
import { createCheckpoint, verifyAuditLogAndCheckpoints } from "@/lib/audit/checkpoint";
import { withDetails } from "@/lib/audit/events";
import { storedVerification, type StoredVerification } from "@/lib/audit/verification-record";

export type { StoredVerification };
import { recordAuditEvent } from "@/lib/audit/log";
import { assertPermission, type CurrentUser } from "@/lib/auth/session";
import { auditExportWhere, auditVisibility, type AuditFilters } from "@/lib/audit/export";
import { READ_AUDIT } from "@/lib/auth/permissions";

/** A page of the log, newest first, narrowed by the same filters as the export (auditFilterQuery). */
export async function listAuditEvents(actor: CurrentUser, options: { page: number; perPage?: number; filters?: AuditFilters }) {
  await assertPermission(actor, ...READ_AUDIT);
  const where = { AND: [auditVisibility(actor), options.filters ? await auditExportWhere(options.filters) : {}] };
  const perPage = Math.min(options.perPage ?? 50, 200);
  // A page number from the URL: past the last page shows an empty page, never an overflow.
  const page = Math.min(Math.max(1, Math.trunc(options.page) || 1), 1_000_000);
  const [rows, total] = await Promise.all([
    prisma.auditEvent.findMany({ where, orderBy: { seq: "desc" }, skip: (page - 1) * perPage, take: perPage }),
    prisma.auditEvent.count({ where }),
  ]);
  return { rows, total, page, perPage, pageCount: Math.max(1, Math.ceil(total / perPage)) };
}

/** The chain walked and held against every checkpoint file and row, with the latest checkpoint. */
export async function verifyAuditLog(actor: CurrentUser) {
  await assertPermission(actor, ...READ_AUDIT);
  return verifyAuditLogAndCheckpoints(prisma);
}

/**
 * Walks the whole chain now (about 1 s per 10,000 events) and records what it found as an
 * "audit.verify" event, itself part of the chain: the audit page shows the latest one instead of
 * re-walking the log on every view.
 */
export async function verifyAuditLogNow(actor: CurrentUser, ip: string): Promise<StoredVerification> {
  await assertPermission(actor, ...READ_AUDIT);
  const result = storedVerification(await verifyAuditLogAndCheckpoints(prisma));
  await recordAuditEvent(prisma, {
    actorId: actor.id, actorName: actor.username, action: "audit.verify", entityType: "AuditEvent", entityId: result.lastSeq, ip,
    details: { ...result },
  });
  return result;
}

/** The latest recorded full verification, who ran it and when, and how many events came after it; null if none yet. */
export async function lastAuditVerification(actor: CurrentUser) {
  await assertPermission(actor, ...READ_AUDIT);
  const event = await prisma.auditEvent.findFirst({ where: { action: "audit.verify" }, orderBy: { seq: "desc" } });
  if (!event) return null;
  const newSince = await prisma.auditEvent.count({ where: { seq: { gt: event.seq } } });
  return { at: event.at, by: event.actorName, seq: event.seq, result: withDetails(event, "audit.verify").details, newSince };
}

/** The latest signed checkpoint (row), or null. */
export async function latestAuditCheckpoint(actor: CurrentUser) {
  await assertPermission(actor, ...READ_AUDIT);
  return prisma.auditCheckpoint.findFirst({ orderBy: [{ seq: "desc" }, { createdAt: "desc" }], select: { kind: true, seq: true, createdAt: true, fileName: true, createdByName: true } });
}

/** A signed checkpoint of the chain head now; taking it is itself an audit event. */
export async function createAuditCheckpoint(actor: CurrentUser, input: { reason?: string | undefined }, ip: string) {
  await assertPermission(actor, "audit:checkpoint:all");
  const created = await createCheckpoint(prisma, { actorId: actor.id, actorName: actor.username, ip, reason: input.reason ?? null });
  return { seq: created.file.seq, fileName: created.fileName };
}
