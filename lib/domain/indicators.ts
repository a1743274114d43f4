// Progress of the 36 indicators of 专栏1 toward their 2025 targets, respecting the kind of target
// (左右 about / 以上 at least / 以内 at most / exact), its direction and whether it is a five-year
// cumulative value ([ ] in the plan). Pure: the data layer passes the recorded annual values.
import { Decimal, toDecimal, type DecimalLike } from "@/lib/domain/money";
import type { IndicatorComparator, IndicatorDirection } from "@/lib/generated/prisma/enums";

export const PLAN_BASE_YEAR = 2020;
export const PLAN_TARGET_YEAR = 2025;
/** "About" (左右) counts as met within this share of the target. */
export const ABOUT_TOLERANCE = new Decimal("0.05");

export interface IndicatorFacts {
  baseline2020: DecimalLike | null;
  target2025: DecimalLike | null;
  cumulative: boolean;
  comparator: IndicatorComparator;
  direction: IndicatorDirection;
  values: { year: number; value: DecimalLike }[];
}

export type IndicatorStatus = "MET" | "ON_TRACK" | "BEHIND" | "NO_DATA" | "NO_TARGET";

export interface IndicatorProgress {
  latestYear: number | null;
  /** The latest value, or for cumulative indicators the sum of 2021..latest year. */
  current: Decimal | null;
  /** How far from the 2020 baseline (or from 0 for cumulative ones) toward the target, in percent; may exceed 100 or be negative. */
  progressPercent: Decimal | null;
  /** Straight-line expectation for the latest year: (year − 2020) / 5 × 100. */
  expectedPercent: Decimal | null;
  status: IndicatorStatus;
}

function meets(current: Decimal, target: Decimal, comparator: IndicatorComparator): boolean {
  switch (comparator) {
    case "AT_LEAST":
      return current.greaterThanOrEqualTo(target);
    case "AT_MOST":
      return current.lessThanOrEqualTo(target);
    case "ABOUT":
      return current.minus(target).abs().lessThanOrEqualTo(target.abs().times(ABOUT_TOLERANCE));
    case "EXACT":
      return current.equals(target);
  }
}

export function indicatorProgress(facts: IndicatorFacts): IndicatorProgress {
  const values = facts.values.filter((v) => v.year > PLAN_BASE_YEAR).sort((a, b) => a.year - b.year);
  const latest = values.at(-1) ?? null;
  if (!latest) return { latestYear: null, current: null, progressPercent: null, expectedPercent: null, status: "NO_DATA" };
  const current = facts.cumulative ? values.reduce((sum, v) => sum.plus(toDecimal(v.value)), new Decimal(0)) : toDecimal(latest.value);
  const years = Math.min(latest.year, PLAN_TARGET_YEAR) - PLAN_BASE_YEAR;
  const expectedPercent = new Decimal(years).times(100).dividedBy(PLAN_TARGET_YEAR - PLAN_BASE_YEAR);
  if (facts.target2025 === null) return { latestYear: latest.year, current, progressPercent: null, expectedPercent, status: "NO_TARGET" };
  const target = toDecimal(facts.target2025);
  const start = facts.cumulative ? new Decimal(0) : facts.baseline2020 === null ? null : toDecimal(facts.baseline2020);
  const span = start === null ? null : target.minus(start);
  const progressPercent = span === null ? null : span.isZero() ? (meets(current, target, facts.comparator) ? new Decimal(100) : new Decimal(0)) : current.minus(start!).times(100).dividedBy(span);
  // A cap (以内) is met while the value stays within it; a cumulative cap likewise.
  if (facts.comparator === "AT_MOST") return { latestYear: latest.year, current, progressPercent, expectedPercent, status: meets(current, target, "AT_MOST") ? "MET" : "BEHIND" };
  // Cumulative targets are met when the sum reaches them; yearly ones when the latest value does.
  if (meets(current, target, facts.comparator)) {
    return { latestYear: latest.year, current, progressPercent, expectedPercent, status: "MET" };
  }
  if (progressPercent === null) return { latestYear: latest.year, current, progressPercent, expectedPercent, status: "NO_DATA" };
  return { latestYear: latest.year, current, progressPercent, expectedPercent, status: progressPercent.greaterThanOrEqualTo(expectedPercent) ? "ON_TRACK" : "BEHIND" };
}
