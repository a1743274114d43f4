// What administrators see of the scheduled jobs (/admin/system): each job's latest run, how long
// it took and how it ended, and the latest nightly verification. Read-only.
import "server-only";
import { prisma } from "@/lib/db";
import { env } from "@/lib/env";
import { assertPermission, type CurrentUser } from "@/lib/auth/session";
import { withDetails } from "@/lib/audit/events";
import { JOB_NAMES, nextDueAt, type JobName } from "./schedule";

export interface JobStatus {
  job: JobName;
  /** Off: the purge without AUDIT_PURGE_SCHEDULED=1. */
  enabled: boolean;
  last: { slot: string; startedAt: Date; finishedAt: Date | null; durationMs: number | null; outcome: string; error: string | null } | null;
  nextAt: Date | null;
}

export async function jobStatuses(actor: CurrentUser, now: Date = new Date()) {
  await assertPermission(actor, "system:read:all");
  const runs = await Promise.all(
    JOB_NAMES.map((job) =>
      prisma.jobRun.findFirst({ where: { job }, orderBy: { startedAt: "desc" }, select: { slot: true, startedAt: true, finishedAt: true, durationMs: true, outcome: true, error: true } }),
    ),
  );
  const jobs: JobStatus[] = JOB_NAMES.map((job, i) => ({
    job,
    enabled: job !== "audit.purge" || env.AUDIT_PURGE_SCHEDULED,
    last: runs[i] ?? null,
    nextAt: nextDueAt(job, now),
  }));
  const event = await prisma.auditEvent.findFirst({ where: { action: "audit.verify" }, orderBy: { seq: "desc" }, select: { at: true, actorName: true, action: true, details: true } });
  return {
    jobs,
    workerInThisProcess: env.JOBS_WORKER,
    checkpointEvery: env.AUDIT_CHECKPOINT_EVERY_EVENTS,
    lastVerification: event ? { at: event.at, by: event.actorName, result: withDetails(event, "audit.verify").details } : null,
  };
}
