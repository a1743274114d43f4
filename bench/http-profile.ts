// `npm run bench:http -- --profile`: where one request's time goes. Requests are sent one at a time
// to a server whose database logs every statement with its duration (log_min_duration_statement = 0,
// set by bench/http.ts on the bench database only); the log lines between two requests are that
// request's statements. They are grouped by the first table they name: session and user lookups,
// settings and reference lists, business data. The rest of the wall time is Node: auth crypto,
// Prisma's own work, React render and serialisation. Sizes: the HTML, the RSC payload inlined in
// it (self.__next_f), and the RSC payload a client-side navigation fetches (RSC: 1).
import { closeSync, openSync, readSync, statSync } from "node:fs";

export const PG_LOG = process.env.BENCH_PG_LOG ?? "/var/log/postgresql/postgresql-15-main.log";

export interface ProfileTarget {
  name: string;
  path: string;
  cookie: string;
}

const SESSION_TABLES = new Set(["Session", "User", "UserRole", "ApiToken", "UserPreference", "LoginAttempt", "RecoveryCode"]);
const REFERENCE_TABLES = new Set(["SecuritySettings", "Plan", "PlanColumn", "Programme", "AdminDivision", "Organization", "Sector", "FundingSource", "PlanContinuation", "Indicator", "SeedRun", "JobRun"]);
type Category = "session" | "reference" | "data" | "other";

interface Statement {
  category: Category;
  ms: number;
  table: string | null;
}

function categorize(sql: string): { category: Category; table: string | null } {
  const table = /"(?:public"\.")?([A-Z][A-Za-z]+)"/.exec(sql)?.[1] ?? null;
  if (!table) return { category: "other", table }; // BEGIN, COMMIT, SET, SELECT 1, advisory locks
  if (SESSION_TABLES.has(table)) return { category: "session", table };
  if (REFERENCE_TABLES.has(table)) return { category: "reference", table };
  return { category: "data", table };
}

/** The log's bytes after `offset`. */
function readFrom(offset: number): { text: string; end: number } {
  const end = statSync(PG_LOG).size;
  if (end <= offset) return { text: "", end };
  const buffer = Buffer.alloc(end - offset);
  const fd = openSync(PG_LOG, "r");
  try {
    readSync(fd, buffer, 0, buffer.length, offset);
  } finally {
    closeSync(fd);
  }
  return { text: buffer.toString("utf8"), end };
}

/**
 * The statements of database `db` in a stretch of the log. With the extended protocol a statement
 * logs parse, bind and execute, each with its duration: all three are summed, and execute (or a
 * simple-protocol "statement") counts it once.
 */
function statementsOf(text: string, db: string): Statement[] {
  const entries = text.split(/\n(?=\d{4}-\d\d-\d\d \d\d:\d\d:\d\d)/);
  const out: Statement[] = [];
  let pending = 0;
  for (const entry of entries) {
    if (!entry.includes(`@${db} `)) continue;
    const match = /duration: ([\d.]+) ms\s+(parse|bind|execute|statement)[^:]*: ([\s\S]*)/.exec(entry);
    if (!match) continue;
    const ms = Number(match[1]);
    if (match[2] === "parse" || match[2] === "bind") {
      pending += ms;
      continue;
    }
    out.push({ ...categorize(match[3]!), ms: ms + pending });
    pending = 0;
  }
  return out;
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)]!;
};

/** The RSC payload inlined in an HTML page: the string arguments of self.__next_f.push([1,"…"]). */
function inlineRscChars(html: string): number {
  let chars = 0;
  for (const match of html.matchAll(/self\.__next_f\.push\(\[1,"((?:[^"\\]|\\.)*)"\]\)/g)) chars += match[1]!.length;
  return chars;
}

export interface ProfileRow {
  name: string;
  path: string;
  runs: number;
  wallMs: number;
  firstByteMs: number;
  statements: number;
  sqlMs: number;
  byCategory: Record<Category, { statements: number; ms: number }>;
  tables: Record<string, number>;
  htmlBytes: number;
  inlineRscChars: number;
  rscBytes: number;
}

async function timedGet(url: string, headers: Record<string, string>, redirect: RequestRedirect = "manual"): Promise<{ status: number; wall: number; firstByte: number; text: string }> {
  const t0 = performance.now();
  const response = await fetch(url, { headers, redirect, signal: AbortSignal.timeout(120_000) });
  const firstByte = performance.now() - t0;
  const text = await response.text();
  return { status: response.status, wall: performance.now() - t0, firstByte, text };
}

/** `runs` measured requests per target (after two unmeasured ones), medians reported. */
export async function profileRequests(base: string, db: string, targets: ProfileTarget[], runs: number): Promise<{ rows: ProfileRow[]; markdown: string }> {
  const rows: ProfileRow[] = [];
  for (const target of targets) {
    const url = `${base}${target.path}`;
    for (let i = 0; i < 2; i++) await timedGet(url, { cookie: target.cookie });
    const samples: { wall: number; firstByte: number; statements: Statement[]; html: string }[] = [];
    for (let i = 0; i < runs; i++) {
      const before = statSync(PG_LOG).size;
      const hit = await timedGet(url, { cookie: target.cookie });
      if (hit.status !== 200) throw new Error(`${target.path} answered ${hit.status}`);
      await new Promise((r) => setTimeout(r, 500)); // the log is written asynchronously
      samples.push({ wall: hit.wall, firstByte: hit.firstByte, statements: statementsOf(readFrom(before).text, db), html: hit.text });
    }
    if (samples.every((s) => s.statements.length === 0)) throw new Error(`no statement of database ${db} in ${PG_LOG}: is log_min_duration_statement set, is the log readable?`);
    // What a client-side navigation fetches (Next.js redirects to its own cache-busting _rsc parameter).
    const rsc = await timedGet(url, { cookie: target.cookie, RSC: "1" }, "follow");
    if (rsc.status !== 200) throw new Error(`${target.path} with RSC: 1 answered ${rsc.status}`);
    const pick = samples.find((s) => s.wall === median(samples.map((x) => x.wall)))!; // the median request, for its breakdown
    const byCategory = { session: { statements: 0, ms: 0 }, reference: { statements: 0, ms: 0 }, data: { statements: 0, ms: 0 }, other: { statements: 0, ms: 0 } };
    const tables: Record<string, number> = {};
    for (const st of pick.statements) {
      byCategory[st.category].statements++;
      byCategory[st.category].ms += st.ms;
      const key = st.table ?? "(none)";
      tables[key] = (tables[key] ?? 0) + 1;
    }
    rows.push({
      name: target.name, path: target.path, runs,
      wallMs: median(samples.map((s) => s.wall)), firstByteMs: median(samples.map((s) => s.firstByte)),
      statements: pick.statements.length, sqlMs: pick.statements.reduce((sum, s) => sum + s.ms, 0), byCategory, tables,
      htmlBytes: Buffer.byteLength(pick.html), inlineRscChars: inlineRscChars(pick.html), rscBytes: Buffer.byteLength(rsc.text),
    });
  }
  const f = (n: number) => n.toFixed(0);
  const c = (row: ProfileRow, k: Category) => `${row.byCategory[k].statements} / ${f(row.byCategory[k].ms)}`;
  const markdown = [
    "| request | wall ms (median) | first byte ms | SQL statements / ms | session+user | settings+reference | data | tx/other | rest (Node: auth, Prisma, render) ms | HTML KB | inline RSC KB | RSC payload KB |",
    "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ...rows.map(
      (r) =>
        `| ${r.name} \`${r.path}\` | ${f(r.wallMs)} | ${f(r.firstByteMs)} | ${r.statements} / ${f(r.sqlMs)} | ${c(r, "session")} | ${c(r, "reference")} | ${c(r, "data")} | ${c(r, "other")} | ${f(Math.max(0, r.wallMs - r.sqlMs))} | ${(r.htmlBytes / 1024).toFixed(0)} | ${(r.inlineRscChars / 1024).toFixed(0)} | ${(r.rscBytes / 1024).toFixed(0)} |`,
    ),
    "",
    ...rows.map((r) => `- ${r.name}: statements by table ${Object.entries(r.tables).sort((a, b) => b[1] - a[1]).map(([t, n]) => `${t} ${n}`).join(", ")}`),
  ].join("\n");
  return { rows, markdown };
}
