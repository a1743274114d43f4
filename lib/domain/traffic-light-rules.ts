// The one place where the 红黄绿灯 rules and their thresholds live (docs/decisions/0007-traffic-lights.md).
// The engine (traffic-lights.ts) reads nothing else; a different office's rules are a different
// object of this shape passed to the engine, never an edit inside it.
import type { DeliveryConfidence } from "@/lib/generated/prisma/enums";

/**
 * How each threshold compares: `…From` is inclusive (≥), `…Above`/`…After` is exclusive (>), so
 * "yellow 10-30 points behind, red more than 30" is yellowFromPoints 10, redAbovePoints 30.
 */
export interface TrafficLightRules {
  /** 完成投资落后序时进度: points = 序时进度 share − completed share of the annual plan, in percentage points. */
  investmentBehindSchedule: { yellowFromPoints: number; redAbovePoints: number };
  /** 资金到位不足: points = 序时进度 share − share of the annual plan whose funds are in place. */
  fundsBelowSchedule: { yellowFromPoints: number; redAbovePoints: number };
  /** 未按计划开工: yellow from the day after the planned start, red once this many calendar months have passed. */
  startMissed: { redAfterMonths: number };
  /** 里程碑滞后: days of slippage against the baseline (actual, else forecast, else "not done by asOf"). */
  milestoneSlippage: {
    yellowAboveDays: number;
    redAboveDays: number;
    /**
     * "latest": met milestones count only through the most recently met one (a later milestone met
     * on time shows the slip was recovered); unmet milestones always count. "all": every met one.
     */
    metMilestones: "latest" | "all";
  };
  /**
   * 月报逾期: a return for month M is due on `dueDay` (1-28; later days are clamped to the month's
   * end) of month M+1; the due day itself is on time. The lights count returns overdue.
   * The same due day decides the months elapsed for 序时进度 (portfolio-metrics.ts).
   */
  monthlyReturn: { dueDay: number; yellowFromOverdue: number; redFromOverdue: number };
  /** A SUSPENDED (暂停) project is at least this light, whatever its figures say. */
  suspended: { light: "YELLOW" | "RED" };
  /** Human rating vs computed light: flagged at this many steps apart on the five-point scale. */
  deliveryConfidence: {
    disagreementSteps: number;
    /** The human rating on the common 1 (best) .. 5 (worst) scale. */
    humanSteps: Record<DeliveryConfidence, number>;
    /** The computed light on the same scale. */
    computedSteps: { GREEN: number; YELLOW: number; RED: number };
  };
}

export const TRAFFIC_LIGHT_RULES = {
  // The local 红黄绿灯 practice in domain.md (e.g. 银川) and issue 7: yellow 10-30 points behind, red > 30.
  investmentBehindSchedule: { yellowFromPoints: 10, redAbovePoints: 30 },
  // Our choice: funds arrive in lumps (专项债 tranches, 中央预算内 batches), so the band is twice as
  // wide as for investment. 20 points ≈ funds 2.4 months behind 序时, 40 points ≈ 4.8 months.
  fundsBelowSchedule: { yellowFromPoints: 20, redAbovePoints: 40 },
  // domain.md / issue 7: a missed start is yellow at once and red after 3 months.
  startMissed: { redAfterMonths: 3 },
  // Issue 7: yellow > 30 days, red > 90 days late against the baseline.
  milestoneSlippage: { yellowAboveDays: 30, redAboveDays: 90, metMilestones: "latest" },
  // Returns are due around the 25th (domain.md); one overdue return is yellow, two are red.
  monthlyReturn: { dueDay: 25, yellowFromOverdue: 1, redFromOverdue: 2 },
  // Suspension is a decision, not a pass: the project stays on the delay-review list.
  suspended: { light: "YELLOW" },
  // UK IPA DCA scale as steps 1..5; the three computed lights take its ends and its middle, so
  // "two steps or more" means e.g. computed RED vs human AMBER or better, YELLOW vs GREEN or RED.
  deliveryConfidence: {
    disagreementSteps: 2,
    humanSteps: { GREEN: 1, AMBER_GREEN: 2, AMBER: 3, AMBER_RED: 4, RED: 5 },
    computedSteps: { GREEN: 1, YELLOW: 3, RED: 5 },
  },
} as const satisfies TrafficLightRules;
