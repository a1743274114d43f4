// Milestone slippage against the current approved baseline and against the original one (较原计划,
// docs/decisions/0030): the one place both are computed, for the project page, the delay review,
// the monthly report and its workbook. Pure. Lights keep judging against the current baseline.
import { milestoneSlippageDays } from "@/lib/domain/dates";

export interface MilestoneBaselines {
  baselineDate: Date | null;
  /** null: no change was ever approved before an original was recorded; the current one is the original. */
  originalBaselineDate: Date | null;
  forecastDate: Date | null;
  actualDate: Date | null;
}

export interface Slippage {
  /** Days late against the current baseline (actual, else forecast); null when either date is missing. */
  current: number | null;
  /** The same against the original baseline (较原计划). */
  original: number | null;
}

/** One milestone's slippage against both baselines. */
export function milestoneSlippage(m: MilestoneBaselines): Slippage {
  return {
    current: milestoneSlippageDays(m),
    original: milestoneSlippageDays({ ...m, baselineDate: m.originalBaselineDate ?? m.baselineDate }),
  };
}

/** A project's worst (largest) slippage against each baseline over its milestones. */
export function worstSlippage(milestones: readonly MilestoneBaselines[]): Slippage {
  let current: number | null = null;
  let original: number | null = null;
  for (const m of milestones) {
    const s = milestoneSlippage(m);
    if (s.current !== null && (current === null || s.current > current)) current = s.current;
    if (s.original !== null && (original === null || s.original > original)) original = s.original;
  }
  return { current, original };
}

/** "+12", "-3", "0", or "" for no figure. */
export function formatSlippage(days: number | null): string {
  return days === null ? "" : days > 0 ? `+${days}` : String(days);
}
