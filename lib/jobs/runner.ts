// The scheduled jobs and the minute tick that runs them (docs/jobs.md). graphile-worker's crontab
// enqueues one "tick" a minute (lib/jobs/worker.ts); the tick asks lib/jobs/schedule.ts what is
// due and runs each (job, slot) through runOnce, whose INSERT … ON CONFLICT on JobRun(job, slot)
// lets exactly one process run it, however many workers saw the tick. The JobRun row records the
// start, duration, outcome and what the run did: /admin/system shows it.
import { readdirSync, rmSync } from "node:fs";
import path from "node:path";
import { createCheckpoint, verifyAuditLogAndCheckpoints, type CheckpointPaths } from "@/lib/audit/checkpoint";
import { appendLinkedAuditEvent } from "@/lib/audit/log";
import { storedVerification } from "@/lib/audit/verification-record";
import { chinaDay } from "@/lib/domain/reporting-calendar";
import { env } from "@/lib/env";
import type { Prisma, PrismaClient } from "@/lib/generated/prisma/client";
import { alertAdministrators } from "./deliver";
import type { Mailer } from "./mail";
import { sendReturnReminders } from "./reminders";
import { backupFileName, backupsToDelete, daySlot, dueRuns, eventsSlot, type JobName } from "./schedule";

/** The actor name scheduled runs are audited under (no user: actorId is null). */
export const SYSTEM_ACTOR = "system (scheduled job)";

export interface JobContext {
  db: PrismaClient;
  now: Date;
  mailer: Mailer | null;
  paths?: CheckpointPaths;
  /** Events between checkpoints (AUDIT_CHECKPOINT_EVERY_EVENTS). */
  checkpointEvery?: number;
  purge?: boolean;
  /** Recomputes the day's lights, or with onlyChanged the stale ones (lib/portfolio/lights.ts refreshTrafficLights); injected so tests and scripts choose. */
  refreshLights?: (asOf: Date, options?: { onlyChanged?: boolean }) => Promise<number>;
  /** The scheduled backup (BACKUP_DIR): where, how many to keep, and how to write one archive (lib/operations/backup.ts). */
  backup?: { dir: string; keep: number; write: (file: string) => Promise<{ manifestSha256: string; seconds: number; eventSeq: bigint }> };
  /** The owner's client for the purge (the app role may not delete audit rows). */
  ownerDb?: () => Promise<{ db: PrismaClient; release(): Promise<void> }>;
}

export type RunOutcome = "ok" | "skipped" | "failed";
export interface RunReport {
  job: JobName;
  slot: string;
  outcome: RunOutcome;
  details: Record<string, unknown>;
  error?: string;
}

type Handler = (ctx: JobContext) => Promise<{ outcome: "ok" | "skipped" | "failed"; details: Record<string, unknown>; error?: string }>;

function json(value: unknown): Prisma.InputJsonValue {
  return JSON.parse(JSON.stringify(value, (_key, v: unknown) => (typeof v === "bigint" ? v.toString() : v))) as Prisma.InputJsonValue;
}

/** The chain head and the newest checkpoint's seq. */
async function checkpointGap(db: PrismaClient): Promise<{ head: bigint | null; lastCheckpoint: bigint | null }> {
  const [row] = await db.$queryRaw<{ head: bigint | null; last: bigint | null }[]>`
    SELECT (SELECT max(seq) FROM "AuditEvent") AS head, (SELECT max(seq) FROM "AuditCheckpoint") AS last`;
  return { head: row?.head ?? null, lastCheckpoint: row?.last ?? null };
}

async function takeCheckpoint(ctx: JobContext, reason: string): Promise<Awaited<ReturnType<Handler>>> {
  const gap = await checkpointGap(ctx.db);
  if (gap.head === null) return { outcome: "skipped", details: { reason: "the audit log is empty" } };
  if (gap.lastCheckpoint !== null && gap.head <= gap.lastCheckpoint) return { outcome: "skipped", details: { reason: "no event since the last checkpoint", seq: gap.head } };
  const created = await createCheckpoint(ctx.db, { actorName: SYSTEM_ACTOR, reason, ...(ctx.paths ? { paths: ctx.paths } : {}) });
  return { outcome: "ok", details: { seq: created.file.seq, covered: (gap.head - (gap.lastCheckpoint ?? 0n)).toString(), file: created.fileName } };
}

const HANDLERS: Record<JobName, Handler> = {
  "audit.checkpoint": (ctx) => takeCheckpoint(ctx, "scheduled: hourly"),
  "audit.checkpoint.events": (ctx) => takeCheckpoint(ctx, `scheduled: ${ctx.checkpointEvery ?? env.AUDIT_CHECKPOINT_EVERY_EVENTS} events since the last checkpoint`),

  async "audit.verify"(ctx) {
    const result = await verifyAuditLogAndCheckpoints(ctx.db, ctx.paths);
    // The same record as the audit page's "verify now" (lib/audit/verification-record.ts), so /audit shows it.
    const details = storedVerification(result);
    // The result is itself an audit event of a system actor, so the chain records every nightly check.
    const event = await ctx.db.$transaction((tx) =>
      appendLinkedAuditEvent(tx, { actorId: null, actorName: SYSTEM_ACTOR, action: "audit.verify", entityType: "AuditEvent", entityId: details.lastSeq, reason: "scheduled: nightly", details: { ...details } }),
    );
    if (result.ok) return { outcome: "ok", details: { ...details, eventSeq: event.seq } };
    const alerted = await alertAdministrators(ctx.db, ctx.mailer, {
      kind: "AUDIT_VERIFICATION_FAILED", params: { reason: result.reason ?? "", seq: String(result.firstBrokenSeq ?? "") }, link: "/audit", key: `audit-verify:${event.seq}`,
    });
    return { outcome: "failed", details: { ...details, eventSeq: event.seq, alerted }, error: result.reason ?? "verification failed" };
  },

  async "lights.recompute"(ctx) {
    if (!ctx.refreshLights) return { outcome: "skipped", details: { reason: "no recomputation configured" } };
    const asOf = chinaDay(ctx.now); // the reporting day (lib/portfolio/lights.ts reportingDay)
    const recomputed = await ctx.refreshLights(asOf);
    return { outcome: "ok", details: { asOf: asOf.toISOString().slice(0, 10), recomputed } };
  },

  async "returns.reminders"(ctx) {
    const result = await sendReturnReminders(ctx.db, ctx.now, { mailer: ctx.mailer });
    return { outcome: "ok", details: { ...result, emails: result.emails.length } };
  },

  async "audit.purge"(ctx) {
    if (!ctx.purge || !ctx.ownerDb) return { outcome: "skipped", details: { reason: "AUDIT_PURGE_SCHEDULED is not 1" } };
    const { latestPurgeDate, purgeAuditEvents } = await import("@/lib/audit/purge");
    const owner = await ctx.ownerDb();
    try {
      const before = latestPurgeDate(ctx.now, env.AUDIT_RETENTION_DAYS);
      const result = await purgeAuditEvents(owner.db, { before, actorName: SYSTEM_ACTOR, reason: "scheduled: retention", now: ctx.now, ...(ctx.paths ? { paths: ctx.paths } : {}) });
      return { outcome: result.purged ? "ok" : "skipped", details: json({ before: before.toISOString().slice(0, 10), ...result }) as Record<string, unknown> };
    } finally {
      await owner.release();
    }
  },

  async "db.backup"(ctx) {
    if (!ctx.backup) return { outcome: "skipped", details: { reason: "BACKUP_DIR is not set" } };
    const { dir, keep, write } = ctx.backup;
    const file = path.join(dir, backupFileName(daySlot(ctx.now)));
    const written = await write(file);
    // Only once the new archive exists are the oldest beyond BACKUP_KEEP deleted.
    const removed = backupsToDelete(readdirSync(dir), keep);
    for (const name of removed) rmSync(path.join(dir, name), { force: true });
    return { outcome: "ok", details: json({ file, manifestSha256: written.manifestSha256, seconds: Number(written.seconds.toFixed(1)), auditEventSeq: written.eventSeq, removed }) as Record<string, unknown> };
  },
};

/** A run older than this that never finished is taken to be dead (longer than any job takes). */
export const STALE_RUN_MINUTES = 60;

/**
 * Runs `job` for `slot` unless some process already did (or is doing) it: the JobRun row is
 * claimed first, in its own statement, and finished with the outcome. null = not ours to run.
 */
export async function runOnce(ctx: JobContext, job: JobName, slot: string): Promise<RunReport | null> {
  // A run still "running" after STALE_RUN_MINUTES belonged to a process that died (a restart, a
  // crash): the same statement takes it over, so the slot is not lost, and only one process can.
  const claimed = await ctx.db.$queryRaw<{ id: string; tookOver: string | null }[]>`
    INSERT INTO "JobRun" (id, job, slot, "startedAt") VALUES (gen_random_uuid(), ${job}, ${slot}, now())
    ON CONFLICT (job, slot) DO UPDATE SET "startedAt" = now(), details = jsonb_build_object('tookOverRunStartedAt', "JobRun"."startedAt")
      WHERE "JobRun".outcome = 'running' AND "JobRun"."startedAt" < now() - make_interval(mins => ${STALE_RUN_MINUTES})
    RETURNING id::text AS id, details->>'tookOverRunStartedAt' AS "tookOver"`;
  const id = claimed[0]?.id;
  const tookOver = claimed[0]?.tookOver ?? null;
  if (!id) return null;
  const started = Date.now();
  let report: RunReport;
  try {
    const done = await HANDLERS[job](ctx);
    report = { job, slot, ...done };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    report = { job, slot, outcome: "failed", details: {}, error: message };
    await alertAdministrators(ctx.db, ctx.mailer, { kind: "JOB_FAILED", params: { job, error: message.slice(0, 200) }, link: "/admin/system", key: `job-failed:${job}:${slot}` }).catch(
      (alertError: unknown) => console.error("[jobs] alert failed", alertError),
    );
  }
  await ctx.db.jobRun.update({
    where: { id },
    data: { finishedAt: new Date(), durationMs: Date.now() - started, outcome: report.outcome, details: json(tookOver ? { ...report.details, tookOverRunStartedAt: tookOver } : report.details), error: report.error ?? null },
  });
  if (report.outcome === "failed") console.error(`[jobs] ${job} ${slot} failed: ${report.error}`);
  return report;
}

/** One minute's tick: every time-based run due at `ctx.now`, then the checkpoint by event count. */
export async function runTick(ctx: JobContext): Promise<RunReport[]> {
  const reports: RunReport[] = [];
  const due = dueRuns(ctx.now, { purge: ctx.purge ?? env.AUDIT_PURGE_SCHEDULED, backup: Boolean(ctx.backup) });
  // Skip the slots already done with one read, so an idle minute costs two small queries.
  const stale = new Date(Date.now() - STALE_RUN_MINUTES * 60_000); // the database's clock, not the tick's
  const done = await ctx.db.jobRun.findMany({
    where: { OR: due.map(({ job, slot }) => ({ job, slot })), NOT: { outcome: "running", startedAt: { lt: stale } } },
    select: { job: true, slot: true },
  });
  const doneKeys = new Set(done.map((r) => `${r.job} ${r.slot}`));
  for (const { job, slot } of due) {
    if (doneKeys.has(`${job} ${slot}`)) continue;
    const report = await runOnce(ctx, job, slot);
    if (report) reports.push(report);
  }
  const every = ctx.checkpointEvery ?? env.AUDIT_CHECKPOINT_EVERY_EVENTS;
  const gap = await checkpointGap(ctx.db);
  if (gap.head !== null && gap.head - (gap.lastCheckpoint ?? 0n) >= BigInt(every)) {
    const report = await runOnce(ctx, "audit.checkpoint.events", eventsSlot(gap.lastCheckpoint));
    if (report) reports.push(report);
  }
  return reports;
}
