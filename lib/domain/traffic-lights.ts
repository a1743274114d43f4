// The 红黄绿灯 engine: from a project snapshot and a reporting date to a light with its reasons,
// beside the human delivery-confidence rating. Pure: no clock, no database; the rules and their
// thresholds come from lib/domain/traffic-light-rules.ts (docs/decisions/0007-traffic-lights.md).
import type { DeliveryConfidence, MilestoneKind } from "@/lib/generated/prisma/enums";
import { addCalendarMonths, daysBetween, isoDay, milestoneSlippageDays } from "@/lib/domain/dates";
import { Decimal, toDecimal } from "@/lib/domain/money";
import {
  hasStarted,
  projectMetrics,
  type MilestoneFacts,
  type ProjectMetrics,
  type ProjectSnapshot,
} from "@/lib/domain/portfolio-metrics";
import { addMonths, dueDate, latestReportingMonth as lastDuePeriod, monthsBetween, periodOf } from "./reporting-calendar";
import { TRAFFIC_LIGHT_RULES, type TrafficLightRules } from "@/lib/domain/traffic-light-rules";

export type { ProjectSnapshot } from "@/lib/domain/portfolio-metrics";

/**
 * NO_DATA: the rule applies but a figure it needs is missing (e.g. no annual plan for a project
 * under construction) - never shown as green. NOT_APPLICABLE: the rule does not apply (e.g. the
 * start rule once the project has started, every rule for a completed or cancelled project).
 */
export type Light = "RED" | "YELLOW" | "NO_DATA" | "GREEN" | "NOT_APPLICABLE";

/** The order of lights from worst to best: the project light is the first one any rule gave. */
export const LIGHTS_WORST_FIRST = ["RED", "YELLOW", "NO_DATA", "GREEN", "NOT_APPLICABLE"] as const satisfies readonly Light[];

export type RuleId = "investmentBehindSchedule" | "fundsBelowSchedule" | "startMissed" | "milestoneSlippage" | "monthlyReturn" | "suspended";

/** Every rule, in the order the project page lists them. */
export const RULE_IDS = [
  "investmentBehindSchedule",
  "fundsBelowSchedule",
  "startMissed",
  "milestoneSlippage",
  "monthlyReturn",
  "suspended",
] as const satisfies readonly RuleId[];

type NoParams = Record<string, never>;

/** The numbers behind each reason, so the UI can render it in any language. Dates are YYYY-MM-DD, months YYYY-MM, amounts 万元 strings, shares percent. */
export interface ReasonParams {
  INVESTMENT_BEHIND_SCHEDULE: { pointsBehind: number; completedShare: number; scheduleShare: number; elapsedMonths: number; completedWan: string; annualPlanWan: string };
  FUNDS_BELOW_SCHEDULE: { pointsBehind: number; fundsShare: number; scheduleShare: number; elapsedMonths: number; fundsInPlaceWan: string; annualPlanWan: string };
  START_MISSED: { plannedStart: string; daysLate: number };
  /** basis: ACTUAL (met late), FORECAST (forecast late), NOT_DONE (not met, no forecast ahead: measured to asOf). */
  MILESTONE_LATE: { milestone: MilestoneKind; basis: "ACTUAL" | "FORECAST" | "NOT_DONE"; slippageDays: number; baselineDate: string; referenceDate: string };
  RETURNS_OVERDUE: { overdueCount: number; firstMissingPeriod: string; firstDueDate: string; daysOverdue: number };
  PROJECT_SUSPENDED: NoParams;
  NO_ANNUAL_PLAN: { year: number };
  NO_FUNDS_DATA: { year: number };
  NO_PLANNED_START: NoParams;
  NO_MILESTONE_BASELINE: NoParams;
  NO_RETURN_START: NoParams;
  NOTHING_PLANNED_THIS_YEAR: { year: number };
  START_NOT_YET_DUE: { plannedStart: string };
  ALREADY_STARTED: NoParams;
  PROJECT_COMPLETED: NoParams;
  PROJECT_CANCELLED: NoParams;
}

export type ReasonCode = keyof ReasonParams;

/**
 * One reason for a light: machine code, the light it gives and its numbers. The sentence is a message
 * (lightReasons.<code>, rendered by lightReasonText in i18n/format.ts), never written here.
 */
export type LightReason = { [C in ReasonCode]: { code: C; light: Light; params: ReasonParams[C] } }[ReasonCode];

export interface RuleResult {
  rule: RuleId;
  light: Light;
  /**
   * How far the rule's measure has gone toward red: the measure divided by the red threshold
   * (1 = exactly at it, above 1 = red); 0 when nothing is late or the rule was not evaluated.
   */
  severity: number;
  /** For RED/YELLOW what was found, for NO_DATA what is missing, for NOT_APPLICABLE why; empty for GREEN. */
  reasons: LightReason[];
}

export type ConfidenceComparison =
  | { comparable: false; reason: "NOT_RATED" | "NO_COMPUTED_LIGHT" }
  | {
      comparable: true;
      humanStep: number;
      computedStep: number;
      /** humanStep − computedStep: negative when the human rating is more optimistic. */
      difference: number;
      direction: "AGREE" | "HUMAN_MORE_OPTIMISTIC" | "HUMAN_MORE_PESSIMISTIC";
      /** Two steps or more apart (rules.deliveryConfidence.disagreementSteps). */
      flagged: boolean;
    };

export interface TrafficLight {
  light: Light;
  /** The largest rule severity: orders projects of the same light (see compareWorstFirst). */
  severity: number;
  rules: RuleResult[];
  /** RED/YELLOW: every finding, worst first. NO_DATA: what is missing. NOT_APPLICABLE: why. GREEN: none. */
  reasons: LightReason[];
  /** Figures missing for some rule, even when another rule already gives a light. */
  missingData: LightReason[];
  metrics: ProjectMetrics;
  confidence: ConfidenceComparison;
}

function reason<C extends ReasonCode>(code: C, light: Light, params: ReasonParams[C]): LightReason {
  return { code, light, params } as LightReason;
}

/** Two decimals, half-up: for the numbers shown in sentences, never for sums. */
function shown(value: Decimal): number {
  return value.toDecimalPlaces(2, Decimal.ROUND_HALF_UP).toNumber();
}

// ---------------------------------------------------------------------------------------------
// Rules

const rank = (light: Light) => LIGHTS_WORST_FIRST.indexOf(light);

function result(rule: RuleId, light: Light, severity: number, reasons: LightReason[] = []): RuleResult {
  return { rule, light, severity, reasons };
}

function notApplicable(rule: RuleId, why: LightReason): RuleResult {
  return result(rule, "NOT_APPLICABLE", 0, [why]);
}

function noData(rule: RuleId, missing: LightReason): RuleResult {
  return result(rule, "NO_DATA", 0, [missing]);
}

/**
 * Points behind 序时进度 = months/12 × 100 − amount/plan × 100, classified without rounding:
 * both sides are multiplied by 12 × plan, so 10.00 points is exactly 10 whatever the month.
 */
function pointsBehindSchedule(amount: Decimal, plan: Decimal, months: number, bands: { yellowFromPoints: number; redAbovePoints: number }) {
  const scaled = plan.times(months).minus(amount.times(12)).times(100); // points × 12 × plan
  const denominator = plan.times(12);
  const points = scaled.dividedBy(denominator);
  const light: Light = scaled.greaterThan(denominator.times(bands.redAbovePoints))
    ? "RED"
    : scaled.greaterThanOrEqualTo(denominator.times(bands.yellowFromPoints))
      ? "YELLOW"
      : "GREEN";
  return { points, light, severity: Math.max(0, points.dividedBy(bands.redAbovePoints).toNumber()) };
}

/**
 * Shared gate of the two annual-plan rules: a plan must exist (and be positive) to compare against,
 * and a 前期 project is not measured against 序时进度 before its planned start has passed (the
 * straight-line 序时 would call a project planned to start in October "behind" in July).
 */
function annualPlanGate(rule: RuleId, p: ProjectSnapshot, asOf: Date): RuleResult | Decimal {
  if (p.lifecycleStage === "PREPARATION" && p.plannedStart && daysBetween(p.plannedStart, asOf) <= 0 && !hasStarted(p, asOf)) {
    return notApplicable(rule, reason("START_NOT_YET_DUE", "NOT_APPLICABLE", { plannedStart: isoDay(p.plannedStart) }));
  }
  if (p.annualPlan === null) {
    // A 前期 project without an annual plan is simply not in this year's investment plan.
    return p.lifecycleStage === "PREPARATION"
      ? notApplicable(rule, reason("NOTHING_PLANNED_THIS_YEAR", "NOT_APPLICABLE", { year: p.planYear }))
      : noData(rule, reason("NO_ANNUAL_PLAN", "NO_DATA", { year: p.planYear }));
  }
  const plan = toDecimal(p.annualPlan);
  return plan.greaterThan(0) ? plan : notApplicable(rule, reason("NOTHING_PLANNED_THIS_YEAR", "NOT_APPLICABLE", { year: p.planYear }));
}

function investmentRule(p: ProjectSnapshot, asOf: Date, m: ProjectMetrics, rules: TrafficLightRules): RuleResult {
  const plan = annualPlanGate("investmentBehindSchedule", p, asOf);
  if (!(plan instanceof Decimal)) return plan;
  const completed = toDecimal(p.completedThisYear);
  const { points, light, severity } = pointsBehindSchedule(completed, plan, m.elapsedMonths, rules.investmentBehindSchedule);
  if (light === "GREEN") return result("investmentBehindSchedule", "GREEN", severity);
  return result("investmentBehindSchedule", light, severity, [
    reason("INVESTMENT_BEHIND_SCHEDULE", light, {
      pointsBehind: shown(points),
      completedShare: shown(completed.times(100).dividedBy(plan)),
      scheduleShare: shown(m.scheduleShare),
      elapsedMonths: m.elapsedMonths,
      completedWan: completed.toString(),
      annualPlanWan: plan.toString(),
    }),
  ]);
}

function fundsRule(p: ProjectSnapshot, asOf: Date, m: ProjectMetrics, rules: TrafficLightRules): RuleResult {
  const plan = annualPlanGate("fundsBelowSchedule", p, asOf);
  if (!(plan instanceof Decimal)) return plan;
  if (m.fundsInPlace === null) return noData("fundsBelowSchedule", reason("NO_FUNDS_DATA", "NO_DATA", { year: p.planYear }));
  const { points, light, severity } = pointsBehindSchedule(m.fundsInPlace, plan, m.elapsedMonths, rules.fundsBelowSchedule);
  if (light === "GREEN") return result("fundsBelowSchedule", "GREEN", severity);
  return result("fundsBelowSchedule", light, severity, [
    reason("FUNDS_BELOW_SCHEDULE", light, {
      pointsBehind: shown(points),
      fundsShare: shown(m.fundsInPlace.times(100).dividedBy(plan)),
      scheduleShare: shown(m.scheduleShare),
      elapsedMonths: m.elapsedMonths,
      fundsInPlaceWan: m.fundsInPlace.toString(),
      annualPlanWan: plan.toString(),
    }),
  ]);
}

/** Yellow from the day after the planned start; red once more than `redAfterMonths` calendar months have passed. */
function startRule(p: ProjectSnapshot, asOf: Date, rules: TrafficLightRules): RuleResult {
  if (hasStarted(p, asOf)) return notApplicable("startMissed", reason("ALREADY_STARTED", "NOT_APPLICABLE", {}));
  if (!p.plannedStart) return noData("startMissed", reason("NO_PLANNED_START", "NO_DATA", {}));
  const daysLate = daysBetween(p.plannedStart, asOf);
  if (daysLate <= 0) return result("startMissed", "GREEN", 0);
  const redAfter = addCalendarMonths(p.plannedStart, rules.startMissed.redAfterMonths);
  const light: Light = daysBetween(redAfter, asOf) > 0 ? "RED" : "YELLOW";
  const severity = daysLate / daysBetween(p.plannedStart, redAfter);
  return result("startMissed", light, severity, [reason("START_MISSED", light, { plannedStart: isoDay(p.plannedStart), daysLate })]);
}

type DatedMilestone = MilestoneFacts & { baselineDate: Date };

/** The milestones whose slippage counts: all unmet ones, and the met ones the config asks for. */
function milestonesToJudge(milestones: MilestoneFacts[], metMilestones: "latest" | "all"): DatedMilestone[] {
  const dated = milestones.filter((m): m is DatedMilestone => m.baselineDate !== null);
  if (metMilestones === "all") return dated;
  const met = dated.filter((m) => m.actualDate !== null);
  const latestActual = met.reduce<Date | null>((latest, m) => (latest && daysBetween(latest, m.actualDate!) <= 0 ? latest : m.actualDate), null);
  return dated.filter((m) => m.actualDate === null || (latestActual && daysBetween(m.actualDate, latestActual) === 0));
}

function milestoneRule(p: ProjectSnapshot, asOf: Date, rules: TrafficLightRules): RuleResult {
  const cfg = rules.milestoneSlippage;
  const judged = milestonesToJudge(p.milestones, cfg.metMilestones);
  if (judged.length === 0) return noData("milestoneSlippage", reason("NO_MILESTONE_BASELINE", "NO_DATA", {}));

  let worst = 0;
  const late: { days: number; reason: LightReason }[] = [];
  for (const m of judged) {
    // Not met and no forecast still ahead: it is at least as late as today.
    const basis = m.actualDate ? "ACTUAL" : m.forecastDate && daysBetween(asOf, m.forecastDate) >= 0 ? "FORECAST" : "NOT_DONE";
    const reference = m.actualDate ?? (basis === "FORECAST" ? m.forecastDate! : asOf);
    const days = milestoneSlippageDays({ baselineDate: m.baselineDate, forecastDate: reference, actualDate: m.actualDate })!;
    worst = Math.max(worst, days);
    const light: Light = days > cfg.redAboveDays ? "RED" : days > cfg.yellowAboveDays ? "YELLOW" : "GREEN";
    if (light !== "GREEN") {
      late.push({
        days,
        reason: reason("MILESTONE_LATE", light, {
          milestone: m.kind,
          basis,
          slippageDays: days,
          baselineDate: isoDay(m.baselineDate),
          referenceDate: isoDay(reference),
        }),
      });
    }
  }
  const light: Light = worst > cfg.redAboveDays ? "RED" : worst > cfg.yellowAboveDays ? "YELLOW" : "GREEN";
  late.sort((a, b) => b.days - a.days);
  return result("milestoneSlippage", light, worst / cfg.redAboveDays, late.map((l) => l.reason));
}

/** Counts returns overdue: months from the first one missing up to the reporting period (due date passed). */
function returnRule(p: ProjectSnapshot, asOf: Date, rules: TrafficLightRules): RuleResult {
  const cfg = rules.monthlyReturn;
  const afterLatest = p.latestReturnPeriod ? addMonths(periodOf(p.latestReturnPeriod), 1) : null;
  const candidates = [afterLatest, p.returnsRequiredFrom && periodOf(p.returnsRequiredFrom)].filter((d): d is string => !!d);
  if (candidates.length === 0) return noData("monthlyReturn", reason("NO_RETURN_START", "NO_DATA", {}));
  const firstMissing = candidates.reduce((a, b) => (monthsBetween(a, b) > 0 ? b : a));
  const overdueCount = Math.max(0, monthsBetween(firstMissing, lastDuePeriod(asOf, cfg.dueDay)) + 1);
  const light: Light = overdueCount >= cfg.redFromOverdue ? "RED" : overdueCount >= cfg.yellowFromOverdue ? "YELLOW" : "GREEN";
  const severity = overdueCount / cfg.redFromOverdue;
  if (light === "GREEN") return result("monthlyReturn", "GREEN", severity);
  const firstDue = dueDate(firstMissing, cfg.dueDay);
  return result("monthlyReturn", light, severity, [
    reason("RETURNS_OVERDUE", light, {
      overdueCount,
      firstMissingPeriod: firstMissing,
      firstDueDate: isoDay(firstDue),
      daysOverdue: daysBetween(firstDue, asOf),
    }),
  ]);
}

function suspendedRule(p: ProjectSnapshot, rules: TrafficLightRules): RuleResult {
  if (p.lifecycleStage !== "SUSPENDED") return result("suspended", "GREEN", 0);
  return result("suspended", rules.suspended.light, 0, [reason("PROJECT_SUSPENDED", rules.suspended.light, {})]);
}

// ---------------------------------------------------------------------------------------------
// The project light

export function worstLight(lights: Iterable<Light>): Light {
  let worst: Light = "NOT_APPLICABLE";
  for (const light of lights) if (rank(light) < rank(worst)) worst = light;
  return worst;
}

function uniqueByCode(reasons: LightReason[]): LightReason[] {
  const seen = new Set<ReasonCode>();
  return reasons.filter((r) => (seen.has(r.code) ? false : (seen.add(r.code), true)));
}

/**
 * The light of one project as of `asOf` (a calendar day; the engine never reads the clock).
 * COMPLETED and CANCELLED projects are not judged (NOT_APPLICABLE); SUSPENDED ones are judged
 * like any other and are at least `rules.suspended.light`.
 */
export function evaluateTrafficLight(project: ProjectSnapshot, asOf: Date, rules: TrafficLightRules = TRAFFIC_LIGHT_RULES): TrafficLight {
  const metrics = projectMetrics(project, asOf, rules.monthlyReturn.dueDay);
  const closed = project.lifecycleStage === "COMPLETED" ? "PROJECT_COMPLETED" : project.lifecycleStage === "CANCELLED" ? "PROJECT_CANCELLED" : null;

  const ruleResults: RuleResult[] = closed
    ? RULE_IDS.map((rule) => notApplicable(rule, reason(closed, "NOT_APPLICABLE", {})))
    : [
        investmentRule(project, asOf, metrics, rules),
        fundsRule(project, asOf, metrics, rules),
        startRule(project, asOf, rules),
        milestoneRule(project, asOf, rules),
        returnRule(project, asOf, rules),
        suspendedRule(project, rules),
      ];

  const light = worstLight(ruleResults.map((r) => r.light));
  const severity = Math.max(0, ...ruleResults.map((r) => r.severity));
  const missingData = uniqueByCode(ruleResults.filter((r) => r.light === "NO_DATA").flatMap((r) => r.reasons));

  let reasons: LightReason[] = [];
  if (light === "RED" || light === "YELLOW") {
    reasons = [...ruleResults]
      .filter((r) => r.light === "RED" || r.light === "YELLOW")
      .sort((a, b) => rank(a.light) - rank(b.light) || b.severity - a.severity)
      .flatMap((r) => r.reasons)
      .sort((a, b) => rank(a.light) - rank(b.light)); // stable: keeps severity order inside each light
  } else if (light === "NO_DATA") {
    reasons = missingData;
  } else if (light === "NOT_APPLICABLE") {
    reasons = uniqueByCode(ruleResults.flatMap((r) => r.reasons));
  }

  return {
    light,
    severity,
    rules: ruleResults,
    reasons,
    missingData,
    metrics,
    confidence: compareDeliveryConfidence(light, project.deliveryConfidence, rules),
  };
}

// ---------------------------------------------------------------------------------------------
// Beside the human rating

/**
 * Puts the computed light and the human DCA rating on one 1 (best) .. 5 (worst) scale and flags a
 * gap of `disagreementSteps` or more. Not comparable without a rating or a computed colour.
 */
export function compareDeliveryConfidence(light: Light, rating: DeliveryConfidence | null, rules: TrafficLightRules = TRAFFIC_LIGHT_RULES): ConfidenceComparison {
  if (rating === null) return { comparable: false, reason: "NOT_RATED" };
  if (light !== "GREEN" && light !== "YELLOW" && light !== "RED") return { comparable: false, reason: "NO_COMPUTED_LIGHT" };
  const cfg = rules.deliveryConfidence;
  const humanStep = cfg.humanSteps[rating];
  const computedStep = cfg.computedSteps[light];
  const difference = humanStep - computedStep;
  const direction = difference === 0 ? "AGREE" : difference < 0 ? "HUMAN_MORE_OPTIMISTIC" : "HUMAN_MORE_PESSIMISTIC";
  return { comparable: true, humanStep, computedStep, difference, direction, flagged: Math.abs(difference) >= cfg.disagreementSteps };
}

// ---------------------------------------------------------------------------------------------
// Worst first, for the delay-review list

/**
 * Sort key, ascending = worst first: the light (red, yellow, no data, green, not applicable), then
 * severity (larger first), then the number of red and of yellow rules (more first).
 */
export function worstFirstKey(t: Pick<TrafficLight, "light" | "severity" | "rules">): [number, number, number, number] {
  const count = (light: Light) => t.rules.filter((r) => r.light === light).length;
  return [rank(t.light), -t.severity, -count("RED"), -count("YELLOW")];
}

/** Comparator for Array.prototype.sort: worst first; ties are left to the caller's next key. */
export function compareWorstFirst(a: Pick<TrafficLight, "light" | "severity" | "rules">, b: Pick<TrafficLight, "light" | "severity" | "rules">): number {
  const ka = worstFirstKey(a);
  const kb = worstFirstKey(b);
  for (let i = 0; i < ka.length; i += 1) if (ka[i] !== kb[i]) return ka[i]! - kb[i]!;
  return 0;
}
