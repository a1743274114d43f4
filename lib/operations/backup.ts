// `npm run db:backup -- <file>` (scripts/ops.ts): one archive (lib/operations/archive.ts) taken from
// one database snapshot while the app keeps running. On a server, a REPEATABLE READ transaction
// exports its snapshot and pg_dump reads exactly that snapshot (--snapshot); on embedded PGlite,
// whose socket server runs one transaction at a time, the tables are read as JSON rows inside one
// transaction (writers wait for it). Evidence files, checkpoint files and the figures in the
// manifest are those of the same snapshot. Runs as the owner (DATABASE_OWNER_URL).
import { spawn } from "node:child_process";
import { copyFileSync, createWriteStream, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { keyIdOf, loadOrCreateSigningKey, ROOT_EPOCH, type CheckpointPaths } from "@/lib/audit/checkpoint";
import { appendLinkedAuditEvent } from "@/lib/audit/log";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { encryptSecrets, packArchive, sealManifest, sha256File, type Manifest } from "./archive";

export interface BackupOptions {
  /** Owner connection (DATABASE_OWNER_URL, else DATABASE_URL). */
  ownerUrl: string;
  mode: "server" | "embedded";
  /** Prisma client on the owner URL: records the backup as an audit event after the snapshot. */
  prisma: PrismaClient;
  file: string;
  attachmentDir: string;
  /** STORAGE_BACKEND: with "postgres" the evidence bytes are rows of the dump, not files. */
  storage?: "local" | "postgres";
  paths: CheckpointPaths;
  appVersion: string;
  /** --include-secrets: the private signing key and the auth secret, sealed with this passphrase. */
  secrets?: { passphrase: string; authSecret: string | null };
  actorName?: string | null;
  pgDump?: string;
}

export interface BackupResult {
  file: string;
  manifest: Manifest;
  manifestSha256: string;
  seconds: number;
  /** The audit event that records the backup (after the snapshot, so not inside it). */
  eventSeq: bigint;
}

/** Connection parameters only libpq knows: Prisma's own (schema, connection_limit...) are dropped for pg_dump/pg_restore. */
export function libpqUrl(url: string): string {
  const parsed = new URL(url);
  for (const name of ["schema", "connection_limit", "pool_timeout", "pgbouncer", "statement_cache_size", "socket_timeout"]) parsed.searchParams.delete(name);
  return parsed.toString();
}

export function runTool(bin: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(bin, args, { stdio: ["ignore", "inherit", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("error", reject);
    child.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`${path.basename(bin)} exited with ${code}: ${stderr.trim()}`))));
  });
}

const q = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** Ordinary tables of schema public, by name. */
export async function publicTables(client: pg.ClientBase): Promise<string[]> {
  const { rows } = await client.query<{ name: string }>(
    `SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') ORDER BY c.relname`,
  );
  return rows.map((r) => r.name);
}

/** Stored (not generated) columns of a table, in order. */
export async function storedColumns(client: pg.ClientBase, table: string): Promise<string[]> {
  const { rows } = await client.query<{ name: string }>(
    `SELECT a.attname AS name FROM pg_attribute a
      WHERE a.attrelid = $1::regclass AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = '' ORDER BY a.attnum`,
    [`public.${q(table)}`],
  );
  return rows.map((r) => r.name);
}

/** The figures the restore drill compares, read in the caller's snapshot. */
export async function snapshotFigures(client: pg.ClientBase, tables: string[]): Promise<Manifest["snapshot"]> {
  const counts: Record<string, number> = {};
  for (const table of tables) counts[table] = Number((await client.query<{ n: string }>(`SELECT count(*)::text AS n FROM ${q(table)}`)).rows[0]!.n);
  const sum = await client.query<{ total: string }>(`SELECT coalesce(sum("completedInvestment"), 0)::text AS total FROM "MonthlyReturn" WHERE status = 'APPROVED'`);
  const evidence = await client.query<{ storageKey: string; sha256: string }>(`SELECT "storageKey", lower(sha256) AS sha256 FROM "Attachment" ORDER BY "storageKey"`);
  return { counts, approvedInvestment: sum.rows[0]!.total, evidence: evidence.rows };
}

async function dumpTablesAsJson(client: pg.ClientBase, tables: string[], dir: string): Promise<void> {
  mkdirSync(dir, { recursive: true });
  for (const table of tables) {
    const columns = (await storedColumns(client, table)).map(q).join(", ");
    const out = createWriteStream(path.join(dir, `${table}.ndjson`));
    await client.query(`DECLARE backup_rows NO SCROLL CURSOR FOR SELECT row_to_json(t)::text AS j FROM (SELECT ${columns} FROM ${q(table)}) t`);
    for (;;) {
      const { rows } = await client.query<{ j: string }>("FETCH 2000 FROM backup_rows");
      if (rows.length === 0) break;
      if (!out.write(rows.map((r) => `${r.j}\n`).join(""))) await new Promise<void>((resolve) => out.once("drain", () => resolve()));
    }
    await client.query("CLOSE backup_rows");
    await new Promise<void>((resolve, reject) => out.end((error?: Error | null) => (error ? reject(error) : resolve())));
  }
}

export async function createBackup(options: BackupOptions): Promise<BackupResult> {
  const started = performance.now();
  const { privateKey, publicKey } = loadOrCreateSigningKey(options.paths);
  const staging = mkdtempSync(path.join(os.tmpdir(), "zunyi-backup-"));
  const client = new pg.Client({ connectionString: options.ownerUrl });
  await client.connect();
  try {
    await client.query("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY");
    const snapshotId = options.mode === "server" ? (await client.query<{ id: string }>("SELECT pg_export_snapshot() AS id")).rows[0]!.id : null;
    const tables = await publicTables(client);
    const serverVersion = (await client.query<{ v: string }>("SELECT current_setting('server_version') AS v")).rows[0]!.v;
    const migrationHead = tables.includes("_prisma_migrations")
      ? ((await client.query<{ name: string }>(`SELECT migration_name AS name FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL ORDER BY migration_name DESC LIMIT 1`)).rows[0]?.name ?? null)
      : null;
    const head = (await client.query<{ seq: string; hash: string }>(`SELECT seq::text, hash FROM "AuditEvent" ORDER BY seq DESC LIMIT 1`)).rows[0] ?? null;
    const first = (await client.query<{ hash: string }>(`SELECT hash FROM "AuditEvent" WHERE seq = 1`)).rows[0];
    const purgeChain = (await client.query<{ chainId: string }>(`SELECT "chainId" FROM "AuditCheckpoint" WHERE kind = 'purge' ORDER BY seq DESC LIMIT 1`)).rows[0];
    const epoch = (await client.query<{ epoch: string | null }>(`SELECT epoch FROM "AuditCheckpoint" WHERE kind = 'restore' ORDER BY seq DESC LIMIT 1`)).rows[0]?.epoch ?? ROOT_EPOCH;
    const eventCount = (await client.query<{ n: string }>(`SELECT count(*)::text AS n FROM "AuditEvent"`)).rows[0]!.n;
    const checkpointFiles = (await client.query<{ fileName: string }>(`SELECT "fileName" FROM "AuditCheckpoint" ORDER BY "fileName"`)).rows.map((r) => r.fileName);
    const snapshot = await snapshotFigures(client, tables.filter((t) => t !== "_prisma_migrations"));

    // The database, from this very snapshot.
    mkdirSync(path.join(staging, "database"), { recursive: true });
    if (snapshotId) {
      await runTool(options.pgDump ?? "pg_dump", [
        "--format=custom", `--snapshot=${snapshotId}`, "--no-owner", `--file=${path.join(staging, "database", "postgres.dump")}`,
        `--dbname=${libpqUrl(options.ownerUrl)}`,
      ]);
    } else {
      await dumpTablesAsJson(client, tables, path.join(staging, "database", "tables"));
    }

    // Evidence files: every one the snapshot refers to, with the SHA-256 it recorded.
    const problems: string[] = [];
    for (const { storageKey, sha256 } of options.storage === "postgres" ? [] : snapshot.evidence) {
      const source = path.join(options.attachmentDir, storageKey);
      if (!existsSync(source)) {
        problems.push(`evidence file ${storageKey} is missing from ${options.attachmentDir}`);
        continue;
      }
      const target = path.join(staging, "files", storageKey);
      mkdirSync(path.dirname(target), { recursive: true });
      copyFileSync(source, target);
      const actual = await sha256File(target);
      if (actual !== sha256) problems.push(`evidence file ${storageKey} has SHA-256 ${actual}, the database recorded ${sha256}`);
    }
    if (problems.length) throw new Error(`backup refused, the evidence files do not match the database:\n  ${problems.join("\n  ")}`);

    // Audit checkpoints of the snapshot and the public key.
    const checkpointDir = path.join(staging, "audit", "checkpoints");
    mkdirSync(checkpointDir, { recursive: true });
    for (const name of checkpointFiles) {
      const source = path.join(options.paths.dir, name);
      if (existsSync(source)) copyFileSync(source, path.join(checkpointDir, name));
    }
    writeFileSync(path.join(staging, "audit", "public-key.pem"), publicKey.export({ type: "spki", format: "pem" }));

    if (options.secrets) {
      mkdirSync(path.join(staging, "secrets"), { recursive: true });
      const sealed = encryptSecrets({ auditSigningKey: readFileSync(options.paths.signingKey, "utf8"), authSecret: options.secrets.authSecret }, options.secrets.passphrase);
      writeFileSync(path.join(staging, "secrets", "secrets.enc.json"), `${JSON.stringify(sealed, null, 2)}\n`, { mode: 0o600 });
    }

    const { manifest, manifestSha256 } = await sealManifest(
      staging,
      {
        format: "zunyi-backup/1", createdAt: new Date().toISOString(), appVersion: options.appVersion, migrationHead,
        database: { kind: snapshotId ? "pg_dump" : "json", serverVersion, tables: snapshotId ? [] : tables },
        audit: { chainId: first?.hash ?? purgeChain?.chainId ?? null, epoch, head, eventCount, keyId: keyIdOf(publicKey) },
        snapshot, includesSecrets: Boolean(options.secrets), evidenceStorage: options.storage ?? "local",
      },
      privateKey,
    );
    await client.query("COMMIT");
    await packArchive(staging, options.file);

    // Recorded after the snapshot: the source's log then always goes on past the archive's head, which
    // tells "a restored copy cut back to its fork point" from "the source" (lib/audit/epochs.ts).
    const event = await options.prisma.$transaction((tx) =>
      appendLinkedAuditEvent(tx, {
        actorName: options.actorName ?? null, action: "audit.backup", entityType: "Backup",
        details: { manifestSha256, archive: path.basename(options.file), snapshotHead: head, epoch, includesSecrets: Boolean(options.secrets) },
      }),
    );
    return { file: options.file, manifest, manifestSha256, seconds: (performance.now() - started) / 1000, eventSeq: event.seq };
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw error;
  } finally {
    await client.end().catch(() => undefined);
    rmSync(staging, { recursive: true, force: true });
  }
}
