// The read replica (DATABASE_REPLICA_URL): `readReplica.read(db => …)` runs a heavy read on the
// streaming replica when it is up and at most REPLICA_MAX_LAG_SECONDS behind, else on the primary,
// and says which served it and as of when (components/data-as-of.tsx shows "数据截至 …").
// Only reads that may be a few seconds old go through here: the dashboard, the delay review, the
// monthly report and its .xlsx, exports, OC4IDS. Sessions, every authorization lookup and anything
// a user has just written read `prisma` (the primary). The rule lives in lib/db-routing.ts.
import "server-only";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { prisma } from "@/lib/db";
import { env } from "@/lib/env";
import { createPrismaClient } from "@/lib/prisma-client";
import { isReplicaFailure, lagFromFacts, ReplicaLagMonitor, routeRead, type ReplicaProbe, type Served } from "@/lib/db-routing";

export type { Served } from "@/lib/db-routing";

const PROBE_TIMEOUT_MS = 2_000;

const globalForReplica = globalThis as unknown as { replicaPrisma?: PrismaClient | null; replicaMonitor?: ReplicaLagMonitor | null };

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms} ms`)), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}

function replicaClient(): PrismaClient | null {
  if (globalForReplica.replicaPrisma !== undefined) return globalForReplica.replicaPrisma;
  const url = env.database.mode === "server" ? env.DATABASE_REPLICA_URL : undefined;
  globalForReplica.replicaPrisma = url ? createPrismaClient(url, env.databasePoolMax, { connectionTimeoutMillis: PROBE_TIMEOUT_MS, statementTimeoutMs: env.statementTimeoutMs }) : null;
  return globalForReplica.replicaPrisma;
}

async function probeReplica(replica: PrismaClient): Promise<ReplicaProbe> {
  const [side] = await withTimeout(
    replica.$queryRaw<{ inRecovery: boolean; replayLsn: string | null; lastReplayAt: Date | null; now: Date }[]>`
      SELECT pg_is_in_recovery() AS "inRecovery", pg_last_wal_replay_lsn()::text AS "replayLsn",
             pg_last_xact_replay_timestamp() AS "lastReplayAt", now() AS now`,
    PROBE_TIMEOUT_MS,
    "the replica",
  );
  const [primary] = await prisma.$queryRaw<{ lsn: string; now: Date }[]>`SELECT pg_current_wal_lsn()::text AS lsn, now() AS now`;
  if (!side || !primary) throw new Error("the replica probe returned no row");
  return lagFromFacts({
    inRecovery: side.inRecovery,
    replayLsn: side.replayLsn,
    lastReplayAt: side.lastReplayAt,
    primaryLsn: primary.lsn,
    now: primary.now,
  });
}

function monitor(): ReplicaLagMonitor | null {
  if (globalForReplica.replicaMonitor !== undefined) return globalForReplica.replicaMonitor;
  const replica = replicaClient();
  globalForReplica.replicaMonitor = replica ? new ReplicaLagMonitor(() => probeReplica(replica)) : null;
  return globalForReplica.replicaMonitor;
}

export const readReplica = {
  /** True when DATABASE_REPLICA_URL is set (server mode only). */
  get configured(): boolean {
    return replicaClient() !== null;
  },
  /** Runs a read-only `fn` on the replica or the primary (docs/decisions/0023). Never write in `fn`. */
  read<T>(fn: (db: PrismaClient) => Promise<T>): Promise<Served<T>> {
    return routeRead({ primary: prisma, replica: replicaClient() }, monitor(), env.REPLICA_MAX_LAG_SECONDS, fn, isReplicaFailure);
  },
  /** The last probe (cached ~5 s), for /admin/system and the cluster test; null without a replica. */
  async status(): Promise<ReplicaProbe | null> {
    const m = monitor();
    return m ? m.probe() : null;
  },
};
