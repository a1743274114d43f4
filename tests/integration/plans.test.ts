// More than one plan (issue 20 item 2, docs/decisions/0028): `npm run plan:load` puts a small
// synthetic later plan (tests/fixtures/plan-15th-synthetic: 2026–2030, two new projects, two
// carried over from 十四五) beside the seeded 十四五 library, and then
// - each plan's totals are its own, and together they are the library's;
// - a carried-over project's returns after 2025 count for the new plan only;
// - nothing of 十四五 changes: dashboard, monthly report, read API and evaluation figures of its
//   period are the same before and after the load;
// - an unknown plan id is a 400 naming `plan` (read API, report .xlsx, OC4IDS); the loader refuses a
//   broken folder, naming the file.
import { execFile } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { NextRequest } from "next/server";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { CurrentUser } from "@/lib/auth/session";
import { actor } from "@/tests/helpers/actors";
import { sqlOn } from "@/tests/helpers/sql";
import { seededTestDatabase, type TestDatabase } from "@/tests/helpers/test-database";
import { exportOc4ids } from "@/tests/helpers/oc4ids-export";

const session = vi.hoisted(() => ({ user: null as CurrentUser | null }));
vi.mock("@/lib/auth/session", async (importOriginal) => ({
  ...(await importOriginal<typeof import("@/lib/auth/session")>()),
  getCurrentUser: async () => session.user,
}));
vi.mock("next/headers", () => ({ headers: async () => new Headers(), cookies: async () => ({ get: () => undefined, set: () => undefined }) }));

const NOW = new Date("2026-11-15T04:00:00Z");
const FOURTEENTH = "zunyi-14th-fyp-urbanization";
const NEXT = "zunyi-15th-synthetic";
const FIXTURE = path.join(process.cwd(), "tests", "fixtures", "plan-15th-synthetic");
const CARRIED = ["C13-P01-002", "C09-P01-005"];

let db: TestDatabase;
const { sql, sqlOne } = sqlOn(() => db.url);
let prisma: typeof import("@/lib/db").prisma;
let dashboard: typeof import("@/lib/portfolio/dashboard");
let report: typeof import("@/lib/portfolio/report");
let api: typeof import("@/lib/api/portfolio") & typeof import("@/lib/api/projects");
let evaluation: typeof import("@/lib/evaluation/queries");
let leader: CurrentUser;

const num = (v: string | number | null | undefined) => Number(v ?? 0);

/** Every figure of 十四五 a user or another system can read, for one month. */
async function fourteenthFigures(month: string, plan: string | undefined) {
  const d = await dashboard.getDashboard(leader, NOW, month, plan);
  const r = await report.monthlyReport(leader, month, NOW, plan);
  const portfolio = await api.getApiPortfolio(leader, { month, plan }, NOW);
  const indicators = await api.listApiIndicators(leader, plan);
  const { plan: _dp, plans: _dps, asOf: _a, lightsAsOf: _l, dataAsOf: _d, ...dashboardFigures } = d;
  const { plan: _rp, plans: _rps, generatedAt: _g, dataAsOf: _rd, delays: _delays, ...reportFigures } = r;
  const { plan: _pp, ...portfolioFigures } = portfolio;
  return { dashboardFigures, reportFigures, portfolioFigures, indicators };
}

/**
 * Runs `npm run plan:load` in a child process. Asynchronously: on embedded PGlite the database is
 * served by this very process, so a synchronous child (execFileSync) would wait for a server whose
 * event loop it blocks, forever (it hung CI's PGlite pass until the phase's time limit).
 */
async function loadPlan(folder: string): Promise<string> {
  const { stdout } = await promisify(execFile)(process.execPath, [path.join("node_modules", "tsx", "dist", "cli.mjs"), "scripts/plan-load.ts", folder], {
    env: { ...process.env, DATABASE_URL: db.url, DATABASE_OWNER_URL: db.url },
    encoding: "utf8",
    timeout: 180_000,
  });
  return stdout;
}

let before14: Awaited<ReturnType<typeof fourteenthFigures>>;
let before14Latest: Awaited<ReturnType<typeof fourteenthFigures>>;
let beforeEvaluation: unknown;
let beforeProjects: { total: number; totals: unknown };
let beforeOverview: { planned: string | null; columns: [number, number][] };
const overviewOf = async (plan?: string) => {
  const o = (await (await import("@/lib/data/plan")).getPlanOverview(leader, plan))!;
  return { planned: o.plannedInvestmentSum, columns: o.plan.columns.map((c): [number, number] => [c.number, c._count.projects]) };
};

beforeAll(async () => {
  ({ db, prisma } = await seededTestDatabase(new Date("2026-11-15T00:00:00Z")));
  dashboard = await import("@/lib/portfolio/dashboard");
  report = await import("@/lib/portfolio/report");
  api = { ...(await import("@/lib/api/portfolio")), ...(await import("@/lib/api/projects")) };
  evaluation = await import("@/lib/evaluation/queries");
  leader = await actor(["LEADERSHIP"]);
  session.user = leader;
  before14 = await fourteenthFigures("2025-12", undefined);
  before14Latest = await fourteenthFigures("2026-09", undefined);
  beforeEvaluation = await evaluation.finalEvaluation(leader, { basis: "cutoff", cutoff: "2025-12-31" }, NOW);
  const listed = await api.listApiProjects(leader, { limit: 100 });
  beforeProjects = { total: listed.total, totals: listed.totals };
  beforeOverview = await overviewOf();
  const output = await loadPlan(FIXTURE);
  expect(output).toContain("2 projects, 2 continued");
}, 300_000);

afterAll(async () => {
  await prisma?.$disconnect();
  await db?.drop();
});

describe("a second plan beside 十四五", () => {
  it("is loaded with its own columns, programmes, target, indicators and period; loading again changes nothing", async () => {
    const plans = await prisma.plan.findMany({ orderBy: { periodStart: "asc" }, select: { id: true, periodStart: true, periodEnd: true, keyInvestmentTarget: true } });
    expect(plans.map((p) => [p.id, p.periodStart, p.periodEnd, p.keyInvestmentTarget.toString()])).toEqual([
      [FOURTEENTH, 2021, 2025, "45000000"],
      [NEXT, 2026, 2030, "60000000"],
    ]);
    const counts = async () =>
      sqlOne<{ projects: string; continuations: string; columns: string; programmes: string; indicators: string }>(
        `SELECT (SELECT count(*) FROM "Project") AS projects, (SELECT count(*) FROM "PlanContinuation") AS continuations,
                (SELECT count(*) FROM "PlanColumn" WHERE "planId" = $1) AS columns,
                (SELECT count(*) FROM "Programme" g JOIN "PlanColumn" c ON c.id = g."columnId" WHERE c."planId" = $1) AS programmes,
                (SELECT count(*) FROM "Indicator" WHERE "planId" = $1) AS indicators`,
        [NEXT],
      );
    const first = await counts();
    expect(first).toMatchObject({ continuations: "2", columns: "3", programmes: "2", indicators: "2" });
    await loadPlan(FIXTURE);
    expect(await counts()).toEqual(first);
    // Each load is an audit event naming the plan, the files' SHA-256 and the counts (both loads alike).
    const loads = await prisma.auditEvent.findMany({ where: { action: "plan.load" }, orderBy: { seq: "asc" } });
    expect(loads).toHaveLength(2);
    expect(loads.map((e) => [e.entityType, e.entityId, e.actorName])).toEqual([["Plan", NEXT, "npm run plan:load"], ["Plan", NEXT, "npm run plan:load"]]);
    expect(loads[0]!.details).toMatchObject({ planId: NEXT, periodStart: 2026, periodEnd: 2030, projects: 2, continued: 2, indicators: 2 });
    expect((loads[0]!.details as { sourceSha256: string }).sourceSha256).toMatch(/^[0-9a-f]{64}$/);
    expect((loads[1]!.details as { sourceSha256: string }).sourceSha256).toBe((loads[0]!.details as { sourceSha256: string }).sourceSha256);
    // A carried-over project keeps one row and one history: no copy of it, its returns untouched.
    const carried = await sql<{ planKey: string; n: string }>(
      `SELECT p."planKey", count(*) AS n FROM "Project" p JOIN "PlanContinuation" c ON c."projectId" = p.id WHERE c."planId" = $1 GROUP BY 1 ORDER BY 1`,
      [NEXT],
    );
    expect(carried.map((r) => r.planKey)).toEqual([...CARRIED].sort());
  });

  it("the default plan is the one whose period holds today; an unknown plan is a 400 naming `plan`", async () => {
    const d = await dashboard.getDashboard(leader, NOW);
    expect(d.plan?.id).toBe(NEXT);
    expect(d.plans.map((p) => p.id)).toEqual([FOURTEENTH, NEXT]);
    const before2026 = await dashboard.getDashboard(leader, new Date("2025-11-15T04:00:00Z"));
    expect(before2026.plan?.id).toBe(FOURTEENTH);
    const routes = {
      oc4ids: () => import("@/app/api/oc4ids/route"),
      report: () => import("@/app/api/report/route"),
      portfolio: () => import("@/app/api/v1/portfolio/route"),
      indicators: () => import("@/app/api/v1/indicators/route"),
      projects: () => import("@/app/api/v1/projects/route"),
    } as const;
    for (const route of Object.keys(routes) as (keyof typeof routes)[]) {
      const mod = await routes[route]();
      const url = route === "oc4ids" || route === "report" ? `http://localhost/api/${route}?plan=zunyi-99th${route === "report" ? "&month=2025-12" : ""}` : `http://localhost/api/v1/${route}?plan=zunyi-99th`;
      const response = await mod.GET(new NextRequest(url), { params: Promise.resolve({}) });
      expect(response.status, route).toBe(400);
      const body = (await response.json()) as { problems?: { field: string }[] };
      expect(body.problems?.map((p) => p.field), route).toContain("plan");
    }
  });

  it("each plan's totals are its own, and a carried-over project's returns after 2025 count for the new plan only", async () => {
    const month = "2026-09";
    const end = "2026-10-01";
    const next = await dashboard.getDashboard(leader, NOW, month, NEXT);
    const fourteenth = await dashboard.getDashboard(leader, NOW, month, FOURTEENTH);
    expect(next.projectCount).toBe(4);
    expect(fourteenth.projectCount).toBe(before14Latest.dashboardFigures.projectCount);
    expect(next.target).toBe("60000000");
    expect(fourteenth.target).toBe("45000000");
    expect(next.byColumn.map((c) => c.key)).toEqual(["2", "3"]);
    // The new plan's planned investment is its own: its new projects' and what it plans for the carried ones.
    expect(num(next.plannedInvestment)).toBe(1_200_000 + 25_000 + 800_000 + 3_000);

    const [carried2026] = await sql<{ sum: string; n: string }>(
      `SELECT coalesce(sum(m."completedInvestment"), 0)::text AS sum, count(*) AS n FROM "MonthlyReturn" m JOIN "Project" p ON p.id = m."projectId"
        WHERE m.status = 'APPROVED' AND m.period >= '2026-01-01' AND m.period < $1 AND p."planKey" = ANY($2)`,
      [end, CARRIED],
    );
    expect(Number(carried2026!.n)).toBeGreaterThan(0);
    const [library] = await sql<{ sum: string }>(`SELECT coalesce(sum("completedInvestment"), 0)::text AS sum FROM "MonthlyReturn" WHERE status = 'APPROVED' AND period < $1`, [end]);
    // The new plan counts exactly the carried projects' 2026 returns (its new projects have none yet) ...
    expect(num(next.completedInvestment)).toBeCloseTo(num(carried2026!.sum), 4);
    expect(num(next.completedInPlanPeriod)).toBeCloseTo(num(carried2026!.sum), 4);
    // ... 十四五 no longer does, and together the two are the library: nothing counted twice or lost.
    expect(num(fourteenth.completedInvestment)).toBeCloseTo(num(before14Latest.dashboardFigures.completedInvestment) - num(carried2026!.sum), 4);
    expect(num(fourteenth.completedInvestment) + num(next.completedInvestment)).toBeCloseTo(num(library!.sum), 4);
    expect(num(next.trend.at(-1)?.cumulative)).toBeCloseTo(num(carried2026!.sum), 4);
    expect(next.trend[0]?.period.startsWith("2026")).toBe(true);

    // The monthly report and the read API say the same.
    const r = await report.monthlyReport(leader, month, NOW, NEXT);
    expect(r.total.count).toBe(4);
    expect(num(r.total.completedTotal)).toBeCloseTo(num(carried2026!.sum), 4);
    expect(r.indicators.map((i) => i.name)).toEqual(["常住人口城镇化率", "城镇化重点项目投资"]);
    const p = await api.getApiPortfolio(leader, { month, plan: NEXT }, NOW);
    expect(p.plan?.id).toBe(NEXT);
    expect(num(p.completedInvestment)).toBeCloseTo(num(carried2026!.sum), 4);
    const listed = await api.listApiProjects(leader, { limit: 100, plan: NEXT });
    expect(listed.total).toBe(4);
    // The table's 专栏 and 子工程 filters are the plan's own: a continued project is in the column the new plan gives it.
    const inColumn3 = await api.listApiProjects(leader, { limit: 100, plan: NEXT, column: [3] });
    expect(inColumn3.data.map((p) => p.name).sort()).toEqual(["仁怀市幸福花园幼儿园", "仁怀市第二实验学校（合成）"]);
    const inRail = await api.listApiProjects(leader, { limit: 100, plan: NEXT, programme: ["C02-P01"] });
    expect(inRail.total).toBe(2);
    const { listProjectFilterOptions } = await import("@/lib/data/projects");
    // The plan page counts a plan's own and its continued projects.
    expect(await overviewOf(NEXT)).toEqual({ planned: String(1_200_000 + 25_000 + 800_000 + 3_000), columns: [[1, 0], [2, 2], [3, 2]] });
    const options = await listProjectFilterOptions(leader, NEXT);
    expect(options.columns.map((c) => c.number)).toEqual([2, 3]);
    expect(options.programmes.map((g) => g.key)).toEqual(["C02-P01", "C03-P01"]);

    // The OC4IDS export of a plan: its projects only, the carried-over ones included; the plan is on record.
    const exported = await exportOc4ids(leader, { uri: "http://localhost/api/oc4ids", ip: null, now: NOW, plan: NEXT });
    expect(exported.projectCount).toBe(4);
    const fourteenthExport = await exportOc4ids(leader, { uri: "http://localhost/api/oc4ids", ip: null, now: NOW, plan: FOURTEENTH });
    expect(fourteenthExport.projectCount).toBe(before14.dashboardFigures.projectCount);
    const [event] = await sql<{ details: { plan?: string } }>(`SELECT details FROM "AuditEvent" WHERE action = 'export.oc4ids' ORDER BY seq DESC LIMIT 1`);
    expect(event?.details.plan).toBe(FOURTEENTH);

    // 对账 compares one plan's columns with its own target: 十四五 still sums to its 4500亿, the new plan to its own.
    const { reconciliationReport } = await import("@/lib/portfolio/reconciliation");
    const auditor = await actor(["AUDITOR"]);
    const r14 = await reconciliationReport(auditor, { planId: FOURTEENTH });
    expect([r14.target, r14.totals.planned, r14.totals.gapToTarget]).toEqual(["45000000", "45000000", "0"]);
    expect(r14.columns.reduce((n, c) => n + c.projects, 0)).toBe(before14.dashboardFigures.projectCount);
    const rNext = await reconciliationReport(auditor, { planId: NEXT });
    expect(rNext.target).toBe("60000000");
    expect(rNext.columns.map((c) => [c.number, c.projects])).toEqual([[1, 0], [2, 2], [3, 2]]); // 专栏1 holds the indicators
    expect(num(rNext.totals.planned)).toBe(1_200_000 + 25_000 + 800_000 + 3_000);
    expect((await reconciliationReport(auditor)).plan?.id).toBe(NEXT); // the current plan by date (2026)
  });

  it("nothing of 十四五 changes: its period's figures are the same before and after the load", async () => {
    const after = await fourteenthFigures("2025-12", FOURTEENTH);
    expect(after).toEqual(before14);
    const afterEvaluation = await evaluation.finalEvaluation(leader, { basis: "cutoff", cutoff: "2025-12-31" }, NOW);
    expect(JSON.parse(JSON.stringify(afterEvaluation))).toEqual(JSON.parse(JSON.stringify(beforeEvaluation)));
    const listed = await api.listApiProjects(leader, { limit: 100, plan: FOURTEENTH });
    expect({ total: listed.total, totals: listed.totals }).toEqual(beforeProjects);
    expect(await overviewOf(FOURTEENTH)).toEqual(beforeOverview);
    // After its period, only the carried projects' later returns left it (checked above); its
    // projects, planned investment and target stay.
    const latest = await fourteenthFigures("2026-09", FOURTEENTH);
    expect(latest.dashboardFigures.projectCount).toBe(before14Latest.dashboardFigures.projectCount);
    expect(latest.dashboardFigures.plannedInvestment).toBe(before14Latest.dashboardFigures.plannedInvestment);
    expect(latest.dashboardFigures.target).toBe(before14Latest.dashboardFigures.target);
  });

  it("the SQL rule for which plan a return counts for is the TypeScript rule", async () => {
    const { planOfYear } = await import("@/lib/plans/rules");
    const plans = await prisma.plan.findMany({ select: { id: true, periodStart: true, periodEnd: true } });
    const rows = await sql<{ planKey: string; year: number; plan: string }>(
      `SELECT p."planKey", y.year, (SELECT rp.id FROM "Plan" rp
          WHERE rp.id IN (SELECT hp."planId" FROM "Project" hp WHERE hp.id = p.id UNION ALL SELECT pc."planId" FROM "PlanContinuation" pc WHERE pc."projectId" = p.id)
          ORDER BY (rp."periodStart" <= y.year) DESC, CASE WHEN rp."periodStart" <= y.year THEN -rp."periodStart" ELSE rp."periodStart" END,
                   CASE WHEN rp."periodStart" <= y.year THEN rp.id END DESC, rp.id LIMIT 1) AS plan
         FROM "Project" p CROSS JOIN generate_series(2020, 2031) AS y(year)
        WHERE p."planKey" = ANY($1) OR p."planId" = $2`,
      [[...CARRIED, "C06-P01-001"], NEXT],
    );
    expect(rows.length).toBe(5 * 12);
    const memberships = await sql<{ planKey: string; planId: string }>(
      `SELECT p."planKey", p."planId" FROM "Project" p UNION ALL SELECT p."planKey", c."planId" FROM "PlanContinuation" c JOIN "Project" p ON p.id = c."projectId"`,
    );
    for (const row of rows) {
      const own = memberships.filter((m) => m.planKey === row.planKey).map((m) => plans.find((p) => p.id === m.planId)!);
      expect(row.plan, `${row.planKey} ${row.year}`).toBe(planOfYear(own, row.year)?.id);
    }
    expect(rows.find((r) => r.planKey === "C13-P01-002" && r.year === 2025)?.plan).toBe(FOURTEENTH);
    expect(rows.find((r) => r.planKey === "C13-P01-002" && r.year === 2026)?.plan).toBe(NEXT);
  });

  it("the loader refuses a broken plan folder, naming the file and the problem, and writes nothing", async () => {
    const broken = mkdtempSync(path.join(tmpdir(), "plan-broken-"));
    try {
      cpSync(FIXTURE, broken, { recursive: true });
      const projects = readFileSync(path.join(broken, "projects.csv"), "utf8").replace(",C03-P01,2,", ",C03-P09,2,");
      writeFileSync(path.join(broken, "projects.csv"), projects);
      const before = await sqlOne<{ n: string }>(`SELECT count(*) AS n FROM "Project"`);
      let message = "";
      try {
        await loadPlan(broken);
      } catch (error) {
        message = String((error as { stderr?: string }).stderr ?? error);
      }
      expect(message).toContain("projects.csv C03-P01-002: no programme C03-P09");
      expect((await sqlOne<{ n: string }>(`SELECT count(*) AS n FROM "Project"`)).n).toBe(before.n);
      const unknown = readFileSync(path.join(FIXTURE, "projects.csv"), "utf8").replace("zunyi-14th-fyp-urbanization/C09-P01-005", "zunyi-14th-fyp-urbanization/C09-P01-099");
      writeFileSync(path.join(broken, "projects.csv"), unknown);
      message = "";
      try {
        await loadPlan(broken);
      } catch (error) {
        message = String((error as { stderr?: string }).stderr ?? error);
      }
      expect(message).toContain("continues zunyi-14th-fyp-urbanization/C09-P01-099: no such project");
      expect((await sqlOne<{ n: string }>(`SELECT count(*) AS n FROM "Project"`)).n).toBe(before.n);
      // The refused loads left no plan.load event either (the event commits with the plan or not at all).
      expect(await prisma.auditEvent.count({ where: { action: "plan.load" } })).toBe(2);
    } finally {
      rmSync(broken, { recursive: true, force: true });
    }
  });
});
