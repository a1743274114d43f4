// Seeding the plan library on a real database: idempotent, complete, and the demo overlay
// deterministic and summing to the 4500亿 target.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { toDecimal } from "@/lib/domain/money";
import { PLAN } from "@/prisma/data/reference";
import { createPrismaClient } from "@/lib/prisma-client";
import { runSeed } from "@/prisma/seed/run-seed";
import { applyMigrations, createTestDatabase, type TestDatabase } from "@/tests/helpers/test-database";

let db: TestDatabase;
let prisma: PrismaClient;
const today = new Date("2026-11-15T00:00:00Z");

async function snapshot(client: PrismaClient) {
  const [projects, locations, indicators, columns, programmes, orgs, returns, milestones, sums] = await Promise.all([
    client.project.count(),
    client.projectLocation.count(),
    client.indicator.count(),
    client.planColumn.count(),
    client.programme.count(),
    client.organization.count(),
    client.monthlyReturn.count(),
    client.milestone.count(),
    client.project.aggregate({ _sum: { plannedInvestment: true, totalInvestment: true } }),
  ]);
  const completed = await client.monthlyReturn.aggregate({ _sum: { completedInvestment: true } });
  return {
    projects, locations, indicators, columns, programmes, orgs, returns, milestones,
    planned: sums._sum.plannedInvestment?.toString() ?? null,
    total: sums._sum.totalInvestment?.toString() ?? null,
    completed: completed._sum.completedInvestment?.toString() ?? null,
  };
}

beforeAll(async () => {
  db = await createTestDatabase();
  await applyMigrations(db.url);
  prisma = createPrismaClient(db.url, 1);
});

afterAll(async () => {
  await prisma?.$disconnect();
  await db?.drop();
});

describe("seed", () => {
  it("seeds the plan library without inventing money", async () => {
    const report = await runSeed(prisma, { demo: false, today });
    expect(report[0]).toMatch(/308 projects, 36 indicators/);
    const state = await snapshot(prisma);
    expect(state).toMatchObject({ projects: 308, indicators: 36, columns: 18, planned: null, total: null, returns: 0, milestones: 0 });
    const plan = await prisma.plan.findFirstOrThrow();
    expect(plan.keyInvestmentTarget.toString()).toBe(PLAN.keyInvestmentTargetWan);
    const byColumn = await prisma.planColumn.findMany({ select: { number: true, _count: { select: { projects: true } } }, orderBy: { number: "asc" } });
    expect(Object.fromEntries(byColumn.filter((c) => c._count.projects > 0).map((c) => [c.number, c._count.projects]))).toEqual({
      6: 12, 7: 19, 8: 38, 9: 47, 10: 23, 11: 10, 12: 5, 13: 42, 14: 21, 15: 47, 16: 19, 17: 22, 18: 3,
    });
    const maotai = await prisma.project.findFirstOrThrow({ where: { name: "贵州仁怀经济开发区" }, include: { locations: true } });
    expect(maotai.locations.map((l) => l.divisionCode)).toEqual(["520382"]);
  });

  it("seeding again changes nothing", async () => {
    const before = await snapshot(prisma);
    const report = await runSeed(prisma, { demo: false, today });
    expect(report[0]).toMatch(/already seeded/);
    expect(await snapshot(prisma)).toEqual(before);
  });

  it("re-running the plan seeder itself is idempotent too (upserts by natural keys)", async () => {
    const before = await snapshot(prisma);
    await prisma.seedRun.delete({ where: { id: "plan" } });
    await runSeed(prisma, { demo: false, today });
    expect(await snapshot(prisma)).toEqual(before);
  });

  it("adds the demo overlay once, flagged, summing to 4500亿 within 1%", async () => {
    const report = await runSeed(prisma, { demo: true, today });
    expect(report.at(-1)).toMatch(/demo overlay: 308 projects/);
    const state = await snapshot(prisma);
    const planned = toDecimal(state.planned!);
    const target = toDecimal((await prisma.plan.findFirstOrThrow()).keyInvestmentTarget.toString());
    expect(planned.minus(target).abs().dividedBy(target).toNumber()).toBeLessThan(0.01);
    expect(state.returns).toBeGreaterThan(1000);
    expect(await prisma.monthlyReturn.count({ where: { isDemo: false } })).toBe(0);
    expect(await prisma.project.count({ where: { NOT: { demoFields: { has: "plannedInvestment" } } } })).toBe(0);
    const latest = await prisma.monthlyReturn.findFirstOrThrow({ orderBy: { period: "desc" } });
    expect(latest.period.toISOString().slice(0, 10)).toBe("2026-10-01");

    const again = await runSeed(prisma, { demo: true, today });
    expect(again.at(-1)).toMatch(/already applied/);
    expect(await snapshot(prisma)).toEqual(state);
  });

  it("the demo overlay is deterministic: a second database gets the same totals", async () => {
    const other = await createTestDatabase();
    try {
      await applyMigrations(other.url);
      const client = createPrismaClient(other.url, 1);
      try {
        await runSeed(client, { demo: true, today });
        expect(await snapshot(client)).toEqual(await snapshot(prisma));
      } finally {
        await client.$disconnect();
      }
    } finally {
      await other.drop();
    }
  });
});
