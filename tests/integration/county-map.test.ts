// The county map's figures on a real, seeded database: for every division and every measure, the
// value the map shows on the dashboard (getDashboard().byCounty) and in the monthly report
// (monthlyReport().byCounty) equals the definition written out in SQL over the base tables
// (ProjectLocation, Project, MonthlyReturn, ProjectLight).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { actor } from "@/tests/helpers/actors";
import { sqlOn } from "@/tests/helpers/sql";
import { seededTestDatabase, type TestDatabase } from "@/tests/helpers/test-database";
import { MAP_MEASURES, measureValue, type CountyFigures, type MapMeasure } from "@/lib/portfolio/county-map";

const NOW = new Date("2026-11-15T04:00:00Z"); // China noon, 15 November: the latest reporting month is 2026-09

let db: TestDatabase;
const { sql } = sqlOn(() => db.url);
let prisma: typeof import("@/lib/db").prisma;
let dashboard: typeof import("@/lib/portfolio/dashboard");
let report: typeof import("@/lib/portfolio/report");

beforeAll(async () => {
  ({ db, prisma } = await seededTestDatabase(new Date("2026-11-15T00:00:00Z")));
  dashboard = await import("@/lib/portfolio/dashboard");
  report = await import("@/lib/portfolio/report");
}, 120_000);

afterAll(async () => {
  await prisma?.$disconnect();
  await db?.drop();
});

/** The three measures per division, written out in SQL: approved returns of months before `monthEnd`. */
async function expected(monthEnd: string): Promise<Map<string, Record<MapMeasure, number | null>>> {
  const rows = await sql<{ code: string; n: string; planned: string | null; completed: string | null; alerts: string }>(
    `SELECT d.code, count(p.id)::text AS n,
            sum(p."plannedInvestment")::text AS planned,
            coalesce(sum((SELECT sum(m."completedInvestment") FROM "MonthlyReturn" m
                           WHERE m."projectId" = p.id AND m.status = 'APPROVED' AND m.period < $1::date)), 0)::text AS completed,
            count(*) FILTER (WHERE l.light IN ('RED', 'YELLOW'))::text AS alerts
       FROM "AdminDivision" d
       LEFT JOIN "ProjectLocation" pl ON pl."divisionCode" = d.code
       LEFT JOIN "Project" p ON p.id = pl."projectId"
       LEFT JOIN "ProjectLight" l ON l."projectId" = p.id
      GROUP BY d.code`,
    [monthEnd],
  );
  return new Map(
    rows.map((r) => {
      const n = Number(r.n);
      const planned = Number(r.planned ?? 0);
      return [
        r.code,
        {
          completion: n === 0 || planned <= 0 ? null : (Number(r.completed) * 100) / planned,
          alerts: n === 0 ? null : (Number(r.alerts) * 100) / n,
          investment: n === 0 ? null : planned / 10_000,
        },
      ];
    }),
  );
}

function compare(figures: CountyFigures[], want: Map<string, Record<MapMeasure, number | null>>) {
  const byKey = new Map(figures.map((f) => [f.key, f]));
  expect(want.size).toBe(16); // 14 counties, 新蒲新区 and 市级
  for (const [code, values] of want)
    for (const measure of MAP_MEASURES) {
      const got = measureValue(byKey.get(code), measure);
      const label = `${code} ${measure}`;
      if (values[measure] === null) expect(got, label).toBeNull();
      else expect(Number(got?.toString()), label).toBeCloseTo(values[measure], 8);
    }
}

describe("the county map's figures equal hand-written SQL", () => {
  it("on the dashboard (latest reporting month) and in that month's report", async () => {
    const leader = await actor(["LEADERSHIP"]);
    const d = await dashboard.getDashboard(leader, NOW);
    expect(d.reportingPeriod).toBe("2026-09");
    const want = await expected("2026-10-01");
    compare(d.byCounty.map((c) => ({ key: c.key, count: c.count, planned: c.plannedInvestment, completed: c.completedInvestment, red: c.red, yellow: c.yellow })), want);

    const r = await report.monthlyReport(leader, "2026-09", NOW);
    compare(r.byCounty.map((c) => ({ key: c.key, count: c.count, planned: c.planned, completed: c.completedTotal, red: c.red, yellow: c.yellow })), want);

    // The seeded data makes every measure tell counties apart (so a wrong column would show).
    for (const measure of MAP_MEASURES) expect(new Set([...want.values()].map((v) => v[measure]?.toFixed(6))).size, measure).toBeGreaterThan(3);
  });

  it("in the report of an earlier month (returns up to that month only)", async () => {
    const leader = await actor(["LEADERSHIP"]);
    const r = await report.monthlyReport(leader, "2026-03", NOW);
    const want = await expected("2026-04-01");
    compare(r.byCounty.map((c) => ({ key: c.key, count: c.count, planned: c.planned, completed: c.completedTotal, red: c.red, yellow: c.yellow })), want);
    const later = await expected("2026-10-01");
    expect([...want.entries()].some(([code, v]) => v.completion !== later.get(code)!.completion)).toBe(true);
  });
});
