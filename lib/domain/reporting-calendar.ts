// The one reporting calendar (docs/decisions/0016-reporting-calendar.md): which month is being
// reported, which months a project owes a return for, when each is due, and what "year to date as
// of month M" covers. Pure: the instant and the due day (env.RETURN_DUE_DAY) are passed in.
import { daysBetween } from "./dates";

// ---------------------------------------------------------------------------------------------
// Periods: "YYYY-MM". A return for month M is due on day `dueDay` of month M+1.

export const FIRST_PERIOD = "2021-01";
const PERIOD = /^(\d{4})-(0[1-9]|1[0-2])$/;

/** The last period anyone may name (the end of the plausible date range, lib/domain/dates). */
export const LAST_PERIOD = "2100-12";

export function isPeriod(value: string): boolean {
  return PERIOD.test(value) && value >= FIRST_PERIOD && value <= LAST_PERIOD;
}

/** First day of the period's month (UTC midnight, as PostgreSQL DATE is read). */
export function periodStart(period: string): Date {
  const match = PERIOD.exec(period);
  if (!match) throw new RangeError(`not a period: ${period}`);
  return new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, 1));
}

/** Last day of the period's month. */
export function periodEnd(period: string): Date {
  const start = periodStart(period);
  return new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + 1, 0));
}

export function periodOf(date: Date): string {
  return `${date.getUTCFullYear()}-${String(date.getUTCMonth() + 1).padStart(2, "0")}`;
}

export function addMonths(period: string, months: number): string {
  const start = periodStart(period);
  return periodOf(new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + months, 1)));
}

/** Whole months from `from` to `to` (positive when `to` is later). */
export function monthsBetween(from: string, to: string): number {
  const a = periodStart(from);
  const b = periodStart(to);
  return (b.getUTCFullYear() - a.getUTCFullYear()) * 12 + (b.getUTCMonth() - a.getUTCMonth());
}

/** The calendar day (China time) of an instant, as a UTC-midnight Date. */
export function chinaDay(instant: Date): Date {
  const shifted = new Date(instant.getTime() + 8 * 3_600_000);
  return new Date(Date.UTC(shifted.getUTCFullYear(), shifted.getUTCMonth(), shifted.getUTCDate()));
}

// ---------------------------------------------------------------------------------------------
// What is due when.

/** The due date of a period's return: day `dueDay` of the next month (clamped to its length). */
export function dueDate(period: string, dueDay: number): Date {
  const next = periodStart(addMonths(period, 1));
  const lastDay = new Date(Date.UTC(next.getUTCFullYear(), next.getUTCMonth() + 1, 0)).getUTCDate();
  return new Date(Date.UTC(next.getUTCFullYear(), next.getUTCMonth(), Math.min(dueDay, lastDay)));
}

/** Days past the due date on `asOf`'s China day; 0 up to and including the due day. */
export function daysOverdue(period: string, asOf: Date, dueDay: number): number {
  return Math.max(0, daysBetween(dueDate(period, dueDay), chinaDay(asOf)));
}

/** Overdue once the due day has passed (a return is on time all through its due day). */
export function isOverdue(period: string, asOf: Date, dueDay: number): boolean {
  return daysOverdue(period, asOf, dueDay) > 0;
}

/**
 * The latest reporting month on `asOf`: the latest month whose return is past due (its due day
 * has passed in China). Every "as of" figure without a month named defaults to it: the lights,
 * 序时进度, the late list, my-work, the dashboard and the monthly report. On 4 December with the
 * 25th as due day it is October (November's return is due on 25 December).
 */
export function latestReportingMonth(asOf: Date, dueDay: number): string {
  const today = chinaDay(asOf);
  // This month's return is never due yet; last month's is due from its due day on.
  const last = addMonths(periodOf(today), -1);
  return daysBetween(dueDate(last, dueDay), today) > 0 ? last : addMonths(last, -1);
}

/** The month being filled in now: the current month's return may be drafted from its first day. */
export function currentPeriod(asOf: Date): string {
  return periodOf(chinaDay(asOf));
}

/** The return being prepared on `asOf`: the month after the latest reporting month (not yet overdue). */
export function nextDueMonth(asOf: Date, dueDay: number): string {
  return addMonths(latestReportingMonth(asOf, dueDay), 1);
}

// ---------------------------------------------------------------------------------------------
// Which months a project owes.

export interface ReturnObligation {
  lifecycleStage: string;
  /** The actual 开工 date (milestone START), when recorded. */
  actualStart: Date | null;
  plannedStart: Date | null;
  /** When the project joined the library. */
  createdAt: Date;
}

/** A project as the calendar reads it: the actual start is its START milestone's actual date. */
export function obligationOf(p: { lifecycleStage: string; plannedStart: Date | null; createdAt: Date; milestones: readonly { kind: string; actualDate: Date | null }[] }): ReturnObligation {
  const actualStart = p.milestones.find((m) => m.kind === "START")?.actualDate ?? null;
  return { lifecycleStage: p.lifecycleStage, actualStart, plannedStart: p.plannedStart, createdAt: p.createdAt };
}

/**
 * The first month a project owes a return, or null when it owes none. Projects under construction
 * report from the month works started: the actual 开工 date, else the planned start, else the month
 * the project joined the library; never before FIRST_PERIOD. 前期, suspended, completed and
 * cancelled projects owe no return (a suspension is a light of its own).
 */
export function returnsOwedFrom(p: ReturnObligation): string | null {
  if (p.lifecycleStage !== "CONSTRUCTION") return null;
  const started = periodOf(p.actualStart ?? p.plannedStart ?? p.createdAt);
  return started < FIRST_PERIOD ? FIRST_PERIOD : started;
}

/** Whether the project owes a return for `month` (whatever is reported). */
export function owesReturnFor(p: ReturnObligation, month: string): boolean {
  const from = returnsOwedFrom(p);
  return from !== null && month >= from;
}

/**
 * The months a project is behind on `asOf`: from the first month owed after its latest reported
 * (SUBMITTED or APPROVED) return, through the latest reporting month. Empty when it is up to date or
 * owes nothing. This is what the light counts, the late list shows and my-work asks for.
 */
export function monthsBehind(owedFrom: string | null, latestReported: string | null, asOf: Date, dueDay: number): string[] {
  if (owedFrom === null) return [];
  const afterLatest = latestReported === null ? owedFrom : addMonths(latestReported, 1);
  const first = afterLatest > owedFrom ? afterLatest : owedFrom;
  const last = latestReportingMonth(asOf, dueDay);
  const out: string[] = [];
  for (let m = first; m <= last; m = addMonths(m, 1)) out.push(m);
  return out;
}

/**
 * What the owner unit has to file for a project on `asOf`, given the months it has reported
 * (SUBMITTED or APPROVED): the months it is behind (overdue, oldest first; monthsBehind) and the
 * month due next (nextDueMonth) when owed, ended and not reported yet. my-work lists both; the project
 * page leads with the first of them, never with a month that has not ended.
 */
export function returnsToFile(owedFrom: string | null, reportedMonths: readonly string[], asOf: Date, dueDay: number): { overdue: string[]; due: string | null } {
  const latestReported = reportedMonths.reduce<string | null>((latest, m) => (latest === null || m > latest ? m : latest), null);
  const overdue = monthsBehind(owedFrom, latestReported, asOf, dueDay);
  const next = nextDueMonth(asOf, dueDay);
  // A month is due once it has ended: from the 26th to the month's end the next month is still running.
  const due = owedFrom !== null && owedFrom <= next && next < currentPeriod(asOf) && !reportedMonths.includes(next) ? next : null;
  return { overdue, due };
}

// ---------------------------------------------------------------------------------------------
// Year to date as of month M.

export interface YearToDate {
  /** The month figures are as of ("YYYY-MM"). */
  month: string;
  year: number;
  /** January of the year ("YYYY-01"). */
  from: string;
  /** Months covered: January through M (1-12); 序时进度 is this many twelfths of the plan. */
  months: number;
  /** First day of January (inclusive), as returns' `period` compares. */
  start: Date;
  /** First day of the month after M (exclusive): returns of months before it count. */
  end: Date;
  /** The instant M ends in China: 督办 issued (sentAt) before it count as of M. */
  issuedBefore: Date;
}

/**
 * "Year to date as of month M": APPROVED returns of January..M of M's year (nothing later, even if
 * already approved), 序时进度 over M's month count, and 督办 issued up to the end of M (China time).
 * Cumulative figures as of M are approved returns of every month before `end`.
 */
export function yearToDate(month: string): YearToDate {
  const start = periodStart(month);
  const year = start.getUTCFullYear();
  const end = periodStart(addMonths(month, 1));
  return {
    month,
    year,
    from: `${year}-01`,
    months: start.getUTCMonth() + 1,
    start: new Date(Date.UTC(year, 0, 1)),
    end,
    issuedBefore: new Date(end.getTime() - 8 * 3_600_000),
  };
}

/** Months of `year` covered as of month M: 0 when M is in an earlier year, 12 when in a later one. */
export function monthsOfYearAsOf(year: number, month: string): number {
  const ytd = yearToDate(month);
  if (ytd.year < year) return 0;
  if (ytd.year > year) return 12;
  return ytd.months;
}

/** A month a report or dashboard can be shown as of: FIRST_PERIOD up to the current month. */
export function isAsOfMonth(month: string, asOf: Date): boolean {
  return isPeriod(month) && month <= currentPeriod(asOf);
}
