// `npm run test:cluster`: the scale-out topology on loopback, under a temporary directory, from
// Debian's packages (postgresql-15, pgbouncer, nginx) and the project's own scripts
// (docs/decisions/0023-scale-out.md, docs/deployment.md):
//   PostgreSQL 15 primary → hot standby made with pg_basebackup (streaming, replication slot)
//   PgBouncer (transaction pooling) in front of the primary
// and asserts what the application relies on there:
//   - a write on the primary is visible on the standby, and the replica probe of lib/db-routing.ts
//     (LSN + replay timestamp) routes reads to it; stopping the standby routes them to the primary;
//   - no session state survives a transaction through PgBouncer (set_config(..., true) is local);
//   - two processes appending to the audit log through PgBouncer keep one chain that verifies
//     (the transaction-scoped advisory lock holds across pooled connections and processes).
// Everything is torn down at the end, also on failure. Takes well under a minute.
// Not yet here (issue 16 item 4, see docs/deployment.md "Cluster test"): the two production app
// instances behind nginx and the HTTP assertions (sign-in across instances, lockout, return A→B,
// kill -9 under load); scripts/cluster/config.ts already writes nginx's configuration for them.
import { execFileSync, spawn } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync, appendFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { chooseTarget, lagFromFacts, type ReplicaProbe } from "../../lib/db-routing";
import { applyMigrations } from "../../tests/helpers/test-database";
import { DEFAULT_PORTS, pgbouncerIni, primaryConf, primaryHba, replicaConf } from "./config";
import { repoRoot } from "../lib/proc";

const PG_BIN = process.env.PG_BIN ?? "/usr/lib/postgresql/15/bin";
const DATABASE = "zunyi";
const APP_ROLE = "zunyi_web";
const ports = DEFAULT_PORTS;
const asRoot = process.getuid?.() === 0;
const keep = process.argv.includes("--keep");

/** PostgreSQL and PgBouncer refuse to run as root: run them as the postgres user then. */
function sh(command: string, args: string[], options: { quiet?: boolean } = {}): string {
  const [cmd, argv] = asRoot ? ["runuser", ["-u", "postgres", "--", command, ...args]] : [command, args];
  return execFileSync(cmd, argv, { encoding: "utf8", stdio: options.quiet ? ["ignore", "pipe", "pipe"] : ["ignore", "pipe", "inherit"] });
}

let failures = 0;
function check(name: string, ok: boolean, detail = ""): void {
  console.log(`${ok ? "✓" : "✗"} ${name}${detail ? ` — ${detail}` : ""}`);
  if (!ok) failures++;
}

async function withClient<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2_000 });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

const url = (port: number, user: string) => `postgresql://${user}@127.0.0.1:${port}/${DATABASE}`;

/** The same two queries lib/db-replica.ts runs, decided by the same rule. */
async function probe(): Promise<ReplicaProbe> {
  try {
    const side = await withClient(url(ports.replica, "postgres"), async (c) =>
      (await c.query(`SELECT pg_is_in_recovery() AS "inRecovery", pg_last_wal_replay_lsn()::text AS "replayLsn", pg_last_xact_replay_timestamp() AS "lastReplayAt", now() AS now`)).rows[0],
    );
    const primary = await withClient(url(ports.primary, "postgres"), async (c) => (await c.query(`SELECT pg_current_wal_lsn()::text AS lsn, now() AS now`)).rows[0]);
    return lagFromFacts({ inRecovery: side.inRecovery, replayLsn: side.replayLsn, lastReplayAt: side.lastReplayAt, primaryLsn: primary.lsn, now: primary.now });
  } catch (error) {
    return { up: false, lagSeconds: Infinity, asOf: null, reason: error instanceof Error ? error.message : String(error) };
  }
}

function runWorker(name: string, count: number, startAt: number, databaseUrl: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(path.join(repoRoot, "node_modules/.bin/tsx"), ["tests/helpers/audit-append-worker.ts"], {
      cwd: repoRoot,
      env: { ...process.env, DATABASE_URL: databaseUrl, AUDIT_WORKER_NAME: name, AUDIT_WORKER_COUNT: String(count), AUDIT_WORKER_START_AT: String(startAt) },
      stdio: ["ignore", "inherit", "inherit"],
    });
    child.on("error", reject);
    child.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`audit worker ${name} exited ${code}`))));
  });
}

async function main() {
  const started = Date.now();
  const tmp = mkdtempSync(path.join(os.tmpdir(), "zunyi-cluster-"));
  chmodSync(tmp, 0o755);
  if (asRoot) execFileSync("chown", ["postgres:postgres", tmp]);
  const primaryDir = path.join(tmp, "primary");
  const replicaDir = path.join(tmp, "replica");
  const bouncerDir = path.join(tmp, "pgbouncer");
  const running: (() => void)[] = [];
  console.log(`[cluster] under ${tmp}`);
  try {
    // 1. Primary.
    sh(`${PG_BIN}/initdb`, ["-D", primaryDir, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8"], { quiet: true });
    appendFileSync(path.join(primaryDir, "postgresql.conf"), primaryConf({ port: ports.primary, socketDir: tmp }));
    writeFileSync(path.join(primaryDir, "pg_hba.conf"), primaryHba());
    sh(`${PG_BIN}/pg_ctl`, ["-D", primaryDir, "-l", path.join(tmp, "primary.log"), "-w", "start"], { quiet: true });
    running.push(() => sh(`${PG_BIN}/pg_ctl`, ["-D", primaryDir, "-m", "immediate", "-w", "stop"], { quiet: true }));
    await withClient(`postgresql://postgres@127.0.0.1:${ports.primary}/postgres`, async (c) => {
      await c.query(`CREATE ROLE replicator REPLICATION LOGIN`);
      await c.query(`CREATE DATABASE ${DATABASE}`);
      await c.query(`SELECT pg_create_physical_replication_slot('replica1')`);
    });
    await applyMigrations(url(ports.primary, "postgres"));
    await withClient(url(ports.primary, "postgres"), (c) => c.query(`CREATE ROLE ${APP_ROLE} LOGIN IN ROLE zunyi_app`));
    console.log(`[cluster] primary on ${ports.primary}, migrated (${((Date.now() - started) / 1000).toFixed(1)} s)`);

    // 2. Hot standby from a base backup of the running primary.
    sh(`${PG_BIN}/pg_basebackup`, ["-D", replicaDir, "-h", "127.0.0.1", "-p", String(ports.primary), "-U", "replicator", "-X", "stream", "-R", "-c", "fast"], { quiet: true });
    appendFileSync(path.join(replicaDir, "postgresql.conf"), replicaConf({ port: ports.replica, socketDir: tmp }));
    sh(`${PG_BIN}/pg_ctl`, ["-D", replicaDir, "-l", path.join(tmp, "replica.log"), "-w", "start"], { quiet: true });
    let replicaRunning = true;
    running.push(() => {
      if (replicaRunning) sh(`${PG_BIN}/pg_ctl`, ["-D", replicaDir, "-m", "immediate", "-w", "stop"], { quiet: true });
    });
    console.log(`[cluster] standby on ${ports.replica}`);

    // 3. PgBouncer, transaction pooling, in front of the primary.
    mkdirSync(bouncerDir);
    if (asRoot) execFileSync("chown", ["postgres:postgres", bouncerDir]);
    const authFile = path.join(bouncerDir, "userlist.txt");
    writeFileSync(authFile, `"${APP_ROLE}" ""\n"postgres" ""\n`);
    const ini = path.join(bouncerDir, "pgbouncer.ini");
    writeFileSync(ini, pgbouncerIni({ port: ports.pgbouncer, primaryPort: ports.primary, database: DATABASE, dir: bouncerDir, authFile, poolSize: 4 }));
    sh("/usr/sbin/pgbouncer", ["-d", ini], { quiet: true });
    running.push(() => {
      try {
        execFileSync("sh", ["-c", `kill $(cat ${bouncerDir}/pgbouncer.pid)`]);
      } catch {
        /* already gone */
      }
    });
    await new Promise((resolve) => setTimeout(resolve, 500));
    console.log(`[cluster] pgbouncer on ${ports.pgbouncer}`);

    // 4. Replication: a write on the primary reaches the standby; the probe routes reads there.
    await withClient(url(ports.primary, "postgres"), (c) => c.query(`CREATE TABLE cluster_probe (id int PRIMARY KEY, at timestamptz DEFAULT now()); INSERT INTO cluster_probe (id) VALUES (1)`));
    let seen = false;
    for (let i = 0; i < 50 && !seen; i++) {
      seen = await withClient(url(ports.replica, "postgres"), async (c) => (await c.query(`SELECT to_regclass('cluster_probe') IS NOT NULL AND EXISTS (SELECT 1 FROM cluster_probe) AS ok`)).rows[0].ok as boolean).catch(() => false);
      if (!seen) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    check("a write on the primary is replayed on the standby", seen);
    const refused = await withClient(url(ports.replica, "postgres"), (c) => c.query(`INSERT INTO cluster_probe (id) VALUES (2)`)).then(() => false, (e: Error) => /read-only/.test(e.message));
    check("the standby refuses writes", refused);
    const current = await probe();
    check("the replica probe finds the standby current", current.up && current.lagSeconds <= 1, `lag ${current.lagSeconds} s`);
    check("reads are routed to the replica", chooseTarget(current, 30).target === "replica");

    // 5. PgBouncer transaction mode keeps no session state across transactions.
    const leaked = await withClient(url(ports.pgbouncer, APP_ROLE), async (c) => {
      await c.query("BEGIN");
      await c.query(`SELECT set_config('zunyi.correction', 'on', true)`);
      const inside = (await c.query(`SELECT current_setting('zunyi.correction', true) AS v`)).rows[0].v;
      await c.query("COMMIT");
      const after = (await c.query(`SELECT current_setting('zunyi.correction', true) AS v`)).rows[0].v;
      return { inside, after };
    });
    check("set_config(..., true) holds inside the transaction only (through PgBouncer)", leaked.inside === "on" && leaked.after !== "on", JSON.stringify(leaked));
    const advisory = await withClient(url(ports.pgbouncer, APP_ROLE), async (c) => {
      await c.query("BEGIN");
      await c.query(`SELECT pg_advisory_xact_lock(7311, 1)`);
      await c.query("COMMIT");
      return (await c.query(`SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory'`)).rows[0].n as number;
    });
    check("the audit chain's advisory lock is released at commit (none left on pooled connections)", advisory === 0, `${advisory} held`);

    // 6. Two processes append to the audit chain through PgBouncer at once: one chain.
    const perWorker = 300;
    const startAt = Date.now() + 6_000;
    await Promise.all([runWorker("A", perWorker, startAt, url(ports.pgbouncer, APP_ROLE)), runWorker("B", perWorker, startAt, url(ports.pgbouncer, APP_ROLE))]);
    const chain = await withClient(url(ports.primary, "postgres"), async (c) =>
      (await c.query(`SELECT count(*)::int AS n, min(seq)::int AS lo, max(seq)::int AS hi, count(DISTINCT "prevHash")::int AS links FROM "AuditEvent"`)).rows[0],
    );
    check("two processes through PgBouncer: no gap, no fork", chain.n === 2 * perWorker && chain.lo === 1 && chain.hi === 2 * perWorker && chain.links === 2 * perWorker, JSON.stringify(chain));
    process.env.DATABASE_URL = url(ports.primary, "postgres");
    const [{ verifyAuditChain }, { createPrismaClient }] = await Promise.all([import("../../lib/audit/log"), import("../../lib/prisma-client")]);
    const verifier = createPrismaClient(url(ports.replica, "postgres"), 1);
    try {
      // Verified on the standby: the chain replicated intact.
      await new Promise((resolve) => setTimeout(resolve, 500));
      const verified = await verifyAuditChain(verifier);
      check("the audit chain verifies (on the standby)", verified.ok && verified.checked === 2 * perWorker, `${verified.checked} events`);
    } finally {
      await verifier.$disconnect();
    }

    // 7. Stop the standby: the probe reports it down and reads go to the primary.
    sh(`${PG_BIN}/pg_ctl`, ["-D", replicaDir, "-m", "fast", "-w", "stop"], { quiet: true });
    replicaRunning = false;
    const down = await probe();
    check("a stopped standby is reported down and reads fall back to the primary", !down.up && chooseTarget(down, 30).target === "primary", down.reason);
  } finally {
    for (const stop of running.reverse()) {
      try {
        stop();
      } catch (error) {
        console.error(`[cluster] teardown: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    if (!keep) rmSync(tmp, { recursive: true, force: true });
  }
  console.log(`[cluster] ${failures === 0 ? "all checks passed" : `${failures} check(s) failed`} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  process.exit(failures === 0 ? 0 : 1);
}

main().catch((error: unknown) => {
  console.error("[cluster]", error);
  process.exit(1);
});
