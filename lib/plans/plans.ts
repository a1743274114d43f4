// Which plan a page or API call is about: the plans loaded (十四五 and any later one, `npm run
// plan:load`), the default one by date, and the `plan` parameter checked against them
// (docs/decisions/0028-more-than-one-plan.md).
import "server-only";
import { cache } from "react";
import { prisma } from "@/lib/db";
import { ValidationError } from "@/lib/data/users";
import { planParam } from "@/lib/validations/project-list";
import { chinaDay } from "@/lib/domain/reporting-calendar";
import { currentPlanOf } from "@/lib/plans/rules";

export { currentPlanOf, planOfYear } from "@/lib/plans/rules";

export interface PlanSummary {
  id: string;
  title: string;
  periodStart: number;
  periodEnd: number;
  /** 规划目标 (万元). */
  keyInvestmentTarget: string;
}

/**
 * Every loaded plan, oldest first. Read once per request (React cache): a page, its plan selector
 * and its data functions each resolve the plan, and plans change only by `npm run plan:load`.
 */
export const listPlans = cache(async (): Promise<PlanSummary[]> => {
  const rows = await prisma.plan.findMany({ orderBy: [{ periodStart: "asc" }, { id: "asc" }], select: { id: true, title: true, periodStart: true, periodEnd: true, keyInvestmentTarget: true } });
  return rows.map((p) => ({ ...p, keyInvestmentTarget: p.keyInvestmentTarget.toString() }));
});

export interface ResolvedPlan {
  plan: PlanSummary;
  /** Every loaded plan, oldest first (for a selector). */
  plans: PlanSummary[];
  /** True when other plans are loaded: only then do queries need to narrow to this plan's projects. */
  several: boolean;
}

/**
 * The plan `planId` names, or the current plan by date when it is absent (currentPlanOf). An id
 * that names no loaded plan is a ValidationError on the field `plan` (a 400/422 naming it), never
 * a silent default. null only before any plan is loaded.
 */
export async function resolvePlan(planId: string | undefined, now: Date = new Date()): Promise<ResolvedPlan | null> {
  const plans = await listPlans();
  if (planId !== undefined) {
    const plan = plans.find((p) => p.id === planId);
    if (!plan) throw new ValidationError({ plan: ["validation.unknownPlan"] });
    return { plan, plans, several: plans.length > 1 };
  }
  const plan = currentPlanOf(plans, chinaDay(now).getUTCFullYear());
  return plan ? { plan, plans, several: plans.length > 1 } : null;
}

/** A page's `plan` search parameter: the plan id (undefined = the current plan), or the message key of what is wrong with it (the field is `plan`). */
export async function pagePlan(raw: string | string[] | undefined): Promise<{ ok: true; planId: string | undefined } | { ok: false; message: string }> {
  if (raw === undefined) return { ok: true, planId: undefined };
  if (typeof raw !== "string" || !planParam.safeParse(raw).success) return { ok: false, message: "validation.plan" };
  const plans = await listPlans();
  return plans.some((p) => p.id === raw) ? { ok: true, planId: raw } : { ok: false, message: "validation.unknownPlan" };
}
