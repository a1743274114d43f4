// `npm run db:restore -- <file> [--force]` (scripts/ops.ts): checks every part of the archive
// against its signed manifest, refuses a database that holds data (unless forced), loads the
// database, the evidence files and the checkpoints, starts a new restore epoch (an `audit.restore`
// event and a signed restore checkpoint naming the archive's manifest hash: docs/decisions/0019)
// and runs the full audit verification. Runs as the owner, with the app stopped.
import { randomUUID } from "node:crypto";
import { copyFileSync, createReadStream, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createPublicKey, createPrivateKey } from "node:crypto";
import os from "node:os";
import path from "node:path";
import readline from "node:readline";
import pg from "pg";
import {
  keyIdOf, loadPublicKey, recordCheckpoint, verifyAuditLogAndCheckpoints, writeCheckpointCopies, type AuditLogVerification, type CheckpointPaths,
} from "@/lib/audit/checkpoint";
import { appendLinkedAuditEvent, GENESIS_HASH } from "@/lib/audit/log";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { decryptSecrets, openArchive, sha256File, type Manifest } from "./archive";
import { libpqUrl, publicTables, runTool, storedColumns } from "./backup";

export class RestoreRefusedError extends Error {
  override name = "RestoreRefusedError";
}

export interface RestoreOptions {
  ownerUrl: string;
  mode: "server" | "embedded";
  /** A Prisma client on the owner URL, made once the database is loaded. */
  prismaFor: (url: string) => PrismaClient;
  file: string;
  attachmentDir: string;
  paths: CheckpointPaths;
  force?: boolean;
  /** BACKUP_PASSPHRASE: opens the archive's secrets (if it has them) to put back what this host lacks. */
  passphrase?: string;
  /** Where the auth secret goes when the archive brings one and this host has none (null: leave it). */
  authSecretFile?: string | null;
  /** Applies the migrations to a database without tables (json archives need the schema first). */
  migrate?: () => Promise<void>;
  actorName?: string | null;
  pgRestore?: string;
  log?: (line: string) => void;
}

export interface RestoreResult {
  manifest: Manifest;
  manifestSha256: string;
  rows: number;
  tables: number;
  files: number;
  checkpoints: number;
  secretsRestored: string[];
  epoch: string;
  restoreEventSeq: bigint;
  verification: AuditLogVerification;
  seconds: number;
}

const q = (name: string) => `"${name.replace(/"/g, '""')}"`;

async function withClient<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Tables of schema public that hold at least one row (the migrations' own bookkeeping aside). */
async function tablesWithRows(client: pg.ClientBase): Promise<string[]> {
  const out: string[] = [];
  for (const table of await publicTables(client)) {
    if (table === "_prisma_migrations") continue;
    if ((await client.query(`SELECT 1 FROM ${q(table)} LIMIT 1`)).rowCount) out.push(table);
  }
  return out;
}

const PRISMA_MIGRATIONS_DDL = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
  "id" VARCHAR(36) PRIMARY KEY NOT NULL, "checksum" VARCHAR(64) NOT NULL, "finished_at" TIMESTAMPTZ, "migration_name" VARCHAR(255) NOT NULL,
  "logs" TEXT, "rolled_back_at" TIMESTAMPTZ, "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(), "applied_steps_count" INTEGER NOT NULL DEFAULT 0)`;

async function loadJsonTables(client: pg.ClientBase, dir: string, tables: string[]): Promise<number> {
  await client.query(PRISMA_MIGRATIONS_DDL);
  const present = new Set(await publicTables(client));
  const missing = tables.filter((t) => !present.has(t));
  if (missing.length) throw new RestoreRefusedError(`the database lacks tables the archive holds (${missing.join(", ")}): migrate it to ${"the archive's migration head"} first`);
  let rows = 0;
  await client.query("BEGIN");
  try {
    // Rows go back exactly as they were: no triggers (append-only guards, light and rollup upkeep), no FK order.
    await client.query("SET LOCAL session_replication_role = replica");
    await client.query(`TRUNCATE ${[...present].map(q).join(", ")}`);
    for (const table of tables) {
      const columns = new Set(await storedColumns(client, table));
      let batch: string[] = [];
      let list: string | null = null;
      const flush = async () => {
        if (!batch.length || !list) return;
        await client.query(`INSERT INTO ${q(table)} (${list}) SELECT ${list} FROM json_populate_recordset(NULL::${q(table)}, $1::json)`, [`[${batch.join(",")}]`]);
        rows += batch.length;
        batch = [];
      };
      const lines = readline.createInterface({ input: createReadStream(path.join(dir, `${table}.ndjson`), "utf8"), crlfDelay: Infinity });
      for await (const line of lines) {
        if (!line) continue;
        if (!list) {
          const keys = Object.keys(JSON.parse(line) as Record<string, unknown>);
          const unknown = keys.filter((k) => !columns.has(k));
          if (unknown.length) throw new RestoreRefusedError(`table ${table} has no column(s) ${unknown.join(", ")}: the database is at another migration than the archive`);
          list = keys.map(q).join(", ");
        }
        batch.push(line);
        if (batch.length >= 1000) await flush();
      }
      await flush();
    }
    // Sequences (AuditEvent.seq) continue after the restored rows.
    const { rows: sequences } = await client.query<{ seq: string; tbl: string; col: string }>(
      `SELECT s.relname AS seq, t.relname AS tbl, a.attname AS col FROM pg_depend d
         JOIN pg_class s ON s.oid = d.objid AND s.relkind = 'S' JOIN pg_class t ON t.oid = d.refobjid
         JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = d.refobjsubid JOIN pg_namespace n ON n.oid = t.relnamespace
        WHERE n.nspname = 'public' AND d.deptype IN ('a', 'i')`,
    );
    for (const s of sequences) {
      await client.query(`SELECT setval('public.${q(s.seq)}', coalesce((SELECT max(${q(s.col)}) FROM ${q(s.tbl)}), 0) + 1, false)`);
    }
    await client.query("COMMIT");
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw error;
  }
  return rows;
}

export async function restoreBackup(options: RestoreOptions): Promise<RestoreResult> {
  const started = performance.now();
  const log = options.log ?? (() => undefined);
  const work = mkdtempSync(path.join(os.tmpdir(), "zunyi-restore-"));
  try {
    // 1. The archive is what its signed manifest says, to the last byte.
    const hostKey = loadPublicKey(options.paths);
    const opened = await openArchive(options.file, work, hostKey, (dir) => {
      const file = path.join(dir, "audit", "public-key.pem");
      return existsSync(file) ? createPublicKey(readFileSync(file)) : null;
    });
    const { manifest, manifestSha256 } = opened;
    log(`archive ${path.basename(options.file)}: manifest ${manifestSha256}, made ${manifest.createdAt} by version ${manifest.appVersion}, ${manifest.parts.length} parts verified`);

    // 2. The signing key: this host's must be the archive's; a host without one takes it from the sealed secrets.
    const secretsRestored: string[] = [];
    const sealedFile = path.join(work, "secrets", "secrets.enc.json");
    const secrets = existsSync(sealedFile) && options.passphrase ? decryptSecrets(JSON.parse(readFileSync(sealedFile, "utf8")), options.passphrase) : null;
    if (existsSync(options.paths.signingKey)) {
      const keyId = keyIdOf(createPublicKey(createPrivateKey(readFileSync(options.paths.signingKey))));
      if (keyId !== manifest.audit.keyId) throw new RestoreRefusedError(`this host's audit signing key (${keyId.slice(0, 12)}…) is not the one the archive was made with (${manifest.audit.keyId.slice(0, 12)}…)`);
    } else if (secrets) {
      const key = createPrivateKey(secrets.auditSigningKey);
      if (keyIdOf(createPublicKey(key)) !== manifest.audit.keyId) throw new RestoreRefusedError("the signing key in the archive's secrets does not match its manifest");
      mkdirSync(path.dirname(options.paths.signingKey), { recursive: true });
      writeFileSync(options.paths.signingKey, secrets.auditSigningKey, { mode: 0o600 });
      if (!existsSync(options.paths.publicKey)) writeFileSync(options.paths.publicKey, createPublicKey(key).export({ type: "spki", format: "pem" }), { mode: 0o644 });
      secretsRestored.push(`audit signing key → ${options.paths.signingKey}`);
    } else {
      throw new RestoreRefusedError(
        `the audit signing key ${options.paths.signingKey} is missing: put back the key kept off this host (README "Secrets to keep elsewhere"), ` +
          `or restore an archive made with --include-secrets and set BACKUP_PASSPHRASE`,
      );
    }
    if (secrets?.authSecret && options.authSecretFile && !existsSync(options.authSecretFile)) {
      mkdirSync(path.dirname(options.authSecretFile), { recursive: true });
      writeFileSync(options.authSecretFile, secrets.authSecret, { mode: 0o600 });
      secretsRestored.push(`auth secret → ${options.authSecretFile}`);
    }

    // 3. Evidence files would not overwrite different bytes unless forced.
    const evidenceFiles = manifest.evidenceStorage === "local" ? manifest.snapshot.evidence : [];
    for (const { storageKey, sha256 } of evidenceFiles) {
      const target = path.join(options.attachmentDir, storageKey);
      if (existsSync(target) && !options.force && (await sha256File(target)) !== sha256) {
        throw new RestoreRefusedError(`${target} exists with other content; --force replaces it`);
      }
    }

    // 4. The database: empty, or --force.
    const loaded = await withClient(options.ownerUrl, async (client) => {
      const filled = await tablesWithRows(client);
      if (filled.length && !options.force) {
        throw new RestoreRefusedError(`the database is not empty (rows in ${filled.slice(0, 5).join(", ")}${filled.length > 5 ? ", …" : ""}); restore into a new database, or give --force to replace it`);
      }
      if (manifest.database.kind === "pg_dump") {
        if (options.mode !== "server") throw new RestoreRefusedError("this archive holds a pg_dump of a PostgreSQL server: restore it to a server (DATABASE_URL)");
        await client.query("DROP SCHEMA IF EXISTS public CASCADE");
        await client.query("CREATE SCHEMA public");
        // The grants in the dump name the app's group role (docs/decisions/0009); a new cluster may lack it.
        await client.query(`DO $$ BEGIN CREATE ROLE zunyi_app NOLOGIN; EXCEPTION WHEN duplicate_object OR insufficient_privilege THEN NULL; END $$`);
        await runTool(options.pgRestore ?? "pg_restore", [
          "--no-owner", "--exit-on-error", "--single-transaction", `--dbname=${libpqUrl(options.ownerUrl)}`, path.join(work, "database", "postgres.dump"),
        ]);
        const rows = Object.values(manifest.snapshot.counts).reduce((a, b) => a + b, 0);
        return { rows, tables: Object.keys(manifest.snapshot.counts).length };
      }
      if ((await publicTables(client)).filter((t) => t !== "_prisma_migrations").length === 0) {
        if (!options.migrate) throw new RestoreRefusedError("the database has no tables: apply the migrations first (npm run db:deploy)");
        await options.migrate();
      }
      const head = (await publicTables(client)).includes("_prisma_migrations")
        ? (await client.query<{ name: string }>(`SELECT migration_name AS name FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL ORDER BY migration_name DESC LIMIT 1`)).rows[0]?.name
        : undefined;
      if (head && manifest.migrationHead && head !== manifest.migrationHead) {
        throw new RestoreRefusedError(`the database is at migration ${head}, the archive at ${manifest.migrationHead}: restore with the app version that made it (${manifest.appVersion})`);
      }
      const rows = await loadJsonTables(client, path.join(work, "database", "tables"), manifest.database.tables);
      return { rows, tables: manifest.database.tables.length };
    });
    log(`database: ${loaded.tables} tables, ${loaded.rows} rows (${manifest.database.kind})`);

    // 5. Evidence files and checkpoint files.
    for (const { storageKey } of evidenceFiles) {
      const target = path.join(options.attachmentDir, storageKey);
      mkdirSync(path.dirname(target), { recursive: true });
      copyFileSync(path.join(work, "files", storageKey), target);
    }
    log(`evidence files: ${manifest.snapshot.evidence.length} ${manifest.evidenceStorage === "local" ? `→ ${options.attachmentDir}` : "(inside the database)"}`);
    const checkpointSource = path.join(work, "audit", "checkpoints");
    let checkpoints = 0;
    mkdirSync(options.paths.dir, { recursive: true });
    for (const name of existsSync(checkpointSource) ? readdirSync(checkpointSource) : []) {
      const target = path.join(options.paths.dir, name);
      checkpoints += 1;
      if (existsSync(target)) continue; // same name = same checkpoint; a different one is the verifier's to judge
      copyFileSync(path.join(checkpointSource, name), target);
    }
    log(`audit checkpoints: ${checkpoints} → ${options.paths.dir}`);

    // 6. A new restore epoch, recorded in the chain and signed.
    const prisma = options.prismaFor(options.ownerUrl);
    try {
      const epoch = randomUUID();
      const sourceHead = manifest.audit.head ?? { seq: "0", hash: GENESIS_HASH };
      const created = await prisma.$transaction(async (tx) => {
        const head = await appendLinkedAuditEvent(tx, {
          actorName: options.actorName ?? null, action: "audit.restore", entityType: "Backup",
          details: { manifestSha256, archive: path.basename(options.file), backupCreatedAt: manifest.createdAt, sourceHead, sourceEpoch: manifest.audit.epoch },
        });
        const checkpoint = await recordCheckpoint(tx, "restore", head, { id: null, name: options.actorName ?? null }, options.paths, {
          epoch, parentEpoch: manifest.audit.epoch, forkSeq: BigInt(sourceHead.seq), forkHash: sourceHead.hash, manifestSha256,
        });
        return { head, checkpoint };
      });
      writeCheckpointCopies(options.paths, created.checkpoint.file);
      log(`restore epoch ${epoch}: event ${created.head.seq} audit.restore, checkpoint ${created.checkpoint.fileName}`);

      // 7. The full verification, as `npm run audit:verify` does it.
      const verification = await verifyAuditLogAndCheckpoints(prisma, options.paths);
      return {
        manifest, manifestSha256, rows: loaded.rows, tables: loaded.tables, files: manifest.snapshot.evidence.length, checkpoints, secretsRestored,
        epoch, restoreEventSeq: created.head.seq, verification, seconds: (performance.now() - started) / 1000,
      };
    } finally {
      await prisma.$disconnect();
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
