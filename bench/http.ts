// Benchmark: what a user feels, at the HTTP level (issue 21 §1). Signs in as the leader and as an
// owner unit and drives the pages and downloads with autocannon at 20 and 100 connections,
// recording req/s, p50/p95/p99, errors, the server's peak RSS and the load average.
//   npm run bench:http                       builds if needed, starts the production server on a fresh
//                                            database (demo data) on BENCH_DATABASE_URL's server, drops it after
//   npm run bench:http -- --quick            5 s per run, 20 connections only
//   (each page is first loaded 3 s at 4 connections to warm the JIT up; BENCH_WARMUP=0 skips it)
//   npm run bench:http -- --connections 20,100,200 --duration 30 --only /projects,/dashboard
//   DATABASE_URL=postgresql://postgres@127.0.0.1:5432/bench_dashboard npm run bench:http
//                                            the server on that database (its seed adds the demo overlay once,
//                                            so the demo accounts exist; served as that user with ALLOW_SUPERUSER=1)
//   BENCH_BASE_URL=http://host:3000 npm run bench:http    an already running server (RSS only with BENCH_SERVER_PID)
//   npm run bench:http -- --profile          no load: where one request's time goes (/projects, /dashboard): SQL
//                                            statements counted and timed from PostgreSQL's own log
//                                            (log_min_duration_statement = 0 on the bench database only, reset after;
//                                            BENCH_PG_LOG names the server's log file), sizes of HTML and RSC payload
// Prints a markdown table for bench/RESULTS.md and writes bench/results/http-<time>.json (gitignored).
// The server is started in its own process group and that group is killed at the end, on error and on Ctrl-C.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdirSync, openSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import pg from "pg";
import { Jar, request, signIn } from "../scripts/cluster/http";
import { loadAverage, runLoad, sampleRss, stopLoad, waitIdle, type LoadResult } from "../scripts/lib/load";
import { bins, repoRoot } from "../scripts/lib/proc";
import { DEMO_PASSWORD } from "../prisma/seed/demo-users";
import { appRoleUrl, ensureAppLoginRole } from "../tests/helpers/app-role";
import { adminUrl, benchUrl, withClient } from "./lib";
import { PG_LOG, profileRequests, type ProfileTarget } from "./http-profile";

const { values: args } = parseArgs({
  options: {
    quick: { type: "boolean", default: false },
    connections: { type: "string" },
    duration: { type: "string" },
    only: { type: "string" },
    port: { type: "string" },
    profile: { type: "boolean", default: false },
    runs: { type: "string" },
  },
});
const quick = args.quick;
const connectionsList = (args.connections ?? (quick ? "20" : "20,100")).split(",").map(Number);
const seconds = Number(args.duration ?? (quick ? 5 : 15));
if (connectionsList.some((c) => !Number.isInteger(c) || c < 1) || !(seconds > 0)) throw new Error("--connections takes positive integers (20,100), --duration seconds");

// Percent-encoded so no CJK literal sits in code: 污水 (sewage), a word many plan projects contain.
const SEARCH = "%E6%B1%A1%E6%B0%B4";
const COUNTY = "520382"; // 仁怀市, the owner unit's county

interface Target {
  name: string;
  as: "leader" | "owner";
  path: string;
  /** A bulk download: the server admits BULK_DOWNLOADS_PER_USER of them per user at once (docs/decisions/0040). */
  bulk?: true;
}

/** The server's per-user limit on concurrent bulk downloads (it inherits this process's environment). */
const BULK_PER_USER = Number(process.env.BULK_DOWNLOADS_PER_USER ?? 2);

function targets(projectId: string): Target[] {
  return [
    { name: "list, default", as: "leader", path: "/projects" },
    { name: "list, county", as: "leader", path: `/projects?county=${COUNTY}` },
    { name: "list, budget sort", as: "leader", path: "/projects?sort=plannedInvestment.desc" },
    { name: "list, search", as: "leader", path: `/projects?q=${SEARCH}` },
    { name: "project page", as: "leader", path: `/projects/${projectId}` },
    { name: "dashboard", as: "leader", path: "/dashboard" },
    { name: "delays", as: "leader", path: "/delays" },
    { name: "report", as: "leader", path: "/report" },
    { name: "export .xlsx", as: "leader", path: "/api/projects/export?format=xlsx", bulk: true },
    { name: "OC4IDS", as: "leader", path: "/api/oc4ids", bulk: true },
    { name: "list (owner unit)", as: "owner", path: "/projects" },
    { name: "OC4IDS (owner unit)", as: "owner", path: "/api/oc4ids", bulk: true },
  ];
}

let server: ChildProcess | null = null;
/** The database the server uses, to record its project count (null with BENCH_BASE_URL). */
let databaseUrl: string | null = null;
let dropDatabase: (() => Promise<void>) | null = null;

/** Kills the server's whole process group (start.ts → tsx → server.ts), TERM then KILL. */
async function stopServer(): Promise<void> {
  const child = server;
  server = null;
  if (!child?.pid) return;
  const group = -child.pid;
  const signal = (s: NodeJS.Signals | 0) => {
    try {
      process.kill(group, s);
      return true;
    } catch {
      return false; // already gone
    }
  };
  if (!signal("SIGTERM")) return;
  const until = Date.now() + 10_000;
  while (Date.now() < until) {
    await new Promise((r) => setTimeout(r, 200));
    if (!signal(0)) return;
  }
  signal("SIGKILL");
}

/** Undoes the statement logging of --profile. */
let resetLogging: (() => Promise<void>) | null = null;

async function cleanup(): Promise<void> {
  stopLoad();
  await stopServer();
  if (resetLogging) await resetLogging().catch((error: unknown) => console.error("[bench] could not reset log_min_duration_statement:", error));
  resetLogging = null;
  if (dropDatabase) await dropDatabase().catch((error: unknown) => console.error("[bench] could not drop the database:", error));
  dropDatabase = null;
}

for (const s of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
  process.once(s, () => {
    console.error(`[bench] ${s}: stopping the server`);
    void cleanup().finally(() => process.exit(130));
  });
}

async function waitForHealth(base: string, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    if (server && server.exitCode !== null) throw new Error(`the server exited (code ${server.exitCode}); see its log`);
    const ok = await fetch(`${base}/api/health`, { signal: AbortSignal.timeout(5_000) }).then((r) => r.ok, () => false);
    if (ok) return;
    if (Date.now() > until) throw new Error(`${base} did not answer within ${timeoutMs / 1000} s`);
    await new Promise((r) => setTimeout(r, 1_000));
  }
}

/** Starts `npm start` (scripts/start.ts: migrate, seed, build if stale, serve) on `env`; returns its base URL. */
async function startServer(env: NodeJS.ProcessEnv): Promise<string> {
  const port = args.port ?? process.env.PORT ?? String(3900 + Math.floor(Math.random() * 90));
  const logDir = path.join(repoRoot, "bench", "out");
  mkdirSync(logDir, { recursive: true });
  const logFile = path.join(logDir, "http-server.log");
  const log = openSync(logFile, "w");
  console.log(`[bench] starting the production server on port ${port} (log: ${path.relative(repoRoot, logFile)}; a build takes minutes)`);
  server = spawn(process.execPath, [path.join(repoRoot, "node_modules", bins.tsx), path.join("scripts", "start.ts")], {
    cwd: repoRoot,
    env: { ...env, PORT: port, NEXT_TELEMETRY_DISABLED: "1" },
    stdio: ["ignore", log, log],
    detached: true, // its own process group, killed whole at the end
  });
  const base = `http://127.0.0.1:${port}`;
  await waitForHealth(base, 20 * 60_000);
  return base;
}

/** The database for the server: DATABASE_URL as given, or a fresh one on BENCH_DATABASE_URL's server. */
async function serverEnv(): Promise<NodeJS.ProcessEnv> {
  const env = await databaseEnv();
  if (!args.profile) return env;
  // Every statement of the bench database in the server's log, from the app's first connection on;
  // no job worker, so the statements between two requests are the request's own.
  const name = new URL(databaseUrl!).pathname.slice(1);
  await withClient(adminUrl, (c) => c.query(`ALTER DATABASE "${name}" SET log_min_duration_statement = 0`));
  resetLogging = () => withClient(adminUrl, async (c) => void (await c.query(`ALTER DATABASE "${name}" RESET log_min_duration_statement`)));
  return { ...env, JOBS_WORKER: "0" };
}

async function databaseEnv(): Promise<NodeJS.ProcessEnv> {
  const given = process.env.DATABASE_URL?.trim();
  if (given) {
    console.log(`[bench] database: ${new URL(given).pathname.slice(1)} (DATABASE_URL)`);
    databaseUrl = given;
    return { ...process.env, DATABASE_OWNER_URL: process.env.DATABASE_OWNER_URL ?? given, ALLOW_SUPERUSER: process.env.ALLOW_SUPERUSER ?? "1" };
  }
  const name = `bench_http_${Date.now().toString(36)}`;
  await withClient(adminUrl, (c) => c.query(`CREATE DATABASE "${name}"`));
  const url = benchUrl(name);
  databaseUrl = url;
  dropDatabase = () => withClient(adminUrl, async (c) => void (await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)));
  // Served as a login role in zunyi_app, migrated and seeded as the owner, as production (docs/decisions/0009).
  await ensureAppLoginRole(url);
  console.log(`[bench] database: ${name} (fresh, demo data; dropped at the end)`);
  return { ...process.env, DATABASE_OWNER_URL: url, DATABASE_URL: appRoleUrl(url) };
}

async function projectCount(): Promise<number | null> {
  const url = databaseUrl;
  if (!url) return null;
  return withClient(url, async (c: pg.Client) => Number((await c.query(`SELECT count(*) FROM "Project"`)).rows[0].count)).catch(() => null);
}

async function cookieFor(base: string, username: string): Promise<string> {
  const jar = new Jar();
  const result = await signIn(base, jar, username, process.env.BENCH_PASSWORD ?? DEMO_PASSWORD);
  if (!result.ok) throw new Error(`could not sign in as ${username} (redirect to ${result.location})`);
  return jar.header();
}

async function main() {
  const startedAt = new Date();
  let base = process.env.BENCH_BASE_URL?.replace(/\/$/, "");
  let pid: number | null = process.env.BENCH_SERVER_PID ? Number(process.env.BENCH_SERVER_PID) : null;
  if (!base) {
    base = await startServer(await serverEnv());
    pid = server!.pid!;
  }
  const cookies = { leader: await cookieFor(base, "leader"), owner: await cookieFor(base, "owner.editor") };

  // One project the leader sees, for the project page (the read API accepts the session too).
  const first = await request(base, "/api/v1/projects?limit=1", new Jar(), { headers: { cookie: cookies.leader } });
  const projectId = (JSON.parse(first.body) as { data: { id: string }[] }).data[0]?.id;
  if (!projectId) throw new Error(`no project for the project page: /api/v1/projects answered ${first.status}`);

  if (args.profile) {
    if (process.env.BENCH_BASE_URL) throw new Error("--profile starts its own server (it sets statement logging on the database first)");
    const profiled: ProfileTarget[] = [
      { name: "list, default", path: "/projects", cookie: cookies.leader },
      { name: "list, owner unit", path: "/projects", cookie: cookies.owner },
      { name: "dashboard", path: "/dashboard", cookie: cookies.leader },
    ];
    const loadBefore = loadAverage();
    console.log(`[bench] profile (${PG_LOG}); load average before: ${loadBefore}`);
    const report = await profileRequests(base, new URL(databaseUrl!).pathname.slice(1), profiled, Number(args.runs ?? 5));
    console.log(report.markdown);
    console.log(`[bench] load average after: ${loadAverage()}`);
    writeResult(startedAt, { base, loadBefore, loadAfter: loadAverage(), projects: await projectCount(), profile: report.rows });
    return;
  }

  const only = args.only?.split(",");
  const list = targets(projectId).filter((t) => !only || only.some((o) => t.path === o || t.path.startsWith(o)));
  // Warm-up and a check: every target answers 200 to one request (a redirect to /login would bench the login page).
  for (const t of list) {
    const hit = await fetch(`${base}${t.path}`, { headers: { cookie: cookies[t.as] }, redirect: "manual", signal: AbortSignal.timeout(120_000) });
    await hit.arrayBuffer();
    if (hit.status !== 200) throw new Error(`${t.path} as ${t.as} answered ${hit.status} before the run`);
  }
  // Then a short load on each page, so the JIT has compiled the server's hot paths: otherwise the first
  // run is also a fresh process's warm-up (the default list, benched first: 23.9 req/s without this,
  // 32.8 with it, bench/RESULTS.md 2026-12-07 15:20-15:27).
  if (process.env.BENCH_WARMUP !== "0") {
    for (const t of list) {
      await waitIdle(pid);
      await runLoad(`${base}${t.path}`, t.bulk ? 1 : 4, 3, { cookie: cookies[t.as] });
    }
  }

  const loadBefore = loadAverage();
  console.log(`[bench] ${seconds} s per run at ${connectionsList.join(", ")} connections; ${os.cpus().length} CPUs; load average before: ${loadBefore}`);
  const rows: (LoadResult & Target & { peakRssMb: number | null })[] = [];
  const header = "| request | as | connections | req/s | p50 ms | p95 ms | p99 ms | errors / timeouts / non-2xx | body KB | peak RSS MB |";
  // Latencies are of the responses that completed within the run; requests still running when it ends are not counted.
  console.log(header);
  console.log("|---|---|---|---|---|---|---|---|---|---|");
  const ms = (v: number | null) => (v === null ? "-" : v.toFixed(0));
  // One user's bulk downloads run at the server's per-user limit: more would measure the 429s that refuse them.
  if (list.some((t) => t.bulk)) console.log(`[bench] bulk downloads (export, OC4IDS) run at no more than ${BULK_PER_USER} connections, the per-user limit`);
  for (const t of list) {
    for (const connections of [...new Set(connectionsList.map((c) => (t.bulk ? Math.min(c, BULK_PER_USER) : c)))]) {
      // Each run starts on an idle server: the previous run's abandoned requests are still being rendered.
      await waitIdle(pid);
      const peak = sampleRss(pid);
      const result = await runLoad(`${base}${t.path}`, connections, seconds, { cookie: cookies[t.as] });
      const row = { ...t, ...result, peakRssMb: peak() };
      rows.push(row);
      console.log(
        `| ${t.name} \`${t.path.length > 40 ? t.path.slice(0, 40) + "…" : t.path}\` | ${t.as} | ${connections} | ${row.reqPerSec.toFixed(1)} | ${ms(row.p50)} | ${ms(row.p95)} | ${ms(row.p99)} | ${row.errors} / ${row.timeouts} / ${row.non2xx} | ${row.bytes === null ? "-" : (row.bytes / 1024).toFixed(0)} | ${row.peakRssMb ?? "-"} |`,
      );
    }
  }
  const loadAfter = loadAverage();
  console.log(`[bench] load average after: ${loadAfter}`);

  writeResult(startedAt, { base, seconds, connections: connectionsList, loadBefore, loadAfter, projects: await projectCount(), rows });
}

/** bench/results/http[-profile]-<time>.json (gitignored: figures worth keeping go to bench/RESULTS.md). */
function writeResult(startedAt: Date, result: Record<string, unknown>): void {
  const outDir = path.join(repoRoot, "bench", "results");
  mkdirSync(outDir, { recursive: true });
  const file = path.join(outDir, `http${args.profile ? "-profile" : ""}-${startedAt.toISOString().replace(/[:.]/g, "-")}.json`);
  writeFileSync(file, JSON.stringify({ startedAt, cpus: os.cpus().length, ...result }, null, 2) + "\n");
  console.log(`[bench] wrote ${path.relative(repoRoot, file)}`);
}

main()
  .then(cleanup, async (error: unknown) => {
    console.error("[bench]", error instanceof Error ? error.message : error);
    await cleanup();
    process.exitCode = 1;
  });
