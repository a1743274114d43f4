// The library's totals kept by the database (ProjectTotalsRollup, docs/decisions/0042): after every
// kind of change to projects (new ones, amounts, approval moving a project between states, returns
// raising completedInvestment, deletions, updates that change nothing counted) each of its rows
// equals the live sums of its (approval, shard); random batches of such changes keep it so
// (fast-check); and the project table of a reader who sees whole approval states reads it.
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CITY_DIVISION } from "@/lib/returns/rules";
import { actor } from "@/tests/helpers/actors";
import { sqlOn } from "@/tests/helpers/sql";
import { seededTestDatabase, type TestDatabase } from "@/tests/helpers/test-database";

let db: TestDatabase;
const { sql } = sqlOn(() => db.url);
let projects: typeof import("@/lib/data/projects");
let policy: typeof import("@/lib/policy");
let validations: typeof import("@/lib/validations/project-list");

beforeAll(async () => {
  ({ db } = await seededTestDatabase(new Date("2026-11-15T00:00:00Z")));
  projects = await import("@/lib/data/projects");
  policy = await import("@/lib/policy");
  validations = await import("@/lib/validations/project-list");
}, 120_000);

afterAll(async () => {
  await db?.drop();
});

type Row = { approval: string; shard: number; count: string; planned: string; total: string; completed: string };

/** Every (approval, shard) with something in it, from the rollup and from the projects themselves. */
const rollup = () =>
  sql<Row>(
    `SELECT approval::text, shard, count::text, planned::numeric(24,4)::text AS planned, total::numeric(24,4)::text AS total, completed::numeric(24,4)::text AS completed
       FROM "ProjectTotalsRollup" WHERE count <> 0 OR planned <> 0 OR total <> 0 OR completed <> 0 ORDER BY 1, 2`,
  );
const live = () =>
  sql<Row>(
    `SELECT approval::text, project_totals_shard(id) AS shard, count(*)::text AS count, coalesce(sum("plannedInvestment"), 0)::numeric(24,4)::text AS planned,
            coalesce(sum("totalInvestment"), 0)::numeric(24,4)::text AS total, coalesce(sum("completedInvestment"), 0)::numeric(24,4)::text AS completed
       FROM "Project" GROUP BY 1, 2 ORDER BY 1, 2`,
  );

async function template(): Promise<{ planId: string; columnId: string; programmeId: string; targetStage2025: string }> {
  const [t] = await sql<{ planId: string; columnId: string; programmeId: string; targetStage2025: string }>(
    `SELECT "planId", "columnId", "programmeId", "targetStage2025"::text FROM "Project" ORDER BY "planKey" LIMIT 1`,
  );
  return t!;
}

async function insertProjects(n: number, approval: string, planned: string | null, total: string): Promise<void> {
  const t = await template();
  await sql(
    `INSERT INTO "Project" (id, "planId", name, "columnId", "programmeId", "targetStage2025", "sourcePhrase", approval, "plannedInvestment", "totalInvestment", "updatedAt")
     SELECT gen_random_uuid(), $1, '汇总测试项目' || g || '-' || gen_random_uuid(), $2, $3, $8::"TargetStage", 'test', $4::"ProjectApproval", $5::numeric, $6::numeric, now()
       FROM generate_series(1, $7::int) g`,
    [t.planId, t.columnId, t.programmeId, approval, planned, total, n, t.targetStage2025],
  );
}

describe("ProjectTotalsRollup", () => {
  it("equals the live sums of each approval state and shard after every kind of change", async () => {
    expect((await rollup()).length).toBeGreaterThan(8);
    expect(await rollup()).toEqual(await live());

    await insertProjects(5, "PENDING", "100.5", "2000.25");
    await insertProjects(3, "ACCEPTED", null, "10");
    expect(await rollup()).toEqual(await live());
    // Accepting moves a project between states; amounts, a refusal and an update of nothing counted.
    await sql(`UPDATE "Project" SET approval = 'ACCEPTED' WHERE id = (SELECT id FROM "Project" WHERE approval = 'PENDING' ORDER BY id LIMIT 1)`);
    await sql(`UPDATE "Project" SET approval = 'REFUSED', "plannedInvestment" = NULL WHERE id = (SELECT id FROM "Project" WHERE approval = 'PENDING' ORDER BY id LIMIT 1)`);
    await sql(`UPDATE "Project" SET "totalInvestment" = "totalInvestment" + 0.0001, "completedInvestment" = "completedInvestment" + 12.5 WHERE "planKey" IS NOT NULL AND "planKey" <= '005'`);
    await sql(`UPDATE "Project" SET "sourcePhrase" = "sourcePhrase" WHERE approval = 'ACCEPTED'`);
    expect(await rollup()).toEqual(await live());
    // A deletion (with its approved months, past the lock as a DBA's correction would).
    await sql(`BEGIN; SET LOCAL zunyi.correction = 'on'; DELETE FROM "Project" WHERE name LIKE '汇总测试项目%' AND approval = 'ACCEPTED'; COMMIT;`);
    expect(await rollup()).toEqual(await live());
  });

  it("stays equal through random batches of inserts, updates and deletes", async () => {
    const op = fc.oneof(
      fc.record({ kind: fc.constant("insert" as const), n: fc.integer({ min: 1, max: 4 }), approval: fc.constantFrom("ACCEPTED", "PENDING", "REFUSED"), planned: fc.option(fc.integer({ min: 0, max: 10 ** 9 }), { nil: null }), total: fc.integer({ min: 0, max: 10 ** 9 }) }),
      fc.record({ kind: fc.constant("update" as const), pick: fc.integer({ min: 0, max: 15 }), approval: fc.constantFrom("ACCEPTED", "PENDING", "REFUSED"), delta: fc.integer({ min: -(10 ** 6), max: 10 ** 6 }) }),
      fc.record({ kind: fc.constant("delete" as const), pick: fc.integer({ min: 0, max: 15 }) }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 6 }), async (ops) => {
        for (const o of ops) {
          if (o.kind === "insert") await insertProjects(o.n, o.approval, o.planned === null ? null : (o.planned / 10_000).toFixed(4), (o.total / 10_000).toFixed(4));
          // Updates and deletes touch the test's own projects, chosen by their id's shard: several rows at once.
          else if (o.kind === "update")
            await sql(
              `UPDATE "Project" SET approval = $1::"ProjectApproval", "totalInvestment" = greatest(0, "totalInvestment" + $2::numeric / 10000), "plannedInvestment" = CASE WHEN $3 THEN NULL ELSE "plannedInvestment" END
                WHERE name LIKE '汇总测试项目%' AND project_totals_shard(id) = $4`,
              [o.approval, o.delta, o.delta % 3 === 0, o.pick],
            );
          else await sql(`DELETE FROM "Project" WHERE name LIKE '汇总测试项目%' AND project_totals_shard(id) = $1`, [o.pick]);
        }
        expect(await rollup()).toEqual(await live());
      }),
      { numRuns: 15 },
    );
  }, 120_000);

  it("answers the project table's totals for readers of whole approval states, and only for them", async () => {
    const leader = await actor(["LEADERSHIP"]);
    // Every accepted project (leadership's reading) and every new one (the city review office's acceptance).
    const cityReviewer = await actor(["LEADERSHIP", "COUNTY_REVIEWER"], undefined, CITY_DIVISION);
    const countyReviewer = await actor(["COUNTY_REVIEWER"], undefined, "520382");
    const owner = await actor(["OWNER_EDITOR"], "仁怀市人民政府");
    expect(policy.wholeApprovalScope(leader)).toBe("accepted");
    expect(policy.wholeApprovalScope(cityReviewer)).toBe("every");
    expect(policy.wholeApprovalScope(countyReviewer)).toBeNull();
    expect(policy.wholeApprovalScope(owner)).toBeNull();

    const parsed = validations.parseProjectListParams({});
    if (!parsed.ok) throw new Error("query");
    const [accepted] = await sql<{ count: string; total: string }>(`SELECT count(*)::text AS count, sum("totalInvestment")::text AS total FROM "Project" WHERE approval = 'ACCEPTED'`);
    const [every] = await sql<{ count: string; total: string }>(`SELECT count(*)::text AS count, sum("totalInvestment")::text AS total FROM "Project"`);
    const asLeader = await projects.listProjects(leader, parsed.query);
    expect(asLeader.total).toBe(Number(accepted!.count));
    expect(Number(asLeader.totals.totalInvestment)).toBeCloseTo(Number(accepted!.total), 4);
    const asCity = await projects.listProjects(cityReviewer, parsed.query);
    expect(asCity.total).toBe(Number(every!.count));
    expect(Number(asCity.totals.totalInvestment)).toBeCloseTo(Number(every!.total), 4);

    // The rollup is what was read: a count planted in it shows in the leader's table, not an owner's.
    const ownerBefore = (await projects.listProjects(owner, parsed.query)).total;
    await sql(`UPDATE "ProjectTotalsRollup" SET count = count + 1000 WHERE approval = 'ACCEPTED' AND shard = 0`);
    try {
      expect((await projects.listProjects(leader, parsed.query)).total).toBe(Number(accepted!.count) + 1000);
      expect((await projects.listProjects(owner, parsed.query)).total).toBe(ownerBefore);
      // A filter narrows the set: its totals are the filtered rows', never the rollup's.
      const filtered = validations.parseProjectListParams({ county: "520382" });
      if (!filtered.ok) throw new Error("query");
      const [county] = await sql<{ count: string }>(
        `SELECT count(*)::text AS count FROM "Project" p WHERE approval = 'ACCEPTED' AND EXISTS (SELECT 1 FROM "ProjectLocation" l WHERE l."projectId" = p.id AND l."divisionCode" = '520382')`,
      );
      expect((await projects.listProjects(leader, filtered.query)).total).toBe(Number(county!.count));
    } finally {
      await sql(`UPDATE "ProjectTotalsRollup" SET count = count - 1000 WHERE approval = 'ACCEPTED' AND shard = 0`);
    }
  });
});
