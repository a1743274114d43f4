// The data version the aggregate cache keys on (docs/decisions/0039): a number this process bumps
// after every committed transaction (lib/prisma-client.ts), joined to what the database says has
// changed for any instance: the audit chain's head and pending count (every business write commits
// an audit event, docs/decisions/0033) and the lights marked stale (a write, or a light recomputed
// by another process, changes it).
import type { PrismaClient } from "@/lib/generated/prisma/client";

const holder = globalThis as typeof globalThis & { __zunyiLocalDataVersion?: number };

/** Called after a transaction commits (lib/prisma-client.ts): every cached aggregate of this process is out of date. */
export function bumpLocalDataVersion(): void {
  holder.__zunyiLocalDataVersion = (holder.__zunyiLocalDataVersion ?? 0) + 1;
}

export function localDataVersion(): number {
  return holder.__zunyiLocalDataVersion ?? 0;
}

/**
 * The version of the data as this request sees it: three index lookups on the primary. Read it
 * BEFORE computing what is cached under it, so a write that commits during the computation can
 * only make the next reader miss, never hide itself.
 */
export async function dataVersion(db: Pick<PrismaClient, "$queryRaw">): Promise<string> {
  const local = localDataVersion();
  const [row] = await db.$queryRaw<{ head: bigint | null; pending: bigint; stale: bigint }[]>`
    SELECT (SELECT max(seq) FROM "AuditEvent") AS head, (SELECT count(*) FROM "AuditPending") AS pending,
           (SELECT count(*) FROM "ProjectLight" WHERE "staleAt" IS NOT NULL) AS stale`;
  return `${local}:${row?.head ?? 0}:${row?.pending ?? 0}:${row?.stale ?? 0}`;
}
