// The audit log: append-only (database triggers refuse UPDATE/DELETE/TRUNCATE, and the app's
// database role may only INSERT and SELECT) and hash-chained, so a row changed or removed behind
// the application's back breaks the chain. Write events with appendAuditEvent inside the same
// transaction as the change they record. Format and reasons: docs/decisions/0009.
import { createHash, randomUUID } from "node:crypto";
import { z } from "zod";
import { env } from "@/lib/env";
import type { Prisma, PrismaClient } from "@/lib/generated/prisma/client";
import { currentRequestId } from "@/lib/request-id";
import { linkPendingAuditEvents, markPendingWritten } from "./link";
import { parseAuditDetails, type AuditAction, type AuditDetailsInput } from "./events";

export const GENESIS_HASH = "0".repeat(64);

/**
 * The advisory lock every chain writer takes until its commit: the link trigger at commit time
 * (migration audit_chain_at_commit), appendLinkedAuditEvent, appendAuditEvents and the purge.
 */
export const AUDIT_CHAIN_LOCK = [7311, 1] as const;

/** A document the change rests on: an attachment and the SHA-256 of its content. */
export interface EvidenceRef {
  attachmentId: string;
  sha256: string;
  fileName: string;
}

/** One field's change. By convention events that change fields put them in details.changes. */
export interface FieldChange {
  from: unknown;
  to: unknown;
}
export type FieldChanges = Record<string, FieldChange>;

/** Who, what and why, common to every event; `action` and `details` come from lib/audit/events.ts. */
interface AuditEventBase {
  actorId?: string | null;
  actorName?: string | null;
  /** The actor's organization at the time. Omitted: read from the actor's User row in the same transaction. */
  actorOrganizationId?: string | null;
  actorOrganizationName?: string | null;
  entityType?: string | null;
  entityId?: string | null;
  ip?: string | null;
  /** Omitted: the current request's id (x-request-id, set by proxy.ts); null outside a request. */
  requestId?: string | null;
  /** Why the change was made, in the user's words. */
  reason?: string | null;
  /** The documents the change rests on. */
  evidence?: readonly EvidenceRef[];
  /** Who approved the change (e.g. the reviewer who approved a monthly return). */
  approverId?: string | null;
  approverName?: string | null;
}

/**
 * One event to write. `details` must fit the schema of `action` (lib/audit/events.ts): checked by
 * the compiler here and by zod at write time. Field-level before/after goes in
 * `changes: { field: { from, to } }` (build it with fieldChanges()); values are JSON (money as
 * decimal strings, dates as ISO).
 */
export type AuditEventInput<A extends AuditAction = AuditAction> = AuditEventBase & {
  action: A;
  details: AuditDetailsInput<A>;
};

/**
 * An event with any action and any details, checked by nothing. Only for tests that need rows no
 * command writes (tests/helpers/untyped-audit-event.ts); eslint.config.mjs keeps it there.
 */
/** Any one event, its details matched to its action (for lists of events of several actions). */
export type AnyAuditEventInput = { [A in AuditAction]: AuditEventInput<A> }[AuditAction];

export type UncheckedAuditEventInput = AuditEventBase & { action: string; details?: Record<string, unknown> };

type Tx = Prisma.TransactionClient;

/** Stable JSON: object keys sorted (by UTF-16 code unit), undefined left out, Dates as ISO UTC. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value ?? null);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
}

/**
 * What each hash version covers. Every row stores its version, so rows written before a change
 * of format keep verifying. 1: the original fields. 2: all columns, SHA-256. 3: as 2, with SM3.
 * 4: two steps (docs/decisions/0033): contentHash = SHA-256 of every column but seq and prevHash
 * (plus "v":4), computed by the writer before any lock; hash = SHA-256 of "seq:prevHash:contentHash",
 * computed where the row is linked into the chain (the database's link trigger at commit, or here).
 */
export const HASH_VERSIONS = {
  1: { algorithm: "sha256", fields: "original" },
  2: { algorithm: "sha256", fields: "full" },
  3: { algorithm: "sm3", fields: "full" },
  4: { algorithm: "sha256", fields: "content" },
} as const;
export type HashVersion = keyof typeof HASH_VERSIONS;

/** SHA-256 writes version 4 (linked at commit); SM3 keeps version 3, linked under the lock in the writer's transaction (the database has no SM3). */
export function hashVersionFor(algorithm: "sha256" | "sm3"): HashVersion {
  return algorithm === "sm3" ? 3 : 4;
}

/** Version 4's link: the text the migration's audit_pending_link() hashes too. */
export function linkHash(seq: bigint, prevHash: string, contentHash: string): string {
  return createHash("sha256").update(`${seq}:${prevHash}:${contentHash}`).digest("hex");
}

export interface HashedFields {
  /** Absent means 1 (rows written before versions existed). */
  hashVersion?: number;
  seq: bigint;
  at: Date;
  actorId: string | null;
  actorName: string | null;
  actorOrganizationId?: string | null;
  actorOrganizationName?: string | null;
  action: string;
  entityType: string | null;
  entityId: string | null;
  ip: string | null;
  requestId?: string | null;
  reason?: string | null;
  evidence?: unknown;
  approverId?: string | null;
  approverName?: string | null;
  details: unknown;
  prevHash: string;
}

/** The fields a version-4 content hash covers: every column but seq, prevHash and the hashes. */
export type ContentFields = Omit<HashedFields, "seq" | "prevHash">;

/**
 * The exact text a row's hash is computed over (canonical JSON, times in UTC). For version 4 the
 * text of its content hash (no seq, no prevHash: those enter at the link).
 */
export function hashInput(event: HashedFields): string {
  const version = (event.hashVersion ?? 1) as HashVersion;
  const spec = HASH_VERSIONS[version];
  if (!spec) throw new Error(`unknown audit hash version ${event.hashVersion}`);
  if (spec.fields === "content") return contentInput(event, version);
  // canonicalJson sorts the keys: the order written here does not enter the hash.
  const original = { seq: event.seq.toString(), ...coreFields(event), prevHash: event.prevHash };
  if (spec.fields === "original") return canonicalJson(original);
  return canonicalJson({ ...original, ...extendedFields(event, version) });
}

function extendedFields(event: ContentFields, version: HashVersion) {
  return {
    v: version,
    actorOrganizationId: event.actorOrganizationId ?? null,
    actorOrganizationName: event.actorOrganizationName ?? null,
    requestId: event.requestId ?? null,
    reason: event.reason ?? null,
    evidence: event.evidence ?? [],
    approverId: event.approverId ?? null,
    approverName: event.approverName ?? null,
  };
}

/** The fields every hash version covers, seq and prevHash aside. */
function coreFields(event: ContentFields) {
  return {
    at: event.at.toISOString(),
    actorId: event.actorId,
    actorName: event.actorName,
    action: event.action,
    entityType: event.entityType,
    entityId: event.entityId,
    ip: event.ip,
    details: event.details,
  };
}

function contentInput(event: ContentFields, version: HashVersion): string {
  return canonicalJson({ ...coreFields(event), ...extendedFields(event, version) });
}

/** Version 4's content hash: what the writer computes before the event has a place in the chain. */
export function contentHash(event: ContentFields): string {
  return createHash(HASH_VERSIONS[4].algorithm).update(contentInput(event, 4)).digest("hex");
}

export function eventHash(event: HashedFields): string {
  const version = (event.hashVersion ?? 1) as HashVersion;
  const spec = HASH_VERSIONS[version];
  if (!spec) throw new Error(`unknown audit hash version ${event.hashVersion}`);
  if (spec.fields === "content") return linkHash(event.seq, event.prevHash, contentHash(event));
  return createHash(spec.algorithm).update(hashInput(event)).digest("hex");
}

/** details.changes for the fields whose value differs between before and after. */
export function fieldChanges<T extends Record<string, unknown>>(before: T, after: T, fields: readonly (keyof T & string)[] = Object.keys(after)): FieldChanges {
  const changes: FieldChanges = {};
  for (const field of fields) {
    const from = before[field] ?? null;
    const to = after[field] ?? null;
    if (canonicalJson(from) !== canonicalJson(to)) changes[field] = { from, to };
  }
  return changes;
}

const evidenceSchema = z
  .array(
    z.object({
      attachmentId: z.string().min(1).max(200),
      sha256: z.string().regex(/^[0-9a-fA-F]{64}$/, "sha256 must be 64 hex digits").transform((s) => s.toLowerCase()),
      fileName: z.string().min(1).max(500),
    }),
  )
  .max(100);

/** Records an event that accompanies no other change (sign-in failure, denied access), in a transaction of its own. */
export async function recordAuditEvent<A extends AuditAction>(prisma: PrismaClient, input: AuditEventInput<A>): Promise<void> {
  await prisma.$transaction((tx) => appendAuditEvent(tx, input));
}

/** The details as JSONB will give them back (no undefined, no Dates), checked against the action's schema. */
function checkedDetails(input: AnyAuditEventInput | AuditEventInput): Prisma.InputJsonObject {
  const details = JSON.parse(JSON.stringify(input.details ?? {})) as Prisma.InputJsonObject;
  parseAuditDetails(input.action, details);
  return details;
}

export interface AppendedEvent {
  seq: bigint;
  hash: string;
  at: Date;
}

/** An event with every column but its place in the chain (seq, prevHash, hash). */
interface EventContent {
  hashVersion: HashVersion;
  at: Date;
  actorId: string | null;
  actorName: string | null;
  actorOrganizationId: string | null;
  actorOrganizationName: string | null;
  action: string;
  entityType: string | null;
  entityId: string | null;
  ip: string | null;
  requestId: string | null;
  reason: string | null;
  evidence: EvidenceRef[];
  approverId: string | null;
  approverName: string | null;
  details: Prisma.InputJsonObject;
}

/** The row's columns from the input, the actor's organization (`org`, when the input leaves it out) and the request id. */
function eventContent(
  input: AuditEventBase & { action: string },
  details: Prisma.InputJsonObject,
  context: { hashVersion: HashVersion; at: Date; requestId: string | null; org?: { id: string; name: string } | null },
): EventContent {
  return {
    hashVersion: context.hashVersion,
    at: context.at, // milliseconds, as timestamp(3) stores them
    actorId: input.actorId ?? null,
    actorName: input.actorName ?? null,
    actorOrganizationId: input.actorOrganizationId !== undefined ? input.actorOrganizationId : (context.org?.id ?? null),
    actorOrganizationName: input.actorOrganizationName !== undefined ? input.actorOrganizationName : (context.org?.name ?? null),
    action: input.action,
    entityType: input.entityType ?? null,
    entityId: input.entityId ?? null,
    ip: input.ip ?? null,
    requestId: input.requestId === undefined ? context.requestId : input.requestId,
    reason: input.reason?.trim() || null,
    evidence: evidenceSchema.parse(input.evidence ?? []),
    approverId: input.approverId ?? null,
    approverName: input.approverName ?? null,
    details,
  };
}

/** One event's content, reading the actor's organization in the transaction when the input does not give it. */
async function singleEventContent(tx: Tx, input: AuditEventBase & { action: string }, details: Prisma.InputJsonObject): Promise<EventContent> {
  let org: { id: string; name: string } | null = null;
  if (input.actorOrganizationId === undefined && input.actorId) {
    const actor = await tx.user.findUnique({ where: { id: input.actorId }, select: { organization: { select: { id: true, name: true } } } });
    org = actor?.organization ?? null;
  }
  const content = eventContent(input, details, {
    hashVersion: hashVersionFor(env.AUDIT_HASH_ALGORITHM), at: new Date(), requestId: (await currentRequestId()) ?? null, org,
  });
  // A name given as null beside an omitted id is read from the User row too.
  if (input.actorOrganizationId === undefined && input.actorOrganizationName === null) content.actorOrganizationName = org?.name ?? null;
  return content;
}

/**
 * Appends one event inside the transaction of the change it records, so both commit or neither
 * does (a failed insert fails the change). Version 4 (SHA-256, the default): the row goes into
 * "AuditPending" with its content hash, without any lock; right after the commit the client's
 * $transaction links it into the chain (lib/audit/link.ts, audit_link_pending() in migration
 * audit_chain_at_commit), before the command returns (docs/decisions/0033). Version 3 (SM3) is
 * linked here, under the chain lock, held until commit (the database cannot hash SM3).
 * Needs the event's seq or hash inside the transaction? appendLinkedAuditEvent.
 */
export async function appendAuditEvent<A extends AuditAction>(tx: Tx, input: AuditEventInput<A>): Promise<void> {
  return appendChecked(tx, input, checkedDetails(input));
}

/**
 * Appends one event linked into the chain at once (the chain lock is then held until commit), for
 * the callers that must name it in the same transaction: checkpoints, the purge, the restore.
 */
export async function appendLinkedAuditEvent<A extends AuditAction>(tx: Tx, input: AuditEventInput<A>): Promise<AppendedEvent> {
  const [event] = await linkNow(tx, [await singleEventContent(tx, input, checkedDetails(input))]);
  return event!;
}

/** Writes an event whose action and details nothing checks: for tests/helpers/untyped-audit-event.ts only. */
export function appendUncheckedAuditEvent(tx: Tx, input: UncheckedAuditEventInput): Promise<void> {
  return appendChecked(tx, input, JSON.parse(JSON.stringify(input.details ?? {})) as Prisma.InputJsonObject);
}

async function appendChecked(tx: Tx, input: AuditEventBase & { action: string }, details: Prisma.InputJsonObject): Promise<void> {
  const e = await singleEventContent(tx, input, details);
  if (e.hashVersion !== 4) {
    await linkNow(tx, [e]);
    return;
  }
  // Unlinked, with its content hash: audit_link_pending() moves it into "AuditEvent" after the
  // commit. The app's role may only INSERT (and SELECT) here.
  await tx.$executeRaw`
    INSERT INTO "AuditPending" (id, at, "actorId", "actorName", "actorOrganizationId", "actorOrganizationName", action, "entityType", "entityId",
      ip, "requestId", reason, evidence, "approverId", "approverName", details, "hashVersion", "contentHash")
    VALUES (${randomUUID()}::uuid, (${e.at.toISOString()}::timestamptz AT TIME ZONE 'UTC'), ${e.actorId}::uuid, ${e.actorName},
      ${e.actorOrganizationId}::uuid, ${e.actorOrganizationName}, ${e.action}, ${e.entityType}, ${e.entityId},
      ${e.ip}, ${e.requestId}, ${e.reason}, ${JSON.stringify(e.evidence)}::jsonb, ${e.approverId}::uuid, ${e.approverName},
      ${JSON.stringify(e.details)}::jsonb, ${e.hashVersion}::int, ${contentHash(e)})`;
  markPendingWritten(tx);
}

/**
 * Links events into the chain now, in order: takes the chain lock (held until commit), links the
 * committed pending events, reads the
 * head, hashes in memory and inserts in batches (one INSERT per batch from parallel arrays:
 * Prisma's createMany costs ~1 ms a row here). Version-4 rows get the same contentHash and link
 * as the database's trigger gives them.
 */
async function linkNow(tx: Tx, events: readonly EventContent[], batchSize = 1000): Promise<AppendedEvent[]> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(${AUDIT_CHAIN_LOCK[0]}::int, ${AUDIT_CHAIN_LOCK[1]}::int)`;
  // Committed events still waiting for their link come first (a checkpoint then covers them too).
  await linkPendingAuditEvents(tx);
  const [last] = await tx.$queryRaw<{ seq: bigint; hash: string }[]>`
    SELECT seq, hash FROM "AuditEvent" ORDER BY seq DESC LIMIT 1`;
  let seq = last?.seq ?? 0n;
  let prevHash = last?.hash ?? GENESIS_HASH;
  const rows = events.map((e) => {
    seq += 1n;
    const fields = { ...e, seq, prevHash };
    const hash = eventHash(fields);
    prevHash = hash;
    return { ...fields, hash, contentHash: e.hashVersion === 4 ? contentHash(e) : null };
  });
  for (let i = 0; i < rows.length; i += batchSize) {
    const part = rows.slice(i, i + batchSize);
    const text = (f: (r: (typeof rows)[number]) => string | null) => part.map(f);
    await tx.$executeRawUnsafe(
      `INSERT INTO "AuditEvent" (seq, at, "actorId", "actorName", "actorOrganizationId", "actorOrganizationName", action, "entityType", "entityId",
         ip, "requestId", reason, evidence, "approverId", "approverName", details, "hashVersion", "contentHash", "prevHash", hash)
       SELECT x.seq::bigint, (x.at::timestamptz AT TIME ZONE 'UTC'), x.actor::uuid, x.name, x.org::uuid, x.orgname, x.action, x.etype, x.eid,
              x.ip, x.req, x.reason, x.evidence::jsonb, x.approver::uuid, x.approvername, x.details::jsonb, x.hv::int, x.content, x.prev, x.hash
         FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[],
                     $11::text[], $12::text[], $13::text[], $14::text[], $15::text[], $16::text[], $17::text[], $18::text[], $19::text[], $20::text[])
           AS x(seq, at, actor, name, org, orgname, action, etype, eid, ip, req, reason, evidence, approver, approvername, details, hv, content, prev, hash)`,
      text((r) => r.seq.toString()), text((r) => r.at.toISOString()), text((r) => r.actorId), text((r) => r.actorName),
      text((r) => r.actorOrganizationId), text((r) => r.actorOrganizationName), text((r) => r.action), text((r) => r.entityType), text((r) => r.entityId),
      text((r) => r.ip), text((r) => r.requestId), text((r) => r.reason), text((r) => JSON.stringify(r.evidence)), text((r) => r.approverId),
      text((r) => r.approverName), text((r) => JSON.stringify(r.details)), text((r) => String(r.hashVersion)), text((r) => r.contentHash),
      text((r) => r.prevHash), text((r) => r.hash),
    );
  }
  return rows.map((r) => ({ seq: r.seq, hash: r.hash, at: r.at }));
}

/** A checkpoint to hold the chain against: a signed file or a database row (lib/audit/checkpoint.ts). */
export interface CheckpointRef {
  kind: "checkpoint" | "purge" | "restore";
  chainId: string;
  seq: bigint;
  hash: string;
  /** Restore epoch (docs/decisions/0019); absent on checkpoints older than epochs (= the root epoch). */
  epoch?: string;
  /** kind "restore": the epoch it was restored from and the source's head in the archive. */
  parentEpoch?: string;
  forkSeq?: bigint;
  forkHash?: string;
  /** File name, or "database" for an AuditCheckpoint row. */
  source: string;
  /** Its Ed25519 signature verified: only signed purge checkpoints may anchor a purged chain. */
  signed: boolean;
}

/** The row where the chain broke, as the verifier shows it. */
export interface AuditRowSummary {
  seq: bigint;
  at: Date;
  action: string;
  entityType: string | null;
  entityId: string | null;
  actorName: string | null;
  reason: string | null;
}

/**
 * Appends many events in one go (bulk imports), linked at once: one lock, one read of the chain's
 * head, hashes chained in memory, rows inserted in batches. Same chain and same rows as calling
 * appendLinkedAuditEvent once per event, in order (one `at` for the batch).
 */
export async function appendAuditEvents(tx: Tx, inputs: readonly AnyAuditEventInput[], batchSize = 1000): Promise<number> {
  if (inputs.length === 0) return 0;
  const details = inputs.map(checkedDetails);
  const hashVersion = hashVersionFor(env.AUDIT_HASH_ALGORITHM);
  const requestId = (await currentRequestId()) ?? null;
  const actorIds = [...new Set(inputs.filter((i) => i.actorOrganizationId === undefined && i.actorId).map((i) => i.actorId!))];
  const orgOf = new Map(
    (await tx.user.findMany({ where: { id: { in: actorIds } }, select: { id: true, organization: { select: { id: true, name: true } } } })).map((u) => [u.id, u.organization]),
  );
  const at = new Date();
  const events = inputs.map((input, i) => eventContent(input, details[i]!, { hashVersion, at, requestId, org: input.actorId ? orgOf.get(input.actorId) : null }));
  return (await linkNow(tx, events, batchSize)).length;
}

export interface ChainVerification {
  ok: boolean;
  /** Events whose link and hash were recomputed. */
  checked: number;
  firstSeq: bigint | null;
  lastSeq: bigint | null;
  lastHash: string | null;
  /** Hash of the chain's first event (inherited from the purge checkpoint once that is purged). */
  chainId: string | null;
  firstBrokenSeq?: bigint;
  reason?: string;
  /** The row found at (or, for a missing event, right after) the break. */
  brokenRow?: AuditRowSummary | null;
  /** Checkpoints of this chain that were compared with it. */
  checkpointsChecked: number;
  /** Not a break, but worth a look (e.g. checkpoint files of another database). */
  warnings: string[];
}

type AuditRow = Awaited<ReturnType<PrismaClient["auditEvent"]["findMany"]>>[number];

function summary(row: AuditRow | null | undefined): AuditRowSummary | null {
  if (!row) return null;
  return { seq: row.seq, at: row.at, action: row.action, entityType: row.entityType, entityId: row.entityId, actorName: row.actorName, reason: row.reason };
}

function rowHashes(row: AuditRow): boolean {
  try {
    // Version 4 stores its content hash too: it must be the content's, and the link must be over it.
    if (row.hashVersion === 4 && row.contentHash !== contentHash(row)) return false;
    return eventHash(row) === row.hash;
  } catch {
    return false; // an unknown hash version is as bad as a wrong hash
  }
}

/**
 * Committed events still waiting in "AuditPending" for their link (their writer stopped between
 * its commit and the link; the next write or verification links them). The caller's own
 * uncommitted rows (a transaction that verifies, then records) do not count.
 */
async function unlinkedEvents(db: Tx | PrismaClient): Promise<number> {
  const [row] = await db.$queryRaw<{ n: number }[]>`
    SELECT count(*)::int AS n FROM "AuditPending" WHERE xmin IS DISTINCT FROM pg_current_xact_id_if_assigned()::xid`;
  return row?.n ?? 0;
}

function unlinkedWarning(count: number): string {
  return `${count} committed event(s) wait in "AuditPending" for their link into the chain: not verified yet`;
}

/**
 * Recomputes every hash in order and holds the chain against the checkpoints: reports the first
 * event whose content or link was altered, a missing event, events missing at the start that no
 * signed purge checkpoint accounts for, and a chain shorter than a checkpoint (truncation) or
 * with a different hash where a checkpoint was taken (rewrite).
 */
export async function verifyAuditChain(
  db: Tx | PrismaClient,
  options: { checkpoints?: readonly CheckpointRef[]; batchSize?: number } = {},
): Promise<ChainVerification> {
  const batchSize = options.batchSize ?? 5000;
  const all = options.checkpoints ?? [];
  const base = { checked: 0, firstSeq: null, lastSeq: null, lastHash: null, chainId: null, checkpointsChecked: 0, warnings: [] as string[] };
  const first = await db.auditEvent.findFirst({ orderBy: { seq: "asc" } });
  if (!first) {
    const unlinked = await unlinkedEvents(db);
    if (unlinked > 0) base.warnings.push(unlinkedWarning(unlinked));
    if (all.length === 0) return { ok: true, ...base };
    const latest = all.reduce((a, b) => (b.seq > a.seq ? b : a));
    return { ...base, ok: false, firstBrokenSeq: 1n, brokenRow: null, reason: `the log is empty, but checkpoint ${latest.source} records event ${latest.seq}` };
  }

  let prevHash = GENESIS_HASH;
  let chainId: string;
  if (first.seq === 1n) {
    chainId = first.hash;
  } else {
    const anchor = all.find((c) => c.signed && c.kind === "purge" && c.seq === first.seq - 1n && c.hash === first.prevHash);
    if (!anchor) {
      const earlier = all.filter((c) => c.signed && c.kind === "purge" && c.seq < first.seq).reduce((max, c) => (c.seq > max ? c.seq : max), 0n);
      return {
        ...base, ok: false, firstSeq: first.seq, firstBrokenSeq: earlier + 1n, brokenRow: summary(first),
        reason: `events ${earlier + 1n}–${first.seq - 1n} are missing and no signed purge checkpoint accounts for them`,
      };
    }
    chainId = anchor.chainId;
    prevHash = anchor.hash;
  }

  const mine = all.filter((c) => c.chainId === chainId);
  const foreign = all.length - mine.length;
  const warnings = foreign ? [`${foreign} checkpoint(s) belong to another chain (another database, or the whole log was replaced)`] : [];
  const bySeq = new Map<bigint, CheckpointRef[]>();
  for (const c of mine) if (c.seq >= first.seq) bySeq.set(c.seq, [...(bySeq.get(c.seq) ?? []), c]);

  let expectedSeq = first.seq;
  let checked = 0;
  let checkpointsChecked = mine.filter((c) => c.seq < first.seq).length;
  let last: AuditRow = first;
  const broken = (seq: bigint, reason: string, row: AuditRow | null): ChainVerification => ({
    ok: false, checked, firstSeq: first.seq, lastSeq: last.seq, lastHash: last.hash, chainId, firstBrokenSeq: seq, reason, brokenRow: summary(row), checkpointsChecked, warnings,
  });
  for (;;) {
    const rows = await db.auditEvent.findMany({ where: { seq: { gte: expectedSeq } }, orderBy: { seq: "asc" }, take: batchSize });
    if (rows.length === 0) break;
    for (const row of rows) {
      if (row.seq !== expectedSeq) return broken(expectedSeq, `missing event (gap in sequence): event ${expectedSeq} is gone, next present is ${row.seq}`, row);
      if (row.prevHash !== prevHash) return broken(row.seq, "link to previous event broken", row);
      if (!rowHashes(row)) return broken(row.seq, "content does not match its hash", row);
      for (const c of bySeq.get(row.seq) ?? []) {
        checkpointsChecked += 1;
        if (c.hash !== row.hash) return broken(row.seq, `checkpoint ${c.source} recorded another hash for this event: the chain was rewritten`, row);
      }
      prevHash = row.hash;
      expectedSeq += 1n;
      checked += 1;
      last = row;
    }
  }
  const beyond = mine.filter((c) => c.seq > last.seq).sort((a, b) => (a.seq < b.seq ? 1 : -1))[0];
  if (beyond) {
    checkpointsChecked += 1;
    return broken(last.seq + 1n, `truncated: checkpoint ${beyond.source} records event ${beyond.seq}, but the log ends at ${last.seq}`, last);
  }
  const unlinked = await unlinkedEvents(db);
  if (unlinked > 0) warnings.push(unlinkedWarning(unlinked));
  return { ok: true, checked, firstSeq: first.seq, lastSeq: last.seq, lastHash: last.hash, chainId, checkpointsChecked, warnings };
}
