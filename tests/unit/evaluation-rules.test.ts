// The final evaluation's pure rules (lib/evaluation/rules.ts): stages required and reached, the
// evidence chosen, indicator verdicts by comparator and direction, and the cut-off day's bounds.
import { describe, expect, it } from "vitest";
import { indicatorVerdict, projectAchievement, requiredStage, type StageEvidence } from "@/lib/evaluation/rules";
import { evaluationQuery, evaluationSearch, isCutoffDay } from "@/lib/evaluation/schema";

const ev = (kind: StageEvidence["kind"], actualDate: string): StageEvidence => ({ kind, actualDate, approvedOn: "2026-01-01", period: "2025-12", isDemo: false });

describe("target achievement", () => {
  it("maps each 2025 target to the stage it asks for", () => {
    expect(["COMPLETE", "START", "CONSTRUCT", "RELOCATE", "PREPARE"].map((t) => requiredStage(t as never))).toEqual(["COMPLETE", "START", "START", "START", "PREPARE"]);
  });

  it("reaches the highest stage proven by 2025-12-31, with the earliest proving milestone", () => {
    const a = projectAchievement("COMPLETE", [ev("APPROVAL", "2021-02-01"), ev("START", "2022-03-01"), ev("IN_SERVICE", "2025-11-30"), ev("ACCEPTANCE", "2025-12-01")]);
    expect(a).toMatchObject({ required: "COMPLETE", reached: "COMPLETE", met: true, evidence: { kind: "IN_SERVICE", actualDate: "2025-11-30" } });
    // Acceptance in 2026 is too late: the project reached 开工 only.
    expect(projectAchievement("COMPLETE", [ev("START", "2022-03-01"), ev("ACCEPTANCE", "2026-01-01")])).toMatchObject({ reached: "START", met: false });
    // 建成 includes 开工 includes 前期.
    expect(projectAchievement("PREPARE", [ev("ACCEPTANCE", "2024-01-01")])).toMatchObject({ reached: "COMPLETE", met: true });
    expect(projectAchievement("CONSTRUCT", [ev("FEASIBILITY", "2024-01-01"), ev("EIA_APPROVAL", "2023-06-01")])).toMatchObject({ reached: "PREPARE", met: false, evidence: { kind: "EIA_APPROVAL" } });
    expect(projectAchievement("PREPARE", [ev("MAIN_WORKS_DONE", "2024-01-01")])).toMatchObject({ reached: "NONE", met: false, evidence: null });
  });
});

describe("indicator verdicts", () => {
  const years = (values: number[]) => values.map((value, i) => ({ year: 2021 + i, value }));
  const base = { cumulative: false, direction: "UP" as const };
  it("judges by comparator and direction", () => {
    expect(indicatorVerdict({ ...base, target2025: 62, comparator: "ABOUT", values: [{ year: 2025, value: 59 }] }).verdict).toBe("MET");
    expect(indicatorVerdict({ ...base, target2025: 62, comparator: "ABOUT", values: [{ year: 2025, value: 58.8 }] }).verdict).toBe("NOT_MET");
    expect(indicatorVerdict({ ...base, target2025: 62, comparator: "ABOUT", values: [{ year: 2025, value: 70 }] }).verdict).toBe("MET");
    expect(indicatorVerdict({ ...base, direction: "DOWN", target2025: 62, comparator: "ABOUT", values: [{ year: 2025, value: 70 }] }).verdict).toBe("NOT_MET");
    expect(indicatorVerdict({ ...base, target2025: 2, comparator: "EXACT", values: [{ year: 2025, value: 3 }] }).verdict).toBe("MET");
    expect(indicatorVerdict({ ...base, target2025: 2, comparator: "EXACT", values: [{ year: 2025, value: 1 }] }).verdict).toBe("NOT_MET");
    expect(indicatorVerdict({ ...base, direction: "DOWN", target2025: 2.5, comparator: "AT_MOST", values: [{ year: 2025, value: 2.5 }] }).verdict).toBe("MET");
    expect(indicatorVerdict({ ...base, direction: "DOWN", target2025: 2.5, comparator: "AT_MOST", values: [{ year: 2025, value: 2.51 }] }).verdict).toBe("NOT_MET");
    expect(indicatorVerdict({ ...base, target2025: 95, comparator: "AT_LEAST", values: [{ year: 2024, value: 99 }] }).verdict).toBe("NO_DATA");
    expect(indicatorVerdict({ ...base, target2025: null, comparator: "AT_LEAST", values: [{ year: 2025, value: 99 }] }).verdict).toBe("NO_DATA");
  });
  it("sums a cumulative indicator over the five years and needs all of them", () => {
    const r = indicatorVerdict({ ...base, cumulative: true, target2025: 46, comparator: "AT_LEAST", values: [...years([9, 9, 9, 9, 10]), { year: 2026, value: 100 }, { year: 2020, value: 100 }] });
    expect([r.value?.toString(), r.verdict]).toEqual(["46", "MET"]);
    expect(indicatorVerdict({ ...base, cumulative: true, target2025: 46, comparator: "AT_LEAST", values: years([20, 20, 20, 20]) }).verdict).toBe("NO_DATA");
  });
});

describe("the query string", () => {
  const now = new Date("2026-12-05T02:00:00Z");
  it("takes a cut-off day from 2025-12-31 to today (China)", () => {
    expect(["2025-12-31", "2026-01-31", "2026-12-05"].map((d) => isCutoffDay(d, now))).toEqual([true, true, true]);
    expect(["2025-12-30", "2026-12-06", "2026-02-30", "2026-1-31", "", "__proto__"].map((d) => isCutoffDay(d, now))).toEqual([false, false, false, false, false, false]);
  });
  it("is strict and round-trips the view", () => {
    expect(evaluationQuery.safeParse({ unknown: "1" }).success).toBe(false);
    const parsed = evaluationQuery.parse({ basis: "now", column: "9", county: "520382", met: "no" });
    expect(evaluationSearch({ basis: parsed.basis!, cutoff: "2025-12-31" }, { column: parsed.column, county: parsed.county, met: parsed.met })).toBe("?basis=now&column=9&county=520382&met=no");
  });
});
