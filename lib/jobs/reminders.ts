// Overdue-return reminders (issue 15 item 6), run daily at 09:00 by lib/jobs/tasks.ts:
//   5 days before the due day → the owner unit; on the due day → the owner unit's reviewer;
//   every 7 days after the due day → both; up to REMINDER_MAX_WEEKS weeks after it.
// Which months a project owes and when each is due come from the one reporting calendar
// (lib/domain/reporting-calendar.ts); who is told comes from the policy (organizationsHolding).
// Each (project, month, step) is sent once: the ReminderSent row is inserted in the same
// transaction as the notifications, and a second run finds it and sends nothing.
import { env } from "@/lib/env";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { REPORTED_STATUSES, returnPagePath } from "@/lib/returns/rules";
import { addMonths, chinaDay, currentPeriod, dueDate, periodStart, returnsOwedFrom } from "@/lib/domain/reporting-calendar";
import { organizationsHolding } from "@/lib/policy";
import { mailNotifications, writeNotifications, type JobNotification } from "./deliver";
import type { Mailer } from "./mail";
import { reminderRecipients, reminderStep, type ReminderStep } from "./schedule";

export interface ReminderResult {
  /** (project, month, step) reminders sent by this run. */
  sent: number;
  notifications: number;
  emails: string[];
  /** The months looked at and the step each was at. */
  periods: { period: string; step: ReminderStep }[];
}

const KIND: Record<"before" | "due" | "after", JobNotification["kind"]> = { before: "RETURN_DUE_SOON", due: "RETURN_DUE_TODAY", after: "RETURN_STILL_OVERDUE" };

export async function sendReturnReminders(
  db: PrismaClient,
  now: Date,
  options: { mailer?: Mailer | null; dueDay?: number; maxWeeks?: number } = {},
): Promise<ReminderResult> {
  const dueDay = options.dueDay ?? env.RETURN_DUE_DAY;
  const maxWeeks = options.maxWeeks ?? env.REMINDER_MAX_WEEKS;
  const today = chinaDay(now);
  // The months whose due day lies within the reminder window around today.
  const periods: { period: string; step: ReminderStep; due: Date }[] = [];
  const current = currentPeriod(now);
  for (let back = Math.ceil(maxWeeks / 4) + 2; back >= 0; back--) {
    const period = addMonths(current, -back);
    const due = dueDate(period, dueDay);
    const step = reminderStep(due, today, maxWeeks);
    if (step) periods.push({ period, step, due });
  }
  const result: ReminderResult = { sent: 0, notifications: 0, emails: [], periods: periods.map(({ period, step }) => ({ period, step })) };
  const recipientsCache = new Map<string, string[]>();
  const recipients = async (key: string, where: ReturnType<typeof organizationsHolding>): Promise<string[]> => {
    if (!where) return [];
    if (!recipientsCache.has(key)) recipientsCache.set(key, (await db.organization.findMany({ where, select: { id: true } })).map((o) => o.id));
    return recipientsCache.get(key)!;
  };

  for (const { period, step, due } of periods) {
    const already = new Set((await db.reminderSent.findMany({ where: { period, step }, select: { projectId: true } })).map((r) => r.projectId));
    const projects = await db.project.findMany({
      // A new project not accepted yet owes no returns (docs/decisions/0031).
      where: { lifecycleStage: "CONSTRUCTION", approval: "ACCEPTED", monthlyReturns: { none: { period: periodStart(period), status: { in: [...REPORTED_STATUSES] } } } },
      select: {
        id: true, name: true, lifecycleStage: true, plannedStart: true, createdAt: true, ownerOrgId: true, reviewDivisionCode: true,
        milestones: { where: { kind: "START" }, select: { actualDate: true } },
      },
      orderBy: { id: "asc" },
    });
    const to = reminderRecipients(step);
    const kind = KIND[step === "before" || step === "due" ? step : "after"];
    for (const p of projects) {
      if (already.has(p.id)) continue;
      const owedFrom = returnsOwedFrom({ lifecycleStage: p.lifecycleStage, actualStart: p.milestones[0]?.actualDate ?? null, plannedStart: p.plannedStart, createdAt: p.createdAt });
      if (owedFrom === null || owedFrom > period) continue;
      const orgs = new Set<string>();
      if (to.owner) for (const id of await recipients(`owner:${p.ownerOrgId}`, organizationsHolding("ownReturns", { ownerOrgId: p.ownerOrgId }))) orgs.add(id);
      if (to.reviewer) for (const id of await recipients(`review:${p.reviewDivisionCode}`, organizationsHolding("reviewReturns", { reviewDivisionCode: p.reviewDivisionCode }))) orgs.add(id);
      const rows: JobNotification[] = [...orgs].map((organizationId) => ({
        organizationId, kind, projectId: p.id, period,
        params: { project: p.name, period, dueDate: due.toISOString().slice(0, 10), weeks: step.startsWith("after-") ? step.slice(6) : "0" },
        link: returnPagePath(p.id, period),
        dedupeKey: `reminder:${p.id}:${period}:${step}:${organizationId}`,
      }));
      const written = await db.$transaction(async (tx) => {
        const claimed = await tx.$executeRaw`
          INSERT INTO "ReminderSent" ("projectId", period, step, details) VALUES (${p.id}::uuid, ${period}, ${step}, ${JSON.stringify({ organizations: [...orgs] })}::jsonb)
          ON CONFLICT DO NOTHING`;
        if (claimed === 0) return null; // another process sent it just now
        return writeNotifications(tx, rows);
      });
      if (written === null) continue;
      result.sent += 1;
      result.notifications += written;
      if (options.mailer) result.emails.push(...(await mailNotifications(db, options.mailer, rows)));
    }
  }
  return result;
}
