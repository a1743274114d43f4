// Jobs that a change asks for, besides the scheduled ones (docs/decisions/0032-lights-in-the-job-queue.md):
// a bulk change (an import, a bulk approval) enqueues one recomputation of the stale lights
// instead of recomputing thousands inside its own transaction. No "server-only": the worker loads it.
import type { Prisma, PrismaClient } from "@/lib/generated/prisma/client";
import { GRAPHILE_SCHEMA } from "./schema";

/** graphile-worker's task that recomputes stored traffic lights (lib/jobs/worker.ts). */
export const LIGHTS_TASK = "lights_refresh";

/** changed: the lights marked stale (a bulk change); day: every light not computed today (startup). */
export type LightsScope = "changed" | "day";

export function parseLightsPayload(payload: unknown): LightsScope {
  return (payload as { scope?: unknown } | null)?.scope === "day" ? "day" : "changed";
}

let installed = false;

/**
 * Enqueues one lights_refresh job, in the caller's transaction when given one (it is then picked
 * up only if the change commits). One job key per scope: a job not yet started absorbs the next
 * request, so a burst of imports queues one recomputation. Returns false when the queue's schema
 * is not installed (a test database): the stale lights then wait for a reader's fallback
 * (lib/portfolio/lights.ts lightsForReading) or the worker's minute sweep.
 */
export async function enqueueLightsRefresh(db: Prisma.TransactionClient | PrismaClient, scope: LightsScope = "changed"): Promise<boolean> {
  if (!installed) {
    const [row] = await db.$queryRaw<{ ok: boolean }[]>`
      SELECT EXISTS (SELECT 1 FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = ${GRAPHILE_SCHEMA} AND p.proname = 'add_job') AS ok`;
    if (!row?.ok) return false;
    installed = true;
  }
  await db.$executeRaw`SELECT (graphile_worker.add_job(${LIGHTS_TASK}, ${JSON.stringify({ scope })}::json, job_key := ${`${LIGHTS_TASK}:${scope}`}, max_attempts := 3)).id`;
  return true;
}
