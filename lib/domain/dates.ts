// Date helpers for plan dates stored as calendar days (PostgreSQL DATE, read as UTC midnight).

const DAY_MS = 86_400_000;

/**
 * The days a plan date, a milestone or a filter may name: from the founding of the People's
 * Republic to the end of the century. 0001-01-01 or 9999-12-31 is a typing slip, not a date.
 */
export const EARLIEST_DAY = "1949-10-01";
export const LATEST_DAY = "2100-12-31";

/** A YYYY-MM-DD within [EARLIEST_DAY, LATEST_DAY] (compares as text; the format is checked elsewhere). */
export function isPlausibleDay(value: string): boolean {
  return value >= EARLIEST_DAY && value <= LATEST_DAY;
}

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

/**
 * The one way a timestamp is shown to a user: "2026-11-29 12:24" (with `seconds`,
 * "2026-11-29 12:24:05") in Beijing time, whatever the locale, the server's or the browser's
 * time zone. Stored instants are UTC; China has kept UTC+8 all year since 1991, so the shift is
 * fixed. A plan date stored as a calendar day is shown with isoDay, not with this.
 */
export function formatChinaTime(instant: Date | string | null | undefined, options: { seconds?: boolean } = {}): string {
  if (!instant) return "";
  const at = typeof instant === "string" ? new Date(instant) : instant;
  return new Date(at.getTime() + 8 * 3_600_000).toISOString().slice(0, options.seconds ? 19 : 16).replace("T", " ");
}

/** "2026-11-29": the day in Beijing on which an instant fell (a UTC day is wrong from 00:00 to 08:00). */
export function formatChinaDay(instant: Date | string | null | undefined): string {
  return formatChinaTime(instant).slice(0, 10);
}

/** The same day `months` calendar months later, clamped to the month's end (31 Jan + 1 → 28/29 Feb). */
export function addCalendarMonths(date: Date, months: number): Date {
  const shifted = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + months, 1));
  const lastDay = new Date(Date.UTC(shifted.getUTCFullYear(), shifted.getUTCMonth() + 1, 0)).getUTCDate();
  return new Date(Date.UTC(shifted.getUTCFullYear(), shifted.getUTCMonth(), Math.min(date.getUTCDate(), lastDay)));
}
