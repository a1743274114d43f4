// 序时进度, 四率 and earned value of one project and of the portfolio: pure arithmetic on figures the
// data layer loads, with the definitions the dashboard shows next to each number
// (docs/decisions/0007-traffic-lights.md). Amounts are 万元 as Decimal; shares are percent.
import type { DeliveryConfidence, LifecycleStage, MilestoneKind } from "@/lib/generated/prisma/enums";
import { daysBetween } from "@/lib/domain/dates";
import { latestReportingMonth, monthsOfYearAsOf, yearToDate } from "@/lib/domain/reporting-calendar";
import { Decimal, sumWan, toDecimal, type DecimalLike } from "@/lib/domain/money";
import { TRAFFIC_LIGHT_RULES } from "@/lib/domain/traffic-light-rules";

const DEFAULT_DUE_DAY = TRAFFIC_LIGHT_RULES.monthlyReturn.dueDay;
const HUNDRED = new Decimal(100);
const TWELVE = new Decimal(12);

export interface MilestoneFacts {
  kind: MilestoneKind;
  baselineDate: Date | null;
  forecastDate: Date | null;
  actualDate: Date | null;
}

export interface FundsInPlace {
  sourceCode: string;
  amount: DecimalLike;
}

/**
 * What the traffic lights, the project figures and the 四率 need to know about one project.
 * Dates are calendar days as `lib/domain/dates.ts` reads them (UTC midnight); months are given by
 * their first day. The annual figures all belong to `planYear`.
 */
export interface ProjectSnapshot {
  lifecycleStage: LifecycleStage;
  plannedStart: Date | null;
  plannedCompletion: Date | null;
  /** 总投资 (万元) */
  totalInvestment: DecimalLike | null;
  planYear: number;
  /** 年度计划投资 of planYear (万元); null when none was entered (not the same as 0). */
  annualPlan: DecimalLike | null;
  /** 本年累计完成投资: approved returns of planYear (万元). */
  completedThisYear: DecimalLike;
  /** 累计完成投资 since the project began (Project.completedInvestment, 万元). */
  completedTotal: DecimalLike;
  /** 本年资金到位 by funding source (万元); null when unknown, [] when none has arrived. */
  fundsInPlaceThisYear: FundsInPlace[] | null;
  /** 本年累计支付 (万元); null when not reported. */
  paymentsThisYear: DecimalLike | null;
  milestones: MilestoneFacts[];
  /** Month of the latest SUBMITTED or APPROVED return; null when none. */
  latestReturnPeriod: Date | null;
  /** First month a return was required (e.g. the month the project joined the library). */
  returnsRequiredFrom: Date | null;
  /** The human five-point rating (UK IPA DCA scale); null when nobody rated. */
  deliveryConfidence: DeliveryConfidence | null;
}

// ---------------------------------------------------------------------------------------------
// The reporting calendar (lib/domain/reporting-calendar.ts) says which month figures are as of; the
// data layer passes env.RETURN_DUE_DAY as `dueDay`.

/** Months of `year` covered by the latest reporting month on `asOf`: 0 before the year's first return is due, 12 after the last. */
export function elapsedMonths(year: number, asOf: Date, dueDay: number = DEFAULT_DUE_DAY): number {
  // The reporting month: the latest month past its return due date (May on 25 July, June on 26 July).
  return monthsOfYearAsOf(year, latestReportingMonth(asOf, dueDay));
}

// ---------------------------------------------------------------------------------------------
// In the annual plan: one rule, read by projectContribution here and, as SQL, by the dashboard and
// the report (inAnnualPlanSql in lib/portfolio/ is written from these constants).

/** Stages that have left the plan: their annual plan and figures count nowhere. */
export const STAGES_OUTSIDE_ANNUAL_PLAN = ["CANCELLED"] as const satisfies readonly LifecycleStage[];

/** A project is in the year's plan when it has a positive 年度计划投资 and has not left the plan. */
export function isInAnnualPlan(annualPlan: DecimalLike | null, lifecycleStage: LifecycleStage): boolean {
  return annualPlan !== null && toDecimal(annualPlan).greaterThan(0) && !(STAGES_OUTSIDE_ANNUAL_PLAN as readonly string[]).includes(lifecycleStage);
}

// ---------------------------------------------------------------------------------------------
// 序时进度 and shares

/** 序时进度 as an amount: annual plan × elapsed months / 12 (万元). */
export function scheduleTarget(annualPlan: DecimalLike, months: number): Decimal {
  return toDecimal(annualPlan).times(months).dividedBy(TWELVE);
}

/** 序时进度 as a share of the annual plan, in percent (6 months → 50). */
export function scheduleShare(months: number): Decimal {
  return new Decimal(months).times(HUNDRED).dividedBy(TWELVE);
}

/** SPI = EV ÷ PV: completed this year ÷ 序时进度 amount; null while PV is 0. */
export function scheduleIndex(completedThisYear: DecimalLike, annualPlan: DecimalLike, months: number): Decimal | null {
  const pv = scheduleTarget(annualPlan, months);
  return pv.greaterThan(0) ? toDecimal(completedThisYear).dividedBy(pv) : null;
}

/** part / whole in percent; null when the whole is missing or not positive. */
export function percentOf(part: DecimalLike, whole: DecimalLike | null): Decimal | null {
  if (whole === null) return null;
  const w = toDecimal(whole);
  return w.greaterThan(0) ? toDecimal(part).times(HUNDRED).dividedBy(w) : null;
}

/** 本年到位资金 over all sources (万元); null when unknown. */
export function fundsInPlaceTotal(funds: FundsInPlace[] | null): Decimal | null {
  return funds === null ? null : sumWan(funds.map((f) => f.amount));
}

// ---------------------------------------------------------------------------------------------
// Earned value

export interface EarnedValue {
  /** PV: 序时进度 amount (万元). */
  plannedValue: Decimal;
  /** EV: 本年累计完成投资 (万元). */
  earnedValue: Decimal;
  /** AC: 本年累计支付 (万元); null when payments are not reported. */
  actualCost: Decimal | null;
  /** EV / PV; null while PV is 0. */
  spi: Decimal | null;
  /** EV / AC; null without payments or when none were made. */
  cpi: Decimal | null;
}

/** SPI and CPI on the year's figures; null when the project has no annual plan. */
export function earnedValue(
  p: Pick<ProjectSnapshot, "annualPlan" | "completedThisYear" | "paymentsThisYear">,
  months: number,
): EarnedValue | null {
  if (p.annualPlan === null) return null;
  const plannedValue = scheduleTarget(p.annualPlan, months);
  const ev = toDecimal(p.completedThisYear);
  const actualCost = p.paymentsThisYear === null ? null : toDecimal(p.paymentsThisYear);
  return {
    plannedValue,
    earnedValue: ev,
    actualCost,
    spi: plannedValue.greaterThan(0) ? ev.dividedBy(plannedValue) : null,
    cpi: actualCost?.greaterThan(0) ? ev.dividedBy(actualCost) : null,
  };
}

// ---------------------------------------------------------------------------------------------
// One project's figures, shown beside its light

export interface ProjectMetrics {
  /** The latest month past its return due date ("YYYY-MM"). */
  reportingPeriod: string;
  elapsedMonths: number;
  /** 序时进度 share of the annual plan (%). */
  scheduleShare: Decimal;
  /** 序时进度 amount (万元); null without an annual plan. */
  scheduleTarget: Decimal | null;
  /** 本年完成投资 / 年度计划 (%); null without a positive annual plan. */
  completedShare: Decimal | null;
  fundsInPlace: Decimal | null;
  /** 本年到位资金 / 年度计划 (%); null without funds data or a positive annual plan. */
  fundsShare: Decimal | null;
  /** 累计完成投资 / 总投资 (%). */
  totalProgressShare: Decimal | null;
  earnedValue: EarnedValue | null;
}

export function projectMetrics(p: ProjectSnapshot, asOf: Date, dueDay: number = DEFAULT_DUE_DAY): ProjectMetrics {
  const months = elapsedMonths(p.planYear, asOf, dueDay);
  const fundsInPlace = fundsInPlaceTotal(p.fundsInPlaceThisYear);
  return {
    reportingPeriod: latestReportingMonth(asOf, dueDay),
    elapsedMonths: months,
    scheduleShare: scheduleShare(months),
    scheduleTarget: p.annualPlan === null ? null : scheduleTarget(p.annualPlan, months),
    completedShare: percentOf(p.completedThisYear, p.annualPlan),
    fundsInPlace,
    fundsShare: fundsInPlace === null ? null : percentOf(fundsInPlace, p.annualPlan),
    totalProgressShare: percentOf(p.completedTotal, p.totalInvestment),
    earnedValue: earnedValue(p, months),
  };
}

/** Started: an actual START (开工) date on or before asOf, or a stage that comes after the start. */
export function hasStarted(p: Pick<ProjectSnapshot, "lifecycleStage" | "milestones">, asOf: Date): boolean {
  if (p.lifecycleStage === "CONSTRUCTION" || p.lifecycleStage === "COMPLETED") return true;
  const start = p.milestones.find((m) => m.kind === "START");
  return start?.actualDate != null && daysBetween(start.actualDate, asOf) >= 0;
}

/** 竣工 date: the actual date of 竣工验收 (ACCEPTANCE); null when not recorded. */
export function completionDate(p: Pick<ProjectSnapshot, "milestones">): Date | null {
  return p.milestones.find((m) => m.kind === "ACCEPTANCE")?.actualDate ?? null;
}

// ---------------------------------------------------------------------------------------------
// The portfolio: 序时进度, 四率 and earned value

export interface CountRate {
  numerator: number;
  denominator: number;
  /** null when the denominator is 0 (nothing was due). */
  percent: Decimal | null;
}

export interface AmountRate {
  numerator: Decimal;
  denominator: Decimal;
  percent: Decimal | null;
}

export interface PortfolioMetrics {
  year: number;
  elapsedMonths: number;
  /** 年度计划投资 of the projects counted (万元). */
  annualPlan: Decimal;
  /** 序时进度 amount (万元) and share (%). */
  scheduleTarget: Decimal;
  scheduleShare: Decimal;
  /** 开工率 */
  startRate: CountRate;
  /** 投资完成率 */
  investmentCompletionRate: AmountRate;
  /** 资金到位率; projects without funds data count as 0 and are counted here. */
  fundsInPlaceRate: AmountRate & { projectsWithoutFundsData: number };
  /** 按期竣工率; COMPLETED projects without a 竣工验收 date are not on time and are counted here. */
  onTimeCompletionRate: CountRate & { completionDateUnknown: number };
  /** Portfolio SPI = ΣEV / ΣPV; CPI = ΣEV / ΣAC over the projects that report payments. */
  spi: Decimal | null;
  cpi: Decimal | null;
}

function countRate(numerator: number, denominator: number): CountRate {
  return { numerator, denominator, percent: denominator > 0 ? new Decimal(numerator).times(HUNDRED).dividedBy(denominator) : null };
}

function amountRate(numerator: Decimal, denominator: Decimal): AmountRate {
  return { numerator, denominator, percent: percentOf(numerator, denominator) };
}

/** Whether a date lies in [1 January of `year`, min(asOf, 31 December)]: what was due this year so far. */
function dueThisYearSoFar(date: Date | null, year: number, asOf: Date): date is Date {
  if (date === null || date.getUTCFullYear() !== year) return false;
  return daysBetween(date, asOf) >= 0;
}

/**
 * One project's share of the portfolio's 四率 and earned value for `year`: what it adds to each
 * numerator and denominator. The data layer stores these per project (ProjectLight) and sums them
 * in SQL; portfolioMetrics sums them in memory. Either way the rules are these.
 */
export interface PortfolioTotals {
  dueToStart: number;
  started: number;
  dueToComplete: number;
  onTime: number;
  completionDateUnknown: number;
  /** Projects with a positive annual plan, and among them those without funds data. */
  inAnnualPlan: number;
  withoutFunds: number;
  annualPlan: Decimal;
  completed: Decimal;
  funds: Decimal;
  /** Completed this year of the projects that report payments, and their payments. */
  evWithPayments: Decimal;
  payments: Decimal;
}

export const EMPTY_TOTALS: PortfolioTotals = {
  dueToStart: 0, started: 0, dueToComplete: 0, onTime: 0, completionDateUnknown: 0, inAnnualPlan: 0, withoutFunds: 0,
  annualPlan: new Decimal(0), completed: new Decimal(0), funds: new Decimal(0), evWithPayments: new Decimal(0), payments: new Decimal(0),
};

/** Cancelled projects contribute nothing (they left the plan). */
export function projectContribution(p: ProjectSnapshot, year: number, asOf: Date): PortfolioTotals {
  if (p.planYear !== year) throw new RangeError(`snapshot for ${p.planYear} passed to the ${year} portfolio`);
  const t = { ...EMPTY_TOTALS };
  if (p.lifecycleStage === "CANCELLED") return t;
  if (dueThisYearSoFar(p.plannedStart, year, asOf)) {
    t.dueToStart = 1;
    if (hasStarted(p, asOf)) t.started = 1;
  }
  if (dueThisYearSoFar(p.plannedCompletion, year, asOf)) {
    t.dueToComplete = 1;
    const done = completionDate(p);
    if (done && daysBetween(done, asOf) >= 0 && daysBetween(done, p.plannedCompletion) >= 0) t.onTime = 1;
    else if (!done && p.lifecycleStage === "COMPLETED") t.completionDateUnknown = 1;
  }
  if (p.annualPlan !== null && isInAnnualPlan(p.annualPlan, p.lifecycleStage)) {
    t.inAnnualPlan = 1;
    t.annualPlan = toDecimal(p.annualPlan);
    t.completed = toDecimal(p.completedThisYear);
    const inPlace = fundsInPlaceTotal(p.fundsInPlaceThisYear);
    if (inPlace === null) t.withoutFunds = 1;
    else t.funds = inPlace;
    if (p.paymentsThisYear !== null) {
      t.evWithPayments = toDecimal(p.completedThisYear);
      t.payments = toDecimal(p.paymentsThisYear);
    }
  }
  return t;
}

export function addTotals(a: PortfolioTotals, b: PortfolioTotals): PortfolioTotals {
  return {
    dueToStart: a.dueToStart + b.dueToStart,
    started: a.started + b.started,
    dueToComplete: a.dueToComplete + b.dueToComplete,
    onTime: a.onTime + b.onTime,
    completionDateUnknown: a.completionDateUnknown + b.completionDateUnknown,
    inAnnualPlan: a.inAnnualPlan + b.inAnnualPlan,
    withoutFunds: a.withoutFunds + b.withoutFunds,
    annualPlan: a.annualPlan.plus(b.annualPlan),
    completed: a.completed.plus(b.completed),
    funds: a.funds.plus(b.funds),
    evWithPayments: a.evWithPayments.plus(b.evWithPayments),
    payments: a.payments.plus(b.payments),
  };
}

/** The rates from summed contributions, as of the latest reporting month on `asOf`. */
export function metricsFromTotals(t: PortfolioTotals, year: number, asOf: Date, dueDay: number = DEFAULT_DUE_DAY): PortfolioMetrics {
  return metricsForMonths(t, year, elapsedMonths(year, asOf, dueDay));
}

/** The rates from summed contributions as of month M (the totals must be year to date as of M). */
export function metricsAsOfMonth(t: PortfolioTotals, month: string): PortfolioMetrics {
  const ytd = yearToDate(month);
  return metricsForMonths(t, ytd.year, ytd.months);
}

function metricsForMonths(t: PortfolioTotals, year: number, months: number): PortfolioMetrics {
  const target = scheduleTarget(t.annualPlan, months);
  return {
    year,
    elapsedMonths: months,
    annualPlan: t.annualPlan,
    scheduleTarget: target,
    scheduleShare: scheduleShare(months),
    startRate: countRate(t.started, t.dueToStart),
    investmentCompletionRate: amountRate(t.completed, t.annualPlan),
    fundsInPlaceRate: { ...amountRate(t.funds, t.annualPlan), projectsWithoutFundsData: t.withoutFunds },
    onTimeCompletionRate: { ...countRate(t.onTime, t.dueToComplete), completionDateUnknown: t.completionDateUnknown },
    spi: scheduleIndex(t.completed, t.annualPlan, months),
    cpi: t.payments.greaterThan(0) ? t.evWithPayments.dividedBy(t.payments) : null,
  };
}

/**
 * The portfolio's figures for `year` as of `asOf`. Every snapshot's annual figures must be for
 * `year`. Cancelled projects are left out of every rate (they left the plan).
 */
export function portfolioMetrics(projects: readonly ProjectSnapshot[], year: number, asOf: Date, dueDay: number = DEFAULT_DUE_DAY): PortfolioMetrics {
  let totals = EMPTY_TOTALS;
  for (const p of projects) totals = addTotals(totals, projectContribution(p, year, asOf));
  return metricsFromTotals(totals, year, asOf, dueDay);
}

// ---------------------------------------------------------------------------------------------
// Definitions, shown one click away from each number: messages metricDefinitions.<key>.{name,definition}
// (with {due} and {dueNext}, the deployment's return due day), so they read in every language.

/** The figures with a definition in messages (metricDefinitions.*). */
export const METRIC_DEFINITION_KEYS = ["scheduleTarget", "startRate", "investmentCompletionRate", "fundsInPlaceRate", "onTimeCompletionRate", "spi", "cpi"] as const;
export type MetricDefinitionKey = (typeof METRIC_DEFINITION_KEYS)[number];
