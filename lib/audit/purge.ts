// Retention purge of the audit log (`npm run audit:purge`): refuses anything younger than the
// retention period (180 days at least; the database trigger holds that floor too), refuses a
// broken chain (purging would destroy the evidence), exports the events first, and leaves the
// chain verifiable: a signed "purge" checkpoint of the last purged event anchors what remains.
import { createHash } from "node:crypto";
import { appendFileSync, mkdirSync, renameSync, rmSync } from "node:fs";
import path from "node:path";
import { env } from "@/lib/env";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { checkpointPaths, loadOrCreateSigningKey, recordCheckpoint, verifyAuditLogAndCheckpoints, writeCheckpointCopies, type CheckpointPaths } from "./checkpoint";
import { AUDIT_CHAIN_LOCK, appendLinkedAuditEvent } from "./log";

export const MIN_RETENTION_DAYS = 180;
const DAY_MS = 86_400_000;

export class PurgeRefusedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PurgeRefusedError";
  }
}

export interface PurgeOptions {
  /** Events before this instant (UTC) are purged. */
  before: Date;
  reason?: string | null;
  actorName?: string | null;
  retentionDays?: number;
  now?: Date;
  paths?: CheckpointPaths;
  archiveDir?: string;
}

export interface PurgeResult {
  purged: number;
  fromSeq?: bigint;
  toSeq?: bigint;
  archivePath?: string;
  archiveSha256?: string;
  checkpointFile?: string;
  /** The "audit.purge" event that records the purge in the chain. */
  eventSeq?: bigint;
}

/** The latest --before a purge accepts now: retention days ago, at UTC midnight. */
export function latestPurgeDate(now: Date, retentionDays: number): Date {
  const days = Math.max(MIN_RETENTION_DAYS, retentionDays);
  const limit = new Date(now.getTime() - days * DAY_MS);
  return new Date(Date.UTC(limit.getUTCFullYear(), limit.getUTCMonth(), limit.getUTCDate()));
}

/** Parses --before YYYY-MM-DD as UTC midnight. */
export function parsePurgeDate(text: string): Date {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  const date = match ? new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]))) : null;
  if (!date || Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== text) {
    throw new PurgeRefusedError(`--before must be a date YYYY-MM-DD, got "${text}"`);
  }
  return date;
}

export async function purgeAuditEvents(prisma: PrismaClient, options: PurgeOptions): Promise<PurgeResult> {
  const now = options.now ?? new Date();
  const retentionDays = Math.max(MIN_RETENTION_DAYS, options.retentionDays ?? env.AUDIT_RETENTION_DAYS);
  const latest = latestPurgeDate(now, retentionDays);
  if (options.before.getTime() > latest.getTime()) {
    throw new PurgeRefusedError(
      `refused: audit events younger than ${retentionDays} days cannot be purged; ` +
        `--before ${options.before.toISOString().slice(0, 10)} would include some. The latest date allowed today is ${latest.toISOString().slice(0, 10)}.`,
    );
  }
  const paths = options.paths ?? checkpointPaths();
  const archiveDir = path.resolve(/* turbopackIgnore: true */ options.archiveDir ?? env.AUDIT_ARCHIVE_DIR);
  loadOrCreateSigningKey(paths);
  const verification = await verifyAuditLogAndCheckpoints(prisma, paths);
  if (!verification.ok) {
    throw new PurgeRefusedError(
      `refused: the audit chain is broken${verification.firstBrokenSeq ? ` at event ${verification.firstBrokenSeq}` : ""} (${verification.reason}); purging could destroy the evidence. Investigate with npm run audit:verify first.`,
    );
  }

  let partial: string | null = null;
  try {
    const result = await prisma.$transaction(
      async (tx): Promise<PurgeResult & { partial?: string }> => {
        await tx.$executeRaw`SELECT pg_advisory_xact_lock(${AUDIT_CHAIN_LOCK[0]}::int, ${AUDIT_CHAIN_LOCK[1]}::int)`;
        // A prefix of the chain: everything before the first event at or after the cut-off.
        const first = await tx.auditEvent.findFirst({ orderBy: { seq: "asc" }, select: { seq: true } });
        const keep = await tx.auditEvent.findFirst({ where: { at: { gte: options.before } }, orderBy: { seq: "asc" }, select: { seq: true } });
        const lastRow = await tx.auditEvent.findFirst({ orderBy: { seq: "desc" }, select: { seq: true } });
        if (!first || !lastRow) return { purged: 0 };
        const toSeq = keep ? keep.seq - 1n : lastRow.seq;
        if (toSeq < first.seq) return { purged: 0 };

        // Export first: one JSON line per event, every column, as the verifier reads them.
        mkdirSync(archiveDir, { recursive: true });
        const name = `audit-events-${first.seq}-${toSeq}.jsonl`;
        partial = path.join(archiveDir, `${name}.partial`);
        rmSync(partial, { force: true });
        const digest = createHash("sha256");
        let count = 0;
        for (let from = first.seq; from <= toSeq; ) {
          const rows = await tx.auditEvent.findMany({ where: { seq: { gte: from, lte: toSeq } }, orderBy: { seq: "asc" }, take: 5000 });
          if (rows.length === 0) break;
          const text = rows.map((row) => JSON.stringify({ ...row, seq: row.seq.toString(), at: row.at.toISOString() })).join("\n") + "\n";
          appendFileSync(partial, text, { mode: 0o600 });
          digest.update(text);
          count += rows.length;
          from = rows.at(-1)!.seq + 1n;
        }
        const archiveSha256 = digest.digest("hex");
        const head = await tx.auditEvent.findUniqueOrThrow({ where: { seq: toSeq } });

        // The anchor: a signed purge checkpoint of the last purged event, file written before the
        // delete (should the transaction fail, the file still describes an existing event).
        const actor = { id: null, name: options.actorName ?? null };
        const { file } = await recordCheckpoint(tx, "purge", head, actor, paths);
        const checkpointFile = writeCheckpointCopies(paths, file);
        const event = await appendLinkedAuditEvent(tx, {
          actorName: options.actorName ?? null, action: "audit.purge", entityType: "AuditEvent", reason: options.reason ?? null,
          details: {
            before: options.before.toISOString(), retentionDays, fromSeq: first.seq.toString(), toSeq: toSeq.toString(), count,
            lastPurgedHash: head.hash, archiveFile: name, archiveSha256, checkpointFile,
          },
        });
        // The trigger lets these rows go only because all three of its conditions hold (0009).
        await tx.$executeRaw`SELECT set_config('zunyi.audit_purge', 'on', true)`;
        const deleted = await tx.$executeRaw`DELETE FROM "AuditEvent" WHERE seq <= ${toSeq}`;
        await tx.$executeRaw`SELECT set_config('zunyi.audit_purge', 'off', true)`;
        if (deleted !== count) throw new Error(`purge deleted ${deleted} events but exported ${count}`);
        return { purged: count, fromSeq: first.seq, toSeq, archivePath: path.join(archiveDir, name), archiveSha256, checkpointFile, eventSeq: event.seq, partial: partial ?? undefined };
      },
      { timeout: 30 * 60_000, maxWait: 60_000 },
    );
    if (result.partial && result.archivePath) renameSync(result.partial, result.archivePath);
    const { partial: _partial, ...rest } = result;
    return rest;
  } catch (error) {
    if (error instanceof Error && /permission denied for table "?AuditEvent/i.test(error.message)) {
      throw new PurgeRefusedError("refused by the database: this role may not delete audit events. Run audit:purge with the database owner's DATABASE_URL (the app's role zunyi_app may only insert and read).");
    }
    throw error;
  } finally {
    if (partial) rmSync(partial, { force: true });
  }
}
