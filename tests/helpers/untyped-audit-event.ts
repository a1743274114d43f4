// The one place tests write audit events no command writes (made-up actions, arbitrary details):
// chain, hash and purge tests need rows of their own. Everything else goes through the typed
// appendAuditEvent, whose details must fit the action's schema (lib/audit/events.ts).
import type { UncheckedAuditEventInput } from "@/lib/audit/log";
import type { PrismaClient } from "@/lib/generated/prisma/client";

export type UntypedAuditEvent = UncheckedAuditEventInput;

/**
 * Records one event with any action and details, in its own transaction (linked into the chain
 * at commit, as appendAuditEvent does). lib/audit/log is loaded
 * on first use, so a test file can set DATABASE_URL before lib/env is read.
 */
export async function recordUntypedAuditEvent(prisma: PrismaClient, input: UntypedAuditEvent): Promise<void> {
  const { appendUncheckedAuditEvent } = await import("@/lib/audit/log");
  await prisma.$transaction((tx) => appendUncheckedAuditEvent(tx, input));
}
