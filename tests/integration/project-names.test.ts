// Display names, the split of one plan phrase into two projects, pending counties and the search
// key (docs/decisions/0022) on a real database:
// - an installation seeded with the library as it was before migration project_display_names,
//   with a return and a milestone entered against projects that are renamed or split, keeps all of
//   it after migrate + seed (the original keeps its id; the new project is added);
// - the SQL function zunyi_search_key() and lib/domain/search-key.ts agree on generated strings.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { createPrismaClient } from "@/lib/prisma-client";
import { searchKey, searchKeyPattern } from "@/lib/domain/search-key";
import { loadPlanData, type PlanData } from "@/prisma/seed/plan-data";
import { runSeed } from "@/prisma/seed/run-seed";
import { seedPlan } from "@/prisma/seed/seed-plan";
import { sqlOn } from "@/tests/helpers/sql";
import { createTestDatabase, type TestDatabase } from "@/tests/helpers/test-database";

const MIGRATION = "20261205063000_project_display_names";
let db: TestDatabase;
let prisma: PrismaClient;
const { query, sql, sqlOne } = sqlOn(() => db.url);

/** The library as the data files defined it before: name = the plan's words, 307 projects, no 航天医院 county. */
function oldPlanData(): PlanData {
  const data = loadPlanData();
  const projects = data.projects
    .filter((p) => p.project_key !== "C10-P02-007")
    .map((p) => ({
      ...p,
      display_name: p.name,
      counties: p.county_note.startsWith("knowledge:") ? [] : p.counties,
      county_pending: false,
    }));
  return { ...data, projects, checksum: "before-0022" };
}

const migrationFolders = () =>
  readdirSync(path.join(process.cwd(), "prisma", "migrations"), { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
const migrationSql = (folder: string) => readFileSync(path.join(process.cwd(), "prisma", "migrations", folder, "migration.sql"), "utf8");

beforeAll(async () => {
  db = await createTestDatabase();
  const folders = migrationFolders();
  expect(folders).toContain(MIGRATION);
  for (const folder of folders.filter((f) => f < MIGRATION)) await query(migrationSql(folder));
  // Seed the old library with today's seed code: it needs the columns of later migrations on the
  // tables it writes for a moment (Prisma reads back every column), which are dropped again, so the
  // tables are exactly what an old installation holds. A later migration that adds a column to
  // Project or Organization adds it here too (and the unique key the seed upserts on, from
  // migration plan_continuations).
  await query(`CREATE TYPE "ProjectApproval" AS ENUM ('ACCEPTED', 'PENDING', 'REFUSED');
               ALTER TABLE "Project" ADD COLUMN "planName" TEXT, ADD COLUMN "countyPending" BOOLEAN NOT NULL DEFAULT false,
               ADD COLUMN "searchText" TEXT NOT NULL DEFAULT '', ADD COLUMN "originalTotalInvestment" DECIMAL(18,4),
               ADD COLUMN "approval" "ProjectApproval" NOT NULL DEFAULT 'ACCEPTED', ADD COLUMN "approvalReason" TEXT;
               ALTER TABLE "Milestone" ADD COLUMN "originalBaselineDate" DATE;
               ALTER TABLE "AnnualPlan" ADD COLUMN "originalAmount" DECIMAL(18,4);
               ALTER TABLE "Organization" ADD COLUMN "searchText" TEXT NOT NULL DEFAULT '', ADD COLUMN "notifyEmail" TEXT;
               CREATE UNIQUE INDEX "Project_planId_planKey_key" ON "Project"("planId", "planKey")`);
  prisma = createPrismaClient(db.url, 1);
  await seedPlan(prisma, oldPlanData());
  await prisma.$disconnect();
  await query(`DROP INDEX "Project_planId_planKey_key";
               ALTER TABLE "Project" DROP COLUMN "planName", DROP COLUMN "countyPending", DROP COLUMN "searchText",
                 DROP COLUMN "originalTotalInvestment", DROP COLUMN "approval", DROP COLUMN "approvalReason";
               DROP TYPE "ProjectApproval";
               ALTER TABLE "Milestone" DROP COLUMN "originalBaselineDate";
               ALTER TABLE "AnnualPlan" DROP COLUMN "originalAmount";
               ALTER TABLE "Organization" DROP COLUMN "searchText", DROP COLUMN "notifyEmail"`);
});

afterAll(async () => {
  await prisma?.$disconnect();
  await db?.drop();
});

describe("migration and seed over an existing installation", () => {
  it("keeps the ids, returns and milestones of renamed and split projects, and adds the new one", async () => {
    const before = await sql<{ id: string; planKey: string; name: string }>(
      `SELECT id, "planKey", name FROM "Project" WHERE "planKey" IN ('C10-P02-006', 'C16-P01-016', 'C10-P03-004') ORDER BY "planKey"`,
    );
    expect(before.map((p) => p.name)).toEqual(["门急诊楼、老住院楼改扩建工程", "汇川区妇 幼保健院", "3号线"]);
    expect((await sqlOne<{ n: string }>(`SELECT count(*)::text AS n FROM "Project"`)).n).toBe("307");
    const split = before[0]!;
    const renamed = before[2]!;
    // Entered against them: an approved return and a milestone on each.
    for (const p of [split, renamed]) {
      await query(
        `INSERT INTO "MonthlyReturn" (id, "projectId", period, "completedInvestment", status, "submittedAt", "reviewedAt", "updatedAt")
         VALUES (gen_random_uuid(), $1, '2026-10-01', 123.4500, 'APPROVED', now(), now(), now())`,
        [p.id],
      );
      await query(`INSERT INTO "Milestone" (id, "projectId", kind, "baselineDate", "updatedAt") VALUES (gen_random_uuid(), $1, 'START', '2026-03-01', now())`, [p.id]);
    }
    const audit = await sqlOne<{ n: string }>(`SELECT count(*)::text AS n FROM "AuditEvent"`);

    // The upgrade: every pending migration, this one and those after it, as `prisma migrate deploy` does.
    for (const folder of migrationFolders().filter((f) => f >= MIGRATION)) await query(migrationSql(folder));
    prisma = createPrismaClient(db.url, 1);
    const report = await runSeed(prisma, { demo: false });
    expect(report[0]).toMatch(/308 projects/);

    const after = await prisma.project.findMany({
      where: { planKey: { in: ["C10-P02-006", "C10-P02-007", "C16-P01-016", "C10-P03-004"] } },
      orderBy: { planKey: "asc" },
      select: { id: true, planKey: true, name: true, planName: true, locations: { select: { divisionCode: true } }, _count: { select: { monthlyReturns: true, milestones: true } } },
    });
    expect(after.map((p) => [p.planKey, p.name, p.planName])).toEqual([
      ["C10-P02-006", "贵州航天医院门急诊楼改扩建工程", "门急诊楼、老住院楼改扩建工程"],
      ["C10-P02-007", "贵州航天医院老住院楼改扩建工程", "门急诊楼、老住院楼改扩建工程"],
      ["C10-P03-004", "汇川区妇幼保健院", "汇川区妇 幼保健院"],
      ["C16-P01-016", "遵义市城市轨道交通3号线", "3号线"],
    ]);
    const byKey = new Map(after.map((p) => [p.planKey, p]));
    expect(byKey.get("C10-P02-006")!.id).toBe(split.id);
    expect(byKey.get("C16-P01-016")!.id).toBe(renamed.id);
    expect(byKey.get("C10-P02-007")!.id).not.toBe(split.id);
    expect(byKey.get("C10-P02-006")!._count).toEqual({ monthlyReturns: 1, milestones: 1 });
    expect(byKey.get("C16-P01-016")!._count).toEqual({ monthlyReturns: 1, milestones: 1 });
    expect(byKey.get("C10-P02-007")!._count).toEqual({ monthlyReturns: 0, milestones: 0 });
    expect(byKey.get("C10-P02-007")!.locations).toEqual([{ divisionCode: "520303" }]);
    const returned = await sqlOne<{ sum: string }>(`SELECT sum("completedInvestment")::text AS sum FROM "MonthlyReturn" WHERE "projectId" = ANY($1::uuid[])`, [[split.id, renamed.id]]);
    expect(Number(returned.sum)).toBe(246.9);
    expect((await sqlOne<{ n: string }>(`SELECT count(*)::text AS n FROM "AuditEvent"`)).n).toBe(audit.n);
    expect(await prisma.project.count()).toBe(308);

    // Pending counties: the plan names none for 芙蓉江浩口.
    const haokou = await prisma.project.findFirstOrThrow({ where: { planKey: "C13-P04-003" }, select: { countyPending: true, name: true } });
    expect(haokou).toEqual({ countyPending: true, name: "芙蓉江浩口库区航运工程" });
  });

  it("a county settled in the app survives a later seed of changed plan data", async () => {
    const haokou = await prisma.project.findFirstOrThrow({ where: { planKey: "C13-P04-003" } });
    await prisma.project.update({ where: { id: haokou.id }, data: { countyPending: false, reviewDivisionCode: "520325", locations: { create: { divisionCode: "520325" } } } });
    await seedPlan(prisma, { ...loadPlanData(), checksum: "changed" });
    const after = await prisma.project.findUniqueOrThrow({ where: { id: haokou.id }, include: { locations: true } });
    expect(after.countyPending).toBe(false);
    expect(after.reviewDivisionCode).toBe("520325");
    expect(after.locations.map((l) => l.divisionCode)).toEqual(["520325"]);
  });

  it("fills searchText by trigger for every project and organization, and finds the spaced names", async () => {
    expect((await sqlOne<{ n: string }>(`SELECT count(*)::text AS n FROM "Project" WHERE "searchText" = ''`)).n).toBe("0");
    expect((await sqlOne<{ n: string }>(`SELECT count(*)::text AS n FROM "Organization" WHERE "searchText" = ''`)).n).toBe("0");
    const find = async (q: string) =>
      (await sql<{ planKey: string }>(`SELECT "planKey" FROM "Project" WHERE "searchText" LIKE $1 ORDER BY "planKey"`, [searchKeyPattern(q)])).map((r) => r.planKey);
    expect(await find("汇川区妇幼保健院")).toEqual(["C10-P03-004"]);
    expect(await find("道真县人民医院")).toEqual(["C10-P03-010"]);
    expect(await find("习水县第二人民医院")).toEqual(["C10-P03-007"]);
    expect(await find("习水县　第二人民医院")).toEqual(["C10-P03-007"]);
    expect(await find("遵义市城市轨道交通３号线")).toEqual(["C16-P01-016"]);
    expect(await find("c10-p03-004")).toEqual(["C10-P03-004"]);
    // A project renamed by hand gets a new key from the trigger.
    await query(`UPDATE "Project" SET name = 'ＺＹ 测试　名称' WHERE "planKey" = 'C18-P02-003'`);
    expect(await find("zy测试名称")).toEqual(["C18-P02-003"]);
    const org = await sqlOne<{ searchText: string }>(`SELECT "searchText" FROM "Organization" WHERE name = '遵义市人民政府'`);
    expect(org.searchText).toBe("遵义市人民政府");
  });
});

describe("zunyi_search_key() and searchKey() agree", () => {
  // Characters that matter: CJK, ASCII, full-width forms, every kind of whitespace, and others.
  const interesting = fc.oneof(
    fc.constantFrom(..."汇川区妇幼保健院遵义市号线（）()、，,.-－—_%\\ＡＢＣａｂｃ０１２ABCxyz019"),
    fc.constantFrom("\t", "\n", "\v", "\f", "\r", " ", "\u0085", "\u00a0", "\u1680", "\u2000", "\u2005", "\u200a", "\u200b", "\u2028", "\u2029", "\u202f", "\u205f", "\u3000", "\ufeff"),
    fc.integer({ min: 0xff01, max: 0xff5e }).map((c) => String.fromCharCode(c)),
    fc.integer({ min: 0x4e00, max: 0x9fa5 }).map((c) => String.fromCharCode(c)),
    fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)),
    fc.integer({ min: 0xa0, max: 0x24f }).map((c) => String.fromCharCode(c)),
    fc.integer({ min: 0x2150, max: 0x218f }).map((c) => String.fromCharCode(c)),
  );
  const text = fc.array(interesting, { maxLength: 24 }).map((parts) => parts.join(""));

  it("on 2,000 generated strings", async () => {
    const samples = fc.sample(text, { numRuns: 2000, seed: 20261205 });
    samples.push("汇川区妇 幼保健院", "ＡＢＣ　１２３", "Ⅱ期", "");
    const rows = await sql<{ i: string; key: string }>(`SELECT i::text, zunyi_search_key(v) AS key FROM unnest($1::text[]) WITH ORDINALITY AS t(v, i)`, [samples]);
    const mismatches = rows.filter((r) => r.key !== searchKey(samples[Number(r.i) - 1]!)).map((r) => ({ input: samples[Number(r.i) - 1], sql: r.key, ts: searchKey(samples[Number(r.i) - 1]!) }));
    expect(mismatches.slice(0, 5)).toEqual([]);
    expect(rows).toHaveLength(samples.length);
  });
});
