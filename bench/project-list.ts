// Benchmark: the project library list query on a synthetic 100,000-project library, beside the
// equivalent hand-written SQL in the same run. Needs a PostgreSQL server (embedded PGlite is not
// for load): BENCH_DATABASE_URL, default postgresql://postgres@127.0.0.1:5432/postgres.
//   npm run bench:projects            (creates database bench_projects once, reuses it after)
//   npm run bench:projects -- --fresh (drops and rebuilds it)
import "./server-only-shim";
import { writeFileSync, readFileSync, existsSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { copyRows, libraryShape, money, seededRandom, seededUuid, withIndexesDeferred } from "./bulk-load";
import { benchLeader, prepareBenchDatabase, timeRuns, withClient } from "./lib";

const PROJECTS = Number(process.env.BENCH_PROJECTS ?? 100_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 40);
const dbName = "bench_projects";

/** The seed of the synthetic library: the same projects, amounts and ids on every load. */
const SEED = 20_210_101;

async function load(c: pg.Client) {
  const { plan, orgs, divisions } = await libraryShape(c);
  const nextId = seededRandom(SEED);
  const ids = Array.from({ length: PROJECTS }, () => seededUuid(nextId));
  // Project g's twelve approved returns of 2025, in cents: drawn from its own seed, so the project
  // row can carry their sum (no 1M-row UPDATE afterwards) and the returns pass draws them again.
  const returnCents = (g: number): number[] => {
    const random = seededRandom(SEED + g);
    return Array.from({ length: 12 }, () => Math.round(random() * 100_000));
  };
  const now = new Date().toISOString();
  await withIndexesDeferred(c, ["Project", "ProjectLocation", "MonthlyReturn"], async () => {
    let started = Date.now();
    // Synthetic projects: the plan's names with a serial, spread over columns, counties and owners.
    const projects = await copyRows(
      c,
      "Project",
      ["id", "planId", "name", "columnId", "programmeId", "sectorCode", "targetStage2025", "sourcePhrase", "lifecycleStage", "plannedInvestment", "totalInvestment", "completedInvestment", "ownerOrgId", "demoFields", "updatedAt"],
      (function* () {
        const random = seededRandom(SEED - 1);
        for (let g = 1; g <= PROJECTS; g++) {
          const src = plan[g % plan.length]!;
          const planned = random() * 200_000;
          const total = random() * 400_000;
          yield [
            ids[g - 1]!, "zunyi-14th-fyp-urbanization", `${src.name}（合成${g}）`, src.columnId, src.programmeId, src.sectorCode, src.targetStage2025,
            "synthetic benchmark row", (["PREPARATION", "CONSTRUCTION", "COMPLETED"] as const)[g % 3]!, g % 17 === 0 ? null : money(planned), money(total),
            money(returnCents(g).reduce((a, b) => a + b, 0) / 100), orgs[g % orgs.length]!, "{synthetic}", now,
          ];
        }
      })(),
    );
    await copyRows(c, "ProjectLocation", ["projectId", "divisionCode"], (function* () {
      for (let g = 1; g <= PROJECTS; g++) yield [ids[g - 1]!, divisions[g % divisions.length]!];
    })());
    console.log(`[bench] ${projects} projects and their counties copied in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    // Twelve approved monthly returns per project (12 per project: 12M at 1M) so completed-investment
    // totals are real work; a COPY statement per 100k projects keeps each statement's transition
    // tables (the rollup triggers) a manageable size.
    started = Date.now();
    let returns = 0;
    const nextReturnId = seededRandom(SEED + 1);
    for (let from = 1; from <= PROJECTS; from += 100_000) {
      returns += await copyRows(c, "MonthlyReturn", ["id", "projectId", "period", "completedInvestment", "status", "isDemo", "updatedAt"], (function* () {
        for (let g = from; g < Math.min(from + 100_000, PROJECTS + 1); g++) {
          const cents = returnCents(g);
          for (let m = 1; m <= 12; m++) yield [seededUuid(nextReturnId), ids[g - 1]!, `2025-${String(m).padStart(2, "0")}-01`, money(cents[m - 1]! / 100), "APPROVED", "t", now];
        }
      })());
    }
    console.log(`[bench] ${returns} monthly returns copied in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  });
  // Statistics and the visibility map (index-only scans), as autovacuum would leave them.
  const started = Date.now();
  await c.query("VACUUM ANALYZE");
  console.log(`[bench] VACUUM ANALYZE in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

async function main() {
  const url = new URL(await prepareBenchDatabase(dbName, PROJECTS, load));
  process.env.DATABASE_URL = url.toString();
  const { listProjectPage, COUNT_CAP, WALK_LIMIT } = await import("../lib/data/projects");
  const { parseProjectListParams } = await import("../lib/validations/project-list");
  const { prisma } = await import("../lib/db");
  const leader = benchLeader;
  const sqlClient = new pg.Client({ connectionString: url.toString() });
  await sqlClient.connect();

  // Each case: the table's query (listProjectPage: one page of rows with their relations, the count
  // and sums of the filtered set, counted up to COUNT_CAP unless `totals=exact`, docs/decisions/0043)
  // and the same output written by hand in SQL, reading the same rollup where the app does.
  const countyColumn = `c.number = 9 AND EXISTS (SELECT 1 FROM "ProjectLocation" l WHERE l."projectId" = p.id AND l."divisionCode" = '520382')`;
  const planOrder = `p."planKey" ASC NULLS LAST, p.id`;
  const cases: { name: string; params: Record<string, string>; where: string; order: string }[] = [
    { name: "default sort (规划编号)", params: {}, where: "TRUE", order: planOrder },
    { name: "county + column filter", params: { county: "520382", column: "9" }, where: countyColumn, order: planOrder },
    { name: "search 变电站", params: { q: "变电站" }, where: `p.name ILIKE '%变电站%'`, order: planOrder },
    { name: "sort by budget desc", params: { sort: "plannedInvestment.desc" }, where: "TRUE", order: `p."plannedInvestment" DESC NULLS LAST, p.id` },
    { name: "stage 在建 (a third of the library)", params: { stage: "CONSTRUCTION" }, where: `p."lifecycleStage" = 'CONSTRUCTION'`, order: planOrder },
    { name: "county + column, exact totals asked", params: { county: "520382", column: "9", totals: "exact" }, where: countyColumn, order: planOrder },
    // Deep pages: past the cap's rows a filtered set's page is found by a bounded walk of the sort's
    // index, else the set is fenced and counted; the whole library pays OFFSET (no keyset pages).
    { name: "search 变电站, page 100", params: { q: "变电站", page: "100" }, where: `p.name ILIKE '%变电站%'`, order: planOrder },
    { name: "search 变电站, page 1000 (past its end)", params: { q: "变电站", page: "1000" }, where: `p.name ILIKE '%变电站%'`, order: planOrder },
    { name: "stage 在建, page 100", params: { stage: "CONSTRUCTION", page: "100" }, where: `p."lifecycleStage" = 'CONSTRUCTION'`, order: planOrder },
    { name: "whole library, page 1000", params: { page: "1000" }, where: "TRUE", order: planOrder },
  ];
  const results: string[] = [];
  for (const c of cases) {
    const parsed = parseProjectListParams(c.params);
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
    const app = await timeRuns(() => listProjectPage(leader, parsed.query), RUNS, 3);
    const filtered = c.where !== "TRUE";
    const perPage = parsed.query.perPage;
    const offset = (parsed.query.page - 1) * perPage;
    const deep = filtered && c.params.totals !== "exact" && offset + perPage > COUNT_CAP;
    const from = `"Project" p JOIN "PlanColumn" c ON c.id = p."columnId" WHERE ${c.where}`;
    const sql = await timeRuns(async () => {
      // A page past the cap's rows: the bounded walk of the sort's index (WALK_LIMIT projects),
      // then, when it did not reach the page's end, the fenced exact path below (docs/decisions/0043).
      if (deep) {
        const walk = await sqlClient.query<{ id: string }>(
          `SELECT id FROM (SELECT id, row_number() OVER () AS n FROM (
             SELECT p.id, (${c.where}) AS m FROM "Project" p JOIN "PlanColumn" c ON c.id = p."columnId" ORDER BY ${c.order} LIMIT ${WALK_LIMIT}
           ) w WHERE m LIMIT ${offset + perPage + 1}) x WHERE n > ${offset} ORDER BY n`,
        );
        if (walk.rows.length > perPage) {
          await sqlClient.query(
            `SELECT p.*, c.number, c.title, pr.name AS programme, s."nameZh" AS sector, o.name AS owner,
                    (SELECT array_agg(d.name ORDER BY d."sortOrder") FROM "ProjectLocation" l JOIN "AdminDivision" d ON d.code = l."divisionCode" WHERE l."projectId" = p.id) AS counties
               FROM "Project" p JOIN "PlanColumn" c ON c.id = p."columnId" JOIN "Programme" pr ON pr.id = p."programmeId"
               LEFT JOIN "Sector" s ON s.code = p."sectorCode" LEFT JOIN "Organization" o ON o.id = p."ownerOrgId"
              WHERE p.id = ANY($1::uuid[]) ORDER BY ${c.order}`,
            [walk.rows.slice(0, perPage).map((r) => r.id)],
          );
          return;
        }
      }
      const exact = c.params.totals === "exact" || deep;
      // The totals: the unfiltered library's from the rollup the database keeps (docs/decisions/0042),
      // as the app reads them for leadership; a filtered set's counted and summed up to the cap (the
      // whole set when asked): one pass that stops at cap + 1 matches.
      const totals = await sqlClient.query<{ count: string }>(
        !filtered
          ? `SELECT sum(count) AS count, sum(planned), sum(total), sum(completed) FROM "ProjectTotalsRollup" WHERE approval = 'ACCEPTED'`
          : `SELECT count(*) AS count, sum(f."plannedInvestment"), sum(f."totalInvestment"), sum(f."completedInvestment")
               FROM (SELECT p."plannedInvestment", p."totalInvestment", p."completedInvestment" FROM ${from} ${exact ? "" : `LIMIT ${COUNT_CAP + 1}`}) f`,
      );
      // One page with the same related data the app shows: programme, sector, owner, counties. A set
      // within the cap is fenced off (materialized) and sorted; a larger one, and the whole library,
      // are read in the sort's order and cut, as the planner chooses.
      const fenced = filtered && Number(totals.rows[0]!.count) <= (exact ? Infinity : COUNT_CAP);
      const source = fenced ? `(WITH f AS MATERIALIZED (SELECT p.* FROM ${from}) SELECT * FROM f) p` : `"Project" p`;
      await sqlClient.query(
        `SELECT p.*, c.number, c.title, pr.name AS programme, s."nameZh" AS sector, o.name AS owner,
                (SELECT array_agg(d.name ORDER BY d."sortOrder") FROM "ProjectLocation" l JOIN "AdminDivision" d ON d.code = l."divisionCode" WHERE l."projectId" = p.id) AS counties
           FROM ${source} JOIN "PlanColumn" c ON c.id = p."columnId" JOIN "Programme" pr ON pr.id = p."programmeId"
           LEFT JOIN "Sector" s ON s.code = p."sectorCode" LEFT JOIN "Organization" o ON o.id = p."ownerOrgId"
          ${fenced || !filtered ? "" : `WHERE ${c.where}`} ORDER BY ${c.order} LIMIT ${perPage + 1} OFFSET ${offset}`,
      );
    }, RUNS, 3);
    const ratio = app.p95 / sql.p95;
    const line = `| ${c.name} | ${app.p50.toFixed(1)} | ${app.p95.toFixed(1)} | ${sql.p50.toFixed(1)} | ${sql.p95.toFixed(1)} | ${ratio.toFixed(2)}× | ${app.p95 <= 100 && ratio <= 1.5 ? "yes" : "NO"} |`;
    console.log(line);
    results.push(line);
  }
  await sqlClient.end();
  await prisma.$disconnect();

  const header = [
    `## ${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC — ${PROJECTS.toLocaleString("en")} projects, ${RUNS} runs each`,
    "",
    `Machine: ${os.cpus().length} cores, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, ${await serverVersion(url.toString())}. Command: \`npm run bench:projects\`.`,
    "",
    "| case | app p50 ms | app p95 ms | SQL p50 ms | SQL p95 ms | app/SQL p95 | target met (p95 ≤ 100 ms and ≤ 1.5× SQL) |",
    "|---|---|---|---|---|---|---|",
    ...results,
    "",
  ].join("\n");
  const file = path.join(__dirname, "RESULTS.md");
  const previous = existsSync(file) ? readFileSync(file, "utf8").replace(/^# .*\n+/, "") : "";
  writeFileSync(file, `# Benchmark results (newest first)\n\n${header}\n${previous}`);
  console.log(`[bench] written to bench/RESULTS.md`);
}

async function serverVersion(url: string): Promise<string> {
  return withClient(url, async (c) => String((await c.query("SHOW server_version")).rows[0].server_version)).then((v) => `PostgreSQL ${v}`);
}

void main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
