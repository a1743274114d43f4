// Benchmark: the monthly report (/report) and its workbook (/api/report) on the seeded demo data
// (the plan library plus the demo overlay, as `npm start` serves it), beside a hand-written SQL
// baseline of the report's main query (the per-project sums by column and county) in the same run.
// Needs a PostgreSQL server: BENCH_DATABASE_URL, default postgresql://postgres@127.0.0.1:5432/postgres.
//   npm run bench:report               (creates database bench_report once, reuses it after)
//   npm run bench:report -- --fresh    (drops and reseeds it)
//   BENCH_BASE_URL=http://127.0.0.1:3000 npm run bench:report   (also times GET /report and
//     /api/report over HTTP against a running production server, signed in as the demo leader)
// Targets (issue 19): page ≤ 2 s, workbook ≤ 3 s, on a quiet machine. Prints a table to paste
// into bench/RESULTS.md; writes nothing itself.
import "./server-only-shim";
import os from "node:os";
import pg from "pg";
import { benchLeader, prepareDemoDatabase, timeRuns } from "./lib";

const RUNS = Number(process.env.BENCH_RUNS ?? 20);
const HTTP_RUNS = Number(process.env.BENCH_HTTP_RUNS ?? 10);
const baseUrl = process.env.BENCH_BASE_URL?.replace(/\/$/, "");
type Timing = { p50: number; p95: number };

/** Signs in as the demo leader through the credentials form's endpoint; returns the Cookie header. */
async function signIn(base: string, username: string, password: string): Promise<string> {
  const jar = new Map<string, string>();
  const keep = (res: Response) => {
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(";");
      const eq = pair!.indexOf("=");
      jar.set(pair!.slice(0, eq), pair!.slice(eq + 1));
    }
  };
  const cookie = () => [...jar].map(([k, v]) => `${k}=${v}`).join("; ");
  const csrfRes = await fetch(`${base}/api/auth/csrf`);
  keep(csrfRes);
  const { csrfToken } = (await csrfRes.json()) as { csrfToken: string };
  const res = await fetch(`${base}/api/auth/callback/credentials`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: cookie() },
    body: new URLSearchParams({ csrfToken, username, password }),
  });
  keep(res);
  if (![...jar.keys()].some((k) => k.includes("session-token"))) throw new Error(`sign-in as ${username} failed (${res.status})`);
  return cookie();
}

async function main() {
  const url = await prepareDemoDatabase("bench_report");
  process.env.DATABASE_URL = url;
  const { monthlyReport, defaultReportMonth } = await import("../lib/portfolio/report");
  const { reportXlsx } = await import("../lib/export/report");
  const { createTranslator } = await import("next-intl");
  const zhCN = (await import("../messages/zh-CN.json")).default;
  const { prisma } = await import("../lib/db");
  const tr = createTranslator({ locale: "zh-CN", messages: zhCN });
  const t = (key: string, values?: Record<string, unknown>) => tr(key as never, values as never);
  const month = process.env.BENCH_MONTH ?? defaultReportMonth();
  const [year, m] = month.split("-").map(Number) as [number, number];
  const start = `${month}-01`;
  const yearStart = `${year}-01-01`;
  const end = m === 12 ? `${year + 1}-01-01` : `${year}-${String(m + 1).padStart(2, "0")}-01`;
  const sql = new pg.Client({ connectionString: url });
  await sql.connect();
  const lines: string[] = [];
  const row = (name: string, app: Timing, base: Timing | undefined, target: number) => {
    const line = `| ${name} | ${app.p50.toFixed(0)} | ${app.p95.toFixed(0)} | ${base ? base.p50.toFixed(0) : "—"} | ${base ? base.p95.toFixed(0) : "—"} | ${base ? `${(app.p95 / base.p95).toFixed(2)}×` : "—"} | ${app.p95 <= target ? "yes" : "NO"} (${target / 1000} s) |`;
    console.log(line);
    lines.push(line);
  };

  // The first call of a day recomputes the lights (lib/portfolio/lights.ts); timed apart, not in the runs.
  const t0 = performance.now();
  await monthlyReport(benchLeader, month);
  const first = performance.now() - t0;

  // The report's main query written by hand: the per-project figures as of the month, summed in
  // total, by 专栏 and by county, straight from the base tables, for the accepted projects.
  const perProject = `SELECT p.id, p."columnId", p."plannedInvestment", ap.amount AS plan,
        (ap.amount > 0 AND p."lifecycleStage" <> 'CANCELLED') AS "inPlan",
        sum(r."completedInvestment") FILTER (WHERE r.period = '${start}') AS month,
        sum(r."completedInvestment") FILTER (WHERE r.period >= '${yearStart}') AS ytd,
        coalesce(sum(r."completedInvestment"), 0) AS total
      FROM "Project" p
      LEFT JOIN "AnnualPlan" ap ON ap."projectId" = p.id AND ap.year = ${year}
      LEFT JOIN "MonthlyReturn" r ON r."projectId" = p.id AND r.status = 'APPROVED' AND r.period < '${end}'
     WHERE p.approval = 'ACCEPTED' GROUP BY p.id, ap.amount`;
  const sums = `count(*), sum(x."plannedInvestment"), sum(x.plan) FILTER (WHERE x."inPlan"), sum(x.month), sum(x.ytd) FILTER (WHERE x."inPlan"), sum(x.total)`;
  // One statement: the per-project rows once (MATERIALIZED), then the total, the columns and the counties.
  const baseline = () =>
    sql.query(`WITH x AS MATERIALIZED (${perProject})
      SELECT 'total' AS dim, NULL::text AS key, ${sums} FROM x
      UNION ALL SELECT 'column', c.number::text, ${sums} FROM x JOIN "PlanColumn" c ON c.id = x."columnId" GROUP BY c.number
      UNION ALL SELECT 'county', l."divisionCode", ${sums} FROM x JOIN "ProjectLocation" l ON l."projectId" = x.id GROUP BY l."divisionCode"`);
  const report = await timeRuns(() => monthlyReport(benchLeader, month), RUNS);
  const base = await timeRuns(baseline, RUNS);
  row("report data (monthlyReport: sums, returns, delays, 督办, indicators)", report, base, 2000);
  const r = await monthlyReport(benchLeader, month);
  const xlsx = await timeRuns(() => reportXlsx(r, t), RUNS);
  row("workbook builder (reportXlsx, data given)", xlsx, undefined, 3000);
  const both = await timeRuns(async () => reportXlsx(await monthlyReport(benchLeader, month), t), RUNS);
  row("workbook: data + builder (what /api/report does)", both, base, 3000);

  if (baseUrl) {
    const cookie = await signIn(baseUrl, "leader", process.env.BENCH_PASSWORD ?? "Zunyi-demo-2026");
    const get = (path: string) => async () => {
      const res = await fetch(`${baseUrl}${path}`, { headers: { cookie }, redirect: "manual" });
      if (res.status !== 200) throw new Error(`GET ${path}: ${res.status}`);
      await res.arrayBuffer();
    };
    // The first request of each (on a freshly started server: what the issue measured as "first load").
    for (const [name, path, target] of [["/report (HTML)", `/report?month=${month}`, 2000], ["/api/report (.xlsx)", `/api/report?month=${month}`, 3000]] as const) {
      const t1 = performance.now();
      await get(path)();
      const once = performance.now() - t1;
      row(`HTTP GET ${name}, first request of the server process`, { p50: once, p95: once }, undefined, target);
    }
    row(`HTTP GET /report?month=${month} (HTML)`, await timeRuns(get(`/report?month=${month}`), HTTP_RUNS, 1), undefined, 2000);
    row(`HTTP GET /api/report?month=${month} (.xlsx)`, await timeRuns(get(`/api/report?month=${month}`), HTTP_RUNS, 1), undefined, 3000);
  }

  const projects = r.total.count;
  const header = [
    `## ${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC — monthly report ${month}, demo data (${projects} projects counted), ${RUNS} runs each`,
    "",
    `Machine: ${os.cpus().length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}. Command: \`npm run bench:report\`${baseUrl ? ` with BENCH_BASE_URL=${baseUrl}` : ""}; load average ${os.loadavg().map((l) => l.toFixed(1)).join(" ")}.`,
    `First call of the process (includes the day's light recomputation): ${first.toFixed(0)} ms.`,
    "",
    "| case | app p50 ms | app p95 ms | SQL p50 ms | SQL p95 ms | app/SQL p95 | target met |",
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
