// Reads back every audit event a test's commands wrote, through each action's schema
// (lib/audit/events.ts): a command whose details drift from its schema fails here as well as at
// write time. Events of made-up actions (tests/helpers/untyped-audit-event.ts) are skipped.
import type { PrismaClient } from "@/lib/generated/prisma/client";

/** The known actions found in the log, each event parsed; throws AuditDetailsError at the first that does not fit. */
export async function auditActionsReadBack(prisma: PrismaClient): Promise<string[]> {
  const { isAuditAction, parseAuditDetails } = await import("@/lib/audit/events");
  const rows = await prisma.auditEvent.findMany({ select: { seq: true, action: true, details: true }, orderBy: { seq: "asc" } });
  const seen = new Set<string>();
  for (const row of rows) {
    if (!isAuditAction(row.action)) continue;
    parseAuditDetails(row.action, row.details);
    seen.add(row.action);
  }
  return [...seen].sort();
}
