// When each scheduled job is due (docs/jobs.md, docs/decisions/0020-job-queue.md). Pure: the
// instant is passed in. Times are Beijing time (UTC+8, no daylight saving). A job's run belongs to
// a slot (the hour or the day it is for); lib/jobs/runner.ts runs each (job, slot) exactly once.
// A daily job is due from its time until the day ends, so a worker that was down at 02:30 still
// runs that night's verification when it comes back.

export const JOB_NAMES = [
  "audit.checkpoint",
  "audit.checkpoint.events",
  "audit.verify",
  "lights.recompute",
  "returns.reminders",
  "audit.purge",
] as const;
export type JobName = (typeof JOB_NAMES)[number];

export type Cadence = { kind: "hourly" } | { kind: "daily"; hour: number; minute: number } | { kind: "events" };

export const SCHEDULE: Record<JobName, Cadence> = {
  /** A signed checkpoint at the start of every hour (skipped when nothing was appended since the last one). */
  "audit.checkpoint": { kind: "hourly" },
  /** A signed checkpoint once AUDIT_CHECKPOINT_EVERY_EVENTS events were appended since the last one. */
  "audit.checkpoint.events": { kind: "events" },
  /** Full verification of the chain against every checkpoint. */
  "audit.verify": { kind: "daily", hour: 2, minute: 30 },
  /** The new day's traffic lights. */
  "lights.recompute": { kind: "daily", hour: 0, minute: 5 },
  /** Overdue-return reminders (lib/jobs/reminders.ts). */
  "returns.reminders": { kind: "daily", hour: 9, minute: 0 },
  /** Audit archive and purge; only with AUDIT_PURGE_SCHEDULED=1. */
  "audit.purge": { kind: "daily", hour: 3, minute: 30 },
};

const BEIJING_OFFSET_MS = 8 * 3_600_000;

export interface BeijingTime {
  /** YYYY-MM-DD */
  day: string;
  hour: number;
  minute: number;
}

export function beijingTime(instant: Date): BeijingTime {
  const shifted = new Date(instant.getTime() + BEIJING_OFFSET_MS);
  return { day: shifted.toISOString().slice(0, 10), hour: shifted.getUTCHours(), minute: shifted.getUTCMinutes() };
}

/** The slot of an hourly job: "2026-12-05T09" (Beijing hour). */
export function hourSlot(instant: Date): string {
  const t = beijingTime(instant);
  return `${t.day}T${String(t.hour).padStart(2, "0")}`;
}

/** The slot of a daily job: the Beijing day, "2026-12-05". */
export function daySlot(instant: Date): string {
  return beijingTime(instant).day;
}

/** The slot of a checkpoint taken because of the number of events: the last checkpoint's seq it follows. */
export function eventsSlot(lastCheckpointSeq: bigint | null): string {
  return `after-${lastCheckpointSeq ?? 0n}`;
}

export interface DueRun {
  job: JobName;
  slot: string;
}

/**
 * The time-based runs due at `now` (the "events" checkpoint is decided from the data, not the
 * clock). Order matters within one tick: the hourly checkpoint comes before the verification.
 */
export function dueRuns(now: Date, options: { purge: boolean }): DueRun[] {
  const t = beijingTime(now);
  const minuteOfDay = t.hour * 60 + t.minute;
  const out: DueRun[] = [];
  for (const job of JOB_NAMES) {
    const cadence = SCHEDULE[job];
    if (job === "audit.purge" && !options.purge) continue;
    if (cadence.kind === "hourly") out.push({ job, slot: hourSlot(now) });
    else if (cadence.kind === "daily" && minuteOfDay >= cadence.hour * 60 + cadence.minute) out.push({ job, slot: t.day });
  }
  return out;
}

/** The next instant at or after `now` a time-based job becomes due (for the status page). */
export function nextDueAt(job: JobName, now: Date): Date | null {
  const cadence = SCHEDULE[job];
  if (cadence.kind === "events") return null;
  const shifted = new Date(now.getTime() + BEIJING_OFFSET_MS);
  if (cadence.kind === "hourly") {
    const next = Date.UTC(shifted.getUTCFullYear(), shifted.getUTCMonth(), shifted.getUTCDate(), shifted.getUTCHours() + 1);
    return new Date(next - BEIJING_OFFSET_MS);
  }
  let next = Date.UTC(shifted.getUTCFullYear(), shifted.getUTCMonth(), shifted.getUTCDate(), cadence.hour, cadence.minute);
  if (next <= shifted.getTime()) next += 86_400_000;
  return new Date(next - BEIJING_OFFSET_MS);
}

// ---------------------------------------------------------------------------------------------
// Overdue-return reminders: which step a return is at on a day.

export type ReminderStep = "before" | "due" | `after-${number}`;

/** Days from `from` to `to` (both UTC-midnight calendar days). */
function daysFrom(from: Date, to: Date): number {
  return Math.round((to.getTime() - from.getTime()) / 86_400_000);
}

/**
 * The reminder step an unreported return is at on China day `today`, given its due date: "before"
 * from 5 days before the due day until the day before it (owner unit), "due" on the due day and
 * the 6 days after (reviewer), "after-k" from k weeks after the due day (both), up to `maxWeeks`;
 * null before the window or after the cap. A day missed by the worker is made up the next day:
 * the step is what the day falls in, and each step is sent once (ReminderSent).
 */
export function reminderStep(dueDate: Date, today: Date, maxWeeks: number): ReminderStep | null {
  const days = daysFrom(dueDate, today);
  if (days < -5) return null;
  if (days < 0) return "before";
  if (days < 7) return "due";
  const weeks = Math.floor(days / 7);
  return weeks <= maxWeeks ? `after-${weeks}` : null;
}

/** Who a step goes to. */
export function reminderRecipients(step: ReminderStep): { owner: boolean; reviewer: boolean } {
  if (step === "before") return { owner: true, reviewer: false };
  if (step === "due") return { owner: false, reviewer: true };
  return { owner: true, reviewer: true };
}
