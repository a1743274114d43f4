// Builds a Prisma client on the `pg` driver adapter. lib/db.ts holds the app's one instance;
// scripts (seed, benchmarks) and tests build their own through this function.
import { PrismaPg } from "@prisma/adapter-pg";
import { linkAuditEventsAfterCommit } from "@/lib/audit/link";
import { PrismaClient } from "@/lib/generated/prisma/client";

/** Its $transaction links the audit events a transaction wrote right after the commit (lib/audit/link.ts). */
export function createPrismaClient(url: string, max: number, pool: { connectionTimeoutMillis?: number } = {}): PrismaClient {
  return linkAuditEventsAfterCommit(
    new PrismaClient({
      adapter: new PrismaPg({ connectionString: url, max, ...pool }),
      // With one connection (embedded mode) a transaction may queue behind another request's.
      transactionOptions: max === 1 ? { maxWait: 10_000, timeout: 15_000 } : { maxWait: 5_000, timeout: 10_000 },
    }),
  );
}
