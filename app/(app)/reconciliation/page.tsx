// 对账: do the figures add up? Column totals against project sums and the plan's target, stored
// cumulative figures against the approved returns, projects without a budget, and anomalies.
import Link from "@/components/link";
import type { ReactNode } from "react";
import { getTranslations } from "next-intl/server";
import { Badge } from "@/components/ui/badge";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { requireRoute } from "@/lib/auth/session";
import { pagePlan } from "@/lib/plans/plans";
import { PlanProblem, PlanSelector, withPlan } from "@/components/plan-selector";
import { JUMP_FACTOR, JUMP_MIN_WAN, reconciliationReport } from "@/lib/portfolio/reconciliation";
import { formatNumber } from "@/lib/domain/money";
import { uiText } from "@/i18n/format";
import { returnPagePath } from "@/lib/returns/rules";

export const dynamic = "force-dynamic";

function Check({ title, count, ok, children, testId }: { title: string; count: number; ok: string; children: ReactNode; testId: string }) {
  return (
    <Card data-testid={testId}>
      <CardHeader>
        <CardTitle className="flex items-center gap-2">
          {title}
          <Badge tone={count === 0 ? "success" : "warning"}>{count}</Badge>
        </CardTitle>
      </CardHeader>
      <CardContent>{count === 0 ? <p className="text-sm text-green-800">{ok}</p> : children}</CardContent>
    </Card>
  );
}

export default async function ReconciliationPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const user = await requireRoute("/reconciliation");
  const t = await getTranslations();
  const fmt = uiText(t);
  // The column totals are one plan's (default: the current plan); the other checks cover the library.
  const plan = await pagePlan((await searchParams).plan);
  if (!plan.ok) return <PlanProblem message={plan.message} resetHref="/reconciliation" />;
  const report = await reconciliationReport(user, { planId: plan.planId });
  const planQuery = plan.planId ? `&plan=${encodeURIComponent(plan.planId)}` : "";
  const project = (id: string, name: string, period?: string) => (
    <Link className="link" href={period ? returnPagePath(id, period) : `/projects/${id}`}>{name}{period ? ` · ${period}` : ""}</Link>
  );
  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-semibold">{t("reconciliation.title")}</h1>
        <p className="text-sm text-slate-600">{t("reconciliation.intro")}</p>
        <p className="mt-2 flex flex-wrap items-center gap-3 text-sm">
          <a className="text-blue-800 underline" href={`/api/reconciliation/export?format=xlsx${planQuery}`} download>{t("reconciliation.downloadXlsx")}</a>
          <a className="text-blue-800 underline" href={`/api/reconciliation/export?format=csv${planQuery}`} download>{t("reconciliation.downloadCsv")}</a>
          <span className="text-slate-600">{t("reconciliation.downloadHint")}</span>
        </p>
      </div>
      <PlanSelector plans={report.plans} current={report.plan?.id ?? null} href={(id) => withPlan("/reconciliation", {}, id)} />
      <Card>
        <CardHeader><CardTitle>{t("reconciliation.columns")}</CardTitle></CardHeader>
        <CardContent>
          <Table aria-label={t("reconciliation.columns")}>
            <TableHeader>
              <TableRow>
                <TableHead>{t("projects.column")}</TableHead>
                <TableHead className="text-right">{t("reconciliation.projects")}</TableHead>
                <TableHead className="text-right">{t("reconciliation.planned")}</TableHead>
                <TableHead className="text-right">{t("reconciliation.total")}</TableHead>
                <TableHead className="text-right">{t("reconciliation.stored")}</TableHead>
                <TableHead className="text-right">{t("reconciliation.approved")}</TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {report.columns.map((c) => (
                <TableRow key={c.number}>
                  <TableCell><Link className="link" href={`/projects?column=${c.number}`}>{t("plan.columnNumber", { number: c.number })} {c.title}</Link></TableCell>
                  <TableCell numeric>{c.projects}</TableCell>
                  <TableCell numeric>{fmt.yi(c.planned)}</TableCell>
                  <TableCell numeric>{fmt.yi(c.total)}</TableCell>
                  <TableCell numeric>{fmt.yi(c.completed)}</TableCell>
                  <TableCell numeric className={c.matches ? undefined : "font-semibold text-red-700"}>{fmt.yi(c.approved)}</TableCell>
                </TableRow>
              ))}
              <TableRow className="font-medium">
                <TableCell>∑</TableCell>
                <TableCell numeric>{report.columns.reduce((n, c) => n + c.projects, 0)}</TableCell>
                <TableCell numeric data-testid="planned-total">{fmt.yi(report.totals.planned)}</TableCell>
                <TableCell numeric>{fmt.yi(report.totals.total)}</TableCell>
                <TableCell numeric>{fmt.yi(report.totals.completed)}</TableCell>
                <TableCell numeric>{fmt.yi(report.totals.approved)}</TableCell>
              </TableRow>
            </TableBody>
          </Table>
          <p className="mt-3 text-sm">
            {t("reconciliation.target", { target: report.target === null ? "—" : fmt.yi(report.target), planned: fmt.yi(report.totals.planned), gap: report.totals.gapToTarget === null ? "—" : fmt.yi(report.totals.gapToTarget) })}
          </p>
        </CardContent>
      </Card>
      <div className="grid gap-6 md:grid-cols-2">
        <Check testId="cumulative" title={t("reconciliation.cumulative")} count={report.cumulativeMismatch.length} ok={t("reconciliation.cumulativeOk")}>
          <ul className="space-y-1 text-sm">
            {report.cumulativeMismatch.map((r) => (
              <li key={r.projectId}>{project(r.projectId, r.name)}{fmt.colon}{t("reconciliation.storedVsApproved", { stored: formatNumber(r.stored, 2), approved: formatNumber(r.approved, 2) })}</li>
            ))}
          </ul>
        </Check>
        <Check testId="no-budget" title={t("reconciliation.noBudget")} count={report.noBudget.count} ok={t("reconciliation.noBudgetOk")}>
          <ul className="space-y-1 text-sm">
            {report.noBudget.rows.map((r) => (
              <li key={r.projectId}>{project(r.projectId, r.name)} <span className="text-slate-500">{fmt.parens(fmt.list(r.missing.map((m) => t(`projectFields.${m}` as never))))}</span></li>
            ))}
          </ul>
        </Check>
        <Check testId="funds-above-total" title={t("reconciliation.fundsAboveTotal")} count={report.fundsAboveTotal.length} ok={t("reconciliation.none")}>
          <ul className="space-y-1 text-sm">
            {report.fundsAboveTotal.map((r) => (
              <li key={r.projectId}>{project(r.projectId, r.name)}{fmt.colon}{t("reconciliation.fundsVsTotal", { funds: formatNumber(r.funds, 2), total: formatNumber(r.total, 2) })}</li>
            ))}
          </ul>
        </Check>
        <Check testId="jumps" title={t("reconciliation.jumps", { factor: JUMP_FACTOR, min: JUMP_MIN_WAN })} count={report.jumps.length} ok={t("reconciliation.none")}>
          <ul className="space-y-1 text-sm">
            {report.jumps.map((r) => (
              <li key={`${r.projectId}-${r.period}`}>{project(r.projectId, r.name, r.period)}{fmt.colon}{t("reconciliation.jumpFrom", { previous: formatNumber(r.previous, 2), amount: formatNumber(r.amount, 2) })}</li>
            ))}
          </ul>
        </Check>
        <Check testId="self-approved" title={t("reconciliation.selfApproved")} count={report.selfApproved.length} ok={t("reconciliation.none")}>
          <ul className="space-y-1 text-sm">
            {report.selfApproved.map((r) => (
              <li key={`${r.projectId}-${r.period}`}>{project(r.projectId, r.name, r.period)}{fmt.colon}{r.userName}</li>
            ))}
          </ul>
        </Check>
      </div>
      <p className="text-xs text-slate-500">{t("reconciliation.unit")}</p>
    </div>
  );
}
