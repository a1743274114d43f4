// The audit log: append-only (database triggers refuse UPDATE/DELETE/TRUNCATE) and
// hash-chained, so a row changed or removed behind the application's back breaks the chain.
// Write events with appendAuditEvent inside the same transaction as the change they record.
import { createHash } from "node:crypto";
import type { Prisma, PrismaClient } from "@/lib/generated/prisma/client";

export const GENESIS_HASH = "0".repeat(64);

export interface AuditEventInput {
  actorId?: string | null;
  actorName?: string | null;
  action: string;
  entityType?: string | null;
  entityId?: string | null;
  ip?: string | null;
  details?: Record<string, unknown>;
}

type Tx = Prisma.TransactionClient;

/** Stable JSON: object keys sorted, so the same event always hashes the same. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value ?? null);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
}

export interface HashedFields {
  seq: bigint;
  at: Date;
  actorId: string | null;
  actorName: string | null;
  action: string;
  entityType: string | null;
  entityId: string | null;
  ip: string | null;
  details: unknown;
  prevHash: string;
}

export function eventHash(event: HashedFields): string {
  return createHash("sha256")
    .update(
      canonicalJson({
        seq: event.seq.toString(),
        at: event.at.toISOString(),
        actorId: event.actorId,
        actorName: event.actorName,
        action: event.action,
        entityType: event.entityType,
        entityId: event.entityId,
        ip: event.ip,
        details: event.details,
        prevHash: event.prevHash,
      }),
    )
    .digest("hex");
}

/** Records an event that accompanies no other change (sign-in failure, denied access). */
export function recordAuditEvent(prisma: PrismaClient, input: AuditEventInput): Promise<{ seq: bigint; hash: string }> {
  return prisma.$transaction((tx) => appendAuditEvent(tx, input));
}

/**
 * Appends one event inside the transaction of the change it records, so both commit or neither
 * does. Serialised by a transaction-scoped advisory lock so the chain never forks.
 */
export async function appendAuditEvent(tx: Tx, input: AuditEventInput): Promise<{ seq: bigint; hash: string }> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(7311, 1)`;
  const [last] = await tx.$queryRaw<{ seq: bigint; hash: string }[]>`
    SELECT seq, hash FROM "AuditEvent" ORDER BY seq DESC LIMIT 1`;
  const seq = (last?.seq ?? 0n) + 1n;
  const prevHash = last?.hash ?? GENESIS_HASH;
  const at = new Date(); // milliseconds, as timestamp(3) stores them
  const fields: HashedFields = {
    seq,
    at,
    actorId: input.actorId ?? null,
    actorName: input.actorName ?? null,
    action: input.action,
    entityType: input.entityType ?? null,
    entityId: input.entityId ?? null,
    ip: input.ip ?? null,
    details: JSON.parse(JSON.stringify(input.details ?? {})),
    prevHash,
  };
  const hash = eventHash(fields);
  await tx.auditEvent.create({ data: { ...fields, details: fields.details as Prisma.InputJsonValue, hash } });
  return { seq, hash };
}

/**
 * Appends many events in one go (bulk imports): one lock, one read of the chain's head, hashes
 * chained in memory, rows inserted in batches. Same chain and same rows as calling
 * appendAuditEvent once per event, in order.
 */
export async function appendAuditEvents(tx: Tx, inputs: readonly AuditEventInput[], batchSize = 1000): Promise<number> {
  if (inputs.length === 0) return 0;
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(7311, 1)`;
  const [last] = await tx.$queryRaw<{ seq: bigint; hash: string }[]>`
    SELECT seq, hash FROM "AuditEvent" ORDER BY seq DESC LIMIT 1`;
  let seq = last?.seq ?? 0n;
  let prevHash = last?.hash ?? GENESIS_HASH;
  const at = new Date();
  const rows: (HashedFields & { hash: string })[] = [];
  for (const input of inputs) {
    seq += 1n;
    const fields: HashedFields = {
      seq,
      at,
      actorId: input.actorId ?? null,
      actorName: input.actorName ?? null,
      action: input.action,
      entityType: input.entityType ?? null,
      entityId: input.entityId ?? null,
      ip: input.ip ?? null,
      details: JSON.parse(JSON.stringify(input.details ?? {})),
      prevHash,
    };
    const hash = eventHash(fields);
    rows.push({ ...fields, hash });
    prevHash = hash;
  }
  // One INSERT per batch from parallel arrays: Prisma's createMany costs ~1 ms a row here.
  for (let i = 0; i < rows.length; i += batchSize) {
    const part = rows.slice(i, i + batchSize);
    const column = <K extends keyof (typeof rows)[number]>(key: K) => part.map((r) => r[key]);
    await tx.$executeRawUnsafe(
      `INSERT INTO "AuditEvent" (seq, at, "actorId", "actorName", action, "entityType", "entityId", ip, details, "prevHash", hash)
       SELECT x.seq::bigint, x.at::timestamp(3), x.actor::uuid, x.name, x.action, x.etype, x.eid, x.ip, x.details::jsonb, x.prev, x.hash
         FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[], $11::text[])
           AS x(seq, at, actor, name, action, etype, eid, ip, details, prev, hash)`,
      part.map((r) => r.seq.toString()),
      part.map((r) => r.at.toISOString()),
      column("actorId"), column("actorName"), column("action"), column("entityType"), column("entityId"), column("ip"),
      part.map((r) => JSON.stringify(r.details)),
      column("prevHash"), column("hash"),
    );
  }
  return rows.length;
}

export interface ChainVerification {
  ok: boolean;
  checked: number;
  firstBrokenSeq?: bigint;
  reason?: string;
}

/** Recomputes every hash in order; reports the first event whose content or link was altered. */
export async function verifyAuditChain(db: Tx | PrismaClient, batchSize = 5000): Promise<ChainVerification> {
  let prevHash = GENESIS_HASH;
  let expectedSeq = 1n;
  let checked = 0;
  for (;;) {
    const rows = await db.auditEvent.findMany({ where: { seq: { gte: expectedSeq } }, orderBy: { seq: "asc" }, take: batchSize });
    if (rows.length === 0) return { ok: true, checked };
    for (const row of rows) {
      if (row.seq !== expectedSeq) return { ok: false, checked, firstBrokenSeq: expectedSeq, reason: "missing event (gap in sequence)" };
      if (row.prevHash !== prevHash) return { ok: false, checked, firstBrokenSeq: row.seq, reason: "link to previous event broken" };
      if (eventHash({ ...row, details: row.details }) !== row.hash) return { ok: false, checked, firstBrokenSeq: row.seq, reason: "content does not match its hash" };
      prevHash = row.hash;
      expectedSeq += 1n;
      checked += 1;
    }
  }
}
