import { getTranslations } from "next-intl/server";
import { requireRoute } from "@/lib/auth/session";
import { listIndicators } from "@/lib/data/indicators";
import { chinaDay } from "@/lib/returns/rules";
import { IndicatorValueForm } from "./_components/indicator-value-form";
import { IndicatorTable } from "@/components/indicator-table";
import { pagePlan, resolvePlan } from "@/lib/plans/plans";
import { PlanProblem, PlanSelector, withPlan } from "@/components/plan-selector";
import { ClientMessages } from "@/i18n/client-messages";

export const dynamic = "force-dynamic";

export default async function IndicatorsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const user = await requireRoute("/indicators");
  const t = await getTranslations();
  const params = await searchParams;
  const chosen = await pagePlan(params.plan);
  if (!chosen.ok) return <PlanProblem message={chosen.message} resetHref="/indicators" />;
  const [indicators, resolved] = await Promise.all([listIndicators(user, chosen.planId), resolvePlan(chosen.planId)]);
  const canEnter = user.permissions.has("indicator:update:all");
  const thisYear = chinaDay(new Date()).getUTCFullYear();
  const years = Array.from({ length: Math.max(2025, Math.min(thisYear, 2035)) - 2020 }, (_, i) => 2021 + i);
  return (
    <ClientMessages namespaces={["common", "indicators", "validation"]}>
      <div className="space-y-4">
        <h1 className="text-2xl font-semibold">{t("indicators.title")}</h1>
        <PlanSelector plans={resolved?.plans ?? []} current={resolved?.plan.id ?? null} href={(id) => withPlan("/indicators", params, id)} />
        <p className="text-sm text-slate-600">{t("indicators.progressNote")}</p>
        <IndicatorTable
          indicators={indicators}
          variant="full"
          entry={canEnter ? (indicator) => <IndicatorValueForm indicatorId={indicator.id} unit={indicator.unit} years={years} values={Object.fromEntries(indicator.values.map((v) => [v.year, v.value.toString()]))} /> : undefined}
        />
      </div>
    </ClientMessages>
  );
}
