// Baselines (docs/decisions/0030), pure: a project's baseline as one flat map, the difference a
// proposal makes, and whether a registry or import value may still set a baseline directly.
import Decimal from "decimal.js";
import type { BaselineValues } from "./schema";

export interface BaselineSource {
  totalInvestment: { toString(): string } | null;
  demoFields: readonly string[];
  milestones: { kind: string; baselineDate: Date | null; isDemo: boolean }[];
  annualPlans: { year: number; amount: { toString(): string }; isDemo: boolean }[];
}

const day = (d: Date | null) => (d ? d.toISOString().slice(0, 10) : null);
const wan = (v: { toString(): string } | null) => (v === null ? null : new Decimal(v.toString()).toString());

/** The project's current baseline as a flat map (totalInvestment, milestone.<KIND>, annualPlan.<year>). */
export function baselineValues(p: BaselineSource): BaselineValues {
  const out: BaselineValues = { totalInvestment: wan(p.totalInvestment) };
  for (const m of p.milestones) out[`milestone.${m.kind}`] = day(m.baselineDate);
  for (const a of p.annualPlans) out[`annualPlan.${a.year}`] = wan(a.amount);
  return out;
}

/** Equal baseline values: amounts compare as numbers (1000 = 1000.0000), days as text. */
export function sameBaselineValue(a: string | null | undefined, b: string | null | undefined): boolean {
  if (a == null || b == null) return a == b;
  if (/^\d{4}-\d{2}-\d{2}$/.test(a) || /^\d{4}-\d{2}-\d{2}$/.test(b)) return a === b;
  return new Decimal(a).equals(b);
}

/** The keys whose proposed value differs from the current one, with both. */
export function baselineChanges(current: BaselineValues, proposed: BaselineValues): Record<string, { from: string | null; to: string | null }> {
  const out: Record<string, { from: string | null; to: string | null }> = {};
  for (const [key, to] of Object.entries(proposed)) {
    if (!sameBaselineValue(current[key], to)) out[key] = { from: current[key] ?? null, to };
  }
  return out;
}

/**
 * A baseline is set (and locked: it changes only by an approved change request) once it holds a
 * real value. A blank one, or generated demo data, is not yet a baseline: the registry form or
 * the import sets it, and that first real value becomes the original too.
 */
export function isBaselineSet(value: { toString(): string } | Date | null | undefined, isDemo: boolean): boolean {
  return value !== null && value !== undefined && !isDemo;
}
