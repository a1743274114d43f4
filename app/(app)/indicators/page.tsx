import { getTranslations } from "next-intl/server";
import { Badge } from "@/components/ui/badge";
import { DemoBadge } from "@/components/demo-badge";
import { Table, TableBody, TableCaption, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { requireRoute } from "@/lib/auth/session";
import { listIndicators } from "@/lib/data/indicators";
import { formatNumber } from "@/lib/domain/money";
import { chinaDay } from "@/lib/domain/returns";
import { IndicatorValueForm } from "./_components/indicator-value-form";
import { uiText } from "@/i18n/format";

export const dynamic = "force-dynamic";

const STATUS_TONE = { MET: "success", ON_TRACK: "info", BEHIND: "danger", NO_DATA: "neutral", NO_TARGET: "neutral" } as const;

export default async function IndicatorsPage() {
  const user = await requireRoute("/indicators");
  const t = await getTranslations();
  const fmt = uiText(t);
  const indicators = await listIndicators(user);
  const canEnter = user.permissions.has("indicator:update:all");
  const thisYear = chinaDay(new Date()).getUTCFullYear();
  const years = Array.from({ length: Math.max(2025, Math.min(thisYear, 2035)) - 2020 }, (_, i) => 2021 + i);
  return (
    <div className="space-y-4">
      <h1 className="text-2xl font-semibold">{t("indicators.title")}</h1>
      <p className="text-sm text-slate-600">{t("indicators.progressNote")}</p>
      <Table>
        <TableCaption>{t("indicators.note")}</TableCaption>
        <TableHeader>
          <TableRow>
            <TableHead>{t("indicators.number")}</TableHead>
            <TableHead>{t("indicators.category")}</TableHead>
            <TableHead>{t("indicators.name")}</TableHead>
            <TableHead>{t("indicators.unit")}</TableHead>
            <TableHead className="text-right">{t("indicators.baseline")}</TableHead>
            <TableHead className="text-right">{t("indicators.target")}</TableHead>
            <TableHead className="text-right">{t("indicators.latest")}</TableHead>
            <TableHead className="text-right">{t("indicators.progress")}</TableHead>
            <TableHead>{t("indicators.status")}</TableHead>
          </TableRow>
        </TableHeader>
        <TableBody>
          {indicators.map((indicator) => {
            const { latest, progress } = indicator;
            return (
              <TableRow key={indicator.id}>
                <TableCell className="tabular-nums">{indicator.number}</TableCell>
                <TableCell className="whitespace-nowrap">{indicator.category}</TableCell>
                <TableCell>
                  {indicator.name}
                  {canEnter && (
                    <details className="mt-1">
                      <summary className="cursor-pointer text-xs text-blue-800">{t("indicators.enter")}</summary>
                      <div className="mt-2">
                        <IndicatorValueForm indicatorId={indicator.id} unit={indicator.unit} years={years} values={Object.fromEntries(indicator.values.map((v) => [v.year, v.value.toString()]))} />
                      </div>
                    </details>
                  )}
                  {latest?.sourceNote && <div className="text-xs text-slate-500">{t("indicators.source", { year: latest.year, note: latest.sourceNote })}</div>}
                </TableCell>
                <TableCell className="whitespace-nowrap">{indicator.unit}</TableCell>
                <TableCell className="text-right tabular-nums">{indicator.baselineText ?? "—"}</TableCell>
                <TableCell className="text-right tabular-nums">
                  {indicator.targetText}
                  {indicator.cumulative && <span className="ml-1 text-xs text-slate-500">{fmt.parens(t("indicators.cumulative"))}</span>}
                </TableCell>
                <TableCell className="text-right tabular-nums">
                  {latest ? (
                    <>
                      {formatNumber(latest.value, 2)} <span className="text-xs text-slate-500">({latest.year})</span>
                      {indicator.cumulative && progress.current && <div className="text-xs text-slate-500">{t("indicators.sumSoFar", { sum: formatNumber(progress.current, 2) })}</div>}
                      {latest.isDemo && <DemoBadge className="ml-1" />}
                    </>
                  ) : (
                    <span className="text-slate-400">{t("indicators.noValue")}</span>
                  )}
                </TableCell>
                <TableCell className="text-right tabular-nums">
                  {progress.progressPercent ? `${formatNumber(progress.progressPercent, 1)}%` : "—"}
                  {progress.expectedPercent && progress.progressPercent && <div className="text-xs text-slate-500">{t("indicators.expected", { percent: formatNumber(progress.expectedPercent, 0) })}</div>}
                </TableCell>
                <TableCell><Badge tone={STATUS_TONE[progress.status]}>{t(`indicators.statuses.${progress.status}`)}</Badge></TableCell>
              </TableRow>
            );
          })}
        </TableBody>
      </Table>
    </div>
  );
}
