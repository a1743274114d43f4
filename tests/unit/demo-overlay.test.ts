import { describe, expect, it } from "vitest";
import { sumWan, toDecimal } from "@/lib/domain/money";
import { PLAN } from "@/prisma/data/reference";
import { generateDemoOverlay, seededRandom, type DemoProjectInput } from "@/prisma/seed/demo-overlay";
import { loadPlanData } from "@/prisma/seed/plan-data";

const inputs: DemoProjectInput[] = loadPlanData().projects.map((p) => ({
  id: `id-${p.project_key}`,
  planKey: p.project_key,
  name: p.name,
  columnNumber: p.column_no,
  sectorCode: p.sector || null,
  targetStage2025: p.target_stage,
  divisionCodes: p.counties,
}));
const TARGET = toDecimal(PLAN.keyInvestmentTargetWan);
const options = { asOf: { year: 2026, month: 10 }, countyGovernment: (code: string) => `gov-${code}`, plannedTotal: TARGET };

// Generating the 307-project overlay takes seconds (Decimal arithmetic, ~13k months); on a busy
// 2-core machine the default 5 s per test is too tight.
describe("demo overlay", { timeout: 60_000 }, () => {
  it("is deterministic: the same input gives the same figures", () => {
    const first = generateDemoOverlay(inputs, options);
    const second = generateDemoOverlay([...inputs].reverse(), options);
    expect(second).toEqual(first);
  });

  it("changes with the seed", () => {
    const a = generateDemoOverlay(inputs, options);
    const b = generateDemoOverlay(inputs, { ...options, seed: "another" });
    expect(b[0]!.totalInvestment).not.toBe(a[0]!.totalInvestment);
  });

  it("sums 十四五计划投资 to the plan's 4500亿元 within 1%", () => {
    const overlay = generateDemoOverlay(inputs, options);
    const total = sumWan(overlay.map((p) => p.plannedInvestment));
    expect(total.minus(TARGET).abs().dividedBy(TARGET).toNumber()).toBeLessThan(0.01);
  });

  it("keeps each project's figures consistent", () => {
    for (const p of generateDemoOverlay(inputs, options)) {
      const fyp = sumWan(p.annualPlans.filter((a) => a.year >= 2021 && a.year <= 2025).map((a) => a.amount));
      expect(fyp.equals(p.plannedInvestment), p.projectId).toBe(true);
      expect(sumWan(p.funding.map((f) => f.amount)).equals(p.totalInvestment), p.projectId).toBe(true);
      const completed = sumWan(p.returns.map((r) => r.completedInvestment));
      expect(completed.lessThanOrEqualTo(p.totalInvestment), p.projectId).toBe(true);
      expect(p.plannedStart < p.plannedCompletion).toBe(true);
      for (const r of p.returns) expect(r.period <= "2026-10-01").toBe(true);
      expect(p.milestones).toHaveLength(10);
    }
  });

  it("makes some projects late, not all", () => {
    const overlay = generateDemoOverlay(inputs, options);
    const late = overlay.filter((p) => p.late).length;
    expect(late).toBeGreaterThan(overlay.length * 0.05);
    expect(late).toBeLessThan(overlay.length * 0.4);
  });

  it("assigns single-county projects to their county government", () => {
    const overlay = generateDemoOverlay(inputs, options);
    const input = inputs.find((p) => p.divisionCodes.length === 1 && p.divisionCodes[0] === "520382")!;
    expect(overlay.find((p) => p.projectId === input.id)!.ownerOrgName).toBe("gov-520382");
  });

  it("has a PRNG that is repeatable and in [0, 1)", () => {
    const a = seededRandom("x");
    const b = seededRandom("x");
    const values = Array.from({ length: 1000 }, () => a());
    expect(values).toEqual(Array.from({ length: 1000 }, () => b()));
    expect(Math.min(...values)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...values)).toBeLessThan(1);
  });
});
