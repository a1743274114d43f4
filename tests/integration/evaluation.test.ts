// The 十四五 final evaluation (issue 20, lib/evaluation) on a seeded database: its achievement rates,
// investment and indicator figures against hand-written SQL over the same rows, on both bases;
// the cut-off at 2025-12-31 (China time) leaving out later approvals, late approvals of 2025 months
// and later corrections, which "approved by now" includes; and the .xlsx route refusing bad
// parameters with a 400 naming the field.
import { NextRequest } from "next/server";
import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { CurrentUser } from "@/lib/auth/session";
import { actor } from "@/tests/helpers/actors";
import { sqlOn } from "@/tests/helpers/sql";
import { seededTestDatabase, type TestDatabase } from "@/tests/helpers/test-database";

const session = vi.hoisted(() => ({ user: null as CurrentUser | null }));
vi.mock("@/lib/auth/session", async (importOriginal) => ({
  ...(await importOriginal<typeof import("@/lib/auth/session")>()),
  getCurrentUser: async () => session.user,
}));
vi.mock("next/headers", () => ({ headers: async () => new Headers(), cookies: async () => ({ get: () => undefined, set: () => undefined }) }));
vi.mock("next-intl/server", () => ({ getTranslations: async () => (key: string) => key }));

const NOW = new Date("2026-11-15T04:00:00Z");

let db: TestDatabase;
const { sql, sqlOne } = sqlOn(() => db.url);
let prisma: typeof import("@/lib/db").prisma;
let evaluation: typeof import("@/lib/evaluation/queries");
let leader: CurrentUser;
let projectA: string;
let projectB: string;

const num = (v: string | number | null | undefined) => Number(v ?? 0);
const close = (a: string | number | null | undefined, b: string | number | null | undefined) => expect(num(a)).toBeCloseTo(num(b), 4);

/** A fixture project of our own, no demo fields, in 仁怀市 and owned by its government. */
async function fixtureProject(name: string, target: string): Promise<string> {
  const row = await sqlOne<{ id: string }>(
    `INSERT INTO "Project" (id, "planId", name, "columnId", "programmeId", "targetStage2025", "sourcePhrase", "ownerOrgId", "reviewDivisionCode",
                            "totalInvestment", "plannedInvestment", "lifecycleStage", "plannedCompletion", "updatedAt")
     SELECT gen_random_uuid(), p."planId", $1, p."columnId", p."programmeId", $2::"TargetStage", 'fixture', o.id, '520382', 1000, 800, 'CONSTRUCTION', '2026-06-30', now()
       FROM "Project" p, "Organization" o WHERE o.name = '仁怀市人民政府' ORDER BY p."planKey" LIMIT 1
     RETURNING id`,
    [name, target],
  );
  await sql(`INSERT INTO "ProjectLocation" ("projectId", "divisionCode") VALUES ($1, '520382')`, [row.id]);
  return row.id;
}

/** An approved return with funds and milestones, approved at `reviewedAt` (UTC instant). */
async function approvedReturn(projectId: string, period: string, completed: number, funds: number, reviewedAt: string, milestones: [string, string][] = []) {
  const r = await sqlOne<{ id: string }>(
    `INSERT INTO "MonthlyReturn" (id, "projectId", period, "completedInvestment", status, "submittedAt", "updatedAt")
     VALUES (gen_random_uuid(), $1, $2::date, $3, 'SUBMITTED', now(), now()) RETURNING id`,
    [projectId, `${period}-01`, completed],
  );
  await sql(`INSERT INTO "ReturnFunding" ("returnId", "sourceCode", amount) VALUES ($1, 'LOCAL_FISCAL', $2)`, [r.id, funds]);
  for (const [kind, date] of milestones) await sql(`INSERT INTO "ReturnMilestone" ("returnId", kind, "actualDate") VALUES ($1, $2::"MilestoneKind", $3::date)`, [r.id, kind, date]);
  await sql(`UPDATE "MonthlyReturn" SET status = 'APPROVED', "reviewedAt" = $2::timestamp WHERE id = $1`, [r.id, reviewedAt]);
  return r.id;
}

beforeAll(async () => {
  ({ db, prisma } = await seededTestDatabase(new Date("2026-11-15T00:00:00Z")));
  evaluation = await import("@/lib/evaluation/queries");
  leader = await actor(["LEADERSHIP"]);

  // A: target 建成. Started 2024-03 (approved in time); 2025-11 approved in time, then corrected
  // after the cut-off (100 → 120, funds 90 → 95); 2025-12 reports 竣工验收 on 2025-12-20 but is
  // approved only on 2026-01-20 (a late approval of a 2025 month).
  projectA = await fixtureProject("评估测试项目甲", "COMPLETE");
  await approvedReturn(projectA, "2024-03", 50, 40, "2024-04-20T02:00:00Z", [["START", "2024-03-10"]]);
  const nov = await approvedReturn(projectA, "2025-11", 100, 90, "2025-12-20T02:00:00Z");
  await approvedReturn(projectA, "2025-12", 30, 30, "2026-01-20T02:00:00Z", [["ACCEPTANCE", "2025-12-20"]]);
  const requester = await sqlOne<{ id: string }>(`SELECT id FROM "User" WHERE username = 'owner.editor'`);
  await sql(
    `INSERT INTO "CorrectionRequest" (id, "returnId", reason, previous, proposed, status, "requestedById", "decidedAt")
     VALUES (gen_random_uuid(), $1, 'fixture', '{"completedInvestment":"100","funds":{"LOCAL_FISCAL":"90"}}', '{"completedInvestment":"120","funds":{"LOCAL_FISCAL":"95"}}', 'APPROVED', $2, '2026-02-01T02:00:00Z')`,
    [nov, requester.id],
  );
  await sql(`BEGIN; SELECT set_config('zunyi.correction', 'on', true);
    UPDATE "MonthlyReturn" SET "completedInvestment" = 120 WHERE id = '${nov}';
    UPDATE "ReturnFunding" SET amount = 95 WHERE "returnId" = '${nov}'; COMMIT;`);

  // B: target 开工, the day boundary in China time: 23:30 on 31 December counts, 00:30 on 1 January does not.
  projectB = await fixtureProject("评估测试项目乙", "START");
  await approvedReturn(projectB, "2025-10", 10, 10, "2025-12-31T15:30:00Z", [["START", "2025-10-05"]]);
  await approvedReturn(projectB, "2025-11", 20, 20, "2025-12-31T16:30:00Z");

  // Indicator values: a cumulative one with all five years, a cumulative one missing a year, an
  // "about" one within 5%, an "about" one beyond in the better direction, a cap (以内, down) broken,
  // an exact one beaten upward, one with only a 2024 value.
  const values: [number, number, number][] = [
    [5, 2021, 9], [5, 2022, 9], [5, 2023, 9], [5, 2024, 9], [5, 2025, 9.5], // 45.5 < 46: not met
    [13, 2021, 2], [13, 2022, 2], [13, 2023, 2], [13, 2024, 2], // 4 of 5 years: no data
    [1, 2024, 60], [1, 2025, 59.5], // 62 ± 5%: met
    [2, 2025, 600], // above 510 (up): met
    [32, 2025, 0.05], // > 0.04 (at most): not met
    [6, 2025, 3], // exact 2, 3 is better upward: met
    [3, 2024, 210], // no 2025 value: no data
  ];
  for (const [number, year, value] of values) {
    await sql(`INSERT INTO "IndicatorValue" (id, "indicatorId", year, value) SELECT gen_random_uuid(), id, $2, $3 FROM "Indicator" WHERE number = $1`, [number, year, value]);
  }
}, 240_000);

afterAll(async () => {
  await prisma?.$disconnect();
  await db?.drop();
});

// ---------------------------------------------------------------------------------------------
// Hand-written SQL: the same definitions written again, independently.

/** Approved on the basis: by the instant the cut-off day ends in China, or any time. Demo returns without a time count on their due day (the 25th). */
function approvedBy(cutoff: string | null): string {
  if (cutoff === null) return "TRUE";
  const end = `('${cutoff}'::date + 1)::timestamp - interval '8 hours'`;
  return `(m."reviewedAt" < ${end} OR (m."reviewedAt" IS NULL AND m."isDemo" AND (date_trunc('month', m.period) + interval '1 month' + interval '24 days') < ${end} + interval '8 hours'))`;
}

function correctedCompleted(cutoff: string | null): string {
  if (cutoff === null) return `m."completedInvestment"`;
  return `coalesce((SELECT (c.previous->>'completedInvestment')::numeric FROM "CorrectionRequest" c WHERE c."returnId" = m.id AND c.status = 'APPROVED'
            AND c."decidedAt" >= ('${cutoff}'::date + 1)::timestamp - interval '8 hours' ORDER BY c."decidedAt" LIMIT 1), m."completedInvestment")`;
}

const IN_PLAN = `m.period >= '2021-01-01' AND m.period <= '2025-12-01'`;

function achievementSql(cutoff: string | null): string {
  return `
    WITH rev AS (
      SELECT DISTINCT ON (m."projectId", rm.kind) m."projectId", rm.kind::text AS kind, rm."actualDate"
        FROM "ReturnMilestone" rm JOIN "MonthlyReturn" m ON m.id = rm."returnId"
       WHERE m.status = 'APPROVED' AND ${approvedBy(cutoff)}
       ORDER BY m."projectId", rm.kind, m."reviewedAt" DESC NULLS LAST, m.period DESC),
    ev AS (
      SELECT * FROM rev
      UNION ALL
      SELECT ms."projectId", ms.kind::text, ms."actualDate" FROM "Milestone" ms
       WHERE ms."isDemo" AND ms."actualDate" IS NOT NULL AND NOT EXISTS (SELECT 1 FROM rev WHERE rev."projectId" = ms."projectId" AND rev.kind = ms.kind::text)),
    stage AS (
      SELECT p.id,
             CASE WHEN EXISTS (SELECT 1 FROM ev WHERE ev."projectId" = p.id AND ev."actualDate" <= '2025-12-31' AND ev.kind IN ('ACCEPTANCE', 'IN_SERVICE')) THEN 3
                  WHEN EXISTS (SELECT 1 FROM ev WHERE ev."projectId" = p.id AND ev."actualDate" <= '2025-12-31' AND ev.kind = 'START') THEN 2
                  WHEN EXISTS (SELECT 1 FROM ev WHERE ev."projectId" = p.id AND ev."actualDate" <= '2025-12-31'
                                 AND ev.kind IN ('APPROVAL', 'FEASIBILITY', 'LAND_PRE_APPROVAL', 'EIA_APPROVAL', 'PRELIMINARY_DESIGN', 'CONSTRUCTION_PERMIT')) THEN 1
                  ELSE 0 END AS reached,
             CASE p."targetStage2025" WHEN 'COMPLETE' THEN 3 WHEN 'PREPARE' THEN 1 ELSE 2 END AS required
        FROM "Project" p)`;
}

const BASES: { name: string; options: { basis: "cutoff" | "now"; cutoff: string }; cutoff: string | null }[] = [
  { name: "approved by 2025-12-31", options: { basis: "cutoff", cutoff: "2025-12-31" }, cutoff: "2025-12-31" },
  { name: "approved by 2026-03-31", options: { basis: "cutoff", cutoff: "2026-03-31" }, cutoff: "2026-03-31" },
  { name: "approved by now", options: { basis: "now", cutoff: "2025-12-31" }, cutoff: null },
];

describe.each(BASES)("figures equal hand-written SQL: $name", ({ options, cutoff }) => {
  let e: Awaited<ReturnType<typeof evaluation.finalEvaluation>>;
  beforeAll(async () => {
    e = await evaluation.finalEvaluation(leader, options, NOW);
  });

  it("achievement rates by 专栏, 子工程, county and owner unit, and the projects behind them", async () => {
    const byColumn = await sql<{ key: string; n: string; met: string }>(
      `${achievementSql(cutoff)} SELECT c.number::text AS key, count(*) AS n, count(*) FILTER (WHERE s.reached >= s.required) AS met
         FROM stage s JOIN "Project" p ON p.id = s.id JOIN "PlanColumn" c ON c.id = p."columnId" GROUP BY c.number ORDER BY c.number`,
    );
    expect(e.byColumn.map((r) => [r.key, r.projects, r.met])).toEqual(byColumn.map((r) => [r.key, num(r.n), num(r.met)]));
    const total = byColumn.reduce((a, r) => ({ n: a.n + num(r.n), met: a.met + num(r.met) }), { n: 0, met: 0 });
    expect([e.total.projects, e.total.met]).toEqual([total.n, total.met]);
    expect(total.met).toBeGreaterThan(0);
    expect(total.met).toBeLessThan(total.n);
    expect(num(e.total.rate)).toBeCloseTo((total.met * 100) / total.n, 2);

    const byProgramme = await sql<{ key: string; n: string; met: string }>(
      `${achievementSql(cutoff)} SELECT g.key, count(*) AS n, count(*) FILTER (WHERE s.reached >= s.required) AS met
         FROM stage s JOIN "Project" p ON p.id = s.id JOIN "Programme" g ON g.id = p."programmeId" GROUP BY g.key ORDER BY g.key`,
    );
    expect(e.byProgramme.map((r) => [r.key, r.projects, r.met]).sort()).toEqual(byProgramme.map((r) => [r.key, num(r.n), num(r.met)]).sort());

    const byCounty = await sql<{ key: string; n: string; met: string }>(
      `${achievementSql(cutoff)} SELECT coalesce(pl."divisionCode", 'none') AS key, count(*) AS n, count(*) FILTER (WHERE s.reached >= s.required) AS met
         FROM stage s LEFT JOIN "ProjectLocation" pl ON pl."projectId" = s.id GROUP BY 1 ORDER BY 1`,
    );
    expect(e.byCounty.map((r) => [r.key, r.projects, r.met]).sort()).toEqual(byCounty.map((r) => [r.key, num(r.n), num(r.met)]).sort());

    const byOwner = await sql<{ key: string; n: string; met: string }>(
      `${achievementSql(cutoff)} SELECT coalesce(p."ownerOrgId"::text, 'none') AS key, count(*) AS n, count(*) FILTER (WHERE s.reached >= s.required) AS met
         FROM stage s JOIN "Project" p ON p.id = s.id GROUP BY 1 ORDER BY 1`,
    );
    expect(e.byOwner.map((r) => [r.key, r.projects, r.met]).sort()).toEqual(byOwner.map((r) => [r.key, num(r.n), num(r.met)]).sort());

    // The list behind a rate is its projects: a county's, and its missed ones.
    const renhuai = e.byCounty.find((r) => r.key === "520382")!;
    const listed = evaluation.filterProjects(e.projects, renhuai.filter);
    expect(listed.length).toBe(renhuai.projects);
    expect(evaluation.filterProjects(e.projects, { ...renhuai.filter, met: "no" }).length).toBe(renhuai.projects - renhuai.met);
  });

  it("investment 2021–2025 by year, 专栏 and county, and funds in place by source", async () => {
    const byYear = await sql<{ year: number; amount: string }>(
      `SELECT extract(year FROM m.period)::int AS year, sum(${correctedCompleted(cutoff)})::text AS amount
         FROM "MonthlyReturn" m WHERE m.status = 'APPROVED' AND ${IN_PLAN} AND ${approvedBy(cutoff)} GROUP BY 1 ORDER BY 1`,
    );
    expect(e.byYear.map((y) => y.year)).toEqual([2021, 2022, 2023, 2024, 2025]);
    for (const y of e.byYear) close(y.completed, byYear.find((r) => r.year === y.year)?.amount);
    const plans = await sql<{ year: number; amount: string }>(`SELECT year, sum(amount)::text AS amount FROM "AnnualPlan" WHERE year BETWEEN 2021 AND 2025 GROUP BY 1`);
    for (const y of e.byYear) close(y.annualPlan, plans.find((r) => r.year === y.year)?.amount);
    const total = byYear.reduce((a, r) => a + num(r.amount), 0);
    close(e.total.completed, total);
    close(e.byYear.at(-1)!.cumulative, total);
    const [target] = await sql<{ t: string }>(`SELECT "keyInvestmentTarget"::text AS t FROM "Plan"`);
    close(e.target, target!.t);
    expect(num(e.completedShareOfTarget)).toBeCloseTo((total * 100) / num(target!.t), 2);

    const byColumn = await sql<{ key: string; planned: string; completed: string }>(
      `SELECT c.number::text AS key, (SELECT coalesce(sum(p2."plannedInvestment"), 0) FROM "Project" p2 WHERE p2."columnId" = c.id)::text AS planned,
              coalesce(sum(${correctedCompleted(cutoff)}), 0)::text AS completed
         FROM "PlanColumn" c JOIN "Project" p ON p."columnId" = c.id
         LEFT JOIN "MonthlyReturn" m ON m."projectId" = p.id AND m.status = 'APPROVED' AND ${IN_PLAN} AND ${approvedBy(cutoff)}
        GROUP BY c.id, c.number ORDER BY c.number`,
    );
    for (const r of byColumn) {
      const row = e.byColumn.find((x) => x.key === r.key)!;
      close(row.planned, r.planned);
      close(row.completed, r.completed);
    }
    const byCounty = await sql<{ key: string; completed: string }>(
      `SELECT pl."divisionCode" AS key, coalesce(sum(${correctedCompleted(cutoff)}), 0)::text AS completed
         FROM "ProjectLocation" pl LEFT JOIN "MonthlyReturn" m ON m."projectId" = pl."projectId" AND m.status = 'APPROVED' AND ${IN_PLAN} AND ${approvedBy(cutoff)}
        GROUP BY 1`,
    );
    for (const r of byCounty) close(e.byCounty.find((x) => x.key === r.key)!.completed, r.completed);

    const funds = await sql<{ code: string; amount: string }>(
      cutoff === null
        ? `SELECT f."sourceCode" AS code, sum(f.amount)::text AS amount FROM "ReturnFunding" f JOIN "MonthlyReturn" m ON m.id = f."returnId"
            WHERE m.status = 'APPROVED' AND ${IN_PLAN} GROUP BY 1`
        : `SELECT x.code, sum(x.amount)::text AS amount FROM (
             SELECT f."sourceCode" AS code,
                    coalesce((SELECT (c.previous->'funds'->>f."sourceCode")::numeric FROM "CorrectionRequest" c WHERE c."returnId" = m.id AND c.status = 'APPROVED'
                                AND c."decidedAt" >= ('${cutoff}'::date + 1)::timestamp - interval '8 hours' ORDER BY c."decidedAt" LIMIT 1), f.amount) AS amount
               FROM "ReturnFunding" f JOIN "MonthlyReturn" m ON m.id = f."returnId" WHERE m.status = 'APPROVED' AND ${IN_PLAN} AND ${approvedBy(cutoff)}) x GROUP BY 1`,
    );
    expect(funds.length).toBeGreaterThan(0);
    for (const r of funds) close(e.bySource.find((s) => s.code === r.code)?.inPlace, r.amount);
    close(e.funds.inPlace, funds.reduce((a, r) => a + num(r.amount), 0));
    const planned = await sql<{ code: string; amount: string }>(`SELECT "sourceCode" AS code, sum(amount)::text AS amount FROM "ProjectFunding" GROUP BY 1`);
    for (const r of planned) close(e.bySource.find((s) => s.code === r.code)?.planned, r.amount);
  });

  it("the 36 indicators: 2025 value or five-year sum against the target, direction-aware", async () => {
    const rows = await sql<{ number: number; value: string | null; verdict: string }>(`
      WITH v AS (
        SELECT i.id, i.number, i.cumulative, i.comparator::text AS comparator, i.direction::text AS direction, i."target2025" AS target,
               CASE WHEN i.cumulative THEN (SELECT sum(x.value) FROM "IndicatorValue" x WHERE x."indicatorId" = i.id AND x.year BETWEEN 2021 AND 2025)
                    ELSE (SELECT x.value FROM "IndicatorValue" x WHERE x."indicatorId" = i.id AND x.year = 2025) END AS value,
               CASE WHEN i.cumulative THEN (SELECT count(*) FROM "IndicatorValue" x WHERE x."indicatorId" = i.id AND x.year BETWEEN 2021 AND 2025) = 5
                    ELSE EXISTS (SELECT 1 FROM "IndicatorValue" x WHERE x."indicatorId" = i.id AND x.year = 2025) END AS complete
          FROM "Indicator" i)
      SELECT number, value::text AS value,
             CASE WHEN NOT complete OR value IS NULL OR target IS NULL THEN 'NO_DATA'
                  WHEN comparator = 'AT_LEAST' AND value >= target THEN 'MET'
                  WHEN comparator = 'AT_MOST' AND value <= target THEN 'MET'
                  WHEN comparator = 'ABOUT' AND (abs(value - target) <= abs(target) * 0.05 OR (direction = 'UP' AND value > target) OR (direction = 'DOWN' AND value < target)) THEN 'MET'
                  WHEN comparator = 'EXACT' AND (value = target OR (direction = 'UP' AND value > target) OR (direction = 'DOWN' AND value < target)) THEN 'MET'
                  ELSE 'NOT_MET' END AS verdict
        FROM v ORDER BY number`);
    expect(rows.length).toBe(36);
    expect(e.indicators.map((i) => [i.number, i.verdict])).toEqual(rows.map((r) => [r.number, r.verdict]));
    for (const r of rows) if (r.value !== null) close(e.indicators.find((i) => i.number === r.number)!.value, r.value);
    // The fixtures above, by hand.
    const verdict = (n: number) => e.indicators.find((i) => i.number === n)!.verdict;
    expect([verdict(5), verdict(13), verdict(1), verdict(2), verdict(32), verdict(6), verdict(3)]).toEqual(["NOT_MET", "NO_DATA", "MET", "MET", "NOT_MET", "MET", "NO_DATA"]);
    close(e.indicators.find((i) => i.number === 5)!.value, 45.5);
    expect(e.indicatorCounts).toEqual({ MET: 3, NOT_MET: 2, NO_DATA: 31 });
  });
});

describe("the cut-off day", () => {
  const project = (e: Awaited<ReturnType<typeof evaluation.finalEvaluation>>, id: string) => e.projects.find((p) => p.id === id)!;

  it("at 2025-12-31 ignores later approvals, late approvals of 2025 months and later corrections", async () => {
    const e = await evaluation.finalEvaluation(leader, { basis: "cutoff", cutoff: "2025-12-31" }, NOW);
    const a = project(e, projectA);
    expect(a.achievement).toMatchObject({ required: "COMPLETE", reached: "START", met: false });
    expect(a.achievement.evidence).toEqual({ kind: "START", actualDate: "2024-03-10", approvedOn: "2024-04-20", period: "2024-03", isDemo: false });
    expect(num(a.completed)).toBe(150); // 50 + 100 as approved on 2025-12-20, not the 120 corrected in February
    expect(a.completedByYear.map(num)).toEqual([0, 0, 0, 50, 100]);
    expect(num(a.remaining)).toBe(850);
    expect(a.completion).toEqual({ date: "2026-06-30", source: "planned" });
    expect(e.carryOver.rows.some((p) => p.id === projectA)).toBe(true);
    // B: the return approved at 23:30 China time on 31 December counts, the one at 00:30 on 1 January does not.
    const b = project(e, projectB);
    expect(num(b.completed)).toBe(10);
    expect(b.achievement).toMatchObject({ required: "START", reached: "START", met: true });
    expect(b.achievement.evidence?.approvedOn).toBe("2025-12-31");
    // What the cut-off leaves out is stated: at least A's December and B's November.
    expect(e.excluded!.returns).toBeGreaterThanOrEqual(2);
    expect(e.excluded!.lastYear).toBeGreaterThanOrEqual(2);
  });

  it("a later cut-off day takes the late approvals but not corrections after it", async () => {
    const e = await evaluation.finalEvaluation(leader, { basis: "cutoff", cutoff: "2026-01-31" }, NOW);
    const a = project(e, projectA);
    expect(a.achievement).toMatchObject({ reached: "COMPLETE", met: true });
    expect(a.achievement.evidence).toMatchObject({ kind: "ACCEPTANCE", actualDate: "2025-12-20", approvedOn: "2026-01-20", period: "2025-12" });
    expect(num(a.completed)).toBe(180); // 50 + 100 + 30
    expect(num(project(e, projectB).completed)).toBe(30);
  });

  it("approved by now includes them all, corrections too", async () => {
    const e = await evaluation.finalEvaluation(leader, { basis: "now", cutoff: "2025-12-31" }, NOW);
    const a = project(e, projectA);
    expect(a.achievement).toMatchObject({ reached: "COMPLETE", met: true });
    expect(num(a.completed)).toBe(200); // 50 + 120 + 30
    const funds = e.bySource.find((s) => s.code === "LOCAL_FISCAL")!;
    const cut = (await evaluation.finalEvaluation(leader, { basis: "cutoff", cutoff: "2025-12-31" }, NOW)).bySource.find((s) => s.code === "LOCAL_FISCAL")!;
    // Between the bases for A and B: A's 30 + the correction's 5, B's 20, plus demo December returns due in January.
    expect(num(funds.inPlace) - num(cut.inPlace)).toBeGreaterThanOrEqual(55);
    expect(e.excluded).toBeNull();
    expect(e.carryOver.rows.some((p) => p.id === projectA)).toBe(false);
  });
});

describe("GET /api/evaluation", () => {
  const get = async (query: string) => {
    session.user = leader;
    const { GET } = await import("@/app/api/evaluation/route");
    return GET(new NextRequest(`http://localhost/api/evaluation${query}`), { params: Promise.resolve({}) });
  };

  it.each([
    ["?cutoff=2025-12-30", "cutoff"],
    ["?cutoff=2026-02-30", "cutoff"],
    ["?cutoff=2099-01-01", "cutoff"],
    ["?basis=yesterday", "basis"],
    ["?column=abc", "column"],
    ["?owner=__proto__", "owner"],
    ["?county=%00", "county"],
    ["?month=2025-12", "month"],
  ])("%s → 400 naming %s", async (query, field) => {
    const response = await get(query);
    expect(response.status).toBe(400);
    const body = (await response.json()) as { problems: { field: string }[] };
    expect(body.problems.map((p) => p.field).join(",")).toContain(field);
  });

  it("answers an .xlsx whose figures are the evaluation's", async () => {
    const response = await get("?basis=now&county=520382");
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("spreadsheetml");
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(Buffer.from(await response.arrayBuffer()) as never);
    expect(workbook.worksheets.map((w) => w.name)).toEqual(["汇总", "项目目标达成", "按专栏", "按子工程", "按区县", "按业主单位", "分年度投资", "资金到位", "主要指标", "结转项目"]);
    const e = await evaluation.finalEvaluation(leader, { basis: "now", cutoff: "2025-12-31" }, NOW);
    const summary = workbook.getWorksheet("汇总")!;
    const completedRow = summary.getRows(1, summary.rowCount)!.find((r) => r.getCell(1).value === "2021—2025年已审核完成投资")!;
    expect(Number(completedRow.getCell(2).value)).toBeCloseTo(num(e.total.completed) / 10_000, 3);
    // The project sheet lists the county's projects only (the filter of the link).
    const renhuai = e.byCounty.find((r) => r.key === "520382")!;
    expect(workbook.getWorksheet("项目目标达成")!.rowCount - 1).toBe(renhuai.projects);
    expect(workbook.getWorksheet("主要指标")!.rowCount - 1).toBe(36);
  });
});
