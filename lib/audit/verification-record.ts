// What a full verification found, as it is kept in the log: the details of an "audit.verify"
// event (schema in lib/audit/events.ts), written by the audit page's "verify now" and by the
// nightly job (lib/jobs/runner.ts); the audit page and /admin/system show the latest one.
// Plain Node (no "server-only"): the job worker uses it.
import type { AuditLogVerification } from "./checkpoint";
import type { AuditDetails } from "./events";

export type StoredVerification = AuditDetails<"audit.verify">;

export function storedVerification(result: AuditLogVerification): StoredVerification {
  const b = result.brokenRow;
  return {
    ok: result.ok,
    checked: result.checked,
    firstSeq: result.firstSeq?.toString() ?? null,
    lastSeq: result.lastSeq?.toString() ?? null,
    checkpointsChecked: result.checkpointsChecked,
    firstBrokenSeq: result.firstBrokenSeq?.toString() ?? null,
    reason: result.reason ?? null,
    warnings: result.warnings,
    brokenRow: b ? { seq: b.seq.toString(), at: b.at.toISOString(), action: b.action, entityType: b.entityType, entityId: b.entityId, actorName: b.actorName, reason: b.reason } : null,
  };
}
