import { getTranslations } from "next-intl/server";
import { requireRoute } from "@/lib/auth/session";
import { listIndicators } from "@/lib/data/indicators";
import { chinaDay } from "@/lib/returns/rules";
import { IndicatorValueForm } from "./_components/indicator-value-form";
import { IndicatorTable } from "@/components/indicator-table";

export const dynamic = "force-dynamic";

export default async function IndicatorsPage() {
  const user = await requireRoute("/indicators");
  const t = await getTranslations();
  const indicators = await listIndicators(user);
  const canEnter = user.permissions.has("indicator:update:all");
  const thisYear = chinaDay(new Date()).getUTCFullYear();
  const years = Array.from({ length: Math.max(2025, Math.min(thisYear, 2035)) - 2020 }, (_, i) => 2021 + i);
  return (
    <div className="space-y-4">
      <h1 className="text-2xl font-semibold">{t("indicators.title")}</h1>
      <p className="text-sm text-slate-600">{t("indicators.progressNote")}</p>
      <IndicatorTable
        indicators={indicators}
        variant="full"
        entry={canEnter ? (indicator) => <IndicatorValueForm indicatorId={indicator.id} unit={indicator.unit} years={years} values={Object.fromEntries(indicator.values.map((v) => [v.year, v.value.toString()]))} /> : undefined}
      />
    </div>
  );
}
