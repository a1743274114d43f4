import { describe, expect, it } from "vitest";
import { daysBetween, isoDay, milestoneSlippageDays } from "@/lib/domain/dates";

const d = (s: string) => new Date(`${s}T00:00:00Z`);

describe("dates", () => {
  it("counts whole days across month and leap-year ends", () => {
    expect(daysBetween(d("2024-02-28"), d("2024-03-01"))).toBe(2);
    expect(daysBetween(d("2023-02-28"), d("2023-03-01"))).toBe(1);
    expect(daysBetween(d("2025-01-10"), d("2025-01-01"))).toBe(-9);
  });

  it("measures slippage from the actual date, else the forecast", () => {
    expect(milestoneSlippageDays({ baselineDate: d("2024-01-01"), forecastDate: d("2024-03-01"), actualDate: d("2024-01-31") })).toBe(30);
    expect(milestoneSlippageDays({ baselineDate: d("2024-01-01"), forecastDate: d("2024-03-01"), actualDate: null })).toBe(60);
    expect(milestoneSlippageDays({ baselineDate: null, forecastDate: d("2024-03-01"), actualDate: null })).toBeNull();
    expect(milestoneSlippageDays({ baselineDate: d("2024-01-01"), forecastDate: null, actualDate: null })).toBeNull();
  });

  it("prints calendar days", () => {
    expect(isoDay(d("2025-12-31"))).toBe("2025-12-31");
    expect(isoDay(null)).toBe("");
  });
});
