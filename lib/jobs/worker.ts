// The job worker (docs/decisions/0020-job-queue.md): graphile-worker on the app's own PostgreSQL.
// Its crontab enqueues one "jobs_tick" a minute; graphile-worker's cron bookkeeping
// (_private_known_crontabs and a job key per tick) makes that one job across all processes, and
// the tick's JobRun(job, slot) claim makes each scheduled run happen once even if two ticks ran.
// Started by instrumentation.ts in the server process (JOBS_WORKER=0 disables it); nothing is
// scheduled with setInterval in a request process. No "server-only" here: instrumentation.ts loads it.
import path from "node:path";
import { run, type Runner, type Task } from "graphile-worker";
import { checkpointPaths } from "@/lib/audit/checkpoint";
import { env } from "@/lib/env";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { createPrismaClient } from "@/lib/prisma-client";
import { chinaDay } from "@/lib/domain/reporting-calendar";
import { enqueueLightsRefresh, LIGHTS_TASK, parseLightsPayload } from "./enqueue";
import { smtpMailer, type Mailer } from "./mail";
import { runTick, SYSTEM_ACTOR, type JobContext } from "./runner";
import { GRAPHILE_SCHEMA, quietLogger } from "./schema";

export const TICK_TASK = "jobs_tick";
/** One tick a minute; no backfill (daily jobs catch up by themselves, lib/jobs/schedule.ts). */
export const CRONTAB = `* * * * * ${TICK_TASK} ?max=1\n`;

export interface WorkerOptions {
  connectionString: string;
  /** The tick's context, without the instant (the tick's own time is used). */
  context: Omit<JobContext, "now">;
  crontab?: string;
  pollInterval?: number;
  /** Called after each tick (tests). */
  onTick?: (reports: Awaited<ReturnType<typeof runTick>>) => void;
}

export function tickTask(options: Pick<WorkerOptions, "context" | "onTick">): Task {
  return async (payload) => {
    // A cron job carries its scheduled time; an ad-hoc tick may name one (tests), else now.
    const p = (payload ?? {}) as { _cron?: { ts?: string }; at?: string };
    const now = new Date(p._cron?.ts ?? p.at ?? Date.now());
    const reports = await runTick({ ...options.context, now });
    options.onTick?.(reports);
    // The sweep behind the lights_refresh job: lights marked stale by a write that enqueued
    // nothing (SQL by hand, a job lost with a crash) wait at most a minute. Two index lookups
    // when none is stale.
    await options.context.refreshLights?.(chinaDay(now), { onlyChanged: true });
  };
}

/**
 * lights_refresh (docs/decisions/0032): a bulk change's stale lights, or (scope "day", enqueued
 * at startup) every light not computed today. The scheduled "lights.recompute" (00:05 Beijing)
 * is the day's run of record in JobRun; this task only catches up.
 */
export function lightsTask(options: Pick<WorkerOptions, "context">): Task {
  return async (payload) => {
    const scope = parseLightsPayload(payload);
    await options.context.refreshLights?.(chinaDay(new Date()), { onlyChanged: scope === "changed" });
  };
}

export async function startWorker(options: WorkerOptions): Promise<Runner> {
  return run({
    connectionString: options.connectionString,
    schema: GRAPHILE_SCHEMA,
    concurrency: 1,
    // A LISTEN connection and one for the jobs: PGlite serves every process through one socket.
    maxPoolSize: 2,
    pollInterval: options.pollInterval ?? 10_000,
    noHandleSignals: true,
    // Named prepared statements are per session: PGlite gives every connection one shared session
    // (two would collide), and PgBouncer in transaction mode (issue 16) does not keep them either.
    noPreparedStatements: true,
    logger: quietLogger,
    taskList: { [TICK_TASK]: tickTask(options), [LIGHTS_TASK]: lightsTask(options) },
    crontab: options.crontab ?? CRONTAB,
  });
}

let started: Promise<Runner> | null = null;

/** The app's worker (instrumentation.ts): its own small Prisma client as DATABASE_URL's role. */
export function startAppJobWorker(): Promise<Runner> | null {
  if (!env.JOBS_WORKER) return null;
  started ??= (async () => {
    const db: PrismaClient = createPrismaClient(env.database.url, 2);
    const mailer: Mailer | null = smtpMailer();
    const runner = await startWorker({
      connectionString: env.database.url,
      context: {
        db, mailer, purge: env.AUDIT_PURGE_SCHEDULED,
        // The lights module is the request layer's (it uses lib/db's client); loaded when the job runs.
        refreshLights: async (asOf, refresh) => (await import("@/lib/portfolio/lights")).refreshTrafficLights(asOf, refresh),
        ...(env.BACKUP_DIR ? { backup: { dir: path.resolve(/* turbopackIgnore: true */ env.BACKUP_DIR), keep: env.BACKUP_KEEP, write: writeScheduledBackup } } : {}),
        ownerDb: async () => {
          const owner = createPrismaClient(env.database.ownerUrl, 1);
          return { db: owner, release: () => owner.$disconnect() };
        },
      },
    });
    // From now on this process's pages read the stored lights without recomputing them; if the
    // stored lights are from another day (the server was down at 00:05), the day's run is a job now.
    (await import("@/lib/portfolio/lights")).setLightsKeptByJobs(true);
    await enqueueLightsRefresh(db, "day");
    console.log(`[jobs] worker started (graphile-worker, ${env.database.mode === "embedded" ? "embedded PGlite" : "PostgreSQL"}); JOBS_WORKER=0 disables it`);
    return runner;
  })();
  return started;
}

/** One archive as `npm run db:backup` writes it (without secrets), as the owner, recorded under the system actor. */
async function writeScheduledBackup(file: string) {
  const [{ createBackup }, { mkdirSync }, packageJson] = await Promise.all([import("@/lib/operations/backup"), import("node:fs"), import("@/package.json")]);
  mkdirSync(path.dirname(file), { recursive: true });
  const owner = createPrismaClient(env.database.ownerUrl, 1);
  try {
    return await createBackup({
      ownerUrl: env.database.ownerUrl, mode: env.database.mode, prisma: owner, file, attachmentDir: path.resolve(/* turbopackIgnore: true */ env.ATTACHMENT_DIR),
      storage: env.STORAGE_BACKEND, paths: checkpointPaths(), appVersion: env.APP_VERSION ?? packageJson.default.version, actorName: SYSTEM_ACTOR,
    });
  } finally {
    await owner.$disconnect();
  }
}
