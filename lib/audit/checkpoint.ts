// Signed checkpoints of the audit chain: the head (seq, hash, time, count) signed with Ed25519 and
// written to a file outside the database (and indexed in AuditCheckpoint), so that a later
// truncation or rewrite, even by someone who can edit the database, is detected by the verifier.
// Plain Node (no "server-only"): the app, scripts/audit.ts and the tests all use it.
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import path from "node:path";
import { env } from "@/lib/env";
import type { Prisma, PrismaClient } from "@/lib/generated/prisma/client";
import { ROOT_EPOCH, selectLineage } from "./epochs";
import { linkPendingAuditEvents } from "./link";
import { appendLinkedAuditEvent, canonicalJson, verifyAuditChain, type ChainVerification, type CheckpointRef } from "./log";

export const CHECKPOINT_FORMAT = "zunyi-audit-checkpoint/1";

/** What is signed: every field of the file but the signature. */
export interface CheckpointPayload {
  format: typeof CHECKPOINT_FORMAT;
  kind: "checkpoint" | "purge" | "restore";
  chainId: string;
  seq: string;
  hash: string;
  /** Time of the event at seq (UTC). */
  headAt: string;
  /** Events in the table when the checkpoint was taken. */
  eventCount: string;
  createdAt: string;
  /** SHA-256 of the signing public key (DER), hex. */
  keyId: string;
  /** Restore epoch (docs/decisions/0019): ROOT_EPOCH until a restore; absent in files older than epochs. */
  epoch?: string;
  /** kind "restore": the epoch restored from, the source's head (seq, hash) in the archive, the archive's manifest hash. */
  parentEpoch?: string;
  forkSeq?: string;
  forkHash?: string;
  manifestSha256?: string;
}

export { ROOT_EPOCH };

/** What a restore checkpoint adds: the new epoch and where it forked from its parent. */
export interface RestoreLineage {
  epoch: string;
  parentEpoch: string;
  forkSeq: bigint;
  forkHash: string;
  manifestSha256: string;
}

export interface CheckpointFile extends CheckpointPayload {
  /** Ed25519 signature over canonicalJson(payload), base64. */
  signature: string;
}

export interface CheckpointPaths {
  dir: string;
  signingKey: string;
  publicKey: string;
  /** AUDIT_CHECKPOINT_MIRROR_DIR: a second copy of every file, read by the verifier too. */
  mirrorDir?: string;
}

// The paths come from the environment at run time: the ignore comments keep Turbopack from tracing the
// whole project into the server output for them during `next build` (4 warnings before, issue 19).
export function checkpointPaths(overrides: Partial<CheckpointPaths> = {}): CheckpointPaths {
  return {
    dir: path.resolve(/* turbopackIgnore: true */ overrides.dir ?? env.AUDIT_CHECKPOINT_DIR),
    signingKey: path.resolve(/* turbopackIgnore: true */ overrides.signingKey ?? env.AUDIT_SIGNING_KEY),
    publicKey: path.resolve(/* turbopackIgnore: true */ overrides.publicKey ?? env.AUDIT_PUBLIC_KEY),
    ...((overrides.mirrorDir ?? env.AUDIT_CHECKPOINT_MIRROR_DIR) ? { mirrorDir: path.resolve(/* turbopackIgnore: true */ (overrides.mirrorDir ?? env.AUDIT_CHECKPOINT_MIRROR_DIR)!) } : {}),
  };
}

export function keyIdOf(publicKey: KeyObject): string {
  return createHash("sha256").update(publicKey.export({ type: "spki", format: "der" })).digest("hex");
}

/**
 * The signing key pair, created on first use (private key 0600, public key beside it). Refuses
 * when only the public key is here (a verification host) or the two do not belong together.
 */
export function loadOrCreateSigningKey(paths: CheckpointPaths = checkpointPaths()): { privateKey: KeyObject; publicKey: KeyObject; keyId: string } {
  if (!existsSync(paths.signingKey)) {
    if (existsSync(paths.publicKey)) {
      throw new Error(`audit signing key ${paths.signingKey} is missing (only the public key ${paths.publicKey} is here): checkpoints cannot be signed on this machine`);
    }
    const pair = generateKeyPairSync("ed25519");
    mkdirSync(path.dirname(paths.signingKey), { recursive: true });
    writeFileSync(paths.signingKey, pair.privateKey.export({ type: "pkcs8", format: "pem" }), { mode: 0o600 });
    chmodSync(paths.signingKey, 0o600);
    mkdirSync(path.dirname(paths.publicKey), { recursive: true });
    writeFileSync(paths.publicKey, pair.publicKey.export({ type: "spki", format: "pem" }), { mode: 0o644 });
  }
  const privateKey = createPrivateKey(readFileSync(paths.signingKey));
  const derived = createPublicKey(privateKey);
  if (existsSync(paths.publicKey)) {
    const configured = createPublicKey(readFileSync(paths.publicKey));
    if (keyIdOf(configured) !== keyIdOf(derived)) {
      throw new Error(`audit signing key ${paths.signingKey} does not belong to the public key ${paths.publicKey}`);
    }
  } else {
    mkdirSync(path.dirname(paths.publicKey), { recursive: true });
    writeFileSync(paths.publicKey, derived.export({ type: "spki", format: "pem" }), { mode: 0o644 });
  }
  return { privateKey, publicKey: derived, keyId: keyIdOf(derived) };
}

/** The public key checkpoints are verified with: AUDIT_PUBLIC_KEY, else derived from the signing key. */
export function loadPublicKey(paths: CheckpointPaths = checkpointPaths()): KeyObject | null {
  if (existsSync(paths.publicKey)) return createPublicKey(readFileSync(paths.publicKey));
  if (existsSync(paths.signingKey)) return createPublicKey(createPrivateKey(readFileSync(paths.signingKey)));
  return null;
}

export function signCheckpoint(payload: CheckpointPayload, privateKey: KeyObject): CheckpointFile {
  return { ...payload, signature: sign(null, Buffer.from(canonicalJson(payload)), privateKey).toString("base64") };
}

export function checkpointSignatureValid(file: CheckpointFile, publicKey: KeyObject): boolean {
  const { signature, ...payload } = file;
  try {
    return verify(null, Buffer.from(canonicalJson(payload)), publicKey, Buffer.from(signature, "base64"));
  } catch {
    return false;
  }
}

export function checkpointFileName(payload: Pick<CheckpointPayload, "kind" | "seq" | "createdAt">): string {
  const stamp = payload.createdAt.replace(/[-:]/g, "").replace(/\.(\d{3})Z$/, "$1Z");
  return `${payload.kind}-${payload.seq.padStart(12, "0")}-${stamp}.json`;
}

/** Writes the file atomically (temporary name, then rename), read-only. */
export function writeCheckpointFile(dir: string, file: CheckpointFile): string {
  mkdirSync(dir, { recursive: true });
  const name = checkpointFileName(file);
  const target = path.join(dir, name);
  const temporary = `${target}.tmp-${process.pid}`;
  writeFileSync(temporary, `${JSON.stringify(file, null, 2)}\n`, { mode: 0o444 });
  renameSync(temporary, target);
  return name;
}

/** Writes the file into the checkpoint folder and, when configured, its mirror. Returns the file name. */
export function writeCheckpointCopies(paths: CheckpointPaths, file: CheckpointFile): string {
  const name = writeCheckpointFile(paths.dir, file);
  if (paths.mirrorDir) writeCheckpointFile(paths.mirrorDir, file);
  return name;
}

/** The chain id: hash of event 1, or, once that was purged, the one the purge checkpoint carried. */
async function currentChainId(db: Prisma.TransactionClient | PrismaClient): Promise<string | null> {
  const first = await db.auditEvent.findUnique({ where: { seq: 1n }, select: { hash: true } });
  if (first) return first.hash;
  const purge = await db.auditCheckpoint.findFirst({ where: { kind: "purge" }, orderBy: { seq: "desc" }, select: { chainId: true } });
  return purge?.chainId ?? null;
}

export interface CreatedCheckpoint {
  file: CheckpointFile;
  fileName: string;
  path: string;
}

/**
 * Builds, signs and records (AuditCheckpoint row) a checkpoint of the event at `head` inside the
 * caller's transaction. The caller writes the file: after commit for a new head (a file for an
 * event that was rolled back would later look like a rewrite), before the delete for a purge.
 */
export async function recordCheckpoint(
  tx: Prisma.TransactionClient,
  kind: "checkpoint" | "purge" | "restore",
  head: { seq: bigint; hash: string; at: Date },
  actor: { id: string | null; name: string | null },
  paths: CheckpointPaths,
  restore?: RestoreLineage,
): Promise<{ file: CheckpointFile; fileName: string }> {
  if ((kind === "restore") !== Boolean(restore)) throw new Error("a restore checkpoint, and only one, carries its lineage");
  const { privateKey, keyId } = loadOrCreateSigningKey(paths);
  const chainId = await currentChainId(tx);
  if (!chainId) throw new Error("the audit log is empty: nothing to checkpoint");
  const eventCount = await tx.auditEvent.count();
  const createdAt = new Date();
  const epoch = restore?.epoch ?? (await currentEpoch(tx));
  const lineage = restore
    ? { parentEpoch: restore.parentEpoch, forkSeq: restore.forkSeq.toString(), forkHash: restore.forkHash, manifestSha256: restore.manifestSha256 }
    : {};
  const payload: CheckpointPayload = {
    format: CHECKPOINT_FORMAT, kind, chainId, seq: head.seq.toString(), hash: head.hash, headAt: head.at.toISOString(),
    eventCount: String(eventCount), createdAt: createdAt.toISOString(), keyId, epoch, ...lineage,
  };
  const file = signCheckpoint(payload, privateKey);
  const fileName = checkpointFileName(payload);
  await tx.auditCheckpoint.create({
    data: {
      kind, chainId, seq: head.seq, hash: head.hash, headAt: head.at, eventCount: BigInt(eventCount), fileName, keyId,
      signature: file.signature, createdAt, createdById: actor.id, createdByName: actor.name, epoch,
      parentEpoch: restore?.parentEpoch ?? null, forkSeq: restore?.forkSeq ?? null, forkHash: restore?.forkHash ?? null,
      manifestSha256: restore?.manifestSha256 ?? null,
    },
  });
  return { file, fileName };
}

/** This database's restore epoch: that of its newest restore checkpoint, else ROOT_EPOCH. */
export async function currentEpoch(db: Prisma.TransactionClient | PrismaClient): Promise<string> {
  const restore = await db.auditCheckpoint.findFirst({ where: { kind: "restore" }, orderBy: { seq: "desc" }, select: { epoch: true } });
  return restore?.epoch ?? ROOT_EPOCH;
}

/**
 * Takes a checkpoint of the chain head now: appends an "audit.checkpoint" event (so taking it is
 * audited, and it is the head the checkpoint covers), records the row, then writes the file.
 */
export async function createCheckpoint(
  prisma: PrismaClient,
  options: { actorId?: string | null; actorName?: string | null; ip?: string | null; reason?: string | null; paths?: CheckpointPaths } = {},
): Promise<CreatedCheckpoint> {
  const paths = options.paths ?? checkpointPaths();
  loadOrCreateSigningKey(paths); // fail before writing anything when the key is unusable
  const created = await prisma.$transaction(async (tx) => {
    const head = await appendLinkedAuditEvent(tx, {
      actorId: options.actorId ?? null, actorName: options.actorName ?? null, action: "audit.checkpoint", entityType: "AuditCheckpoint",
      ip: options.ip ?? null, reason: options.reason ?? null, details: { dir: paths.dir },
    });
    return recordCheckpoint(tx, "checkpoint", head, { id: options.actorId ?? null, name: options.actorName ?? null }, paths);
  });
  writeCheckpointCopies(paths, created.file);
  return { ...created, path: path.join(paths.dir, created.fileName) };
}

export interface LoadedCheckpoints {
  refs: CheckpointRef[];
  /** Files or rows that are not what they claim (bad signature, unreadable): each a break. */
  problems: string[];
  warnings: string[];
  files: number;
  rows: number;
  latest: { kind: string; seq: bigint; createdAt: Date; fileName: string; createdByName: string | null } | null;
}

interface CheckpointRow {
  kind: string; chainId: string; seq: bigint; hash: string; headAt: Date; eventCount: bigint; createdAt: Date; keyId: string;
  epoch: string | null; parentEpoch: string | null; forkSeq: bigint | null; forkHash: string | null; manifestSha256: string | null;
}

function payloadOfRow(row: CheckpointRow): CheckpointPayload {
  // Columns that are null were not in the signed payload (canonicalJson drops undefined).
  return {
    format: CHECKPOINT_FORMAT, kind: row.kind as CheckpointPayload["kind"], chainId: row.chainId, seq: row.seq.toString(), hash: row.hash,
    headAt: row.headAt.toISOString(), eventCount: row.eventCount.toString(), createdAt: row.createdAt.toISOString(), keyId: row.keyId,
    epoch: row.epoch ?? undefined, parentEpoch: row.parentEpoch ?? undefined, forkSeq: row.forkSeq?.toString(), forkHash: row.forkHash ?? undefined,
    manifestSha256: row.manifestSha256 ?? undefined,
  };
}

/** Every checkpoint file in the directory and every AuditCheckpoint row, signatures checked. */
export async function loadCheckpoints(db: Prisma.TransactionClient | PrismaClient, paths: CheckpointPaths = checkpointPaths()): Promise<LoadedCheckpoints> {
  const publicKey = loadPublicKey(paths);
  const keyId = publicKey ? keyIdOf(publicKey) : null;
  const refs: CheckpointRef[] = [];
  const problems: string[] = [];
  const warnings: string[] = [];
  const judge = (file: CheckpointFile, source: string): void => {
    if (file.format !== CHECKPOINT_FORMAT || !/^\d+$/.test(file.seq ?? "")) {
      problems.push(`${source}: not a checkpoint of format ${CHECKPOINT_FORMAT}`);
      return;
    }
    if (!publicKey || file.keyId !== keyId) {
      warnings.push(`${source}: signed by key ${String(file.keyId).slice(0, 12)}…, not the configured public key; not checked`);
      return;
    }
    if (!checkpointSignatureValid(file, publicKey)) {
      problems.push(`${source}: signature does not verify (the checkpoint was altered)`);
      return;
    }
    if (file.kind === "restore" && (!file.epoch || !file.parentEpoch || !/^\d+$/.test(file.forkSeq ?? "") || !file.forkHash)) {
      problems.push(`${source}: a restore checkpoint without its lineage`);
      return;
    }
    refs.push({
      kind: file.kind, chainId: file.chainId, seq: BigInt(file.seq), hash: file.hash, source, signed: true, epoch: file.epoch ?? ROOT_EPOCH,
      ...(file.kind === "restore" ? { parentEpoch: file.parentEpoch, forkSeq: BigInt(file.forkSeq!), forkHash: file.forkHash } : {}),
    });
  };

  let files = 0;
  for (const [dir, prefix] of [[paths.dir, ""], ...(paths.mirrorDir ? [[paths.mirrorDir, "mirror "]] : [])] as const) {
    if (!existsSync(dir)) continue;
    for (const name of readdirSync(dir).filter((n) => n.endsWith(".json")).sort()) {
      files += 1;
      try {
        judge(JSON.parse(readFileSync(path.join(dir, name), "utf8")) as CheckpointFile, `${prefix}${name}`);
      } catch (error) {
        problems.push(`${prefix}${name}: unreadable (${error instanceof Error ? error.message : String(error)})`);
      }
    }
  }
  const rows = await db.auditCheckpoint.findMany({ orderBy: { createdAt: "asc" } });
  const fileNames = new Set(existsSync(paths.dir) ? readdirSync(paths.dir) : []);
  for (const row of rows) {
    judge({ ...payloadOfRow(row), signature: row.signature }, `database row ${row.fileName}`);
    if (!fileNames.has(row.fileName)) warnings.push(`${row.fileName}: recorded in the database but not in ${paths.dir}`);
  }
  const latestRow = rows.at(-1);
  return {
    refs, problems, warnings, files, rows: rows.length,
    latest: latestRow ? { kind: latestRow.kind, seq: latestRow.seq, createdAt: latestRow.createdAt, fileName: latestRow.fileName, createdByName: latestRow.createdByName } : null,
  };
}

export interface AuditLogVerification extends ChainVerification {
  checkpoints: Omit<LoadedCheckpoints, "refs" | "problems" | "warnings"> & {
    /** This database's restore epoch (docs/decisions/0019). */
    epoch: string;
    /** Checkpoints of this chain from another timeline (the source after a backup, a sibling restore): not compared. */
    otherTimelines: number;
  };
}

/** The chain held against every checkpoint file and row of its own history: what `npm run audit:verify` and the audit page show. */
export async function verifyAuditLogAndCheckpoints(db: Prisma.TransactionClient | PrismaClient, paths: CheckpointPaths = checkpointPaths()): Promise<AuditLogVerification> {
  // Committed events still waiting for their link are linked first, so they are verified too (not
  // inside the caller's transaction: that would hold the chain's lock until it ends).
  if ("$transaction" in db) await linkPendingAuditEvents(db);
  const loaded = await loadCheckpoints(db, paths);
  const chainId = await currentChainId(db);
  const named = loaded.refs.filter((ref) => ref.kind === "restore").flatMap((ref) => [ref.seq, ref.forkSeq ?? ref.seq]);
  const last = await db.auditEvent.findFirst({ orderBy: { seq: "desc" }, select: { seq: true, hash: true } });
  const hashes = named.length ? await db.auditEvent.findMany({ where: { seq: { in: [...named, ...(last ? [last.seq] : [])] } }, select: { seq: true, hash: true } }) : [];
  const lineage = selectLineage(loaded.refs, new Map(hashes.map((row) => [row.seq, row.hash])), chainId, last?.seq ?? null);
  const chain = await verifyAuditChain(db, { checkpoints: lineage.kept });
  const { refs: _refs, warnings, ...rest } = loaded;
  const problems = [...loaded.problems, ...lineage.problems];
  const { problems: _problems, ...counts } = rest;
  const checkpoints = { ...counts, epoch: lineage.epoch, otherTimelines: lineage.otherTimelines };
  const result: AuditLogVerification = { ...chain, warnings: [...warnings, ...chain.warnings], checkpoints };
  if (chain.ok && problems.length) return { ...result, ok: false, reason: problems[0], brokenRow: null };
  return result;
}
