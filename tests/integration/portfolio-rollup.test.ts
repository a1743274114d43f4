// The dashboard's sums kept by the database (PortfolioRollup, PortfolioFundsRollup;
// docs/decisions/0046): after each kind of change (facts rewritten, lights, amounts, stages,
// counties added and removed, projects refused or accepted, months approved ahead of their turn,
// funding, deletions) every rollup row equals the live sums of the facts, and the leadership
// dashboard read from it equals the one summed from the facts themselves; random batches of such
// changes keep both so (fast-check). Runs on PostgreSQL and on PGlite like every integration test.
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CurrentUser } from "@/lib/auth/session";
import { actor } from "@/tests/helpers/actors";
import { sqlOn } from "@/tests/helpers/sql";
import { seededTestDatabase, type TestDatabase } from "@/tests/helpers/test-database";

const NOW = new Date("2026-11-15T04:00:00Z"); // China 12:00 on 15 November: the stored month is October

let db: TestDatabase;
const { sql } = sqlOn(() => db.url);
let dashboard: typeof import("@/lib/portfolio/dashboard");
let cache: typeof import("@/lib/cache/aggregates");
let leader: CurrentUser;

beforeAll(async () => {
  ({ db } = await seededTestDatabase(NOW));
  dashboard = await import("@/lib/portfolio/dashboard");
  cache = await import("@/lib/cache/aggregates");
  leader = await actor(["LEADERSHIP"]);
  // The first reading stores every light and fact as of NOW; later readings find them fresh.
  await dashboard.getDashboard(leader, NOW);
}, 180_000);

afterAll(async () => {
  await db?.drop();
});

const SUMS = `count, planned, total, completed, "dueToStart", started, "dueToComplete", "onTime", "completionDateUnknown", "inAnnualPlan",
  "withoutFunds", "annualPlan", "completedThisYear", funds, "evWithPayments", payments, "confidenceFlagged", red, yellow`;
const asText = (alias: string) =>
  `ARRAY[${SUMS.split(",").map((c) => `${alias}.${c.trim()}::numeric`).join(", ")}]::numeric(24,4)[]::text AS sums`;
const summed = `ARRAY[${SUMS.split(",").map((c) => `sum(sh.${c.trim()})::numeric`).join(", ")}]::numeric(24,4)[]::text AS sums`;

type Row = { dim: string; key: string; shard: number; sums: string };

/** Every rollup row with anything in it, and the same sums from the facts as they are now. */
const rollup = () => sql<Row>(`SELECT r.dim, r.key, r.shard, ${asText("r")} FROM "PortfolioRollup" r WHERE r.count <> 0 OR r.planned <> 0 OR r.completed <> 0 OR r.total <> 0 ORDER BY 1, 2, 3`);
const live = () =>
  sql<Row>(`SELECT sh.dim, sh.key, sh.shard, ${summed} FROM "PortfolioFact" f CROSS JOIN LATERAL portfolio_fact_shares(f, 1) sh GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`);
const fundsRollup = () => sql(`SELECT kind, "sourceCode", shard, amount::text FROM "PortfolioFundsRollup" WHERE amount <> 0 ORDER BY 1, 2, 3`);
const fundsLive = () =>
  sql(`SELECT kind, "sourceCode", shard, amount::numeric(24,4)::text FROM (
         SELECT 'planned' AS kind, "sourceCode", project_totals_shard("projectId") AS shard, sum(amount) AS amount FROM "ProjectFunding" GROUP BY 1, 2, 3
         UNION ALL SELECT 'inPlace', "sourceCode", project_totals_shard("projectId"), sum(amount) FROM "PortfolioFactFunds" GROUP BY 1, 2, 3) x
        WHERE amount <> 0 ORDER BY 1, 2, 3`);

/** The dashboard from the rollup (the cache emptied first: these writes bypass the app) and from the facts. */
async function bothDashboards() {
  cache.clearAggregateCache();
  const kept = await dashboard.getDashboard(leader, NOW);
  const fromFacts = await dashboard.getDashboard(leader, NOW, undefined, undefined, {}, "live");
  return { kept, fromFacts };
}

async function expectConsistent() {
  expect(await rollup()).toEqual(await live());
  expect(await fundsRollup()).toEqual(await fundsLive());
  const { kept, fromFacts } = await bothDashboards();
  expect(kept).toEqual(fromFacts);
}

/** A few accepted projects with facts, by their place in id order (stable for the test). */
const someProjects = (n: number, offset = 0) =>
  sql<{ id: string }>(`SELECT f.id FROM "PortfolioFact" f JOIN "Project" p ON p.id = f.id WHERE p.approval = 'ACCEPTED' ORDER BY f.id LIMIT $1 OFFSET $2`, [n, offset]);

describe("PortfolioRollup", () => {
  it("holds the seeded facts, and the dashboard read from it is the one summed from the facts", async () => {
    const rows = await rollup();
    expect(rows.filter((r) => r.dim === "county").length).toBeGreaterThan(5);
    expect(rows.filter((r) => r.dim === "all").length).toBeGreaterThan(8);
    await expectConsistent();
    const { kept } = await bothDashboards();
    expect(kept.projectCount).toBeGreaterThan(100);
    expect(kept.byCounty.length).toBeGreaterThan(5);
    expect(kept.funds.some((f) => Number(f.planned) > 0)).toBe(true);
  });

  it("follows each kind of change", async () => {
    const [a, b, c] = await someProjects(3);
    // Facts rewritten: light, stage, amounts, the year's plan, a new lights' day for one project.
    await sql(`UPDATE "PortfolioFact" SET light = 'RED', "lifecycleStage" = 'SUSPENDED', "plannedInvestment" = NULL, "completedInvestment" = "completedInvestment" + 7.25 WHERE id = $1`, [a!.id]);
    await sql(`UPDATE "PortfolioFact" SET "inAnnualPlan" = NOT "inAnnualPlan", "fundsThisYear" = NULL, "asOf" = "asOf" - 1 WHERE id = $1`, [b!.id]);
    await expectConsistent();
    // A county added and one taken away.
    await sql(`INSERT INTO "ProjectLocation" ("projectId", "divisionCode") SELECT $1, code FROM "AdminDivision" d
               WHERE NOT EXISTS (SELECT 1 FROM "ProjectLocation" l WHERE l."projectId" = $1 AND l."divisionCode" = d.code) ORDER BY code LIMIT 1`, [c!.id]);
    await sql(`DELETE FROM "ProjectLocation" WHERE ctid = (SELECT ctid FROM "ProjectLocation" WHERE "projectId" = $1 LIMIT 1)`, [a!.id]);
    await expectConsistent();
    // Refused (no longer counted), and a month approved ahead of the stored one.
    await sql(`UPDATE "Project" SET approval = 'REFUSED' WHERE id = $1`, [c!.id]);
    await sql(
      `INSERT INTO "MonthlyReturn" (id, "projectId", period, "completedInvestment", status, "submittedAt", "reviewedAt", "updatedAt")
       VALUES (gen_random_uuid(), $1, '2026-11-01', 123.4500, 'APPROVED', now(), now(), now()) ON CONFLICT ("projectId", period) DO UPDATE SET status = 'APPROVED', "completedInvestment" = 123.4500`,
      [b!.id],
    );
    const [ahead] = await sql<{ n: string }>(`SELECT count(*)::text AS n FROM "MonthlyReturn" WHERE status = 'APPROVED' AND period >= '2026-11-01'`);
    expect(Number(ahead!.n)).toBeGreaterThan(0);
    await expectConsistent();
    // Funding planned and in place.
    await sql(`UPDATE "ProjectFunding" SET amount = amount + 100 WHERE "projectId" = $1`, [a!.id]);
    await sql(`DELETE FROM "PortfolioFactFunds" WHERE "projectId" = $1`, [b!.id]);
    await expectConsistent();
    // A deletion (with its approved months, past the lock as a DBA's correction would).
    await sql(`BEGIN; SET LOCAL zunyi.correction = 'on'; DELETE FROM "Project" WHERE id = '${a!.id}'; COMMIT;`);
    await expectConsistent();
  }, 120_000);

  it("stays equal to the facts through random batches of changes", async () => {
    const op = fc.oneof(
      fc.record({ kind: fc.constant("fact" as const), pick: fc.integer({ min: 0, max: 40 }), light: fc.constantFrom("RED", "YELLOW", "GREEN", "NO_DATA", "NOT_APPLICABLE"), delta: fc.integer({ min: -(10 ** 6), max: 10 ** 6 }), flag: fc.boolean() }),
      fc.record({ kind: fc.constant("location" as const), pick: fc.integer({ min: 0, max: 40 }), add: fc.boolean(), division: fc.integer({ min: 0, max: 14 }) }),
      fc.record({ kind: fc.constant("approval" as const), pick: fc.integer({ min: 0, max: 40 }), approval: fc.constantFrom("ACCEPTED", "PENDING", "REFUSED") }),
      fc.record({ kind: fc.constant("funding" as const), pick: fc.integer({ min: 0, max: 40 }), delta: fc.integer({ min: -(10 ** 5), max: 10 ** 6 }) }),
    );
    const projectAt = async (pick: number) => (await sql<{ id: string }>(`SELECT id FROM "PortfolioFact" ORDER BY id LIMIT 1 OFFSET $1`, [pick]))[0]!.id;
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 5 }), async (ops) => {
        for (const o of ops) {
          const id = await projectAt(o.pick);
          if (o.kind === "fact")
            // Several facts at once (the batch's statement), one of them chosen.
            await sql(
              `UPDATE "PortfolioFact" SET light = $2::"TrafficLightColor", "completedInvestment" = greatest(0, "completedInvestment" + $3::numeric / 10000),
                      "inAnnualPlan" = CASE WHEN $4 THEN NOT "inAnnualPlan" ELSE "inAnnualPlan" END, "paymentsThisYear" = CASE WHEN $4 THEN NULL ELSE "paymentsThisYear" END,
                      started = NOT started, "startDue" = $4
                WHERE id = $1 OR project_totals_shard(id) = $5`,
              [id, o.light, o.delta, o.flag, o.pick % 16],
            );
          else if (o.kind === "location")
            await (o.add
              ? sql(`INSERT INTO "ProjectLocation" ("projectId", "divisionCode") SELECT $1, code FROM "AdminDivision" ORDER BY code LIMIT 1 OFFSET $2 ON CONFLICT DO NOTHING`, [id, o.division])
              : sql(`DELETE FROM "ProjectLocation" WHERE "projectId" = $1`, [id]));
          else if (o.kind === "approval") await sql(`UPDATE "Project" SET approval = $2::"ProjectApproval" WHERE id = $1`, [id, o.approval]);
          else await sql(`UPDATE "ProjectFunding" SET amount = greatest(0, amount + $2::numeric / 100) WHERE "projectId" = $1`, [id, o.delta]);
        }
        await expectConsistent();
      }),
      { numRuns: 12 },
    );
  }, 300_000);

  it("is what the leadership dashboard reads: a count planted in it shows", async () => {
    cache.clearAggregateCache();
    const before = (await dashboard.getDashboard(leader, NOW)).projectCount;
    await sql(`UPDATE "PortfolioRollup" SET count = count + 1000 WHERE dim = 'all' AND shard = 0`);
    try {
      cache.clearAggregateCache();
      expect((await dashboard.getDashboard(leader, NOW)).projectCount).toBe(before + 1000);
      expect((await dashboard.getDashboard(leader, NOW, undefined, undefined, {}, "live")).projectCount).toBe(before);
      // A county asked for is summed from the facts.
      cache.clearAggregateCache();
      const county = await dashboard.getDashboard(leader, NOW, undefined, undefined, { county: "520382" });
      const [n] = await sql<{ n: string }>(
        `SELECT count(*)::text AS n FROM "PortfolioFact" f JOIN "Project" p ON p.id = f.id WHERE p.approval = 'ACCEPTED' AND EXISTS (SELECT 1 FROM "ProjectLocation" l WHERE l."projectId" = f.id AND l."divisionCode" = '520382')`,
      );
      expect(county.projectCount).toBe(Number(n!.n));
    } finally {
      await sql(`UPDATE "PortfolioRollup" SET count = count - 1000 WHERE dim = 'all' AND shard = 0`);
    }
  });
});
