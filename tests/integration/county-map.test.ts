// The county map's figures on a real, seeded database: for every division and every measure, the
// value the map shows on the dashboard (getDashboard().byCounty) and in the monthly report
// (monthlyReport().byCounty) equals the definition written out in SQL over the base tables
// (ProjectLocation, Project, MonthlyReturn, ProjectLight).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { actor, userActor } from "@/tests/helpers/actors";
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

describe("the dashboard narrowed to a county (the map's click)", () => {
  const RENHUAI = "520382";

  it("sums only the county's projects, equal to hand-written SQL and to the county's own row, and keeps every county on the map", async () => {
    const leader = await actor(["LEADERSHIP"]);
    const [whole, narrowed] = await Promise.all([dashboard.getDashboard(leader, NOW), dashboard.getDashboard(leader, NOW, undefined, undefined, { county: RENHUAI })]);
    expect(narrowed.county).toEqual({ code: RENHUAI, name: "仁怀市" });
    expect(whole.county).toBeNull();

    const [want] = await sql<{ n: string; planned: string; completed: string; red: string; yellow: string; notices: string }>(
      `SELECT count(*)::text AS n, sum(p."plannedInvestment")::text AS planned,
              coalesce(sum((SELECT sum(m."completedInvestment") FROM "MonthlyReturn" m
                             WHERE m."projectId" = p.id AND m.status = 'APPROVED' AND m.period < '2026-10-01')), 0)::text AS completed,
              count(*) FILTER (WHERE l.light = 'RED')::text AS red, count(*) FILTER (WHERE l.light = 'YELLOW')::text AS yellow,
              (SELECT count(*) FROM "SupervisionNotice" s WHERE s."projectId" IN (SELECT "projectId" FROM "ProjectLocation" WHERE "divisionCode" = $1))::text AS notices
         FROM "Project" p LEFT JOIN "ProjectLight" l ON l."projectId" = p.id
        WHERE p.id IN (SELECT "projectId" FROM "ProjectLocation" WHERE "divisionCode" = $1)`,
      [RENHUAI],
    );
    expect(Number(want!.n)).toBeGreaterThan(5);
    expect(narrowed.projectCount).toBe(Number(want!.n));
    expect(Number(narrowed.plannedInvestment)).toBeCloseTo(Number(want!.planned), 4);
    expect(Number(narrowed.completedInvestment)).toBeCloseTo(Number(want!.completed), 4);
    expect(narrowed.byLight.RED).toBe(Number(want!.red));
    expect(narrowed.byLight.YELLOW).toBe(Number(want!.yellow));
    // The totals are the county's own row of the whole dashboard's by-county table.
    const row = whole.byCounty.find((c) => c.key === RENHUAI)!;
    expect([narrowed.projectCount, narrowed.plannedInvestment, narrowed.completedInvestment, narrowed.byLight.RED, narrowed.byLight.YELLOW]).toEqual([row.count, row.plannedInvestment, row.completedInvestment, row.red, row.yellow]);
    // Every breakdown is of the county's projects; the map's by-county figures are not narrowed.
    expect(narrowed.byColumn.reduce((sum, c) => sum + c.count, 0)).toBe(narrowed.projectCount);
    expect(narrowed.byCounty).toEqual(whole.byCounty);
    expect(narrowed.projectCount).toBeLessThan(whole.projectCount);
    // 督办 counts are of notices about the county's projects.
    const notices = narrowed.noticeCounts!;
    expect(notices.OPEN + notices.ANSWERED + notices.CLOSED).toBeLessThanOrEqual(Number(want!.notices));
    expect(notices.OPEN + notices.ANSWERED + notices.CLOSED).toBeLessThanOrEqual(whole.noticeCounts!.OPEN + whole.noticeCounts!.ANSWERED + whole.noticeCounts!.CLOSED);
    // The trend (summed from returns when narrowed) ends at the county's cumulative figure.
    expect(Number(narrowed.trend.at(-1)!.cumulative)).toBeCloseTo(Number(want!.completed), 4);
  });

  it("/notices?county= lists the notices about the county's projects, all of them and only them (the dashboard's 督办 link)", async () => {
    const leader = await actor(["LEADERSHIP"]);
    const { listNotices, noticeCounts } = await import("@/lib/notices/queries");
    // Notices about two projects in the county and one outside it (the seeded library has none).
    const { sendNotice } = await import("@/lib/notices/commands");
    const pick = (inside: boolean) =>
      sql<{ id: string }>(
        `SELECT p.id FROM "Project" p WHERE p."ownerOrgId" IS NOT NULL AND ${inside ? "" : "NOT"} EXISTS (SELECT 1 FROM "ProjectLocation" l WHERE l."projectId" = p.id AND l."divisionCode" = $1) ORDER BY p."planKey" LIMIT 2`,
        [RENHUAI],
      );
    const targets = [...(await pick(true)), ...(await pick(false)).slice(0, 1)];
    expect(targets).toHaveLength(3);
    const sender = await userActor("leader");
    for (const t of targets) await sendNotice(sender, { projectId: t.id, subject: "请说明进度", deadline: "2026-12-31" }, null, NOW);
    const county = RENHUAI;
    const [listed, counts, all] = await Promise.all([listNotices(leader, { county }, NOW), noticeCounts(leader, NOW, { county }), listNotices(leader, {}, NOW)]);
    const want = await sql<{ id: string }>(
      `SELECT s.id FROM "SupervisionNotice" s WHERE s."projectId" IN (SELECT "projectId" FROM "ProjectLocation" WHERE "divisionCode" = $1) ORDER BY 1`,
      [county],
    );
    expect(want.length).toBeGreaterThan(0);
    expect(want.length).toBeLessThan(all.length);
    expect(listed.map((n) => n.id).sort()).toEqual(want.map((r) => r.id));
    expect(counts.OPEN + counts.ANSWERED + counts.CLOSED).toBe(want.length);
  });

  it("refuses a county that is not one of the library's, and a malformed one before any query", async () => {
    const leader = await actor(["LEADERSHIP"]);
    await expect(dashboard.getDashboard(leader, NOW, undefined, undefined, { county: "999999" })).rejects.toBeInstanceOf(dashboard.UnknownCountyError);
    const { countyParam } = await import("@/lib/validations/project-list");
    for (const raw of ["52038", "520382\0", "<script>", "xp", ["520382", "520381"]]) expect(countyParam(raw), JSON.stringify(raw)).toEqual({ ok: false, message: "validation.county" });
    expect(countyParam(undefined)).toEqual({ ok: true, county: undefined });
    expect(countyParam("XP")).toEqual({ ok: true, county: "XP" });
  });
});
