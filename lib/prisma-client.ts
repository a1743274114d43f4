// Builds a Prisma client on the `pg` driver adapter. lib/db.ts holds the app's one instance;
// scripts (seed, benchmarks) and tests build their own through this function.
import { PrismaPg } from "@prisma/adapter-pg";
import { linkAuditEventsAfterCommit } from "@/lib/audit/link";
import { bumpLocalDataVersion } from "@/lib/cache/data-version";
import { PrismaClient } from "@/lib/generated/prisma/client";

/**
 * Its $transaction links the audit events a transaction wrote right after the commit
 * (lib/audit/link.ts), then bumps this process's data version (lib/cache/data-version.ts,
 * docs/decisions/0039): every cached aggregate is recomputed on its next read.
 */
export function createPrismaClient(
  url: string,
  max: number,
  { statementTimeoutMs, ...pool }: { connectionTimeoutMillis?: number; statementTimeoutMs?: number } = {},
): PrismaClient {
  return bumpDataVersionAfterCommit(linkAuditEventsAfterCommit(
    new PrismaClient({
      // statement_timeout travels in each connection's start-up packet: the server cancels any
      // statement of this pool that runs longer (docs/decisions/0044).
      adapter: new PrismaPg({ connectionString: url, max, ...pool, ...(statementTimeoutMs ? { statement_timeout: statementTimeoutMs } : {}) }),
      // With one connection (embedded mode) a transaction may queue behind another request's.
      transactionOptions: max === 1 ? { maxWait: 10_000, timeout: 15_000 } : { maxWait: 5_000, timeout: 10_000 },
    }),
  ));
}

/** Wraps $transaction (both forms): after it resolves, the data may have changed; after it fails, too (a commit whose link failed). */
function bumpDataVersionAfterCommit(client: PrismaClient): PrismaClient {
  const inner = client.$transaction.bind(client) as unknown as (...args: unknown[]) => Promise<unknown>;
  const bumping = (...args: unknown[]) => inner(...args).finally(bumpLocalDataVersion);
  Object.defineProperty(client, "$transaction", { value: bumping, configurable: true, writable: true });
  return client;
}

