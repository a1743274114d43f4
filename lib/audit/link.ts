// Links committed audit events into the chain right after the transaction that wrote them
// (docs/decisions/0033): appendAuditEvent writes an event into "AuditPending" inside the business
// transaction, and the client's $transaction, once that transaction has committed, runs the
// database's audit_link_pending() before it returns. So a command returns with its event in the
// chain, and the chain's lock is held only by that short link transaction, which links every
// committed pending event at once (one WAL flush for a batch).
import type { Prisma, PrismaClient } from "@/lib/generated/prisma/client";

const wrotePending = new WeakSet<object>();

/** Called by appendAuditEvent: this transaction wrote a pending event, so link after its commit. */
export function markPendingWritten(tx: object): void {
  wrotePending.add(tx);
}

/** Links every committed pending event in one short transaction under the chain lock; returns how many. */
export async function linkPendingAuditEvents(db: PrismaClient | Prisma.TransactionClient): Promise<number> {
  const [row] = await db.$queryRaw<{ n: number }[]>`SELECT audit_link_pending() AS n`;
  return row?.n ?? 0;
}

type TransactionFn = (...args: unknown[]) => Promise<unknown>;

/** Makes client.$transaction(fn) link the events fn wrote, after the commit and before it resolves. */
export function linkAuditEventsAfterCommit(client: PrismaClient): PrismaClient {
  const original = client.$transaction.bind(client) as unknown as TransactionFn;
  const linking = async (arg: unknown, ...rest: unknown[]) => {
    if (typeof arg !== "function") return original(arg, ...rest);
    let wrote = false;
    const result = await original(async (tx: object) => {
      const value = await (arg as (tx: object) => Promise<unknown>)(tx);
      wrote = wrotePending.has(tx);
      return value;
    }, ...rest);
    if (wrote) await linkPendingAuditEvents(client);
    return result;
  };
  Object.defineProperty(client, "$transaction", { value: linking, configurable: true, writable: true });
  return client;
}
