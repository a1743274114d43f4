// Which plan is current in a year, and which of a project's plans a return of a year counts for
// (lib/plans/rules.ts; the SQL form is held equal in tests/integration/plans.test.ts).
import { describe, expect, it } from "vitest";
import { currentPlanOf, planOfYear } from "@/lib/plans/rules";

const fourteenth = { id: "zunyi-14th", periodStart: 2021, periodEnd: 2025 };
const fifteenth = { id: "zunyi-15th", periodStart: 2026, periodEnd: 2030 };

describe("the current plan by date", () => {
  it("is the plan whose period holds the year; after every period the latest started; before them the earliest", () => {
    expect(currentPlanOf([fifteenth, fourteenth], 2023)?.id).toBe("zunyi-14th");
    expect(currentPlanOf([fourteenth, fifteenth], 2026)?.id).toBe("zunyi-15th");
    expect(currentPlanOf([fourteenth], 2026)?.id).toBe("zunyi-14th");
    expect(currentPlanOf([fourteenth, fifteenth], 2035)?.id).toBe("zunyi-15th");
    expect(currentPlanOf([fourteenth, fifteenth], 2019)?.id).toBe("zunyi-14th");
    expect(currentPlanOf([], 2026)).toBeNull();
  });
});

describe("the plan a return counts for", () => {
  it("is the latest of the project's plans started by the return's year, else its earliest", () => {
    const carried = [fourteenth, fifteenth];
    expect(planOfYear(carried, 2025)?.id).toBe("zunyi-14th");
    expect(planOfYear(carried, 2026)?.id).toBe("zunyi-15th");
    expect(planOfYear(carried, 2031)?.id).toBe("zunyi-15th");
    // A project only in 十四五 keeps every return, 2026 included; one only in the later plan too.
    expect(planOfYear([fourteenth], 2026)?.id).toBe("zunyi-14th");
    expect(planOfYear([fifteenth], 2024)?.id).toBe("zunyi-15th");
    expect(planOfYear([], 2026)).toBeNull();
  });
});
