// `npm run test:cluster`: the scale-out topology on loopback, under a temporary directory, from
// Debian's packages (postgresql-15, pgbouncer, nginx) and the project's own scripts
// (docs/decisions/0023-scale-out.md, docs/deployment.md):
//   PostgreSQL 15 primary → hot standby made with pg_basebackup (streaming, replication slot)
//   PgBouncer (transaction pooling) in front of the primary
//   two production app instances (one `next build`, two scripts/server.ts processes) on PgBouncer,
//   with the standby as DATABASE_REPLICA_URL
//   nginx round-robin in front of them (a non-daemon process with its own pid and logs)
// and asserts what the application relies on there:
//   - a write on the primary is visible on the standby, and the replica probe of lib/db-routing.ts
//     (LSN + replay timestamp) routes reads to it;
//   - no session state survives a transaction through PgBouncer (set_config(..., true) is local);
//   - two processes appending to the audit log through PgBouncer keep one chain that verifies
//     (the transaction-scoped advisory lock holds across pooled connections and processes);
//   - over HTTP through nginx: a sign-in on one instance continues on the other; a lockout is
//     counted across both; a return submitted through A is approved through B; the dashboard and
//     the delay review are served from the replica ("数据截至"); kill -9 of one instance under load:
//     nginx fails over and every acknowledged write (a sign-in's session row) is present; the
//     standby stopped: the dashboard and the .xlsx fall back to the primary with no error page;
//     the audit chain verifies at the end.
// Everything is torn down at the end, also on failure. `--bench` also measures /projects and
// /dashboard with autocannon, 1 vs 2 instances at 20 and 100 connections (bench/RESULTS.md).
// `--keep` leaves the temporary directory (and the logs in it).
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { createHash } from "node:crypto";
import { chmodSync, mkdirSync, mkdtempSync, openSync, rmSync, writeFileSync, appendFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { chooseTarget, lagFromFacts, type ReplicaProbe } from "../../lib/db-routing";
import { applyMigrations } from "../../tests/helpers/test-database";
import { appEnv, DEFAULT_PORTS, nginxConf, pgbouncerIni, primaryConf, primaryHba, replicaConf, SINGLE_NGINX_PORT } from "./config";
import { actionId, actionOutcome, callAction, Jar, request, signIn } from "./http";
import { bins, repoRoot, runBin } from "../lib/proc";
import { loadAverage, runLoad } from "../lib/load";
import { buildIfStale } from "../lib/build";
import { DEMO_PASSWORD, DEMO_USERS } from "../../prisma/seed/demo-users";
import { installJobSchema } from "../../lib/jobs/schema";
import { daySlot, hourSlot } from "../../lib/jobs/schedule";

const PG_BIN = process.env.PG_BIN ?? "/usr/lib/postgresql/15/bin";
const DATABASE = "zunyi";
const APP_ROLE = "zunyi_web";
const ports = DEFAULT_PORTS;
const asRoot = process.getuid?.() === 0;
const keep = process.argv.includes("--keep");
const bench = process.argv.includes("--bench");
const SECRET = "cluster-test-secret-cluster-test-secret-0123456789";
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

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

async function withClient<T>(url: string, fn: (client: pg.Client) => Promise<T>, config: pg.ClientConfig = {}): Promise<T> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2_000, ...config });
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

async function waitForHttp(target: string, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const ok = await fetch(target, { signal: AbortSignal.timeout(5_000) }).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    if (Date.now() > until) throw new Error(`${target} did not answer within ${timeoutMs / 1000} s`);
    await sleep(500);
  }
}

/** autocannon against /projects and /dashboard, signed in, at 20 and 100 connections (bench/RESULTS.md). */
async function runBench(cookie: string, targets: { instances: number; base: string }[]): Promise<void> {
  const duration = Number(process.env.BENCH_SECONDS ?? 15);
  console.log(`[bench] ${duration} s per run; load average before: ${loadAverage()}`);
  console.log("| page | connections | instances | req/s | p95 ms | p50 ms | errors+timeouts / non-2xx |");
  console.log("|---|---|---|---|---|---|---|");
  for (const pathname of ["/projects", "/dashboard"]) {
    for (const connections of [20, 100]) {
      for (const { instances, base } of targets) {
        const r = await runLoad(`${base}${pathname}`, connections, duration, { cookie });
        const ms = (v: number | null) => (v === null ? "-" : v.toFixed(0));
        console.log(`| ${pathname} | ${connections} | ${instances} | ${r.reqPerSec.toFixed(1)} | ${ms(r.p95)} | ${ms(r.p50)} | ${r.errors + r.timeouts} / ${r.non2xx} |`);
      }
    }
  }
  console.log(`[bench] load average after: ${loadAverage()}`);
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
    // Behind PgBouncer the role carries the statement timeout (docs/decisions/0044).
    await withClient(url(ports.primary, "postgres"), async (c) => {
      await c.query(`CREATE ROLE ${APP_ROLE} LOGIN IN ROLE zunyi_app`);
      await c.query(`ALTER ROLE ${APP_ROLE} SET statement_timeout = '30s'`);
    });
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
    writeFileSync(ini, pgbouncerIni({ port: ports.pgbouncer, primaryPort: ports.primary, database: DATABASE, dir: bouncerDir, authFile, poolSize: 12 }));
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
    // The app sends statement_timeout at start-up; PgBouncer must admit it, and the role's setting holds (docs/decisions/0044).
    const timeout = await withClient(
      url(ports.pgbouncer, APP_ROLE),
      async (c) => (await c.query(`SHOW statement_timeout`)).rows[0].statement_timeout as string,
      { statement_timeout: 30_000 },
    ).catch((error: unknown) => `refused: ${error instanceof Error ? error.message : String(error)}`);
    check("through PgBouncer the app role's statements are bounded (statement_timeout)", timeout === "30s", timeout);

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

    // 7. The app: one production build, two instances on PgBouncer with the standby as replica.
    const dataDir = path.join(tmp, "app");
    mkdirSync(dataDir);
    const ownerUrl = url(ports.primary, "postgres");
    const envOf = (port: number): NodeJS.ProcessEnv => ({
      ...process.env,
      ...appEnv({ port, pgbouncerPort: ports.pgbouncer, primaryPort: ports.primary, replicaPort: ports.replica, database: DATABASE, appRole: APP_ROLE, owner: "postgres", secret: SECRET, dataDir }),
      AUTH_TRUST_HOST: "true",
      NEXT_TELEMETRY_DISABLED: "1",
      SEED_DEMO: "1",
      DATABASE_POOL_MAX: "5",
    });
    const seedStarted = Date.now();
    // The job queue's schema, as the owner (as `npm start` and `npm run db -- deploy` do).
    await installJobSchema(ownerUrl);
    execFileSync(process.execPath, [path.join(repoRoot, "node_modules", bins.tsx), path.join("prisma", "seed.ts")], {
      cwd: repoRoot,
      env: { ...envOf(ports.apps[0]!), DATABASE_URL: ownerUrl },
      stdio: ["ignore", "ignore", "inherit"],
    });
    console.log(`[cluster] seeded (${((Date.now() - seedStarted) / 1000).toFixed(1)} s)`);
    await buildIfStale(async () => {
      console.log("[cluster] next build (the sources changed since the last build) ...");
      await runBin(bins.next, ["build"]);
    });
    const apps = new Map<number, ChildProcess>();
    const appsStarted = Date.now();
    for (const port of ports.apps) {
      const log = openSync(path.join(tmp, `app-${port}.log`), "a");
      // One process per instance (node --import tsx, not the tsx CLI, which would fork a child that a kill -9 leaves running).
      const child = spawn(process.execPath, ["--import", "tsx", path.join("scripts", "server.ts")], { cwd: repoRoot, env: envOf(port), stdio: ["ignore", log, log] });
      apps.set(port, child);
      running.push(() => {
        if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
      });
    }
    for (const port of ports.apps) await waitForHttp(`http://127.0.0.1:${port}/api/health`, 180_000);
    console.log(`[cluster] app instances on ${ports.apps.join(", ")} (${((Date.now() - appsStarted) / 1000).toFixed(1)} s)`);

    // 8. nginx round-robin in front (not a daemon: its own pid file and logs under the temp dir).
    const startNginx = (port: number, upstreams: number[], name: string) => {
      const dir = path.join(tmp, name);
      mkdirSync(dir);
      for (const sub of ["client_body", "proxy", "fastcgi", "uwsgi", "scgi"]) mkdirSync(path.join(dir, sub));
      if (asRoot) execFileSync("chown", ["-R", "postgres:postgres", dir]);
      writeFileSync(path.join(dir, "nginx.conf"), nginxConf({ port, apps: upstreams, dir }));
      const argv = ["-e", path.join(dir, "nginx-error.log"), "-p", dir, "-c", path.join(dir, "nginx.conf"), "-g", "daemon off;"];
      const child = asRoot ? spawn("runuser", ["-u", "postgres", "--", "/usr/sbin/nginx", ...argv], { stdio: "ignore" }) : spawn("/usr/sbin/nginx", argv, { stdio: "ignore" });
      running.push(() => {
        try {
          execFileSync("sh", ["-c", `kill $(cat ${dir}/nginx.pid)`]);
        } catch {
          child.kill("SIGTERM");
        }
      });
    };
    startNginx(ports.nginx, ports.apps, "nginx");
    const lb = `http://127.0.0.1:${ports.nginx}`;
    await waitForHttp(`${lb}/api/health`, 10_000);
    console.log(`[cluster] nginx on ${ports.nginx}`);
    const [portA, portB] = ports.apps as [number, number];
    const viaA = `http://127.0.0.1:${portA}`;
    const viaB = `http://127.0.0.1:${portB}`;
    const upstreamName = (u: string | null) => (u ?? "").split(",").pop()?.trim() ?? "";
    const asOfMark = /data-replica-as-of="\d+"/;

    // 9. Sign in once, continue on both instances; the heavy pages come from the replica.
    const leader = new Jar();
    const signedIn = await signIn(lb, leader, "leader", DEMO_PASSWORD);
    const served = new Set<string>();
    let allPages = true;
    for (let i = 0; i < 6; i++) {
      const page = await request(lb, "/dashboard", leader);
      served.add(upstreamName(page.upstream));
      if (page.status !== 200 || !page.body.includes("<h1")) allPages = false;
    }
    check("sign-in through nginx continues on both instances", signedIn.ok && allPages && served.size === 2, `served by ${[...served].join(" and ")}`);
    const dashboard = await request(lb, "/dashboard", leader);
    const delays = await request(lb, "/delays", leader);
    check("the dashboard and the delay review are served from the replica and say so (数据截至)", asOfMark.test(dashboard.body) && asOfMark.test(delays.body), `${dashboard.status}, ${delays.status}`);
    // The read API and the exports too, each saying how current it is (X-Data-As-Of).
    const replicaRoutes = ["/api/v1/projects?limit=5", "/api/v1/portfolio", "/api/v1/lights", "/api/oc4ids", "/api/projects/export?format=csv", "/api/report?month=2026-10"];
    const fromReplica = await Promise.all(replicaRoutes.map(async (route) => ({ route, hit: await request(lb, route, leader) })));
    check(
      "the read API, OC4IDS, the project export and the report .xlsx are read from the replica (X-Data-As-Of)",
      fromReplica.every(({ hit }) => hit.status === 200 && hit.dataAsOf !== null),
      fromReplica.map(({ route, hit }) => `${route} ${hit.status} ${hit.dataAsOf ?? "no X-Data-As-Of"}`).join("; "),
    );

    // 10. A lockout counted across both instances.
    const lockoutUpstreams = new Set<string>();
    for (let i = 0; i < 5; i++) {
      // A sign-in is two requests (csrf, callback), so plain round-robin would send every callback to
      // the same instance; one extra request before every other attempt alternates them.
      if (i % 2 === 1) await request(lb, "/api/health", new Jar());
      const attempt = await signIn(lb, new Jar(), "owner.viewer", `wrong-password-${i}`);
      lockoutUpstreams.add(upstreamName(attempt.upstreams[1] ?? null));
    }
    const afterLock = await signIn(lb, new Jar(), "owner.viewer", DEMO_PASSWORD);
    const locked = await withClient(ownerUrl, async (c) => (await c.query(`SELECT "lockedUntil" > now() AS locked FROM "User" WHERE username = 'owner.viewer'`)).rows[0]?.locked === true);
    check("5 wrong passwords over both instances lock the account", lockoutUpstreams.size === 2 && locked && !afterLock.ok, `failures served by ${[...lockoutUpstreams].join(" and ")}; locked ${locked}; right password afterwards ${afterLock.ok ? "accepted" : "refused"}`);

    // 11. A return submitted through A, approved through B (the server actions, called as the browser calls them).
    const thisMonth = `date_trunc('month', now() AT TIME ZONE 'Asia/Shanghai')::date`;
    const period = await withClient(ownerUrl, async (c) => (await c.query(`SELECT to_char(now() AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM') AS p`)).rows[0].p as string);
    // The project: owner.editor's organization files it, reviewer's office reviews it, no return yet
    // this month or later, and room under its 总投资 for the amount (lib/returns/rules.ts refuses a
    // cumulative above the total without an explanation, validation.return.aboveTotal). The amount is
    // 12.5 万元, or the remaining room when no project has that much; the check below names both.
    const wantedAmount = "12.5";
    const project = await withClient(ownerUrl, async (c) =>
      (
        await c.query(
          `WITH reported AS (
             SELECT "projectId", sum("completedInvestment") AS done FROM "MonthlyReturn" WHERE status IN ('SUBMITTED', 'APPROVED') GROUP BY "projectId"
           ), candidate AS (
             SELECT p.id, p."planKey", p."lifecycleStage", p."totalInvestment" AS total, COALESCE(r.done, 0) AS done,
                    p."totalInvestment" - COALESCE(r.done, 0) AS room
               FROM "Project" p
               JOIN "Organization" o ON o.id = p."ownerOrgId"
               LEFT JOIN reported r ON r."projectId" = p.id
              WHERE o.name = $1
                AND p."reviewDivisionCode" = (SELECT ro."divisionCode" FROM "User" u JOIN "Organization" ro ON ro.id = u."organizationId" WHERE u.username = $2)
                AND NOT EXISTS (SELECT 1 FROM "MonthlyReturn" m WHERE m."projectId" = p.id AND m.period >= ${thisMonth})
           )
           SELECT id, total::text AS total, done::text AS done, room::text AS room,
                  (CASE WHEN room IS NULL OR room >= $3::numeric THEN $3::numeric ELSE room END)::text AS amount
             FROM candidate
            WHERE room IS NULL OR room > 0
            ORDER BY room IS NOT NULL AND room >= $3::numeric DESC, room IS NOT NULL DESC, "lifecycleStage" = 'CONSTRUCTION' DESC, "planKey"
            LIMIT 1`,
          [DEMO_USERS.find((u) => u.username === "owner.editor")!.organization, "reviewer", wantedAmount],
        )
      ).rows[0] as { id: string; total: string | null; done: string; room: string | null; amount: string } | undefined,
    );
    const actionsFile = "app/(app)/projects/[id]/returns/[period]/actions.ts";
    let returnFlow = "no project of owner.editor's organization, reviewed by reviewer's office, without a return this month and with room under its total";
    let approved = false;
    let evidence = { ok: false, detail: "no return was submitted" };
    // A 1×1 PNG (the type is judged by its bytes) with a marker, so its digest is this run's.
    const evidenceBytes = new Uint8Array(Buffer.concat([Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==", "base64"), Buffer.from(`#cluster-${Date.now()}`)]));
    const evidenceSha = createHash("sha256").update(evidenceBytes).digest("hex");
    if (project) {
      const page = `/projects/${project.id}/returns/${period}`;
      const editor = new Jar();
      const reviewer = new Jar();
      const editorIn = await signIn(viaA, editor, "owner.editor", DEMO_PASSWORD);
      const submitted = await callAction(viaA, page, editor, actionId(repoRoot, actionsFile, "saveReturnAction"), {
        projectId: project.id,
        period,
        version: "0",
        intent: "submit",
        completedInvestment: project.amount,
        progressText: "cluster test",
      }, { attachments: [{ name: "现场照片-cluster.png", type: "image/png", bytes: evidenceBytes }] });
      const stored = async () =>
        withClient(ownerUrl, async (c) => (await c.query(`SELECT id, status, version FROM "MonthlyReturn" WHERE "projectId" = $1 AND period = ${thisMonth}`, [project.id])).rows[0] as { id: string; status: string; version: number } | undefined);
      const row = await stored();
      const reviewerIn = await signIn(viaB, reviewer, "reviewer", DEMO_PASSWORD);
      const reviewed = row ? await callAction(viaB, page, reviewer, actionId(repoRoot, actionsFile, "reviewReturnAction"), { returnId: row.id, version: String(row.version), decision: "approve", reason: "" }) : null;
      const after = await stored();
      // A server action answers 200 either way: read what it answered (its redirect or its refusal).
      const submitOutcome = actionOutcome(submitted);
      const reviewOutcome = reviewed ? actionOutcome(reviewed) : null;
      approved =
        editorIn.ok &&
        reviewerIn.ok &&
        row?.status === "SUBMITTED" &&
        after?.status === "APPROVED" &&
        !!submitOutcome.redirect?.endsWith("?done=submitted") &&
        !!reviewOutcome?.redirect?.endsWith("?done=approved");
      // The evidence uploaded through A (STORAGE_BACKEND=postgres) downloads through B, byte for byte.
      const attachment = row
        ? await withClient(ownerUrl, async (c) => (await c.query(`SELECT id, sha256 FROM "Attachment" WHERE "returnId" = $1`, [row.id])).rows as { id: string; sha256: string }[])
        : [];
      const chunkRows = await withClient(ownerUrl, async (c) => (await c.query(`SELECT count(*)::int AS n FROM "StoredObjectChunk"`)).rows[0].n as number);
      if (attachment.length === 1) {
        const download = await fetch(`${viaB}/api/attachments/${attachment[0]!.id}`, { headers: { cookie: reviewer.header() }, signal: AbortSignal.timeout(30_000) });
        const got = new Uint8Array(await download.arrayBuffer());
        const sha = createHash("sha256").update(got).digest("hex");
        evidence = {
          ok: download.status === 200 && sha === evidenceSha && attachment[0]!.sha256 === evidenceSha && chunkRows > 0,
          detail: `uploaded via A (${evidenceBytes.length} bytes, ${chunkRows} chunk row(s) in the database), downloaded via B → HTTP ${download.status}, ${got.length} bytes, sha256 ${sha === evidenceSha ? "equal" : "differs"}`,
        };
      } else evidence = { ok: false, detail: `${attachment.length} attachment rows on the return` };
      const said = (o: { redirect: string | null; refusal: string | null } | null) => (o ? (o.redirect ? `→ ${o.redirect}` : `refused ${o.refusal}`) : "not called");
      const figures = `${project.amount} 万元 on a project with total ${project.total ?? "none"}, ${project.done} reported, room ${project.room ?? "unbounded"}`;
      returnFlow = `${figures}; sign-ins ${editorIn.ok}/${reviewerIn.ok}; submit via A ${said(submitOutcome)}, ${row?.status ?? "no row"}; review via B ${said(reviewOutcome)}, ${after?.status ?? "no row"}`;
    }
    check("a return submitted through instance A is approved through instance B", approved, returnFlow);
    check("evidence uploaded through instance A downloads through instance B (PostgreSQL evidence store)", evidence.ok, evidence.detail);

    // 12. Optional: the measurement, 1 vs 2 instances (before one is killed).
    if (bench) {
      startNginx(SINGLE_NGINX_PORT, [portA], "nginx-single");
      await waitForHttp(`http://127.0.0.1:${SINGLE_NGINX_PORT}/api/health`, 10_000);
      await runBench(leader.header(), [
        { instances: 1, base: `http://127.0.0.1:${SINGLE_NGINX_PORT}` },
        { instances: 2, base: lb },
      ]);
    }

    // 12b. Both instances run the job worker (lib/jobs): the day's light recomputation and this
    // hour's checkpoint run once between them (graphile-worker's cron + the JobRun (job, slot) claim).
    const jobsDeadline = Date.now() + 130_000;
    type JobRow = { job: string; slot: string; outcome: string };
    let jobRows: JobRow[] = [];
    const wanted = () => [
      { job: "lights.recompute", slot: daySlot(new Date()) },
      { job: "audit.checkpoint", slot: hourSlot(new Date()) },
    ];
    for (;;) {
      jobRows = await withClient(ownerUrl, async (c) => (await c.query(`SELECT job, slot, outcome FROM "JobRun" WHERE job IN ('lights.recompute', 'audit.checkpoint')`)).rows as JobRow[]);
      const done = wanted().every((w) => jobRows.some((r) => r.job === w.job && r.slot === w.slot && r.outcome !== "running"));
      if (done || Date.now() > jobsDeadline) break;
      await sleep(2_000);
    }
    const once = wanted().every((w) => jobRows.filter((r) => r.job === w.job && r.slot === w.slot && (r.outcome === "ok" || r.outcome === "skipped")).length === 1);
    const lightRuns = jobRows.filter((r) => r.job === "lights.recompute").length;
    check("the day's light recomputation and the hourly checkpoint ran once across both instances", once && lightRuns === 1, JSON.stringify(jobRows));

    // 13. kill -9 of instance B under load: nginx fails over; every acknowledged write is present.
    const loadUntil = Date.now() + 12_000;
    const acknowledged: string[] = [];
    let sent = 0;
    let failedReadsAfterFailover = 0;
    let readsAfterFailover = 0;
    let killedAt = Infinity;
    const worker = async (w: number) => {
      for (let i = 0; Date.now() < loadUntil; i++) {
        const agent = `cluster-load-${w}-${i}`;
        sent++;
        try {
          const result = await signIn(lb, new Jar(), "leader", DEMO_PASSWORD, agent);
          if (result.ok) acknowledged.push(agent);
        } catch {
          /* not acknowledged: the client saw an error */
        }
        const startedAt = Date.now();
        const read = await request(lb, "/projects", leader).catch(() => null);
        if (startedAt > killedAt + 1_000) {
          readsAfterFailover++;
          if (read?.status !== 200) failedReadsAfterFailover++;
        }
      }
    };
    const killer = (async () => {
      await sleep(4_000);
      apps.get(portB)!.kill("SIGKILL");
      killedAt = Date.now();
    })();
    await Promise.all([killer, ...[0, 1, 2, 3].map(worker)]);
    const present = await withClient(ownerUrl, async (c) => (await c.query(`SELECT count(DISTINCT "userAgent")::int AS n FROM "Session" WHERE "userAgent" = ANY($1)`, [acknowledged])).rows[0].n as number);
    check("kill -9 of one instance under load: every acknowledged sign-in is stored", acknowledged.length > 0 && present === acknowledged.length, `${present}/${acknowledged.length} acknowledged of ${sent} sent`);
    check("after the kill, nginx serves every read from the survivor", readsAfterFailover > 0 && failedReadsAfterFailover === 0, `${failedReadsAfterFailover} of ${readsAfterFailover} reads failed`);

    // 14. Stop the standby: the probe reports it down and reads go to the primary, no error page.
    sh(`${PG_BIN}/pg_ctl`, ["-D", replicaDir, "-m", "fast", "-w", "stop"], { quiet: true });
    replicaRunning = false;
    const down = await probe();
    check("a stopped standby is reported down and reads fall back to the primary", !down.up && chooseTarget(down, 30).target === "primary", down.reason);
    const fallback = await request(lb, "/dashboard", leader);
    const fallbackReport = await request(lb, `/api/report?month=${period}`, leader);
    check(
      "with the standby stopped the dashboard and the .xlsx come from the primary (no error page)",
      fallback.status === 200 && fallback.body.includes("<h1") && !asOfMark.test(fallback.body) && fallbackReport.status === 200,
      `dashboard ${fallback.status}, report ${fallbackReport.status}`,
    );

    // 15. The audit chain of everything above verifies on the primary.
    const primaryClient = createPrismaClient(ownerUrl, 1);
    try {
      const total = await withClient(ownerUrl, async (c) => (await c.query(`SELECT count(*)::int AS n FROM "AuditEvent"`)).rows[0].n as number);
      const verified = await verifyAuditChain(primaryClient);
      check("the audit chain verifies at the end", verified.ok && verified.checked === total, `${verified.checked}/${total} events`);
    } finally {
      await primaryClient.$disconnect();
    }
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
