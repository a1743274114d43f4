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

/**
 * One header and one row for both variants: "full" adds the category and unit columns, the source
 * and sum-so-far notes, the demo mark, the status badge and the entry slot; "report" is the compact
 * printed row (unit beside the name, status as text).
 */
export async function IndicatorTable({ indicators, variant, entry }: { indicators: readonly IndicatorRow[]; variant: "full" | "report"; entry?: (indicator: IndicatorRow) => ReactNode }) {
  const t = await getTranslations();
  const fmt = uiText(t);
  const full = variant === "full";
  const numberHead = (key: "baseline" | "target" | "latest" | "progress") => <TableHead key={key} className="text-right">{t(`indicators.${key}`)}</TableHead>;
  return (
    <Table className={full ? undefined : "report-table"}>
      {full && <TableCaption>{t("indicators.note")}</TableCaption>}
      <TableHeader>
        <TableRow>
          <TableHead>{t("indicators.number")}</TableHead>
          {full && <TableHead>{t("indicators.category")}</TableHead>}
          <TableHead>{t("indicators.name")}</TableHead>
          {full && <TableHead>{t("indicators.unit")}</TableHead>}
          {(["baseline", "target", "latest", "progress"] as const).map(numberHead)}
          <TableHead>{t("indicators.status")}</TableHead>
        </TableRow>
      </TableHeader>
      <TableBody>
        {indicators.map((indicator) => {
          const { latest, progress } = indicator;
          const status = t(`indicators.statuses.${progress.status}`);
          return (
            <TableRow key={indicator.id}>
              <TableCell className="tabular-nums">{indicator.number}</TableCell>
              {full && <TableCell className="whitespace-nowrap">{indicator.category}</TableCell>}
              <TableCell>
                {indicator.name}
                {!full && fmt.parens(indicator.unit)}
                {full && entry && (
                  <details className="mt-1">
                    <summary className="cursor-pointer text-xs text-blue-800">{t("indicators.enter")}</summary>
                    <div className="mt-2">{entry(indicator)}</div>
                  </details>
                )}
                {full && latest?.sourceNote && <div className="text-xs text-slate-500">{t("indicators.source", { year: latest.year, note: latest.sourceNote })}</div>}
              </TableCell>
              {full && <TableCell className="whitespace-nowrap">{indicator.unit}</TableCell>}
              <TableCell numeric>{indicator.baselineText ?? "—"}</TableCell>
              <TableCell numeric>
                {indicator.targetText}
                {full && indicator.cumulative && <span className="ml-1 text-xs text-slate-500">{fmt.parens(t("indicators.cumulative"))}</span>}
              </TableCell>
              <TableCell numeric>
                {latest ? (
                  full ? (
                    <>
                      {formatNumber(latest.value, 2)} <span className="text-xs text-slate-500">({latest.year})</span>
                      {indicator.cumulative && progress.current && <div className="text-xs text-slate-500">{t("indicators.sumSoFar", { sum: formatNumber(progress.current, 2) })}</div>}
                      {latest.isDemo && <DemoBadge className="ml-1" />}
                    </>
                  ) : (
                    `${formatNumber(latest.value, 2)} (${latest.year})`
                  )
                ) : full ? (
                  <span className="text-slate-500">{t("indicators.noValue")}</span>
                ) : (
                  "—"
                )}
              </TableCell>
              <TableCell numeric>
                {progress.progressPercent ? `${formatNumber(progress.progressPercent, 1)}%` : "—"}
                {full && progress.expectedPercent && progress.progressPercent && <div className="text-xs text-slate-500">{t("indicators.expected", { percent: formatNumber(progress.expectedPercent, 0) })}</div>}
              </TableCell>
              <TableCell>{full ? <Badge tone={STATUS_TONE[progress.status]}>{status}</Badge> : status}</TableCell>
            </TableRow>
          );
        })}
      </TableBody>
    </Table>
  );
}
