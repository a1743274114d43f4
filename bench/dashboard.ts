// Benchmark: the leadership dashboard's queries on a synthetic 100,000-project library, beside
// hand-written SQL doing the same sums in the same run. Needs a PostgreSQL server:
// BENCH_DATABASE_URL, default postgresql://postgres@127.0.0.1:5432/postgres.
//   npm run bench:dashboard            (creates database bench_dashboard once, reuses it after)
//   npm run bench:dashboard -- --fresh (drops and rebuilds it)
// Writes nothing to bench/RESULTS.md itself: it prints a table to paste there.
import "./server-only-shim";
import os from "node:os";
import pg from "pg";
import { benchLeader, prepareBenchDatabase, timeRuns } from "./lib";

const PROJECTS = Number(process.env.BENCH_PROJECTS ?? 100_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 20);
const dbName = "bench_dashboard";
// Today: every reader (the project table too) judges as of today, so the benchmark does as well.
// The synthetic returns run to September 2026.
const NOW = new Date();

async function load(c: pg.Client) {
  // A bulk load as a DBA runs it: approved months get their funds after approval, which the
  // approved-return lock allows only with the correction setting on.
  await c.query(`SET zunyi.correction = 'on'`);
  // Synthetic projects with a mix of stages, plans, starts and completions, spread over columns, counties and owners.
  await c.query(`
    WITH src AS (SELECT row_number() OVER (ORDER BY "planKey") AS n, name, "columnId", "programmeId", "sectorCode", "targetStage2025" FROM "Project"),
         cnt AS (SELECT count(*) AS c FROM src),
         orgs AS (SELECT row_number() OVER (ORDER BY name) AS n, id FROM "Organization"),
         ocnt AS (SELECT count(*) AS c FROM orgs)
    INSERT INTO "Project" (id, "planId", name, "columnId", "programmeId", "sectorCode", "targetStage2025", "sourcePhrase",
                           "lifecycleStage", "plannedInvestment", "totalInvestment", "ownerOrgId", "plannedStart", "plannedCompletion",
                           "deliveryConfidence", "demoFields", "updatedAt")
    SELECT gen_random_uuid(), 'zunyi-14th-fyp-urbanization', src.name || '（合成' || g || '）', src."columnId", src."programmeId",
           src."sectorCode", src."targetStage2025", 'synthetic benchmark row',
           (ARRAY['PREPARATION','CONSTRUCTION','CONSTRUCTION','CONSTRUCTION','COMPLETED','SUSPENDED']::"LifecycleStage"[])[1 + g % 6],
           round((random() * 200000)::numeric, 2), round((200000 + random() * 200000)::numeric, 2),
           (SELECT id FROM orgs WHERE orgs.n = 1 + g % (SELECT c FROM ocnt)),
           DATE '2021-01-01' + (g % 2000), DATE '2024-06-01' + (g % 900),
           (ARRAY['GREEN','AMBER_GREEN','AMBER','AMBER_RED','RED']::"DeliveryConfidence"[])[1 + g % 5],
           ARRAY['synthetic'], now()
      FROM generate_series(1, ${PROJECTS}) AS g
      JOIN src ON src.n = 1 + g % (SELECT c FROM cnt)`);
  await c.query(`
    WITH d AS (SELECT row_number() OVER (ORDER BY code) AS n, code FROM "AdminDivision"), dc AS (SELECT count(*) AS c FROM d)
    INSERT INTO "ProjectLocation" ("projectId", "divisionCode")
    SELECT p.id, d.code FROM (SELECT id, row_number() OVER (ORDER BY id) AS n FROM "Project" WHERE "planKey" IS NULL) p
      JOIN d ON d.n = 1 + p.n % (SELECT c FROM dc)`);
  await c.query(`INSERT INTO "AnnualPlan" ("projectId", year, amount) SELECT id, 2026, round((1000 + random() * 20000)::numeric, 2) FROM "Project" WHERE "planKey" IS NULL AND "lifecycleStage" <> 'PREPARATION'`);
  await c.query(`INSERT INTO "ProjectFunding" ("projectId", "sourceCode", amount)
    SELECT p.id, f.code, round((random() * 50000)::numeric, 2) FROM "Project" p CROSS JOIN LATERAL (SELECT code FROM "FundingSource" ORDER BY random() LIMIT 2) f WHERE p."planKey" IS NULL`);
  await c.query(`INSERT INTO "Milestone" (id, "projectId", kind, "baselineDate", "forecastDate", "actualDate", status, "updatedAt")
    SELECT gen_random_uuid(), id, 'START', "plannedStart", NULL, CASE WHEN "lifecycleStage" <> 'PREPARATION' THEN "plannedStart" + (random() * 120)::int END, 'MET', now()
      FROM "Project" WHERE "planKey" IS NULL`);
  await c.query(`INSERT INTO "Milestone" (id, "projectId", kind, "baselineDate", "forecastDate", "actualDate", status, "updatedAt")
    SELECT gen_random_uuid(), id, 'ACCEPTANCE', "plannedCompletion", "plannedCompletion" + (random() * 200)::int,
           CASE WHEN "lifecycleStage" = 'COMPLETED' THEN "plannedCompletion" + (random() * 60)::int - 30 END, 'SCHEDULED', now()
      FROM "Project" WHERE "planKey" IS NULL`);
  // Approved returns January-September 2026 (the last one missing for every 7th project), plus 2025: 1.9M rows.
  await c.query(`
    INSERT INTO "MonthlyReturn" (id, "projectId", period, "completedInvestment", payments, status, "isDemo", "updatedAt")
    SELECT gen_random_uuid(), p.id, make_date(y, m, 1), round((random() * 1500)::numeric, 2), round((random() * 1200)::numeric, 2), 'APPROVED', true, now()
      FROM (SELECT id, row_number() OVER (ORDER BY id) AS n FROM "Project" WHERE "planKey" IS NULL AND "lifecycleStage" IN ('CONSTRUCTION', 'SUSPENDED', 'COMPLETED')) p
     CROSS JOIN generate_series(2025, 2026) AS y CROSS JOIN generate_series(1, 12) AS m
     WHERE make_date(y, m, 1) <= DATE '2026-09-01' AND NOT (y = 2026 AND m = 9 AND p.n % 7 = 0)`);
  await c.query(`INSERT INTO "ReturnFunding" ("returnId", "sourceCode", amount)
    SELECT r.id, pf."sourceCode", round((r."completedInvestment" * 0.9)::numeric, 2)
      FROM "MonthlyReturn" r JOIN LATERAL (SELECT "sourceCode" FROM "ProjectFunding" WHERE "projectId" = r."projectId" LIMIT 1) pf ON TRUE
     WHERE r.period >= DATE '2026-01-01'`);
  await c.query(`UPDATE "Project" p SET "completedInvestment" = s.total
    FROM (SELECT "projectId", sum("completedInvestment") AS total FROM "MonthlyReturn" WHERE status = 'APPROVED' GROUP BY 1) s
    WHERE s."projectId" = p.id`);
  // The steady state autovacuum keeps: the bulk UPDATE above left a dead copy of every row.
  await c.query("VACUUM ANALYZE");
}

async function main() {
  const url = new URL(await prepareBenchDatabase(dbName, PROJECTS, load));
  process.env.DATABASE_URL = url.toString();
  const portfolio = { ...(await import("../lib/portfolio/lights")), ...(await import("../lib/portfolio/dashboard")), ...(await import("../lib/portfolio/delays")) };
  const { listProjects } = await import("../lib/data/projects");
  const { parseProjectListParams } = await import("../lib/validations/project-list");
  const { prisma } = await import("../lib/db");
  const leader = benchLeader;
  const sql = new pg.Client({ connectionString: url.toString() });
  await sql.connect();
  const asOf = portfolio.reportingDay(NOW);
  const lines: string[] = [];
  const row = (name: string, app: { p50: number; p95: number }, base?: { p50: number; p95: number }) => {
    const line = `| ${name} | ${app.p50.toFixed(0)} | ${app.p95.toFixed(0)} | ${base ? base.p50.toFixed(0) : "—"} | ${base ? base.p95.toFixed(0) : "—"} | ${base ? `${(app.p95 / base.p95).toFixed(2)}×` : "—"} | ${app.p95 <= 1000 ? "yes" : "NO"} |`;
    console.log(line);
    lines.push(line);
  };

  // 1. Every light computed from scratch: the day's job (lights.recompute at 00:05, or
  //    lights_refresh at startup) runs exactly this function. --keep-lights skips it and reuses today's lights.
  const keep = process.argv.includes("--keep-lights");
  if (!keep) await sql.query(`DELETE FROM "ProjectLight"`);
  const t0 = performance.now();
  const refreshed = await portfolio.refreshTrafficLights(asOf);
  const fullRefresh = performance.now() - t0;
  // What autovacuum does after a rewrite this size (the app itself refreshes the statistics).
  await sql.query(`VACUUM "ProjectLight", "PortfolioFact", "PortfolioFactFunds"`);
  const lightCounts = (await sql.query(`SELECT light, count(*) FROM "ProjectLight" GROUP BY 1 ORDER BY 1`)).rows.map((r) => `${r.light} ${r.count}`).join(", ");
  console.log(`[bench] full refresh of ${refreshed} lights: ${(fullRefresh / 1000).toFixed(1)} s (${lightCounts})`);
  // From here the process reads as a server with a job worker does: no reader recomputes a light.
  portfolio.setLightsKeptByJobs(true);

  // 2. The dashboard with fresh lights, beside the same sums written by hand.
  const year = 2026;
  const baselineDashboard = async () => {
    // The hand-written equivalent: the same totals, breakdowns, funds and trend straight from the base tables.
    await sql.query(`SELECT count(*), sum(p."plannedInvestment"), sum(p."totalInvestment"), sum(p."completedInvestment"),
        sum(ap.amount) FILTER (WHERE ap.amount > 0 AND p."lifecycleStage" <> 'CANCELLED') FROM "Project" p LEFT JOIN "AnnualPlan" ap ON ap."projectId" = p.id AND ap.year = ${year}`);
    await sql.query(`SELECT sum(m."completedInvestment"), sum(m.payments) FROM "MonthlyReturn" m JOIN "AnnualPlan" ap ON ap."projectId" = m."projectId" AND ap.year = ${year} AND ap.amount > 0
        WHERE m.status = 'APPROVED' AND m.period >= '${year}-01-01' AND m.period < '${year + 1}-01-01'`);
    await sql.query(`SELECT f."sourceCode", sum(f.amount) FROM "ReturnFunding" f JOIN "MonthlyReturn" m ON m.id = f."returnId" WHERE m.status = 'APPROVED' AND m.period >= '${year}-01-01' GROUP BY 1`);
    await sql.query(`SELECT "sourceCode", sum(amount) FROM "ProjectFunding" GROUP BY 1`);
    await sql.query(`SELECT p."lifecycleStage", count(*) FROM "Project" p GROUP BY 1`);
    await sql.query(`SELECT c.number, count(*), sum(p."plannedInvestment"), sum(p."completedInvestment") FROM "Project" p JOIN "PlanColumn" c ON c.id = p."columnId" GROUP BY 1`);
    await sql.query(`SELECT l."divisionCode", count(*), sum(p."plannedInvestment"), sum(p."completedInvestment") FROM "Project" p JOIN "ProjectLocation" l ON l."projectId" = p.id GROUP BY 1`);
    await sql.query(`SELECT p."sectorCode", count(*), sum(p."plannedInvestment") FROM "Project" p GROUP BY 1`);
    await sql.query(`SELECT p."ownerOrgId", count(*), sum(p."plannedInvestment") FROM "Project" p GROUP BY 1 ORDER BY 3 DESC NULLS LAST LIMIT 20`);
    await sql.query(`SELECT period, sum("completedInvestment") FROM "MonthlyReturn" WHERE status = 'APPROVED' GROUP BY 1 ORDER BY 1`);
    await sql.query(`SELECT count(*) FILTER (WHERE p."plannedStart" BETWEEN '${year}-01-01' AND current_date),
        count(*) FILTER (WHERE p."plannedCompletion" BETWEEN '${year}-01-01' AND current_date) FROM "Project" p WHERE p."lifecycleStage" <> 'CANCELLED'`);
  };
  if (!process.argv.includes("--skip-dashboard")) {
    const dashboard = await timeRuns(() => portfolio.getDashboard(leader, NOW), RUNS);
    const baseline = await timeRuns(baselineDashboard, RUNS);
    row("dashboard (all figures, lights fresh)", dashboard, baseline);
  }

  // 3. The delay-review list and the project table filtered by light.
  const delays = await timeRuns(() => portfolio.listDelayReview(leader, {}, NOW), RUNS);
  const delaysSql = await timeRuns(() =>
    sql.query(`SELECT p.id, p.name, l.light, l.severity, l.reasons, o.name FROM "Project" p JOIN "ProjectLight" l ON l."projectId" = p.id
      LEFT JOIN "Organization" o ON o.id = p."ownerOrgId" WHERE l.light IN ('RED', 'YELLOW') ORDER BY l.light, l.severity DESC LIMIT 500`),
    RUNS,
  );
  row("delay review (500 worst)", delays, delaysSql);
  const parsed = parseProjectListParams({ light: "RED" });
  if (!parsed.ok) throw new Error("bad query");
  const table = await timeRuns(() => listProjects(leader, parsed.query), RUNS);
  const tableSql = await timeRuns(async () => {
    await sql.query(`SELECT p.* FROM "Project" p JOIN "ProjectLight" l ON l."projectId" = p.id WHERE l.light = 'RED' ORDER BY p."planKey" NULLS LAST, p.id LIMIT 50`);
    await sql.query(`SELECT count(*), sum(p."plannedInvestment") FROM "Project" p JOIN "ProjectLight" l ON l."projectId" = p.id WHERE l.light = 'RED'`);
  }, RUNS);
  row("project table, light=RED (first page + totals)", table, tableSql);

  // 4. After 1,000 returns changed at once (a bulk approval or an import; 1% of lights stale):
  //    the writes, then the lights_refresh job they enqueue (timed on its own), then the dashboard
  //    read, which recomputes nothing (docs/decisions/0032).
  const jobRuns: number[] = [];
  const readRuns: number[] = [];
  for (let i = 0; i < 5; i++) {
    await sql.query(`UPDATE "MonthlyReturn" SET payments = payments WHERE id IN (SELECT id FROM "MonthlyReturn" WHERE period = '2026-09-01' ORDER BY random() LIMIT 1000)`);
    let t = performance.now();
    const n = await portfolio.refreshTrafficLights(asOf, { onlyChanged: true });
    jobRuns.push(performance.now() - t);
    if (n < 1000) throw new Error(`the job recomputed ${n} lights, expected 1,000`);
    t = performance.now();
    await portfolio.getDashboard(leader, NOW);
    readRuns.push(performance.now() - t);
  }
  const p50p95 = (samples: number[]) => {
    const sorted = [...samples].sort((x, y) => x - y);
    return { p50: sorted[Math.floor(sorted.length / 2)]!, p95: sorted.at(-1)! };
  };
  row("dashboard after 1,000 returns changed (the read; the job ran before)", p50p95(readRuns));
  row("  the lights_refresh job for those 1,000 (5 runs: median, max)", p50p95(jobRuns));
  // One approval's own light, inside its transaction (what each approval now adds).
  const some = (await sql.query(`SELECT id FROM "Project" ORDER BY random() LIMIT ${RUNS}`)).rows.map((r: { id: string }) => r.id);
  let k = 0;
  const single = await timeRuns(() => prisma.$transaction((tx) => portfolio.refreshProjectLights(tx, [some[k++ % some.length]!], asOf)), RUNS);
  row("one project's light in its own transaction (added to an approval)", single);

  const header = [
    `## ${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC — dashboard, ${PROJECTS.toLocaleString("en")} projects, ${RUNS} runs each`,
    "",
    `Machine: ${os.cpus().length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}. Command: \`npm run bench:dashboard\`. Reporting day ${asOf.toISOString().slice(0, 10)}; load average ${os.loadavg().map((l) => l.toFixed(1)).join(" ")} (other work on the machine).`,
    `Full recomputation of every light (the day's job; here after \`DELETE FROM "ProjectLight"\`): ${(fullRefresh / 1000).toFixed(1)} s for ${refreshed.toLocaleString("en")} projects (${lightCounts}).`,
    "",
    "| case | app p50 ms | app p95 ms | SQL p50 ms | SQL p95 ms | app/SQL p95 | ≤ 1 s |",
    "|---|---|---|---|---|---|---|",
  ];
  console.log(`\n${[...header, ...lines].join("\n")}\n`);
  await sql.end();
  await prisma.$disconnect();
}

void main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
