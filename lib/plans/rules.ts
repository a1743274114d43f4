// The plan rules with no I/O (docs/decisions/0028): which plan is current in a year, and which of a
// project's plans a month's return counts for. lib/plans/sql.ts writes the second in SQL.

interface PlanPeriod {
  id: string;
  periodStart: number;
  periodEnd: number;
}

/** The plan whose period contains `year`; else the latest started by then; else the earliest. null when none. */
export function currentPlanOf<P extends PlanPeriod>(plans: readonly P[], year: number): P | null {
  const byStart = [...plans].sort((a, b) => a.periodStart - b.periodStart || a.id.localeCompare(b.id));
  const containing = byStart.filter((p) => p.periodStart <= year && year <= p.periodEnd).at(-1);
  if (containing) return containing;
  return byStart.filter((p) => p.periodStart <= year).at(-1) ?? byStart[0] ?? null;
}

/**
 * The plan a project's return of `year` counts for, among the plans the project belongs to (its
 * home plan and those it continues in): the latest started by that year, else its earliest. A
 * carried-over project's 2026 returns count for the plan of 2026-2030 only; its 2021-2025 returns
 * stay with 十四五. A project in one plan counts every return for it, as before.
 */
export function planOfYear<P extends PlanPeriod>(projectPlans: readonly P[], year: number): P | null {
  const byStart = [...projectPlans].sort((a, b) => a.periodStart - b.periodStart || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return byStart.filter((p) => p.periodStart <= year).at(-1) ?? byStart[0] ?? null;
}
