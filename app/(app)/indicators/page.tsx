import { getTranslations } from "next-intl/server";
import { Table, TableBody, TableCaption, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { DemoBadge } from "@/components/demo-badge";
import { listIndicators } from "@/lib/data/indicators";
import { requireRoute } from "@/lib/auth/session";
import { formatNumber } from "@/lib/domain/money";

export const dynamic = "force-dynamic";

export default async function IndicatorsPage() {
  const user = await requireRoute("/indicators");
  const t = await getTranslations();
  const indicators = await listIndicators(user);
  return (
    <div className="space-y-4">
      <h1 className="text-2xl font-semibold">{t("indicators.title")}</h1>
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
          </TableRow>
        </TableHeader>
        <TableBody>
          {indicators.map((indicator) => {
            const latest = indicator.values[0];
            return (
              <TableRow key={indicator.id}>
                <TableCell className="tabular-nums">{indicator.number}</TableCell>
                <TableCell className="whitespace-nowrap">{indicator.category}</TableCell>
                <TableCell>{indicator.name}</TableCell>
                <TableCell className="whitespace-nowrap">{indicator.unit}</TableCell>
                <TableCell className="text-right tabular-nums">{indicator.baselineText ?? "—"}</TableCell>
                <TableCell className="text-right tabular-nums">
                  {indicator.targetText}
                  {indicator.cumulative && <span className="ml-1 text-xs text-slate-500">（{t("indicators.cumulative")}）</span>}
                </TableCell>
                <TableCell className="text-right tabular-nums">
                  {latest ? (
                    <>
                      {formatNumber(latest.value, 2)} <span className="text-xs text-slate-500">({latest.year})</span>
                      {latest.isDemo && <DemoBadge className="ml-1" />}
                    </>
                  ) : (
                    <span className="text-slate-400">{t("indicators.noValue")}</span>
                  )}
                </TableCell>
              </TableRow>
            );
          })}
        </TableBody>
      </Table>
    </div>
  );
}
