// The dashboard's and the report's aggregates are kept in memory per scope and data version
// (lib/cache, docs/decisions/0039): a repeated read is served from memory, a reader of another
// scope never gets the first reader's figures, and a committed write is seen by the next read.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { actor } from "@/tests/helpers/actors";
import { seededTestDatabase, type TestDatabase } from "@/tests/helpers/test-database";
import type { CurrentUser } from "@/lib/auth/session";

const NOW = new Date("2026-11-15T04:00:00Z");
let db: TestDatabase;
let prisma: typeof import("@/lib/db").prisma;
let dashboard: typeof import("@/lib/portfolio/dashboard");
let report: typeof import("@/lib/portfolio/report");
let policy: typeof import("@/lib/policy");

const withPortfolio = (a: CurrentUser): CurrentUser => ({ ...a, permissions: new Set([...a.permissions, "portfolio:read:all"]) });

beforeAll(async () => {
  ({ db, prisma } = await seededTestDatabase(new Date("2026-11-15T00:00:00Z")));
  [dashboard, report, policy] = await Promise.all([import("@/lib/portfolio/dashboard"), import("@/lib/portfolio/report"), import("@/lib/policy")]);
}, 120_000);

afterAll(async () => {
  await prisma?.$disconnect();
  await db?.drop();
});

describe("aggregate cache", () => {
  it("serves a repeated read from memory, and the same figures to another reader of the same scope", async () => {
    const leader = await actor(["LEADERSHIP"]);
    const first = await dashboard.getDashboard(leader, NOW);
    expect(await dashboard.getDashboard(leader, NOW)).toBe(first);
    // Another user id, same permissions and organization: same policy scope, same entry.
    expect(await dashboard.getDashboard({ ...leader, id: "00000000-0000-0000-0000-0000000000ff" }, NOW)).toBe(first);
    const month = first.reportingPeriod;
    const r1 = await report.monthlyReport(leader, month, NOW);
    const r2 = await report.monthlyReport(leader, month, NOW);
    expect(r2.total).toBe(r1.total);
  });

  it("never serves one scope's figures to another: each county reviewer and the leadership get their own counts", async () => {
    const readers = [
      await actor(["LEADERSHIP"]),
      withPortfolio(await actor(["COUNTY_REVIEWER"], undefined, "520382")),
      withPortfolio(await actor(["COUNTY_REVIEWER"], undefined, "520381")),
      withPortfolio(await actor(["COUNTY_REVIEWER"], undefined, "520382")),
    ];
    const counts: number[] = [];
    for (const reader of readers) {
      const expected = await prisma.project.count({ where: { AND: [policy.projectWhere(reader)!, { approval: "ACCEPTED" }] } });
      const d = await dashboard.getDashboard(reader, NOW);
      expect(d.projectCount, reader.divisionCode ?? "leader").toBe(expected);
      counts.push(d.projectCount);
    }
    // The scopes differ, so a shared entry would have shown up above.
    expect(new Set(counts.slice(0, 3)).size).toBe(3);
  });

  it("a committed write is seen by the next read in this instance (no stale figures)", async () => {
    const leader = await actor(["LEADERSHIP"]);
    const before = await dashboard.getDashboard(leader, NOW);
    const rBefore = await report.monthlyReport(leader, before.reportingPeriod, NOW);
    const project = await prisma.project.findFirstOrThrow({ where: { approval: "ACCEPTED", plannedInvestment: { not: null } }, orderBy: { planKey: "asc" } });
    await prisma.$transaction((tx) => tx.project.update({ where: { id: project.id }, data: { plannedInvestment: { increment: 1000 } } }));
    const after = await dashboard.getDashboard(leader, NOW);
    expect(after).not.toBe(before);
    expect(Number(after.plannedInvestment) - Number(before.plannedInvestment)).toBeCloseTo(1000, 4);
    const rAfter = await report.monthlyReport(leader, before.reportingPeriod, NOW);
    expect(Number(rAfter.total.planned) - Number(rBefore.total.planned)).toBeCloseTo(1000, 4);
  });
});
