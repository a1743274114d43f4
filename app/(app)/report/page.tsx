import Link from "@/components/link";
import { formatSlippage } from "@/lib/portfolio/slippage";
import { getLocale, getTranslations } from "next-intl/server";
import { Badge } from "@/components/ui/badge";
import { LightBadge } from "@/components/light-badge";
import { DataAsOf } from "@/components/data-as-of";
import { LightReasons } from "@/components/light-reasons";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { requireRoute } from "@/lib/auth/session";
import { defaultReportMonth, isReportMonth, monthlyReport, type ReportRow } from "@/lib/portfolio/report";
import { isoDay } from "@/lib/domain/dates";
import { formatNumber, wanToYi } from "@/lib/domain/money";
import { addMonths, currentPeriod } from "@/lib/returns/rules";
import { groupLabel, uiText, type GroupDimension, type Translate } from "@/i18n/format";
import { IndicatorTable } from "@/components/indicator-table";
import { CountyMap } from "@/components/county-map";
import { listDivisions } from "@/lib/data/projects";
import { CITY_DIVISION } from "@/lib/returns/rules";
import { pagePlan } from "@/lib/plans/plans";
import { PlanProblem, PlanSelector, withPlan } from "@/components/plan-selector";

export const dynamic = "force-dynamic";

const yi = (wan: string) => formatNumber(wanToYi(wan), 2);
const pct = (v: string | null) => (v === null ? "—" : `${formatNumber(v, 1)}%`);

export default async function ReportPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const user = await requireRoute("/report");
  const t = await getTranslations();
  const locale = await getLocale();
  const fmt = uiText(t);
  const params = await searchParams;
  const requested = typeof params.month === "string" ? params.month : undefined;
  const month = requested && isReportMonth(requested) ? requested : defaultReportMonth();
  const plan = await pagePlan(params.plan);
  if (!plan.ok) return <PlanProblem message={plan.message} resetHref={`/report?month=${month}`} />;
  const [r, divisions] = await Promise.all([monthlyReport(user, month, undefined, plan.planId), listDivisions()]);
  const [y = "", m = ""] = month.split("-");

  const table = (rows: ReportRow[], caption: string, param: GroupDimension) => (
    <Table className="report-table">
      <TableHeader>
        <TableRow>
          <TableHead>{caption}</TableHead>
          <TableHead className="text-right">{t("report.projects")}</TableHead>
          <TableHead className="text-right">{t("report.planned")}</TableHead>
          <TableHead className="text-right">{t("report.annualPlan", { year: r.year })}</TableHead>
          <TableHead className="text-right">{t("report.completedMonth")}</TableHead>
          <TableHead className="text-right">{t("report.completedYtd")}</TableHead>
          <TableHead className="text-right">{t("report.ytdShare")}</TableHead>
          <TableHead className="text-right">{t("report.completedTotal")}</TableHead>
        </TableRow>
      </TableHeader>
      <TableBody>
        {rows.map((row) => (
          <TableRow key={row.key}>
            <TableCell><Link className="link print:text-black" href={`/projects?${param}=${row.key}`}>{groupLabel(t as unknown as Translate, locale, param, row)}</Link></TableCell>
            <TableCell numeric>{row.count}</TableCell>
            <TableCell numeric>{yi(row.planned)}</TableCell>
            <TableCell numeric>{yi(row.annualPlan)}</TableCell>
            <TableCell numeric>{yi(row.completedMonth)}</TableCell>
            <TableCell numeric>{yi(row.completedYtd)}</TableCell>
            <TableCell numeric>{pct(row.ytdShare)}</TableCell>
            <TableCell numeric>{yi(row.completedTotal)}</TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );

  return (
    <article className="report space-y-6">
      <div className="flex flex-wrap items-center justify-between gap-2 print:hidden">
        <form className="flex items-end gap-2 text-sm" method="get">
          <label className="flex flex-col gap-1">
            <span className="text-slate-600">{t("report.month")}</span>
            <input type="month" name="month" defaultValue={month} min="2021-01" max={currentPeriod(new Date())} className="h-9 rounded-md border border-slate-300 px-2" />
          </label>
          <button type="submit" className="h-9 rounded-md border border-slate-300 px-3">{t("report.show")}</button>
          <Link href={`/report?month=${addMonths(month, -1)}`} className="link">← {addMonths(month, -1)}</Link>
        </form>
        <div className="flex gap-3 text-sm">
          <a href={`/api/report?month=${month}${plan.planId ? `&plan=${plan.planId}` : ""}`} className="link">{t("report.xlsx")}</a>
          <span className="text-slate-500">{t("report.printHint")}</span>
        </div>
      </div>

      <PlanSelector plans={r.plans} current={r.plan?.id ?? null} href={(id) => withPlan("/report", { month }, id)} />
      <header className="text-center">
        <h1 className="text-2xl font-semibold">{t("report.title", { year: y, month: Number(m) })}</h1>
        {r.plans.length > 1 && r.plan && <p className="text-sm text-slate-700">{r.plan.title}</p>}
        <p className="text-sm text-slate-600">{t("report.subtitle", { generated: isoDay(r.generatedAt), due: isoDay(r.dueDate) })}</p>
        <p className="text-sm text-slate-600">{t("report.asOfNote", { month, year: r.year, months: r.monthIndex })}</p>
        <p className="text-xs text-orange-800">{t("demo.explanation")}</p>
        <DataAsOf asOf={r.dataAsOf} />
      </header>

      <section>
        <h2 className="mb-2 text-lg font-semibold">{t("report.summary")}</h2>
        <ul className="list-disc space-y-1 pl-5 text-sm" data-testid="report-summary">
          <li>{t("report.s.planned", { count: r.total.count, planned: yi(r.total.planned), target: r.target === null ? "—" : yi(r.target), share: pct(r.plannedShareOfTarget) })}</li>
          <li>{t("report.s.cumulative", { month, total: yi(r.total.completedTotal), share: pct(r.completedShareOfTarget) })}</li>
          <li>{t("report.s.year", { year: r.year, plan: yi(r.total.annualPlan), ytd: yi(r.total.completedYtd), share: pct(r.total.ytdShare), schedule: pct(r.scheduleShare), scheduleAmount: yi(r.scheduleTarget) })}</li>
          <li>{t("report.s.month", { month: Number(m), amount: yi(r.total.completedMonth) })}</li>
          <li>{t("report.s.returns", { due: r.returns.due, received: r.returns.received, approved: r.returns.approved })}</li>
          <li>{t("report.s.lights", { total: r.delays.total, red: r.delays.rows.filter((d) => d.light === "RED").length })}</li>
          <li>{t("report.s.notices", { open: r.noticeCounts.OPEN, answered: r.noticeCounts.ANSWERED, closed: r.noticeCounts.CLOSED, overdue: r.noticeCounts.overdue })}</li>
        </ul>
        <p className="mt-1 text-xs text-slate-500">{t("report.unitNote")}</p>
      </section>

      <section className="break-inside-avoid-page">
        <h2 className="mb-2 text-lg font-semibold">{t("report.byColumn")}</h2>
        {table(r.byColumn, t("dashboard.column"), "column")}
      </section>
      <section className="break-before-page">
        <h2 className="mb-2 text-lg font-semibold">{t("report.byCounty")}</h2>
        {table(r.byCounty, t("dashboard.county"), "county")}
        <p className="mt-1 text-xs text-slate-500">{t("dashboard.countyNote")}</p>
      </section>
      <section className="break-inside-avoid-page">
        <h2 className="mb-2 text-lg font-semibold">{t("report.countyMap")}</h2>
        <CountyMap
          divisions={divisions}
          figures={r.byCounty.map((c) => ({ key: c.key, count: c.count, planned: c.planned, completed: c.completedTotal, red: c.red, yellow: c.yellow }))}
          measure="completion"
          cityCode={CITY_DIVISION}
          idPrefix="report-county-map"
          variant="report"
        />
      </section>

      <section className="break-before-page">
        <h2 className="mb-2 text-lg font-semibold">{t("report.delays")}</h2>
        <p className="mb-2 text-xs text-slate-500">{t("report.lightsNote", { shown: r.delays.rows.length, total: r.delays.total })}</p>
        <ol className="space-y-2">
          {r.delays.rows.map((d, i) => (
            <li key={d.projectId} className="break-inside-avoid border-b border-slate-100 pb-2 text-sm">
              <div className="flex flex-wrap items-center gap-2">
                <span className="tabular-nums text-slate-500">{i + 1}.</span>
                <LightBadge light={d.light} label={t(`enums.TrafficLight.${d.light}`)} />
                <span className="font-medium">{d.name}</span>
                <span className="text-slate-600">{d.owner?.name ?? ""} · {fmt.list(d.counties)}</span>
                <span className="text-slate-600 tabular-nums" data-testid="report-slippage">
                  {t("baseline.slippage")}{fmt.colon}{formatSlippage(d.slippageDays) || "—"} · {t("baseline.slippageOriginal")}{fmt.colon}{formatSlippage(d.slippageOriginalDays) || "—"}
                </span>
              </div>
              <LightReasons reasons={d.reasons} className="list-disc pl-8 text-xs" />
            </li>
          ))}
        </ol>
      </section>

      <section className="break-inside-avoid-page">
        <h2 className="mb-2 text-lg font-semibold">{t("report.notices")}</h2>
        {r.notices.length === 0 ? <p className="text-sm text-slate-600">{t("notices.none")}</p> : (
          <Table className="report-table">
            <TableHeader>
              <TableRow>
                <TableHead>{t("report.project")}</TableHead>
                <TableHead>{t("notices.ownerOrg")}</TableHead>
                <TableHead>{t("notices.deadline")}</TableHead>
                <TableHead>{t("report.status")}</TableHead>
                <TableHead>{t("notices.subject")}</TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {r.notices.map((n) => (
                <TableRow key={n.id}>
                  <TableCell>{n.project.name}</TableCell>
                  <TableCell>{n.ownerOrg.name}</TableCell>
                  <TableCell className="tabular-nums">{isoDay(n.deadline)}</TableCell>
                  <TableCell>{t(`enums.SupervisionStatus.${n.status}`)}{n.overdue && <Badge tone="danger" className="ml-1">{t("notices.overdue", { days: -n.daysLeft })}</Badge>}</TableCell>
                  <TableCell className="max-w-md text-xs">{n.subject}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        )}
      </section>

      <section className="break-before-page">
        <h2 className="mb-2 text-lg font-semibold">{t("report.indicators")}</h2>
        <IndicatorTable indicators={r.indicators} variant="report" />
      </section>
    </article>
  );
}
