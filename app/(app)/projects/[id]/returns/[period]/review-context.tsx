// What the reviewer judges a month's figures against, beside them: the previous month's approved
// figures, the year's plan and 序时进度, the approved cumulative before the month and with it, and,
// after a 退回, what the owner changed since (lib/returns/queries.ts reviewContext).
import { getTranslations } from "next-intl/server";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { formatChinaTime } from "@/lib/domain/dates";
import { formatNumber, type Decimal } from "@/lib/domain/money";
import type { ReviewContext as Context } from "@/lib/returns/queries";
import type { FigureValues } from "@/lib/returns/rules";

const EMPTY = "—";
const money = (v: Decimal | string | null | undefined) => (v === null || v === undefined ? EMPTY : formatNumber(v, 2));
const pct = (v: Decimal | string | null | undefined) => (v === null || v === undefined ? EMPTY : `${formatNumber(v, 1)}%`);

export async function ReviewContext({ context, values, label }: { context: Context; values: FigureValues; label: (field: string) => string }) {
  const t = await getTranslations();
  const previous = context.previous.values;
  const sources = [...new Set([...Object.keys(values.funds), ...Object.keys(previous?.funds ?? {})])];
  const compared: [string, string, string][] = [
    [label("completedInvestment"), money(values.completedInvestment), money(previous?.completedInvestment)],
    [label("payments"), money(values.payments), money(previous?.payments)],
    [label("progressPercent"), pct(values.progressPercent), pct(previous?.progressPercent)],
    [label("progressText"), values.progressText ?? EMPTY, previous?.progressText ?? EMPTY],
    ...sources.map((code): [string, string, string] => [label(`funds.${code}`), money(values.funds[code]), money(previous?.funds[code])]),
  ];
  const { plan, cumulative } = context;
  const facts: [string, string][] = [
    [t("returns.context.annualPlan", { year: plan.year }), money(plan.annualPlan)],
    [t("returns.context.schedule", { months: plan.months }), plan.scheduleTarget ? t("returns.context.scheduleValue", { share: pct(plan.scheduleShare), amount: money(plan.scheduleTarget) }) : pct(plan.scheduleShare)],
    [t("returns.context.yearToDate"), t("returns.context.beforeAndWith", { before: money(cumulative.yearToDate.before), with: money(cumulative.yearToDate.withMonth) })],
    [t("returns.context.yearShare"), pct(plan.completedShare)],
    [t("returns.context.sinceStart"), t("returns.context.beforeAndWith", { before: money(cumulative.sinceStart.before), with: money(cumulative.sinceStart.withMonth) })],
    [t("returns.context.totalShare", { total: money(cumulative.totalInvestment) }), pct(cumulative.totalShare)],
  ];
  const changes = context.sinceReturned ? Object.entries(context.sinceReturned.changes) : [];
  return (
    <Card data-testid="review-context">
      <CardHeader><CardTitle>{t("returns.context.title")}</CardTitle></CardHeader>
      <CardContent className="space-y-4">
        <div className="overflow-x-auto">
          <Table aria-label={t("returns.context.compareLabel")}>
            <TableHeader>
              <TableRow>
                <TableHead>{t("project.field")}</TableHead>
                <TableHead className="text-right">{t("returns.context.thisMonth")}</TableHead>
                <TableHead className="text-right">{previous ? t("returns.context.previousApproved", { period: context.previous.period }) : t("returns.context.previous", { period: context.previous.period })}</TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {compared.map(([field, now, before]) => (
                <TableRow key={field}><TableCell>{field}</TableCell><TableCell numeric>{now}</TableCell><TableCell numeric>{before}</TableCell></TableRow>
              ))}
            </TableBody>
          </Table>
          {!previous && (
            <p className="mt-1 text-xs text-slate-600">
              {context.previous.status ? t("returns.context.previousNotApproved", { status: t(`enums.ReturnStatus.${context.previous.status}` as never) }) : t("returns.context.previousNone")}
            </p>
          )}
        </div>
        <dl className="grid grid-cols-1 gap-x-6 gap-y-2 text-sm md:grid-cols-[16rem_1fr]" data-testid="review-plan">
          {facts.map(([name, value]) => (
            <div key={name} className="contents"><dt className="text-slate-500">{name}</dt><dd className="tabular-nums">{value}</dd></div>
          ))}
        </dl>
        {context.sinceReturned && (
          <div>
            <h3 className="mb-2 text-sm font-medium">{t("returns.context.sinceReturned", { at: formatChinaTime(context.sinceReturned.returnedAt) })}</h3>
            {changes.length === 0 ? <p className="text-sm text-slate-600">{t("returns.context.noChangeSinceReturned")}</p> : (
              <Table aria-label={t("returns.context.sinceReturnedLabel")}>
                <TableHeader><TableRow><TableHead>{t("project.field")}</TableHead><TableHead>{t("project.before")}</TableHead><TableHead>{t("project.after")}</TableHead></TableRow></TableHeader>
                <TableBody>
                  {changes.map(([field, c]) => (
                    <TableRow key={field}><TableCell>{label(field)}</TableCell><TableCell>{c.from ?? EMPTY}</TableCell><TableCell>{c.to ?? EMPTY}</TableCell></TableRow>
                  ))}
                </TableBody>
              </Table>
            )}
          </div>
        )}
      </CardContent>
    </Card>
  );
}
