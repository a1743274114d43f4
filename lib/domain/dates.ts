// Date helpers for plan dates stored as calendar days (PostgreSQL DATE, read as UTC midnight).

const DAY_MS = 86_400_000;

/** Whole days from `from` to `to` (positive when `to` is later). */
export function daysBetween(from: Date, to: Date): number {
  return Math.round((Date.UTC(to.getUTCFullYear(), to.getUTCMonth(), to.getUTCDate()) -
    Date.UTC(from.getUTCFullYear(), from.getUTCMonth(), from.getUTCDate())) / DAY_MS);
}

/** Slippage of a milestone in days: the actual date, else the forecast, against the baseline. */
export function milestoneSlippageDays(m: { baselineDate: Date | null; forecastDate: Date | null; actualDate: Date | null }): number | null {
  const reference = m.actualDate ?? m.forecastDate;
  return m.baselineDate && reference ? daysBetween(m.baselineDate, reference) : null;
}

/** YYYY-MM-DD of a calendar date. */
export function isoDay(date: Date | null | undefined): string {
  return date ? date.toISOString().slice(0, 10) : "";
}

/** "2026-11-29 12:24" in Beijing time, how users read a timestamp (stored instants are UTC). */
export function formatChinaTime(instant: Date | null | undefined): string {
  if (!instant) return "";
  return new Date(instant.getTime() + 8 * 3_600_000).toISOString().slice(0, 16).replace("T", " ");
}
