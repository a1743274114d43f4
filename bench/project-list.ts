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
import { benchLeader, prepareBenchDatabase, timeRuns, withClient } from "./lib";

const PROJECTS = Number(process.env.BENCH_PROJECTS ?? 100_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 40);
const dbName = "bench_projects";

async function load(c: pg.Client) {
  // Synthetic projects: the plan's names with a serial, spread over columns, counties and owners.
  await c.query(`
    WITH src AS (SELECT row_number() OVER (ORDER BY "planKey") AS n, name, "columnId", "programmeId", "sectorCode", "targetStage2025" FROM "Project"),
         cnt AS (SELECT count(*) AS c FROM src),
         orgs AS (SELECT row_number() OVER (ORDER BY name) AS n, id FROM "Organization"),
         ocnt AS (SELECT count(*) AS c FROM orgs)
    INSERT INTO "Project" (id, "planId", name, "columnId", "programmeId", "sectorCode", "targetStage2025", "sourcePhrase",
                           "lifecycleStage", "plannedInvestment", "totalInvestment", "ownerOrgId", "demoFields", "updatedAt")
    SELECT gen_random_uuid(), 'zunyi-14th-fyp-urbanization', src.name || '（合成' || g || '）', src."columnId", src."programmeId",
           src."sectorCode", src."targetStage2025", 'synthetic benchmark row',
           (ARRAY['PREPARATION','CONSTRUCTION','COMPLETED']::"LifecycleStage"[])[1 + g % 3],
           CASE WHEN g % 17 = 0 THEN NULL ELSE round((random() * 200000)::numeric, 2) END,
           round((random() * 400000)::numeric, 2),
           (SELECT id FROM orgs WHERE orgs.n = 1 + g % (SELECT c FROM ocnt)),
           ARRAY['synthetic'], now()
      FROM generate_series(1, ${PROJECTS}) AS g
      JOIN src ON src.n = 1 + g % (SELECT c FROM cnt)`);
  await c.query(`
    WITH d AS (SELECT row_number() OVER (ORDER BY code) AS n, code FROM "AdminDivision"), dc AS (SELECT count(*) AS c FROM d)
    INSERT INTO "ProjectLocation" ("projectId", "divisionCode")
    SELECT p.id, d.code FROM (SELECT id, row_number() OVER (ORDER BY id) AS n FROM "Project" WHERE "planKey" IS NULL) p
      JOIN d ON d.n = 1 + p.n % (SELECT c FROM dc)`);
  // Twelve approved monthly returns per project (1.2M rows) so completed-investment totals are real work.
  await c.query(`
    INSERT INTO "MonthlyReturn" (id, "projectId", period, "completedInvestment", status, "isDemo", "updatedAt")
    SELECT gen_random_uuid(), p.id, make_date(2025, m, 1), round((random() * 1000)::numeric, 2), 'APPROVED', true, now()
      FROM "Project" p CROSS JOIN generate_series(1, 12) AS m WHERE p."planKey" IS NULL`);
  await c.query(`UPDATE "Project" p SET "completedInvestment" = s.total
    FROM (SELECT "projectId", sum("completedInvestment") AS total FROM "MonthlyReturn" WHERE status = 'APPROVED' GROUP BY 1) s
    WHERE s."projectId" = p.id`);
  // The steady state autovacuum keeps: the bulk UPDATE above left a dead copy of every row.
  await c.query("VACUUM ANALYZE");
}

async function main() {
  const url = new URL(await prepareBenchDatabase(dbName, PROJECTS, load));
  process.env.DATABASE_URL = url.toString();
  const { listProjects } = await import("../lib/data/projects");
  const { parseProjectListParams } = await import("../lib/validations/project-list");
  const { prisma } = await import("../lib/db");
  const leader = benchLeader;
  const sqlClient = new pg.Client({ connectionString: url.toString() });
  await sqlClient.connect();

  // Each case: the app's query (listProjects: one page of rows with their relations, plus count
  // and sums of the filtered set) and the same work written by hand in SQL.
  const cases: { name: string; params: Record<string, string>; where: string; order: string }[] = [
    { name: "default sort (规划编号)", params: {}, where: "TRUE", order: `p."planKey" ASC NULLS LAST, p.id` },
    {
      name: "county + column filter",
      params: { county: "520382", column: "9" },
      where: `c.number = 9 AND EXISTS (SELECT 1 FROM "ProjectLocation" l WHERE l."projectId" = p.id AND l."divisionCode" = '520382')`,
      order: `p."planKey" ASC NULLS LAST, p.id`,
    },
    { name: "search 变电站", params: { q: "变电站" }, where: `p.name ILIKE '%变电站%'`, order: `p."planKey" ASC NULLS LAST, p.id` },
    { name: "sort by budget desc", params: { sort: "plannedInvestment.desc" }, where: "TRUE", order: `p."plannedInvestment" DESC NULLS LAST, p.id` },
  ];
  const results: string[] = [];
  for (const c of cases) {
    const parsed = parseProjectListParams(c.params);
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
    const app = await timeRuns(() => listProjects(leader, parsed.query), RUNS, 3);
    const sql = await timeRuns(async () => {
      // The best hand-written form: a filtered set is found once and fenced off (materialized),
      // then sorted and cut; the whole library is read in index order.
      const filtered = c.where !== "TRUE";
      const source = filtered
        ? `(WITH f AS MATERIALIZED (SELECT p.* FROM "Project" p JOIN "PlanColumn" c ON c.id = p."columnId" WHERE ${c.where}) SELECT * FROM f) p`
        : `"Project" p`;
      // One page with the same related data the app shows: programme, sector, owner, counties.
      await sqlClient.query(
        `SELECT p.*, c.number, c.title, pr.name AS programme, s."nameZh" AS sector, o.name AS owner,
                (SELECT array_agg(d.name ORDER BY d."sortOrder") FROM "ProjectLocation" l JOIN "AdminDivision" d ON d.code = l."divisionCode" WHERE l."projectId" = p.id) AS counties
           FROM ${source} JOIN "PlanColumn" c ON c.id = p."columnId" JOIN "Programme" pr ON pr.id = p."programmeId"
           LEFT JOIN "Sector" s ON s.code = p."sectorCode" LEFT JOIN "Organization" o ON o.id = p."ownerOrgId"
          ORDER BY ${c.order} LIMIT 50`,
      );
      await sqlClient.query(`SELECT count(*), sum(p."plannedInvestment"), sum(p."totalInvestment"), sum(p."completedInvestment") FROM "Project" p JOIN "PlanColumn" c ON c.id = p."columnId" WHERE ${c.where}`);
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
