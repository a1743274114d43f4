// Benchmark: the leadership dashboard's queries on a synthetic 100,000-project library, beside
// hand-written SQL doing the same sums in the same run. Needs a PostgreSQL server:
// BENCH_DATABASE_URL, default postgresql://postgres@127.0.0.1:5432/postgres.
//   npm run bench:dashboard            (creates database bench_dashboard once, reuses it after)
//   npm run bench:dashboard -- --fresh (drops and rebuilds it)
// Writes nothing to bench/RESULTS.md itself: it prints a table to paste there.
import "./server-only-shim";
import os from "node:os";
import pg from "pg";
import { copyRows, libraryShape, money, onConnections, seededRandom, seededUuid, withIndexesDeferred } from "./bulk-load";
import { benchLeader, prepareBenchDatabase, timeRuns } from "./lib";

const PROJECTS = Number(process.env.BENCH_PROJECTS ?? 100_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 20);
const dbName = "bench_dashboard";
// Today: every reader (the project table too) judges as of today, so the benchmark does as well.
// The synthetic returns run to September 2026.
const NOW = new Date();

/** The seed of the synthetic library: the same projects, amounts and ids on every load. */
const SEED = 20_210_102;
const DAY = 86_400_000;
const STAGES = ["PREPARATION", "CONSTRUCTION", "CONSTRUCTION", "CONSTRUCTION", "COMPLETED", "SUSPENDED"] as const;
const CONFIDENCE = ["GREEN", "AMBER_GREEN", "AMBER", "AMBER_RED", "RED"] as const;
/** The months with returns: January 2025 to September 2026 (the synthetic returns run to September 2026). */
const MONTHS = Array.from({ length: 21 }, (_, i) => ({ year: 2025 + Math.floor(i / 12), month: 1 + (i % 12) }));
const isoDate = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

async function load(c: pg.Client, url: string) {
  const { plan, orgs, divisions, sources } = await libraryShape(c);
  const nextId = seededRandom(SEED);
  const ids = Array.from({ length: PROJECTS }, () => seededUuid(nextId));
  const stageOf = (g: number) => STAGES[g % STAGES.length]!;
  // Projects under way, suspended or done report (all but PREPARATION: g % 6 = 0); n is a
  // reporting project's place among them, 1-based.
  const reports = (g: number) => stageOf(g) !== "PREPARATION";
  const ordinal = (g: number) => g - Math.floor(g / STAGES.length);
  // Project g's returns (cents of completed investment and payments per month), drawn from its own
  // seed: the project row carries their sum (no UPDATE afterwards) and the returns pass draws them
  // again. Every 7th reporting project has not yet returned September 2026.
  const returnsOf = (g: number) => {
    const random = seededRandom(SEED + g);
    const n = ordinal(g);
    return MONTHS.filter((m) => !(m.year === 2026 && m.month === 9 && n % 7 === 0)).map((m) => ({ ...m, done: Math.round(random() * 150_000), paid: Math.round(random() * 120_000) }));
  };
  // Two distinct funding sources per project, the first also funding each 2026 return.
  const fundingOf = (g: number): [string, string] => {
    const first = g % sources.length;
    return [sources[first]!, sources[(first + 1 + (g % (sources.length - 1))) % sources.length]!];
  };
  const now = new Date().toISOString();
  const base2021 = Date.UTC(2021, 0, 1);
  const base2024 = Date.UTC(2024, 5, 1);
  const range = function* () {
    for (let g = 1; g <= PROJECTS; g++) yield g;
  };
  // Each table draws from a seed of its own: the tables are written two at a time, in no fixed order.
  const per = (name: string, columns: string[], rows: (random: () => number) => Iterable<(string | number | null)[]>, seed: number) => (client: pg.Client) =>
    copyRows(client, name, columns, rows(seededRandom(seed)));
  const projectTables: [string, (client: pg.Client) => Promise<number>][] = [
    ["Project", per("Project",
      ["id", "planId", "name", "columnId", "programmeId", "sectorCode", "targetStage2025", "sourcePhrase", "lifecycleStage", "plannedInvestment", "totalInvestment",
        "completedInvestment", "ownerOrgId", "plannedStart", "plannedCompletion", "deliveryConfidence", "demoFields", "updatedAt"],
      function* (random) {
        for (const g of range()) {
          const src = plan[g % plan.length]!;
          const done = reports(g) ? returnsOf(g).reduce((sum, r) => sum + r.done, 0) / 100 : 0;
          yield [
            ids[g - 1]!, "zunyi-14th-fyp-urbanization", `${src.name}（合成${g}）`, src.columnId, src.programmeId, src.sectorCode, src.targetStage2025,
            "synthetic benchmark row", stageOf(g), money(random() * 200_000), money(200_000 + random() * 200_000), money(done), orgs[g % orgs.length]!,
            isoDate(base2021 + (g % 2000) * DAY), isoDate(base2024 + (g % 900) * DAY), CONFIDENCE[g % CONFIDENCE.length]!, "{synthetic}", now,
          ];
        }
      }, SEED - 1)],
    ["ProjectLocation", per("ProjectLocation", ["projectId", "divisionCode"], function* () {
      for (const g of range()) yield [ids[g - 1]!, divisions[g % divisions.length]!];
    }, SEED - 2)],
    ["AnnualPlan", per("AnnualPlan", ["projectId", "year", "amount"], function* (random) {
      for (const g of range()) if (reports(g)) yield [ids[g - 1]!, 2026, money(1000 + random() * 20_000)];
    }, SEED - 3)],
    ["ProjectFunding", per("ProjectFunding", ["projectId", "sourceCode", "amount"], function* (random) {
      for (const g of range()) for (const code of fundingOf(g)) yield [ids[g - 1]!, code, money(random() * 50_000)];
    }, SEED - 4)],
    ["Milestone", per("Milestone", ["id", "projectId", "kind", "baselineDate", "forecastDate", "actualDate", "status", "updatedAt"], function* (random) {
      for (const g of range()) {
        const start = base2021 + (g % 2000) * DAY;
        const completion = base2024 + (g % 900) * DAY;
        const started = reports(g) ? isoDate(start + Math.floor(random() * 120) * DAY) : null;
        yield [seededUuid(random), ids[g - 1]!, "START", isoDate(start), null, started, "MET", now];
        const accepted = stageOf(g) === "COMPLETED" ? isoDate(completion + (Math.floor(random() * 60) - 30) * DAY) : null;
        yield [seededUuid(random), ids[g - 1]!, "ACCEPTANCE", isoDate(completion), isoDate(completion + Math.floor(random() * 200) * DAY), accepted, "SCHEDULED", now];
      }
    }, SEED - 5)],
  ];
  // A bulk load as a DBA runs it: approved months get their funds after approval, which the
  // approved-return lock allows only with the correction setting on.
  const correction = async (client: pg.Client) => void (await client.query(`SET zunyi.correction = 'on'`));
  await withIndexesDeferred(c, ["Project", "ProjectLocation", "AnnualPlan", "ProjectFunding", "Milestone", "MonthlyReturn", "ReturnFunding"], async () => {
    let started = Date.now();
    await onConnections(url, 2, projectTables, async (client, [, copy]) => void (await copy(client)));
    console.log(`[bench] ${PROJECTS} projects with counties, plans, funding and milestones copied in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    // Approved returns January 2025 to September 2026 for the projects under way, suspended or done
    // (~17M at 1M projects), with 2026's funds: a chunk of 50k projects per COPY statement keeps
    // each statement's transition tables (the rollup triggers) a manageable size; two chunks at a time.
    started = Date.now();
    let returns = 0;
    let funds = 0;
    const chunks = Array.from({ length: Math.ceil(PROJECTS / 50_000) }, (_, i) => i);
    await onConnections(url, 2, chunks, async (client, chunk) => {
      const from = 1 + chunk * 50_000;
      const to = Math.min(from + 50_000, PROJECTS + 1);
      const nextReturnId = seededRandom(SEED + 1_000_000_000 + chunk);
      const funding: (string | number)[][] = [];
      // (Counted after the await: `returns += await …` would add to a total read before another connection's chunk.)
      const copied = await copyRows(client, "MonthlyReturn", ["id", "projectId", "period", "completedInvestment", "payments", "status", "isDemo", "updatedAt"], (function* () {
        for (let g = from; g < to; g++) {
          if (!reports(g)) continue;
          const source = fundingOf(g)[0];
          for (const r of returnsOf(g)) {
            const id = seededUuid(nextReturnId);
            if (r.year === 2026) funding.push([id, source, money(Math.round(r.done * 0.9) / 100)]);
            yield [id, ids[g - 1]!, `${r.year}-${String(r.month).padStart(2, "0")}-01`, money(r.done / 100), money(r.paid / 100), "APPROVED", "t", now];
          }
        }
      })());
      const copiedFunds = await copyRows(client, "ReturnFunding", ["returnId", "sourceCode", "amount"], funding);
      returns += copied;
      funds += copiedFunds;
    }, correction);
    console.log(`[bench] ${returns} monthly returns and ${funds} of their funds copied in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  });
  // Statistics and the visibility map (index-only scans), as autovacuum would leave them.
  const started = Date.now();
  await c.query("VACUUM ANALYZE");
  console.log(`[bench] VACUUM ANALYZE in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

async function main() {
  const url = new URL(await prepareBenchDatabase(dbName, PROJECTS, load));
  process.env.DATABASE_URL = url.toString();
  const portfolio = { ...(await import("../lib/portfolio/lights")), ...(await import("../lib/portfolio/dashboard")), ...(await import("../lib/portfolio/delays")) };
  const { listProjectPage, COUNT_CAP } = await import("../lib/data/projects");
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
  // The same figures by hand from the sums the database keeps (PortfolioRollup, docs/decisions/0046):
  // every dimension's sums, the funds by source and the trend.
  const rollupBaseline = async () => {
    await sql.query(`SELECT dim, key, sum(count), sum(planned), sum(total), sum(completed), sum("dueToStart"), sum(started), sum("dueToComplete"), sum("onTime"),
        sum("completionDateUnknown"), sum("inAnnualPlan"), sum("withoutFunds"), sum("annualPlan"), sum("completedThisYear"), sum(funds), sum("evWithPayments"),
        sum(payments), sum("confidenceFlagged"), sum(red), sum(yellow) FROM "PortfolioRollup" GROUP BY 1, 2 HAVING sum(count) > 0`);
    await sql.query(`SELECT kind, "sourceCode", sum(amount) FROM "PortfolioFundsRollup" GROUP BY 1, 2`);
    await sql.query(`SELECT period, completed FROM "PortfolioMonth" ORDER BY period`);
  };
  if (!process.argv.includes("--skip-dashboard")) {
    // Computed: the aggregate cache (docs/decisions/0039) forgotten before every run, as after any write.
    const { clearAggregateCache } = await import("../lib/cache/aggregates");
    const dashboard = await timeRuns(() => {
      clearAggregateCache();
      return portfolio.getDashboard(leader, NOW);
    }, RUNS);
    row("dashboard (all figures, lights fresh, computed from the rollup)", dashboard, await timeRuns(rollupBaseline, RUNS));
    // The same figures summed from the facts themselves (what every view did before the rollup), and
    // a check that both give the same dashboard at this size.
    const live = await timeRuns(() => portfolio.getDashboard(leader, NOW, undefined, undefined, {}, "live"), RUNS);
    const baseline = await timeRuns(baselineDashboard, RUNS);
    row("dashboard (the same, summed from the facts)", live, baseline);
    clearAggregateCache();
    const [kept, fromFacts] = [await portfolio.getDashboard(leader, NOW), await portfolio.getDashboard(leader, NOW, undefined, undefined, {}, "live")];
    const same = JSON.stringify(kept) === JSON.stringify(fromFacts);
    console.log(`[bench] the rollup's dashboard ${same ? "equals" : "DIFFERS FROM"} the one summed from the facts`);
    if (!same) process.exitCode = 1;
    // Served from the cache: the same data version, as every reader between two writes.
    row("dashboard (the same, from the aggregate cache)", await timeRuns(() => portfolio.getDashboard(leader, NOW), RUNS), baseline);
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
  // The table's page: a set of more than COUNT_CAP is counted up to it, not summed (docs/decisions/0043).
  const table = await timeRuns(() => listProjectPage(leader, parsed.query), RUNS);
  const tableSql = await timeRuns(async () => {
    await sql.query(`SELECT p.* FROM "Project" p JOIN "ProjectLight" l ON l."projectId" = p.id WHERE l.light = 'RED' ORDER BY p."planKey" NULLS LAST, p.id LIMIT 50`);
    await sql.query(`SELECT count(*), sum(f."plannedInvestment") FROM (SELECT p."plannedInvestment" FROM "Project" p JOIN "ProjectLight" l ON l."projectId" = p.id WHERE l.light = 'RED' LIMIT ${COUNT_CAP + 1}) f`);
  }, RUNS);
  row("project table, light=RED (first page + count up to the cap)", table, tableSql);

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
