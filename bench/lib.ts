// What the benchmarks share: a connection per task, the synthetic database's lifecycle (reuse it
// when it holds enough projects, else drop, migrate and seed the plan), timing with percentiles,
// and the acting user (leadership: the whole library).
import pg from "pg";
import { permissionsFor } from "../lib/auth/permissions";
import type { CurrentUser } from "../lib/auth/session";
import { bins, runBin } from "../scripts/lib/proc";

export const adminUrl = process.env.BENCH_DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";

export async function withClient<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** The bench database's URL on the admin URL's server. */
/**
 * `prisma migrate deploy`, as `npm start` runs it: the bench databases are then ones the app can be
 * started on (`DATABASE_URL=…/bench_dashboard npm run bench:http`); applying the SQL files by hand
 * left no migration history, and `migrate deploy` at start refused the database (P3005).
 */
async function migrate(url: string): Promise<void> {
  await runBin(bins.prisma, ["migrate", "deploy"], { env: { ...process.env, DATABASE_URL: url }, stdio: ["ignore", "ignore", "inherit"] });
}

export function benchUrl(dbName: string): string {
  const url = new URL(adminUrl);
  url.pathname = `/${dbName}`;
  return url.toString();
}

/**
 * Reuses database `dbName` when it holds at least `projects` projects (unless --fresh); otherwise
 * recreates it with the migrations and the plan's library, then runs `load` to add the synthetic rows.
 */
export async function prepareBenchDatabase(dbName: string, projects: number, load: (client: pg.Client, url: string) => Promise<void>): Promise<string> {
  const url = benchUrl(dbName);
  const exists = await withClient(adminUrl, async (c) => (await c.query("SELECT 1 FROM pg_database WHERE datname = $1", [dbName])).rowCount === 1);
  if (exists && !process.argv.includes("--fresh")) {
    const count = await withClient(url, async (c) => Number((await c.query(`SELECT count(*) FROM "Project"`)).rows[0].count)).catch(() => 0);
    if (count >= projects) {
      console.log(`[bench] reusing ${dbName} with ${count} projects`);
      return url;
    }
  }
  await withClient(adminUrl, async (c) => {
    await c.query(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`);
    await c.query(`CREATE DATABASE "${dbName}"`);
  });
  await migrate(url);
  process.env.DATABASE_URL = url;
  const { createPrismaClient } = await import("../lib/prisma-client");
  const { seedPlan } = await import("../prisma/seed/seed-plan");
  const prisma = createPrismaClient(url, 2);
  await seedPlan(prisma);
  await prisma.$disconnect();
  const started = Date.now();
  await withClient(url, (client) => load(client, url));
  console.log(`[bench] loaded ${dbName} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return url;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/** p50 and p95 in ms of `runs` calls after `warmup` unmeasured ones. */
export async function timeRuns(fn: () => Promise<unknown>, runs: number, warmup = 2): Promise<{ p50: number; p95: number }> {
  for (let i = 0; i < warmup; i++) await fn();
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await fn();
    samples.push(performance.now() - t0);
  }
  samples.sort((a, b) => a - b);
  return { p50: percentile(samples, 50), p95: percentile(samples, 95) };
}

/** A leadership user who sees the whole library (not a database row: the data layer only reads its permissions). */
export const benchLeader: CurrentUser = {
  id: "00000000-0000-0000-0000-000000000000", username: "bench", displayName: "bench", organizationId: null, organizationName: null,
  divisionCode: null, roles: ["LEADERSHIP"], permissions: permissionsFor(["LEADERSHIP"]), sessionId: "bench", mfaPending: false, mustChangePassword: false, isDemo: false,
};

/**
 * The seeded demo library (plan + demo overlay, as `npm start` serves it) in database `dbName`:
 * reused when its demo overlay is applied (unless --fresh), else rebuilt with the migrations and the seed.
 */
export async function prepareDemoDatabase(dbName: string, today: Date = new Date()): Promise<string> {
  const url = benchUrl(dbName);
  const exists = await withClient(adminUrl, async (c) => (await c.query("SELECT 1 FROM pg_database WHERE datname = $1", [dbName])).rowCount === 1);
  if (exists && !process.argv.includes("--fresh")) {
    const seeded = await withClient(url, async (c) => (await c.query(`SELECT 1 FROM "SeedRun" WHERE id = 'demo'`)).rowCount === 1).catch(() => false);
    if (seeded) {
      console.log(`[bench] reusing ${dbName} (demo data)`);
      return url;
    }
  }
  await withClient(adminUrl, async (c) => {
    await c.query(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`);
    await c.query(`CREATE DATABASE "${dbName}"`);
  });
  await migrate(url);
  const { createPrismaClient } = await import("../lib/prisma-client");
  const { runSeed } = await import("../prisma/seed/run-seed");
  const prisma = createPrismaClient(url, 2);
  const started = Date.now();
  try {
    for (const line of await runSeed(prisma, { demo: true, today })) console.log(`[bench] ${line}`);
  } finally {
    await prisma.$disconnect();
  }
  console.log(`[bench] seeded ${dbName} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return url;
}
