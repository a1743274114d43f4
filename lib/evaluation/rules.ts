// The rules of the 十四五 final evaluation (终期评估, docs/decisions/0026-final-evaluation.md): which
// stage each 2025 target asks for, which milestones prove a stage, how an indicator's 2025 value is
// judged against its target, and which approvals count. Pure: the data layer passes the facts in.
import { Decimal, toDecimal, type DecimalLike } from "@/lib/domain/money";
import type { IndicatorComparator, IndicatorDirection, MilestoneKind, TargetStage } from "@/lib/generated/prisma/enums";
import { ABOUT_TOLERANCE } from "@/lib/domain/indicators";

/** The plan period the evaluation covers (十四五): returns of 2021-01..2025-12, milestones dated up to 2025-12-31. */
export const EVALUATION_FIRST_YEAR = 2021;
export const EVALUATION_LAST_YEAR = 2025;
/** The plan's last day: the day stages are judged at, and the default approval cut-off. */
export const EVALUATION_END_DAY = "2025-12-31";
export const EVALUATION_YEARS = [2021, 2022, 2023, 2024, 2025] as const;

/** The stages a 2025 target can ask for, in order: 建成 implies 开工 implies 前期. */
export const ACHIEVED_STAGES = ["PREPARE", "START", "COMPLETE"] as const;
export type AchievedStage = (typeof ACHIEVED_STAGES)[number];
export type ReachedStage = AchievedStage | "NONE";

/**
 * The stage a 2025 target stage asks for. 建成 → 建成; 开工 / 新开工 → 开工; 推进…建设 (under
 * construction) and 整体搬迁 / 易地新建 (the plan writes "推进…整体搬迁") → 开工; 前期工作 → 前期.
 */
export function requiredStage(target: TargetStage): AchievedStage {
  switch (target) {
    case "COMPLETE":
      return "COMPLETE";
    case "START":
    case "CONSTRUCT":
    case "RELOCATE":
      return "START";
    case "PREPARE":
      return "PREPARE";
  }
}

/** The milestones that prove each stage (the glossary's rule). */
export const STAGE_EVIDENCE: Record<AchievedStage, readonly MilestoneKind[]> = {
  /** 建成: 竣工验收 or 投用. */
  COMPLETE: ["ACCEPTANCE", "IN_SERVICE"],
  /** 开工: the 开工 milestone. */
  START: ["START"],
  /** 前期: any pre-construction approval — 立项, 可研批复, 用地预审, 环评批复, 初设批复, 施工许可. */
  PREPARE: ["APPROVAL", "FEASIBILITY", "LAND_PRE_APPROVAL", "EIA_APPROVAL", "PRELIMINARY_DESIGN", "CONSTRUCTION_PERMIT"],
};

export const MILESTONE_ORDER: readonly MilestoneKind[] = [
  "APPROVAL", "FEASIBILITY", "LAND_PRE_APPROVAL", "EIA_APPROVAL", "PRELIMINARY_DESIGN", "CONSTRUCTION_PERMIT", "START", "MAIN_WORKS_DONE", "ACCEPTANCE", "IN_SERVICE",
];

export const stageRank = (stage: ReachedStage): number => (stage === "NONE" ? 0 : ACHIEVED_STAGES.indexOf(stage) + 1);

/** A milestone date reached on or before the plan's end, with where its approval came from. */
export interface StageEvidence {
  kind: MilestoneKind;
  /** YYYY-MM-DD */
  actualDate: string;
  /** China day the return that reported it was approved (YYYY-MM-DD); null for demo milestones, which no return carried. */
  approvedOn: string | null;
  /** The return that carried it ("YYYY-MM"), when one did. */
  period: string | null;
  isDemo: boolean;
}

export interface ProjectAchievement {
  required: AchievedStage;
  reached: ReachedStage;
  met: boolean;
  /** The first milestone (by date) that proves the stage reached; null when none is reached. */
  evidence: StageEvidence | null;
}

/**
 * The stage reached by the plan's end and whether the target was met, from the milestones that
 * count (dated on or before EVALUATION_END_DAY and approved on the chosen basis; the caller filters).
 */
export function projectAchievement(target: TargetStage, evidence: readonly StageEvidence[]): ProjectAchievement {
  const required = requiredStage(target);
  const inTime = evidence.filter((e) => e.actualDate <= EVALUATION_END_DAY);
  let reached: ReachedStage = "NONE";
  let proof: StageEvidence | null = null;
  for (const stage of [...ACHIEVED_STAGES].reverse()) {
    const kinds = STAGE_EVIDENCE[stage];
    const found = inTime
      .filter((e) => kinds.includes(e.kind))
      .sort((a, b) => a.actualDate.localeCompare(b.actualDate) || MILESTONE_ORDER.indexOf(a.kind) - MILESTONE_ORDER.indexOf(b.kind));
    if (found.length) {
      reached = stage;
      proof = found[0]!;
      break;
    }
  }
  return { required, reached, met: stageRank(reached) >= stageRank(required), evidence: proof };
}

// ---------------------------------------------------------------------------------------------
// Indicators: the 2025 value (or the 2021–2025 sum of a "[ ]" cumulative one) against the target.

export type IndicatorVerdict = "MET" | "NOT_MET" | "NO_DATA";

export interface IndicatorVerdictFacts {
  target2025: DecimalLike | null;
  cumulative: boolean;
  comparator: IndicatorComparator;
  direction: IndicatorDirection;
  values: readonly { year: number; value: DecimalLike }[];
}

export interface IndicatorEvaluation {
  /** The 2025 value, or the 2021–2025 sum of a cumulative indicator (of the years entered). */
  value: Decimal | null;
  /** Years of 2021–2025 with a value (a cumulative indicator needs all five). */
  years: number[];
  verdict: IndicatorVerdict;
}

/** Whether `value` is better than `target` in the indicator's direction (strictly). */
function better(value: Decimal, target: Decimal, direction: IndicatorDirection): boolean {
  return direction === "UP" ? value.greaterThan(target) : value.lessThan(target);
}

/**
 * 达标 when the value satisfies the target's comparator: 以上 ≥, 以内/以下 ≤; 左右 within ±5% of
 * the target (ABOUT_TOLERANCE) or beyond it in the better direction; an exact figure reached or
 * beaten in the better direction. 无数据 without a target, without the 2025 value, or, for a
 * cumulative indicator, without all five years.
 */
export function indicatorVerdict(facts: IndicatorVerdictFacts): IndicatorEvaluation {
  const inPeriod = facts.values.filter((v) => v.year >= EVALUATION_FIRST_YEAR && v.year <= EVALUATION_LAST_YEAR);
  const years = [...new Set(inPeriod.map((v) => v.year))].sort((a, b) => a - b);
  let value: Decimal | null;
  let complete: boolean;
  if (facts.cumulative) {
    value = inPeriod.length ? inPeriod.reduce((sum, v) => sum.plus(toDecimal(v.value)), new Decimal(0)) : null;
    complete = years.length === EVALUATION_YEARS.length;
  } else {
    const last = inPeriod.find((v) => v.year === EVALUATION_LAST_YEAR);
    value = last ? toDecimal(last.value) : null;
    complete = last !== undefined;
  }
  if (value === null || !complete || facts.target2025 === null) return { value, years, verdict: "NO_DATA" };
  const target = toDecimal(facts.target2025);
  let met: boolean;
  switch (facts.comparator) {
    case "AT_LEAST":
      met = value.greaterThanOrEqualTo(target);
      break;
    case "AT_MOST":
      met = value.lessThanOrEqualTo(target);
      break;
    case "ABOUT":
      met = value.minus(target).abs().lessThanOrEqualTo(target.abs().times(ABOUT_TOLERANCE)) || better(value, target, facts.direction);
      break;
    case "EXACT":
      met = value.equals(target) || better(value, target, facts.direction);
      break;
  }
  return { value, years, verdict: met ? "MET" : "NOT_MET" };
}

// ---------------------------------------------------------------------------------------------
// Which approvals count.

/**
 * "cutoff": approved on or before the cut-off day (China time; default EVALUATION_END_DAY) — what
 * the record said then: later approvals, late approvals of 2025 months and corrections approved
 * after the day are left out. "now": every approval up to this moment, corrections included.
 */
export type EvaluationBasis = "cutoff" | "now";

/** Rate in percent with two decimals, or null for an empty group. */
export function ratePercent(numerator: number, denominator: number): string | null {
  if (denominator === 0) return null;
  return new Decimal(numerator).times(100).dividedBy(denominator).toDecimalPlaces(2).toString();
}
