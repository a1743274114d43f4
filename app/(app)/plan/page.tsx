import Link from "@/components/link";
import { getTranslations } from "next-intl/server";
import { DemoBadge } from "@/components/demo-badge";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { Alert } from "@/components/ui/alert";
import { formatNumber, toDecimal } from "@/lib/domain/money";
import { getPlanOverview } from "@/lib/data/plan";
import { requireRoute } from "@/lib/auth/session";
import { uiText } from "@/i18n/format";
import { pagePlan } from "@/lib/plans/plans";
import { PlanProblem, PlanSelector, withPlan } from "@/components/plan-selector";

export const dynamic = "force-dynamic";

export default async function PlanPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const user = await requireRoute("/plan");
  const t = await getTranslations();
  const fmt = uiText(t);
  const params = await searchParams;
  const chosen = await pagePlan(params.plan);
  if (!chosen.ok) return <PlanProblem message={chosen.message} resetHref="/plan" />;
  const overview = await getPlanOverview(user, chosen.planId);
  if (!overview) return <Alert tone="warning">{t("health.pending", { names: "seed" })}</Alert>;
  const { plan, plans, plannedInvestmentSum } = overview;
  // Links into the table keep the plan when several are loaded.
  const planQuery = plans.length > 1 ? `&plan=${plan.id}` : "";
  const percent = plannedInvestmentSum ? toDecimal(plannedInvestmentSum).dividedBy(toDecimal(plan.keyInvestmentTarget)).times(100) : null;
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-semibold">{plan.title}</h1>
      <PlanSelector plans={plans} current={plan.id} href={(id) => withPlan("/plan", params, id)} />
      <Card>
        <CardContent className="grid gap-4 md:grid-cols-3">
          <div>
            <div className="text-sm text-slate-500">{t("plan.period")}</div>
            <div className="text-lg">{plan.periodStart}–{plan.periodEnd}</div>
          </div>
          <div>
            <div className="text-sm text-slate-500">{t("plan.target")}</div>
            <div className="text-lg font-semibold">{fmt.yi(plan.keyInvestmentTarget, 0)}</div>
            <div className="text-xs text-slate-500">{plan.keyInvestmentTargetText}</div>
          </div>
          <div>
            <div className="flex items-center gap-2 text-sm text-slate-500">{t("plan.plannedSum")} {plannedInvestmentSum && <DemoBadge />}</div>
            <div className="text-lg">{plannedInvestmentSum ? fmt.yi(plannedInvestmentSum) : t("common.notReported")}</div>
            {percent && <div className="text-xs text-slate-500">{t("plan.ofTarget", { percent: `${formatNumber(percent, 1)}%` })}</div>}
          </div>
        </CardContent>
      </Card>
      {!plan.columns.some((c) => c.number === 4) && plan.columns.some((c) => c.number > 4) && <p className="text-sm text-slate-500">{t("plan.missingColumn4")}</p>}
      <div className="space-y-4">
        {plan.columns.map((column) => (
          <Card key={column.id} aria-labelledby={`column-${column.number}`}>
            <CardHeader className="flex items-center justify-between">
              <CardTitle id={`column-${column.number}`}>
                {t("plan.columnNumber", { number: column.number })} {column.title}
              </CardTitle>
              {column.hasProjects && (
                <Link href={`/projects?column=${column.number}${planQuery}`} className="text-sm link">
                  {fmt.labelled(t("plan.projects"), String(column._count.projects))}
                </Link>
              )}
            </CardHeader>
            <CardContent>
              {column.number === 1 ? (
                <Link href="/indicators" className="text-sm link">{t("indicators.title")}</Link>
              ) : !column.hasProjects ? (
                <p className="text-sm text-slate-500">{t("plan.noProjects")}</p>
              ) : (
                <ul className="grid gap-1 text-sm md:grid-cols-2">
                  {column.programmes.map((programme) => (
                    <li key={programme.id} className="flex justify-between gap-4 border-b border-slate-100 py-1">
                      <span>{programme.name}</span>
                      <span className="tabular-nums text-slate-600">{programme._count.projects}</span>
                    </li>
                  ))}
                </ul>
              )}
            </CardContent>
          </Card>
        ))}
      </div>
    </div>
  );
}
