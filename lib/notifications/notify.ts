// Notifications (站内通知) to an organization's inbox. notify() is the only code that writes a
// Notification row: the returns workflow, 督办 and the overdue reminders all go through it, in the
// caller's transaction so a notice commits with the change it reports. The reads are in ./inbox.ts.
import "server-only";
import type { prisma } from "@/lib/db";
import type { Prisma } from "@/lib/generated/prisma/client";
import type { NotificationKind } from "@/lib/generated/prisma/enums";

export interface Notice {
  organizationId: string;
  kind: NotificationKind;
  projectId?: string | null;
  /** YYYY-MM of the return concerned. */
  period?: string | null;
  /** Message parameters (messages: notifications.<kind>). */
  params: Record<string, string>;
  link: string;
  /** Makes a generated notice idempotent: a second one with the same key is not written. */
  dedupeKey?: string;
}

/** Writes the notices (none: nothing) with the caller's client or transaction. */
export async function notify(db: Prisma.TransactionClient | typeof prisma, notices: readonly Notice[]): Promise<void> {
  if (notices.length === 0) return;
  await db.notification.createMany({
    data: notices.map((n) => ({ organizationId: n.organizationId, kind: n.kind, projectId: n.projectId ?? null, period: n.period ?? null, params: n.params, link: n.link, dedupeKey: n.dedupeKey ?? null })),
    skipDuplicates: true,
  });
}
