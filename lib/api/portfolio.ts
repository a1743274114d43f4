// The read API's returns, portfolio totals, indicators and lights: the UI's own data functions
// (lib/returns/queries.ts, lib/portfolio/*, lib/data/indicators.ts), so scope and rules are the
// UI's; this file only maps their rows to the API's stable fields (docs/decisions/0025).
import "server-only";
import type { z } from "zod";
import type { CurrentUser } from "@/lib/auth/session";
import { ValidationError } from "@/lib/data/users";
import { listIndicators } from "@/lib/data/indicators";
import { isAsOfMonth } from "@/lib/domain/reporting-calendar";
import { getDashboard } from "@/lib/portfolio/dashboard";
import { listDelayReview } from "@/lib/portfolio/delays";
import { listProjectReturns, readableProject } from "@/lib/returns/queries";
import { day } from "./projects";
import { UNIT, type indicatorsResponse, type lightsQuery, type lightsResponse, type portfolioQuery, type portfolioResponse, type returnsQuery, type returnsResponse } from "./schemas";

const str = (value: { toString(): string } | null): string | null => (value === null ? null : value.toString());

/** A project's approved returns (optionally one month or a range), or null (missing or out of scope alike). */
export async function listApiReturns(actor: CurrentUser, projectId: string, query: z.infer<typeof returnsQuery>): Promise<z.input<typeof returnsResponse> | null> {
  if (!(await readableProject(actor, projectId))) return null;
  const from = query.period ?? query.from;
  const to = query.period ?? query.to;
  const rows = (await listProjectReturns(actor, projectId)).filter(
    (r) => r.status === "APPROVED" && (from === undefined || r.period >= from) && (to === undefined || r.period <= to),
  );
  return {
    unit: UNIT,
    projectId,
    data: rows.map((r) => ({
      period: r.period,
      completedInvestment: r.completedInvestment.toString(),
      approvedCumulative: r.approvedCumulative,
      payments: str(r.payments),
      progressPercent: str(r.progressPercent),
      funds: r.funds.map((f) => ({ source: f.sourceCode, amount: f.amount.toString() })),
      isDemo: r.isDemo,
    })),
  };
}

/** The dashboard's totals and 四率 against the plan target, as of a month. */
export async function getApiPortfolio(actor: CurrentUser, query: z.infer<typeof portfolioQuery>, now: Date = new Date()): Promise<z.input<typeof portfolioResponse> & { dataAsOf: Date | null }> {
  if (query.month !== undefined && !isAsOfMonth(query.month, now)) throw new ValidationError({ month: ["validation.period"] });
  const d = await getDashboard(actor, now, query.month, query.plan);
  const m = d.metrics;
  const rate = (r: { numerator: number; denominator: number; percent: { toString(): string } | null }) => ({ numerator: r.numerator, denominator: r.denominator, percent: str(r.percent) });
  const amount = (r: { numerator: { toString(): string }; denominator: { toString(): string }; percent: { toString(): string } | null }) => ({
    numerator: r.numerator.toString(),
    denominator: r.denominator.toString(),
    percent: str(r.percent),
  });
  return {
    unit: UNIT,
    plan: d.plan ? { id: d.plan.id, title: d.plan.title, periodStart: d.plan.periodStart, periodEnd: d.plan.periodEnd } : null,
    asOf: day(d.asOf)!,
    reportingPeriod: d.reportingPeriod,
    projectCount: d.projectCount,
    target: d.target,
    completedInPlanPeriod: d.completedInPlanPeriod,
    planPeriodEnd: d.planPeriodEnd,
    plannedInvestment: d.plannedInvestment,
    totalInvestment: d.totalInvestment,
    completedInvestment: d.completedInvestment,
    metrics: {
      year: m.year,
      elapsedMonths: m.elapsedMonths,
      annualPlan: m.annualPlan.toString(),
      scheduleTarget: m.scheduleTarget.toString(),
      scheduleShare: m.scheduleShare.toString(),
      startRate: rate(m.startRate),
      investmentCompletionRate: amount(m.investmentCompletionRate),
      fundsInPlaceRate: { ...amount(m.fundsInPlaceRate), projectsWithoutFundsData: m.fundsInPlaceRate.projectsWithoutFundsData },
      onTimeCompletionRate: { ...rate(m.onTimeCompletionRate), completionDateUnknown: m.onTimeCompletionRate.completionDateUnknown },
      spi: str(m.spi),
      cpi: str(m.cpi),
    },
    byLight: d.byLight,
    // Not in the body: the route sends it as X-Data-As-Of (the dashboard reads the replica when there is one).
    dataAsOf: d.dataAsOf,
  };
}

/** The 36 indicators with their values and progress, as the indicators page lists them. */
export async function listApiIndicators(actor: CurrentUser, planId?: string): Promise<z.input<typeof indicatorsResponse>> {
  const rows = await listIndicators(actor, planId);
  return {
    unit: UNIT,
    data: rows.map((i) => ({
      number: i.number,
      category: i.category,
      name: i.name,
      unit: i.unit,
      baseline2020: str(i.baseline2020),
      baselineText: i.baselineText,
      target2025: str(i.target2025),
      targetText: i.targetText,
      cumulative: i.cumulative,
      comparator: i.comparator,
      direction: i.direction,
      values: i.values.map((v) => ({ year: v.year, value: v.value.toString(), sourceNote: v.sourceNote, isDemo: v.isDemo })),
      progress: {
        latestYear: i.progress.latestYear,
        current: str(i.progress.current),
        progressPercent: str(i.progress.progressPercent),
        expectedPercent: str(i.progress.expectedPercent),
        status: i.progress.status,
      },
    })),
  };
}

/** Red and yellow projects, worst first, with their reasons (code and figures, no prose), as /delays lists them. */
export async function listApiLights(actor: CurrentUser, query: z.infer<typeof lightsQuery>, now: Date = new Date()): Promise<z.input<typeof lightsResponse> & { dataAsOf: Date | null }> {
  const light = query.light ? (query.light.split(",") as ("RED" | "YELLOW")[]) : undefined;
  const review = await listDelayReview(actor, { light, limit: query.limit }, now);
  return {
    unit: UNIT,
    asOf: day(review.asOf)!,
    total: review.total,
    data: review.rows.map((r) => ({
      projectId: r.projectId,
      name: r.name,
      planKey: r.planKey,
      light: r.light,
      severity: r.severity,
      reasons: r.reasons.map((reason) => ({ code: reason.code, light: reason.light, params: reason.params as Record<string, string | number | null> })),
      owner: r.owner,
      counties: r.counties,
      deliveryConfidence: r.deliveryConfidence,
      openNotices: r.openNotices,
    })),
    dataAsOf: review.dataAsOf,
  };
}
