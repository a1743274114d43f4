// Benchmark: audited writes per second under concurrency (issue 21 item 3). N writers (1, 8, 32)
// approve monthly returns (reviewReturn) and edit registry fields (updateProjectRegistry) through
// the app's own command functions, audit chain included, for a fixed time each; then the chain
// verifier must find the chain intact with exactly one audit row per write. For reference it
// also times the same number of bare commits without audit (one UPDATE each) and runs
// pg_test_fsync, the physical rate of single-write fsyncs on this disk.
//   npm run bench:writes                 BENCH_WRITES_SECONDS=10 BENCH_WRITERS=1,8,32
// Runs on a fresh database on BENCH_DATABASE_URL's server (default the local PostgreSQL).
import "./server-only-shim";
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, readdirSync } from "node:fs";
import os from "node:os";
import pg from "pg";
import type { CurrentUser } from "../lib/auth/session";
import { withClient } from "./lib";

const SECONDS = Number(process.env.BENCH_WRITES_SECONDS ?? 10);
const WRITERS = (process.env.BENCH_WRITERS ?? "1,8,32").split(",").map(Number);
const MONTHS = 60; // 2021-01 … 2025-12: SUBMITTED returns waiting for approval, per project

function percentile(sorted: number[], p: number): number {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]! : NaN;
}

interface Run {
  kind: string;
  writers: number;
  writes: number;
  failures: number;
  seconds: number;
  p50: number;
  p95: number;
  /** CPU spent per write, in ms: this Node process and the PostgreSQL backends serving this database. */
  cpu?: { node: number; pg: number };
}

const CLOCK_TICKS = Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100;

/** CPU time (user + system, ms) of a process from /proc, or 0 once it has gone. */
function processCpuMs(pid: number): number {
  try {
    // Fields after the command name (which may hold spaces): utime and stime are the 12th and 13th.
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS;
  } catch {
    return 0;
  }
}

/**
 * CPU used by one run, whatever else the machine is doing: this process (process.cpuUsage) plus
 * the PostgreSQL backends connected to the bench database (/proc of each, PostgreSQL on this host).
 * Background writers (WAL writer, checkpointer) are shared with other databases and not counted.
 */
async function cpuMeter(url: string): Promise<(writes: number) => Promise<{ node: number; pg: number }>> {
  const backends = async () =>
    withClient(url, async (c) => (await c.query<{ pid: number }>(`SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()`)).rows.map((r) => r.pid));
  const start = new Map((await backends()).map((pid) => [pid, processCpuMs(pid)]));
  const node = process.cpuUsage();
  return async (writes) => {
    const used = process.cpuUsage(node);
    let pg = 0;
    for (const pid of await backends()) pg += processCpuMs(pid) - (start.get(pid) ?? 0);
    const per = Math.max(1, writes);
    return { node: (used.user + used.system) / 1000 / per, pg: pg / per };
  };
}

/** Runs `writers` loops for SECONDS, each calling next(w) until it returns false or the time is up. */
async function drive(kind: string, writers: number, write: (w: number) => Promise<boolean>): Promise<Run> {
  const samples: number[] = [];
  let failures = 0;
  const started = performance.now();
  const end = started + SECONDS * 1000;
  await Promise.all(
    Array.from({ length: writers }, async (_, w) => {
      while (performance.now() < end) {
        const t0 = performance.now();
        try {
          if (!(await write(w))) break;
          samples.push(performance.now() - t0);
        } catch (error) {
          failures += 1;
          if (failures <= 3) console.error(`[bench] ${kind} failed:`, error instanceof Error ? error.message : error);
        }
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  samples.sort((a, b) => a - b);
  return { kind, writers, writes: samples.length, failures, seconds, p50: percentile(samples, 50), p95: percentile(samples, 95) };
}

function pgTestFsync(): string {
  const bin = ["/usr/lib/postgresql"].flatMap((root) => (existsSync(root) ? readdirSync(root).map((v) => `${root}/${v}/bin/pg_test_fsync`) : [])).find((p) => existsSync(p));
  if (!bin) return "pg_test_fsync not found (Debian package postgresql-NN)";
  try {
    const out = execFileSync(bin, ["-s", "2", "-f", `${os.tmpdir()}/bench-writes-fsync.tmp`], { encoding: "utf8", timeout: 120_000 });
    const line = (label: RegExp) => out.split("\n").find((l) => label.test(l))?.trim().replace(/\s+/g, " ") ?? "?";
    return `${bin}: one 8kB write, ${line(/^\s*fdatasync\s/)} | open_datasync ${line(/^\s*open_datasync\s/).replace(/^open_datasync /, "")}`;
  } catch (error) {
    return `pg_test_fsync failed: ${error instanceof Error ? error.message : String(error)}`;
  }
}

async function main() {
  process.env.TEST_DATABASE_URL = process.env.BENCH_DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
  process.env.DATABASE_POOL_MAX = String(Math.max(...WRITERS) + 4);
  const { applyMigrations, createTestDatabase } = await import("../tests/helpers/test-database");
  const database = await createTestDatabase();
  try {
    await applyMigrations(database.url);
    process.env.DATABASE_URL = database.url;
    const { prisma } = await import("../lib/db");
    const { seedPlan } = await import("../prisma/seed/seed-plan");
    const { permissionsFor } = await import("../lib/auth/permissions");
    const { reviewReturn } = await import("../lib/returns/commands");
    const { updateProjectRegistry } = await import("../lib/data/project-registry");
    const { projectRegistryInput } = await import("../lib/validations/project");
    const { verifyAuditChain } = await import("../lib/audit/log");
    console.log("[bench] seeding the plan library ...");
    await seedPlan(prisma);

    // One review office and one owner unit for every project, so two users can write anywhere.
    const office = await prisma.organization.create({ data: { name: "基准审核办公室", kind: "COUNTY_DEPARTMENT", divisionCode: "520381" } });
    const owner = await prisma.organization.create({ data: { name: "基准项目单位", kind: "ENTERPRISE" } });
    await prisma.$executeRaw`UPDATE "Project" SET "reviewDivisionCode" = '520381', "ownerOrgId" = ${owner.id}::uuid`;
    const userOf = async (username: string, role: "COUNTY_REVIEWER" | "OWNER_EDITOR", org: { id: string; name: string; divisionCode: string | null }): Promise<CurrentUser> => {
      const user = await prisma.user.create({ data: { username, displayName: username, passwordHash: "x", organizationId: org.id, roles: { create: [{ role }] } } });
      return {
        id: user.id, username, displayName: username, organizationId: org.id, organizationName: org.name, divisionCode: org.divisionCode,
        roles: [role], permissions: permissionsFor([role]), sessionId: "bench", mfaPending: false, mustChangePassword: false, isDemo: false,
      };
    };
    const reviewer = await userOf("bench.reviewer", "COUNTY_REVIEWER", office);
    const editor = await userOf("bench.editor", "OWNER_EDITOR", owner);
    await prisma.$executeRawUnsafe(`
      INSERT INTO "MonthlyReturn" (id, "projectId", period, "completedInvestment", status, "submittedAt", "submittedById", version, "updatedAt")
      SELECT gen_random_uuid(), p.id, (date '2021-01-01' + make_interval(months => m))::date, 1, 'SUBMITTED', now(), '${editor.id}'::uuid, 1, now()
        FROM "Project" p CROSS JOIN generate_series(0, ${MONTHS - 1}) m`);
    const projects = await prisma.project.findMany({ orderBy: { id: "asc" }, select: { id: true } });
    const returns = await prisma.monthlyReturn.findMany({ where: { status: "SUBMITTED" }, orderBy: [{ projectId: "asc" }, { period: "asc" }], select: { id: true, projectId: true } });
    console.log(`[bench] ${projects.length} projects, ${returns.length} submitted returns`);

    const results: Run[] = [];
    const auditRows = async () => prisma.auditEvent.count();
    const expectRows = async (before: number, run: Run) => {
      const after = await auditRows();
      if (after - before !== run.writes) throw new Error(`${run.kind} × ${run.writers}: ${run.writes} writes but ${after - before} audit rows`);
    };

    for (const writers of WRITERS) {
      // Approvals: each writer owns every writers-th project, so two writers never approve months of one project at once.
      const queues = Array.from({ length: writers }, () => [] as string[]);
      const owned = new Map(projects.map((p, i) => [p.id, i % writers]));
      const pending = await prisma.monthlyReturn.findMany({ where: { status: "SUBMITTED" }, select: { id: true, projectId: true } });
      for (const r of pending) queues[owned.get(r.projectId)!]!.push(r.id);
      let before = await auditRows();
      let meter = await cpuMeter(database.url);
      const approvals = await drive("approve a monthly return", writers, async (w) => {
        const id = queues[w]!.pop();
        if (!id) return false;
        await reviewReturn(reviewer, { returnId: id, version: 1, decision: "approve", reason: null }, "127.0.0.1");
        return true;
      });
      approvals.cpu = await meter(approvals.writes);
      await expectRows(before, approvals);
      results.push(approvals);
      console.log(`[bench] ${approvals.kind} × ${writers}: ${(approvals.writes / approvals.seconds).toFixed(1)}/s, p95 ${approvals.p95.toFixed(1)} ms`);

      // Registry edits: plannedCompletion moves by a day on each edit, so every edit changes a field and is audited.
      const rows = await prisma.project.findMany({ orderBy: { id: "asc" } });
      // Each writer cycles through its own projects: an edit never races another writer's on one row.
      const mine = Array.from({ length: writers }, (_, w) => rows.filter((_, i) => i % writers === w).map((p) => ({ p, version: p.version, completion: p.plannedCompletion?.toISOString().slice(0, 10) ?? null })));
      const cursor = Array.from({ length: writers }, () => 0);
      before = await auditRows();
      meter = await cpuMeter(database.url);
      const edits = await drive("edit a project's registry fields", writers, async (w) => {
        const s = mine[w]![cursor[w]!++ % mine[w]!.length]!;
        s.completion = s.completion === "2027-06-30" ? "2027-07-01" : "2027-06-30";
        const total = s.p.totalInvestment?.toString() ?? null;
        const planned = s.p.plannedInvestment?.toString() ?? null;
        const input = projectRegistryInput.parse({
          projectId: s.p.id, version: s.version, projectCode: s.p.projectCode, projectType: s.p.projectType, nature: s.p.nature, lifecycleStage: s.p.lifecycleStage,
          plannedStart: "2021-01-01", plannedCompletion: s.completion, totalInvestment: total,
          plannedInvestment: planned !== null && total !== null && Number(planned) > Number(total) ? null : planned,
        });
        await updateProjectRegistry(editor, input, "127.0.0.1");
        s.version += 1;
        return true;
      });
      edits.cpu = await meter(edits.writes);
      await expectRows(before, edits);
      results.push(edits);
      console.log(`[bench] ${edits.kind} × ${writers}: ${(edits.writes / edits.seconds).toFixed(1)}/s, p95 ${edits.p95.toFixed(1)} ms`);
    }

    // The same number of commits without any audit: one UPDATE of a project row per transaction.
    for (const writers of WRITERS) {
      const clients = await Promise.all(Array.from({ length: writers }, async () => {
        const c = new pg.Client({ connectionString: database.url });
        await c.connect();
        return c;
      }));
      try {
        const meter = await cpuMeter(database.url);
        const bare = await drive("bare commit, no audit (UPDATE one project)", writers, async (w) => {
          const c = clients[w]!;
          await c.query("BEGIN");
          await c.query(`UPDATE "Project" SET "updatedAt" = now() WHERE id = $1`, [projects[(w * 7919 + Math.floor(Math.random() * 1000)) % projects.length]!.id]);
          await c.query("COMMIT");
          return true;
        });
        bare.cpu = await meter(bare.writes);
        results.push(bare);
        console.log(`[bench] ${bare.kind} × ${writers}: ${(bare.writes / bare.seconds).toFixed(1)}/s, p95 ${bare.p95.toFixed(1)} ms`);
      } finally {
        await Promise.all(clients.map((c) => c.end()));
      }
    }

    const verifyStarted = performance.now();
    const verification = await verifyAuditChain(prisma);
    const written = results.filter((r) => !r.kind.startsWith("bare")).reduce((n, r) => n + r.writes, 0);
    const total = await auditRows();
    console.log(`[bench] verifier: ${verification.ok ? "intact" : `BROKEN at ${verification.firstBrokenSeq}: ${verification.reason}`}, ${verification.checked} events in ${((performance.now() - verifyStarted) / 1000).toFixed(1)} s; ${written} audited writes, ${total} audit rows`);
    if (!verification.ok) throw new Error("the audit chain is broken");
    if (verification.checked !== total) throw new Error("the verifier did not check every row");
    const fsync = pgTestFsync();
    await prisma.$disconnect();

    const settings = await withClient(database.url, (c) => c.query<{ v: string }>(`SELECT current_setting('synchronous_commit') || ', wal_sync_method ' || current_setting('wal_sync_method') || ', commit_delay ' || current_setting('commit_delay') AS v`));
    console.log("");
    console.log(`## ${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC — audited writes per second (\`npm run bench:writes\`)`);
    console.log("");
    console.log(`Machine: ${os.cpus().length} cores, Node ${process.version}, PostgreSQL server (synchronous_commit ${settings.rows[0]!.v}); ${SECONDS} s per run; load average at the end ${os.loadavg().map((l) => l.toFixed(1)).join(" / ")}.`);
    console.log("");
    const cores = os.cpus().length;
    // The machine's ceiling for a write: all cores doing nothing else, divided by the CPU one write costs.
    console.log("| write | writers | writes | writes/s | p50 ms | p95 ms | failures | CPU ms per write: Node + PostgreSQL | ceiling on these cores, writes/s |");
    console.log("|---|---|---|---|---|---|---|---|---|");
    for (const r of results) {
      const cpu = r.cpu ? r.cpu.node + r.cpu.pg : 0;
      const split = r.cpu ? `${r.cpu.node.toFixed(2)} + ${r.cpu.pg.toFixed(2)} = ${cpu.toFixed(2)}` : "-";
      console.log(`| ${r.kind} | ${r.writers} | ${r.writes} | ${(r.writes / r.seconds).toFixed(1)} | ${r.p50.toFixed(1)} | ${r.p95.toFixed(1)} | ${r.failures} | ${split} | ${cpu ? ((cores * 1000) / cpu).toFixed(0) : "-"} |`);
    }
    console.log("");
    console.log(`Chain verified after the runs: ${verification.checked} events, intact; audit rows = audited writes + ${total - written} from the seed.`);
    console.log(`Physical reference: ${fsync}`);
  } finally {
    await database.drop();
  }
}

main().then(() => process.exit(0), (error) => {
  console.error(error);
  process.exit(1);
});
