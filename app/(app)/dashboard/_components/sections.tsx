// The dashboard's sections, each an async server component awaiting the one shared read of the
// figures (getDashboard, cached per scope and data version: lib/cache) inside its own <Suspense>
// on the page, with a placeholder of its size so nothing moves when it arrives (docs/decisions/0039).
import type { ReactNode } from "react";
import Link from "@/components/link";
import { getLocale, getTranslations } from "next-intl/server";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { LightBadge } from "@/components/light-badge";
import { DataAsOf } from "@/components/data-as-of";
import type { Breakdown, Dashboard } from "@/lib/portfolio/dashboard";
import { formatNumber, wanToYi } from "@/lib/domain/money";
import { percentOf } from "@/lib/domain/portfolio-metrics";
import { isoDay } from "@/lib/domain/dates";
import type { Decimal } from "@/lib/domain/money";
import type { MetricDefinitionKey } from "@/lib/domain/portfolio-metrics";
import { groupLabel, localName, uiText, type GroupDimension } from "@/i18n/format";
import { CountyMap } from "@/components/county-map";
import type { MapMeasure } from "@/lib/portfolio/county-map";
import { CITY_DIVISION } from "@/lib/returns/rules";
import { PlanSelector, withParams, withPlan } from "@/components/plan-selector";
import { BarsChart, LightsPie, TrendChart } from "./lazy-charts";
import { CHART_HEIGHT } from "./chart-sizes";
import type { ChartDatum } from "./dashboard-charts";

const LIGHTS = ["RED", "YELLOW", "NO_DATA", "GREEN", "NOT_APPLICABLE"] as const;
const LIGHT_COLOR = { RED: "#dc2626", YELLOW: "#f59e0b", NO_DATA: "#94a3b8", GREEN: "#16a34a", NOT_APPLICABLE: "#e2e8f0" } as const;
const STAGES = ["PREPARATION", "CONSTRUCTION", "COMPLETED", "SUSPENDED", "CANCELLED"] as const;

const yiNumber = (wan: string) => wanToYi(wan).toDecimalPlaces(2).toNumber();
const pct = (value: Decimal | null) => (value === null ? "—" : `${formatNumber(value, 1)}%`);

export interface SectionProps {
  /** null: the county asked for was deleted between the shell's check and the read. */
  data: Promise<Dashboard | null>;
  params: Record<string, string | string[] | undefined>;
  measure: MapMeasure;
  divisions: { code: string; name: string }[];
}

/** Links to the project list carry the county the page is narrowed to (unless the link names one itself). */
export function countyProjectsHref(countyCode: string | undefined) {
  return (query = "") => {
    const search = new URLSearchParams(query);
    if (countyCode && !search.has("county")) search.set("county", countyCode);
    const text = search.toString();
    return text ? `/projects?${text}` : "/projects";
  };
}

/** What every section needs of the figures: the translator, the links, the labels. */
async function view(data: SectionProps["data"]) {
  const d = await data;
  if (!d) return null;
  const t = await getTranslations();
  const locale = await getLocale();
  const projectsHref = countyProjectsHref(d.county?.code);
  const label = (dim: GroupDimension, r: Breakdown) => groupLabel(t, locale, dim, r);
  const breakdownData = (rows: Breakdown[], param: GroupDimension): ChartDatum[] =>
    rows.map((r) => ({ label: label(param, r), href: projectsHref(r.key ? `${param}=${encodeURIComponent(r.key)}` : ""), a: yiNumber(r.plannedInvestment), b: yiNumber(r.completedInvestment) }));
  return {
    d,
    t,
    locale,
    fmt: uiText(t),
    projectsHref,
    label,
    breakdownData,
    asOfMonth: t("dashboard.asOfMonth", { month: d.reportingPeriod }),
    investmentSeries: { a: t("dashboard.series.planned"), b: t("dashboard.series.completed") },
  };
}
type View = NonNullable<Awaited<ReturnType<typeof view>>>;

function Kpi({ label, value, sub, href }: { label: string; value: string; sub?: ReactNode; href: string }) {
  return (
    <Link href={href} className="block rounded-lg border border-slate-200 bg-white p-4 shadow-sm hover:border-blue-400">
      <div className="text-xs text-slate-600">{label}</div>
      <div className="mt-1 text-xl font-semibold tabular-nums text-slate-900">{value}</div>
      {sub && <div className="mt-1 text-xs text-slate-600">{sub}</div>}
    </Link>
  );
}

/** The as-of line, plan selector, headline figures and the 四率: the first thing a reader looks at. */
export async function Headline({ data, params }: SectionProps) {
  const v = await view(data);
  if (!v) return null;
  const { d, t, fmt, projectsHref, asOfMonth } = v;
  const m = d.metrics;
  const target = d.target === null ? "—" : fmt.yi(d.target, 0);
  const def = (key: MetricDefinitionKey) => t(`metricDefinitions.${key}.definition`, { due: d.dueDay, dueNext: d.dueDay + 1 });
  const name = (key: MetricDefinitionKey) => t(`metricDefinitions.${key}.name`);
  const projects = (n: number) => t("dashboard.projectCount", { n });
  const rates = [
    { key: "startRate" as const, rate: m.startRate.percent, detail: t("dashboard.countOf", { n: m.startRate.numerator, d: m.startRate.denominator }), numerator: projects(m.startRate.numerator), denominator: projects(m.startRate.denominator), href: projectsHref("stage=PREPARATION") },
    { key: "investmentCompletionRate" as const, rate: m.investmentCompletionRate.percent, detail: `${fmt.yi(m.investmentCompletionRate.numerator)} / ${fmt.yi(m.investmentCompletionRate.denominator)}`, numerator: fmt.yi(m.investmentCompletionRate.numerator), denominator: fmt.yi(m.investmentCompletionRate.denominator), href: projectsHref("light=RED,YELLOW") },
    { key: "fundsInPlaceRate" as const, rate: m.fundsInPlaceRate.percent, detail: `${fmt.yi(m.fundsInPlaceRate.numerator)} / ${fmt.yi(m.fundsInPlaceRate.denominator)}${m.fundsInPlaceRate.projectsWithoutFundsData ? ` · ${t("dashboard.withoutFunds", { n: m.fundsInPlaceRate.projectsWithoutFundsData })}` : ""}`, numerator: fmt.yi(m.fundsInPlaceRate.numerator), denominator: fmt.yi(m.fundsInPlaceRate.denominator), href: projectsHref("light=RED,YELLOW") },
    { key: "onTimeCompletionRate" as const, rate: m.onTimeCompletionRate.percent, detail: t("dashboard.countOf", { n: m.onTimeCompletionRate.numerator, d: m.onTimeCompletionRate.denominator }), numerator: projects(m.onTimeCompletionRate.numerator), denominator: projects(m.onTimeCompletionRate.denominator), href: projectsHref("stage=COMPLETED") },
  ];
  return (
    <div className="space-y-6" data-testid="dashboard-headline">
      <p className="text-sm text-slate-600">
        {t("dashboard.asOf", { day: isoDay(d.asOf), period: d.reportingPeriod, months: m.elapsedMonths, year: d.year })}
      </p>
      <PlanSelector plans={d.plans} current={d.plan?.id ?? null} href={(id) => withPlan("/dashboard", params, id)} />
      <p className="text-xs text-slate-600">{t("dashboard.asOfDayNote", { month: d.reportingPeriod, day: isoDay(d.asOf) })}</p>
      <DataAsOf asOf={d.dataAsOf} />
      {d.lightsAsOf && isoDay(d.lightsAsOf) !== isoDay(d.asOf) && <p className="text-sm text-amber-800">{t("dashboard.lightsFrom", { day: isoDay(d.lightsAsOf) })}</p>}
      <p className="text-xs text-orange-800">{t("demo.explanation")}</p>

      <section aria-label={t("dashboard.headline")} className="grid gap-3 sm:grid-cols-2 lg:grid-cols-4">
        <Kpi
          label={t("dashboard.plannedVsTarget")}
          value={fmt.yi(d.plannedInvestment)}
          sub={t("dashboard.ofTarget", { target, percent: pct(percentOf(d.plannedInvestment, d.target)) })}
          href={projectsHref("sort=plannedInvestment.desc")}
        />
        <Kpi
          label={t("dashboard.completedInPlanPeriod", { end: d.planPeriodEnd })}
          value={fmt.yi(d.completedInPlanPeriod)}
          sub={
            <>
              {t("dashboard.ofTarget", { target, percent: pct(percentOf(d.completedInPlanPeriod, d.target)) })}
              <br />
              {t("dashboard.completedSince2021", { amount: fmt.yi(d.completedInvestment) })}
              <br />
              {asOfMonth}
            </>
          }
          href={projectsHref("sort=plannedInvestment.desc")}
        />
        <Kpi
          label={t("dashboard.annualPlan", { year: d.year })}
          value={fmt.yi(m.annualPlan)}
          sub={<>{t("dashboard.scheduleTarget", { amount: fmt.yi(m.scheduleTarget), share: pct(m.scheduleShare) })}<br />{asOfMonth}</>}
          href={projectsHref("stage=CONSTRUCTION")}
        />
        <Kpi
          label={t("dashboard.completedThisYear", { year: d.year })}
          value={fmt.yi(m.investmentCompletionRate.numerator)}
          sub={<>{t("dashboard.vsSchedule", { share: pct(m.investmentCompletionRate.percent), schedule: pct(m.scheduleShare), spi: m.spi ? formatNumber(m.spi, 2) : "—" })}<br />{asOfMonth}</>}
          href={projectsHref("light=RED,YELLOW")}
        />
      </section>

      <section aria-label={t("dashboard.fourRates")} className="grid gap-3 sm:grid-cols-2 lg:grid-cols-4">
        {rates.map((r) => (
          <div key={r.key} className="group relative rounded-lg border border-slate-200 bg-white p-4 shadow-sm" data-testid={`rate-${r.key}`}>
            <Link href={r.href} className="block hover:text-blue-800" aria-describedby={`rate-tip-${r.key}`}>
              <div className="text-xs text-slate-600">{name(r.key)}</div>
              <div className="mt-1 text-xl font-semibold tabular-nums">{pct(r.rate)}</div>
              <div className="text-xs text-slate-600">{r.detail}</div>
            </Link>
            {/* On hover and on keyboard focus: what the rate counts, over what, and how (issue 19). */}
            <div
              role="tooltip"
              id={`rate-tip-${r.key}`}
              className="invisible absolute top-full left-0 z-10 mt-1 w-72 rounded-md border border-slate-300 bg-white p-3 text-xs text-slate-800 shadow-lg group-focus-within:visible group-hover:visible"
            >
              <p>{t("dashboard.rateNumerator", { value: r.numerator })}</p>
              <p>{t("dashboard.rateDenominator", { value: r.denominator })}</p>
              <p className="mt-1">{def(r.key)}</p>
            </div>
            <details className="mt-2 text-xs text-slate-600">
              <summary className="cursor-pointer text-blue-800">{t("dashboard.definition")}</summary>
              <p className="mt-1">{def(r.key)}</p>
            </details>
          </div>
        ))}
      </section>
      <p className="text-sm" data-testid="rebaselined">
        <span className="tabular-nums text-slate-700">{t("baseline.dashboardCount", { year: d.rebaselined.year, count: d.rebaselined.count })}</span>
      </p>
      {d.noticeCounts && (
        <p className="text-sm">
          <Link href={d.county ? `/notices?county=${encodeURIComponent(d.county.code)}` : "/notices"} className="link">{t("dashboard.notices", { month: d.reportingPeriod })}</Link>{" "}
          <span className="tabular-nums text-slate-700">{t("dashboard.noticeCounts", { open: d.noticeCounts.OPEN, answered: d.noticeCounts.ANSWERED, closed: d.noticeCounts.CLOSED, overdue: d.noticeCounts.overdue })}</span>
        </p>
      )}
      <details className="text-xs text-slate-600">
        <summary className="cursor-pointer text-blue-800">{t("dashboard.definitionsOf", { names: fmt.list([name("scheduleTarget"), "SPI", "CPI"]) })}</summary>
        <p className="mt-1">{def("scheduleTarget")}</p>
        <p className="mt-1">{def("spi")} {m.spi && `(${formatNumber(m.spi, 2)})`}</p>
        <p className="mt-1">{def("cpi")} {m.cpi && `(${formatNumber(m.cpi, 2)})`}</p>
      </details>
    </div>
  );
}

function breakdownTable(v: View, rows: Breakdown[], param: GroupDimension, caption: string) {
  const { t, projectsHref, label } = v;
  return (
    <details className="mt-2 text-sm">
      <summary className="cursor-pointer text-blue-800">{t("dashboard.dataTable", { caption })}</summary>
      <Table>
        <TableHeader>
          <TableRow>
            <TableHead>{caption}</TableHead>
            <TableHead className="text-right">{t("dashboard.projects")}</TableHead>
            <TableHead className="text-right">{t("dashboard.series.planned")}</TableHead>
            <TableHead className="text-right">{t("dashboard.series.completed")}</TableHead>
            <TableHead className="text-right">{t("dashboard.thisYearCompletion")}</TableHead>
            <TableHead className="text-right">{t("enums.TrafficLight.RED")}</TableHead>
            <TableHead className="text-right">{t("enums.TrafficLight.YELLOW")}</TableHead>
          </TableRow>
        </TableHeader>
        <TableBody>
          {rows.map((r) => {
            const base = r.key ? `${param}=${encodeURIComponent(r.key)}` : "";
            const withLight = (light: string) => projectsHref(`${base}&light=${light}`);
            return (
              <TableRow key={r.key || r.label}>
                <TableCell><Link className="link" href={projectsHref(base)}>{label(param, r)}</Link></TableCell>
                <TableCell numeric>{r.count}</TableCell>
                <TableCell numeric>{formatNumber(wanToYi(r.plannedInvestment), 2)}</TableCell>
                <TableCell numeric>{formatNumber(wanToYi(r.completedInvestment), 2)}</TableCell>
                <TableCell numeric>{pct(percentOf(r.completedThisYear, r.annualPlan))}</TableCell>
                <TableCell numeric>{r.red ? <Link className="link text-red-700" href={withLight("RED")}>{r.red}</Link> : 0}</TableCell>
                <TableCell numeric>{r.yellow ? <Link className="link text-amber-700" href={withLight("YELLOW")}>{r.yellow}</Link> : 0}</TableCell>
              </TableRow>
            );
          })}
        </TableBody>
      </Table>
    </details>
  );
}

/** Lights and stages, by column, the county map, by county and sector, by owner, the trend and funds. */
export async function Sections({ data, params, measure, divisions }: SectionProps) {
  const v = await view(data);
  if (!v) return null;
  const { d, t, locale, fmt, projectsHref, breakdownData, asOfMonth, investmentSeries } = v;
  return (
    <div className="space-y-6" data-testid="dashboard-sections">
      <div className="grid gap-4 lg:grid-cols-2">
        <Card>
          <CardHeader><CardTitle>{t("dashboard.byLight")}</CardTitle></CardHeader>
          <CardContent>
            <LightsPie data={LIGHTS.filter((l) => l !== "NOT_APPLICABLE" && d.byLight[l] > 0).map((l) => ({ label: t(`enums.TrafficLight.${l}`), href: projectsHref(`light=${l}`), a: d.byLight[l], color: LIGHT_COLOR[l] }))} />
            <ul className="mt-2 flex flex-wrap gap-3 text-sm">
              {LIGHTS.map((l) => (
                <li key={l}>
                  <Link href={projectsHref(`light=${l}`)} className="hover:underline" aria-label={`${t(`enums.TrafficLight.${l}`)} ${d.byLight[l]}`}>
                    <LightBadge light={l} label={`${t(`enums.TrafficLight.${l}`)} ${d.byLight[l]}`} />
                  </Link>
                </li>
              ))}
            </ul>
            <p className="mt-2 text-xs text-slate-600">
              <Link href="/delays" className="link">{t("dashboard.toDelayReview")}</Link>
              {d.confidenceFlagged > 0 && <> · {t("dashboard.confidenceFlagged", { n: d.confidenceFlagged })}</>}
            </p>
          </CardContent>
        </Card>
        <Card>
          <CardHeader><CardTitle>{t("dashboard.byStage")}</CardTitle></CardHeader>
          <CardContent>
            <BarsChart data={STAGES.map((s) => ({ label: t(`enums.LifecycleStage.${s}`), href: projectsHref(`stage=${s}`), a: d.byStage[s] }))} series={{ a: t("dashboard.projects") }} height={240} />
            <ul className="mt-2 flex flex-wrap gap-3 text-sm">
              {STAGES.map((s) => (
                <li key={s}><Link className="link" href={projectsHref(`stage=${s}`)}>{t(`enums.LifecycleStage.${s}`)} {d.byStage[s]}</Link></li>
              ))}
            </ul>
          </CardContent>
        </Card>
      </div>

      <Card>
        <CardHeader><CardTitle>{t("dashboard.byColumn")} · {asOfMonth}</CardTitle></CardHeader>
        <CardContent>
          <BarsChart data={breakdownData(d.byColumn, "column").map((x, i) => ({ ...x, label: t("common.columnNumber", { number: d.byColumn[i]!.key }) }))} series={investmentSeries} />
          {breakdownTable(v, d.byColumn, "column", t("dashboard.column"))}
        </CardContent>
      </Card>

      <Card id="county-map">
        <CardHeader><CardTitle>{t("countyMap.title", { measure: t(`countyMap.measure.${measure}`) })} · {asOfMonth}</CardTitle></CardHeader>
        <CardContent>
          <CountyMap
            divisions={divisions}
            figures={d.byCounty.map((c) => ({ key: c.key, count: c.count, planned: c.plannedInvestment, completed: c.completedInvestment, red: c.red, yellow: c.yellow }))}
            measure={measure}
            cityCode={CITY_DIVISION}
            idPrefix="dashboard-county-map"
            measureHref={(m) => withParams("/dashboard", params, { measure: m }, "#county-map")}
            hrefOf={(code) => withParams("/dashboard", params, { county: code }, "#county-map")}
            selected={d.county?.code}
          />
        </CardContent>
      </Card>

      <div className="grid gap-4 lg:grid-cols-2">
        <Card>
          <CardHeader><CardTitle>{t("dashboard.byCounty")} · {asOfMonth}</CardTitle></CardHeader>
          <CardContent>
            <BarsChart data={breakdownData(d.byCounty, "county")} series={investmentSeries} horizontal height={440} />
            <p className="text-xs text-slate-500">{t("dashboard.countyNote")}</p>
            {breakdownTable(v, d.byCounty, "county", t("dashboard.county"))}
          </CardContent>
        </Card>
        <Card>
          <CardHeader><CardTitle>{t("dashboard.bySector")} · {asOfMonth}</CardTitle></CardHeader>
          <CardContent>
            <BarsChart data={breakdownData(d.bySector, "sector")} series={investmentSeries} horizontal height={440} />
            {breakdownTable(v, d.bySector, "sector", t("dashboard.sector"))}
          </CardContent>
        </Card>
      </div>

      <Card>
        <CardHeader><CardTitle>{t("dashboard.byOwner")} · {asOfMonth}</CardTitle></CardHeader>
        <CardContent>
          <BarsChart data={breakdownData(d.byOwner, "owner")} series={investmentSeries} horizontal height={520} />
          {breakdownTable(v, d.byOwner, "owner", t("dashboard.owner"))}
        </CardContent>
      </Card>

      <div className="grid gap-4 lg:grid-cols-2">
        <Card>
          <CardHeader><CardTitle>{t("dashboard.trend")} · {asOfMonth}</CardTitle></CardHeader>
          <CardContent>
            <TrendChart
              data={d.trend.map((p) => ({ label: p.period, href: `/report?month=${p.period}`, a: yiNumber(p.completed), b: yiNumber(p.cumulative) }))}
              series={{ a: t("dashboard.series.monthly"), b: t("dashboard.series.cumulative") }}
            />
            <p className="text-xs text-slate-500">{t("dashboard.trendNote")}</p>
          </CardContent>
        </Card>
        <Card>
          <CardHeader><CardTitle>{t("dashboard.funds", { year: d.year })} · {asOfMonth}</CardTitle></CardHeader>
          <CardContent>
            <BarsChart
              data={d.funds.map((f) => ({ label: localName(f, locale), href: projectsHref(`funding=${f.code}`), a: yiNumber(f.planned), b: yiNumber(f.inPlaceThisYear) }))}
              series={{ a: t("dashboard.series.fundingPlanned"), b: t("dashboard.series.fundsInPlace", { year: d.year }) }}
              horizontal
              height={360}
            />
            <ul className="mt-2 grid gap-1 text-sm sm:grid-cols-2">
              {d.funds.map((f) => (
                <li key={f.code}>
                  <Link className="link" href={projectsHref(`funding=${f.code}`)}>{localName(f, locale)}</Link>
                  <span className="ml-1 tabular-nums text-slate-600">{fmt.yi(f.inPlaceThisYear)}</span>
                </li>
              ))}
            </ul>
          </CardContent>
        </Card>
      </div>
    </div>
  );
}

/** The headline's place while the figures are read: the as-of lines, four KPI boxes and four rate boxes. */
export async function HeadlinePlaceholder() {
  const t = await getTranslations();
  return (
    <div className="space-y-6" aria-busy="true" data-testid="dashboard-headline-placeholder">
      <p className="text-sm text-slate-600">{t("dashboard.loading")}</p>
      <div className="grid gap-3 sm:grid-cols-2 lg:grid-cols-4">
        {[0, 1, 2, 3].map((i) => <div key={i} className="h-36 rounded-lg border border-slate-200 bg-slate-50" />)}
      </div>
      <div className="grid gap-3 sm:grid-cols-2 lg:grid-cols-4">
        {[0, 1, 2, 3].map((i) => <div key={i} className="h-28 rounded-lg border border-slate-200 bg-slate-50" />)}
      </div>
    </div>
  );
}

/** The sections' place: each card's frame at its chart's height (the charts' own boxes, lazy-charts.tsx). */
export function SectionsPlaceholder() {
  const box = (height: number) => <div className="rounded-lg border border-slate-200 bg-slate-50" style={{ height: height + 96 }} />;
  return (
    <div className="space-y-6" aria-busy="true" data-testid="dashboard-sections-placeholder">
      <div className="grid gap-4 lg:grid-cols-2">{box(CHART_HEIGHT.pie)}{box(240)}</div>
      {box(CHART_HEIGHT.bars)}
      {box(440)}
      <div className="grid gap-4 lg:grid-cols-2">{box(440)}{box(440)}</div>
      {box(520)}
      <div className="grid gap-4 lg:grid-cols-2">{box(CHART_HEIGHT.trend)}{box(360)}</div>
    </div>
  );
}
