import { describe, expect, it } from "vitest";
import { indicatorProgress, type IndicatorFacts } from "@/lib/domain/indicators";

const base: IndicatorFacts = { baseline2020: "60", target2025: "70", cumulative: false, comparator: "AT_LEAST", direction: "UP", values: [] };
const dec = (v: { toString(): string } | null) => (v === null ? null : Number(v.toString()));

describe("indicator progress", () => {
  it("has no data before a value after 2020 is recorded", () => {
    expect(indicatorProgress(base).status).toBe("NO_DATA");
    expect(indicatorProgress({ ...base, values: [{ year: 2020, value: "60" }] }).status).toBe("NO_DATA");
  });

  it("measures a yearly 'at least' target from the baseline, against the straight line", () => {
    const p = indicatorProgress({ ...base, values: [{ year: 2022, value: "63" }, { year: 2023, value: "66" }] });
    expect(p.latestYear).toBe(2023);
    expect(dec(p.progressPercent)).toBe(60);
    expect(dec(p.expectedPercent)).toBe(60);
    expect(p.status).toBe("ON_TRACK");
    expect(indicatorProgress({ ...base, values: [{ year: 2023, value: "65.9" }] }).status).toBe("BEHIND");
    expect(indicatorProgress({ ...base, values: [{ year: 2024, value: "70" }] }).status).toBe("MET");
  });

  it("handles falling targets (direction down, at most)", () => {
    const down: IndicatorFacts = { baseline2020: "10", target2025: "8", cumulative: false, comparator: "AT_MOST", direction: "DOWN", values: [{ year: 2023, value: "9" }] };
    const p = indicatorProgress(down);
    expect(dec(p.progressPercent)).toBe(50);
    expect(p.status).toBe("BEHIND");
    expect(indicatorProgress({ ...down, values: [{ year: 2024, value: "7.5" }] }).status).toBe("MET");
  });

  it("'about' is met within 5% of the target", () => {
    const about: IndicatorFacts = { ...base, comparator: "ABOUT", values: [{ year: 2025, value: "66.5" }] };
    expect(indicatorProgress(about).status).toBe("MET");
    expect(indicatorProgress({ ...about, values: [{ year: 2025, value: "66.4" }] }).status).toBe("BEHIND");
  });

  it("sums cumulative indicators over the years", () => {
    const cum: IndicatorFacts = { baseline2020: null, target2025: "4500", cumulative: true, comparator: "ABOUT", direction: "UP", values: [{ year: 2021, value: "800" }, { year: 2022, value: "900" }, { year: 2020, value: "999" }] };
    const p = indicatorProgress(cum);
    expect(dec(p.current)).toBe(1700);
    expect(dec(p.progressPercent)).toBeCloseTo(37.78, 2);
    expect(dec(p.expectedPercent)).toBe(40);
    expect(p.status).toBe("BEHIND");
    expect(indicatorProgress({ ...cum, values: [...cum.values, { year: 2023, value: "1000" }, { year: 2024, value: "1100" }, { year: 2025, value: "600" }] }).status).toBe("MET");
  });

  it("reports a value without a numeric target as such", () => {
    expect(indicatorProgress({ ...base, target2025: null, values: [{ year: 2022, value: "1" }] }).status).toBe("NO_TARGET");
  });
});
