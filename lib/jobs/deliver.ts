// How the scheduled jobs tell people: in-app notifications written in the job's transaction
// through notify() (lib/notifications, the only Notification writer),
// then (after commit, when SMTP_URL is set) the same text by e-mail to each organization's
// notifyEmail. Alerts go to the organizations holding the security and audit administrators'
// permissions, found through the policy (never by a role's name).
import type { Prisma, PrismaClient } from "@/lib/generated/prisma/client";
import { notify, type Notice } from "@/lib/notifications/notify";
import { organizationsWithPermission } from "@/lib/policy";
import { notificationMail, type Mailer } from "./mail";

/** A notification a job writes: always with a dedupeKey, so a repeated run cannot write it twice. */
export type JobNotification = Notice & { dedupeKey: string };

/** Writes the notifications through notify() (a dedupeKey already present is skipped); returns how many were offered. */
export async function writeNotifications(tx: Prisma.TransactionClient, rows: readonly JobNotification[]): Promise<number> {
  await notify(tx, rows);
  return rows.length;
}

/** E-mails each notification to its organization's notifyEmail; returns the addresses written to. */
export async function mailNotifications(db: PrismaClient, mailer: Mailer | null, rows: readonly JobNotification[]): Promise<string[]> {
  if (!mailer || rows.length === 0) return [];
  const orgs = await db.organization.findMany({
    where: { id: { in: [...new Set(rows.map((r) => r.organizationId))] }, notifyEmail: { not: null } },
    select: { id: true, notifyEmail: true },
  });
  const emailOf = new Map(orgs.map((o) => [o.id, o.notifyEmail!]));
  const sent: string[] = [];
  for (const row of rows) {
    const to = emailOf.get(row.organizationId);
    if (!to) continue;
    await mailer.send(notificationMail(to, row.kind, row.params, row.link));
    sent.push(to);
  }
  return sent;
}

/** The organizations to alert about the audit log and failed jobs. */
export async function alertRecipients(db: PrismaClient | Prisma.TransactionClient): Promise<string[]> {
  const orgs = await db.organization.findMany({ where: organizationsWithPermission(["security:manage:all", "audit:checkpoint:all"]), select: { id: true } });
  return orgs.map((o) => o.id);
}

/** Tells the security and audit administrators (in-app, and by e-mail when on). */
export async function alertAdministrators(
  db: PrismaClient,
  mailer: Mailer | null,
  alert: { kind: "AUDIT_VERIFICATION_FAILED" | "JOB_FAILED"; params: Record<string, string>; link: string; key: string },
): Promise<{ organizations: number; emails: string[] }> {
  const recipients = await alertRecipients(db);
  const rows = recipients.map((organizationId): JobNotification => ({ organizationId, kind: alert.kind, params: alert.params, link: alert.link, dedupeKey: `${alert.key}:${organizationId}` }));
  await db.$transaction((tx) => writeNotifications(tx, rows));
  const emails = await mailNotifications(db, mailer, rows).catch((error: unknown) => {
    console.error("[jobs] alert e-mail failed", error);
    return [];
  });
  return { organizations: rows.length, emails };
}
