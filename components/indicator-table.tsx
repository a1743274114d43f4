// The plan's 36 indicators as a table: the full one on /indicators (category, unit, demo marks,
// progress notes, an entry form per row for the leadership office) and the compact one in the
// printed monthly report (/report). One table, so both show the same figures the same way.
import { getTranslations } from "next-intl/server";
import type { ReactNode } from "react";
import { DemoBadge } from "@/components/demo-badge";
import { Badge } from "@/components/ui/badge";
import { Table, TableBody, TableCaption, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { uiText } from "@/i18n/format";
import type { listIndicators } from "@/lib/data/indicators";
import { formatNumber } from "@/lib/domain/money";

export type IndicatorRow = Awaited<ReturnType<typeof listIndicators>>[number];

const STATUS_TONE = { MET: "success", ON_TRACK: "info", BEHIND: "danger", NO_DATA: "neutral", NO_TARGET: "neutral" } as const;

export async function IndicatorTable({ indicators, variant, entry }: { indicators: readonly IndicatorRow[]; variant: "full" | "report"; entry?: (indicator: IndicatorRow) => ReactNode }) {
  const t = await getTranslations();
  const fmt = uiText(t);
  if (variant === "report") {
    return (
      <Table className="report-table">
        <TableHeader>
          <TableRow>
            <TableHead>{t("indicators.number")}</TableHead>
            <TableHead>{t("indicators.name")}</TableHead>
            <TableHead className="text-right">{t("indicators.baseline")}</TableHead>
            <TableHead className="text-right">{t("indicators.target")}</TableHead>
            <TableHead className="text-right">{t("indicators.latest")}</TableHead>
            <TableHead className="text-right">{t("indicators.progress")}</TableHead>
            <TableHead>{t("indicators.status")}</TableHead>
          </TableRow>
        </TableHeader>
        <TableBody>
          {indicators.map((ind) => (
            <TableRow key={ind.id}>
              <TableCell className="tabular-nums">{ind.number}</TableCell>
              <TableCell>{ind.name}{fmt.parens(ind.unit)}</TableCell>
              <TableCell className="text-right tabular-nums">{ind.baselineText ?? "—"}</TableCell>
              <TableCell className="text-right tabular-nums">{ind.targetText}</TableCell>
              <TableCell className="text-right tabular-nums">{ind.latest ? `${formatNumber(ind.latest.value, 2)} (${ind.latest.year})` : "—"}</TableCell>
              <TableCell className="text-right tabular-nums">{ind.progress.progressPercent ? `${formatNumber(ind.progress.progressPercent, 1)}%` : "—"}</TableCell>
              <TableCell>{t(`indicators.statuses.${ind.progress.status}`)}</TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    );
  }
  return (
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
                    {entry && (
                      <details className="mt-1">
                        <summary className="cursor-pointer text-xs text-blue-800">{t("indicators.enter")}</summary>
                        <div className="mt-2">{entry(indicator)}</div>
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
  );
}
