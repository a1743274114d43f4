import Link from "@/components/link";
import { getLocale, getTranslations } from "next-intl/server";
import { Badge } from "@/components/ui/badge";
import { DataAsOf } from "@/components/data-as-of";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { requireRoute } from "@/lib/auth/session";
import { filterProjects, finalEvaluation, type RateRow } from "@/lib/evaluation/queries";
import { EVALUATION_END_DAY } from "@/lib/evaluation/rules";
import { evaluationOptions, evaluationQuery, evaluationSearch, type EvaluationQuery, type ProjectFilter } from "@/lib/evaluation/schema";
import { chinaDay } from "@/lib/domain/reporting-calendar";
import { isoDay } from "@/lib/domain/dates";
import { formatNumber, wanToYi } from "@/lib/domain/money";
import { searchParamsObject } from "@/lib/validations/untrusted";
import { queryProblems } from "@/lib/http/route";
import { uiText } from "@/i18n/format";
import { returnPagePath } from "@/lib/returns/rules";

export const dynamic = "force-dynamic";

const yi = (wan: string | null) => (wan === null ? "—" : formatNumber(wanToYi(wan), 2));
const pct = (v: string | null) => (v === null ? "—" : `${formatNumber(v, 1)}%`);
const num = (v: string | null) => (v === null ? "—" : formatNumber(v, 2));
const link = "link print:text-black";

export default async function EvaluationPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const user = await requireRoute("/evaluation");
  const t = await getTranslations();
  const english = (await getLocale()) === "en";
  const fmt = uiText(t);
  const { values, problems: rawProblems } = searchParamsObject(await searchParams);
  const parsed = evaluationQuery.safeParse(values);
  const problems = [...rawProblems, ...(parsed.success ? [] : queryProblems(parsed.error))];
  const query: EvaluationQuery = parsed.success ? parsed.data : {};
  const options = evaluationOptions(query);
  const filter: ProjectFilter = { column: query.column, programme: query.programme, county: query.county, owner: query.owner, met: query.met };
  const e = await finalEvaluation(user, options);
  const today = isoDay(chinaDay(e.generatedAt));
  const href = (f: ProjectFilter) => `/evaluation${evaluationSearch(options, f)}#projects`;
  // A row's 示例数据 mark points at the page's one explanation (hundreds of rows: not a title each).
  const demo = (flag: boolean) =>
    flag ? <Badge tone="demo" className="ml-1" {...(e.isDemo ? { "aria-describedby": "evaluation-demo-note" } : { title: t("demo.explanation") })}>{t("demo.badge")}</Badge> : null;
  const listed = filterProjects(e.projects, filter);
  const filtered = Object.values(filter).some((v) => v !== undefined);
  const filterLabel = [
    filter.column !== undefined ? e.byColumn.find((r) => r.filter.column === filter.column)?.label : undefined,
    filter.programme ? e.byProgramme.find((r) => r.filter.programme === filter.programme)?.label : undefined,
    filter.county ? e.byCounty.find((r) => r.filter.county === filter.county)?.label || t("evaluation.noCounty") : undefined,
    filter.owner ? e.byOwner.find((r) => r.filter.owner === filter.owner)?.label || t("evaluation.noOwner") : undefined,
    filter.met ? t(`evaluation.met.${filter.met}`) : undefined,
  ].filter((x): x is string => Boolean(x));

  const rateTable = (rows: RateRow[], caption: string, label: (r: RateRow) => string, testId: string) => (
    <Table className="report-table" data-testid={testId}>
      <TableHeader>
        <TableRow>
          <TableHead>{caption}</TableHead>
          <TableHead className="text-right">{t("evaluation.col.projects")}</TableHead>
          <TableHead className="text-right">{t("evaluation.col.met")}</TableHead>
          <TableHead className="text-right">{t("evaluation.col.rate")}</TableHead>
          <TableHead className="text-right">{t("evaluation.col.planned")}</TableHead>
          <TableHead className="text-right">{t("evaluation.col.completed")}</TableHead>
          <TableHead className="text-right">{t("evaluation.col.completedShare")}</TableHead>
        </TableRow>
      </TableHeader>
      <TableBody>
        {rows.map((row) => (
          <TableRow key={row.key}>
            <TableCell>
              <Link className={link} href={href(row.filter)}>{label(row)}</Link>
              {demo(row.isDemo)}
            </TableCell>
            <TableCell numeric>{row.projects}</TableCell>
            <TableCell numeric>
              <Link className={link} href={href({ ...row.filter, met: "no" })} title={t("evaluation.notMetLink")}>{row.met}</Link>
            </TableCell>
            <TableCell numeric>{pct(row.rate)}</TableCell>
            <TableCell numeric>{yi(row.planned)}</TableCell>
            <TableCell numeric>{yi(row.completed)}</TableCell>
            <TableCell numeric>{pct(row.completedShare)}</TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );

  const stage = (s: string) => t(`evaluation.stage.${s}`);

  return (
    <article className="report evaluation space-y-6">
      <div className="flex flex-wrap items-end justify-between gap-2 print:hidden">
        <form className="flex flex-wrap items-end gap-3 text-sm" method="get">
          <fieldset className="flex flex-col gap-1">
            <legend className="text-slate-600">{t("evaluation.basisLabel")}</legend>
            <label className="flex items-center gap-1">
              <input type="radio" name="basis" value="cutoff" defaultChecked={options.basis === "cutoff"} />
              {t("evaluation.basis.cutoff")}
            </label>
            <label className="flex items-center gap-1">
              <input type="radio" name="basis" value="now" defaultChecked={options.basis === "now"} />
              {t("evaluation.basis.now")}
            </label>
          </fieldset>
          <label className="flex flex-col gap-1">
            <span className="text-slate-600">{t("evaluation.cutoffLabel")}</span>
            <input type="date" name="cutoff" defaultValue={options.cutoff} min={EVALUATION_END_DAY} max={today} className="h-9 rounded-md border border-slate-300 px-2" />
          </label>
          <button type="submit" className="h-9 rounded-md border border-slate-300 px-3">{t("evaluation.show")}</button>
        </form>
        <div className="flex gap-3 text-sm">
          <a href={`/api/evaluation${evaluationSearch(options, filter)}`} className={link}>{t("evaluation.xlsx")}</a>
          <span className="text-slate-500">{t("evaluation.printHint")}</span>
        </div>
      </div>

      {problems.length > 0 && (
        <p role="alert" className="rounded-md border border-red-300 bg-red-50 p-2 text-sm text-red-800 print:hidden">
          {t("evaluation.badQuery", { fields: fmt.list([...new Set(problems.map((p) => p.field))]) })}
        </p>
      )}

      <header className="text-center">
        <h1 className="text-2xl font-semibold">{t("evaluation.title")}</h1>
        <p className="text-sm text-slate-600">{t("evaluation.subtitle", { end: e.endDay, generated: today })}</p>
        <p className="text-sm text-slate-800" data-testid="evaluation-basis">
          {options.basis === "cutoff" ? t("evaluation.basisNote.cutoff", { cutoff: options.cutoff }) : t("evaluation.basisNote.now", { today })}
        </p>
        {e.excluded && e.excluded.returns > 0 && (
          <p className="text-xs text-slate-600">{t("evaluation.excluded", { returns: e.excluded.returns, amount: yi(e.excluded.amount), lastYear: e.excluded.lastYear })}</p>
        )}
        {e.isDemo && <p id="evaluation-demo-note" className="text-xs text-orange-800">{t("demo.explanation")}</p>}
        <DataAsOf asOf={e.servedAsOf} />
      </header>

      <section className="rounded-md border border-slate-200 bg-white p-3 text-sm" aria-labelledby="evaluation-rule">
        <h2 id="evaluation-rule" className="mb-1 font-semibold">{t("evaluation.ruleTitle")}</h2>
        <ul className="list-disc space-y-0.5 pl-5" data-testid="evaluation-rule">
          <li>{t("evaluation.rule.complete")}</li>
          <li>{t("evaluation.rule.start")}</li>
          <li>{t("evaluation.rule.prepare")}</li>
          <li>{t("evaluation.rule.targets")}</li>
          <li>{t("evaluation.rule.evidence", { end: e.endDay })}</li>
          <li>{t("evaluation.rule.demo")}</li>
        </ul>
      </section>

      <section>
        <h2 className="mb-2 text-lg font-semibold">{t("evaluation.summary")}</h2>
        <ul className="list-disc space-y-1 pl-5 text-sm" data-testid="evaluation-summary">
          <li>{t("evaluation.s.achievement", { projects: e.total.projects, met: e.total.met, rate: pct(e.total.rate) })}</li>
          <li>{t("evaluation.s.investment", { completed: yi(e.total.completed), target: yi(e.target), share: pct(e.completedShareOfTarget), planned: yi(e.total.planned) })}</li>
          <li>{t("evaluation.s.funds", { inPlace: yi(e.funds.inPlace), planned: yi(e.funds.planned), share: pct(e.funds.share) })}</li>
          <li>{t("evaluation.s.indicators", { met: e.indicatorCounts.MET, notMet: e.indicatorCounts.NOT_MET, noData: e.indicatorCounts.NO_DATA })}</li>
          <li>{t("evaluation.s.carryOver", { count: e.carryOver.rows.length, remaining: yi(e.carryOver.remaining) })}</li>
        </ul>
        <p className="mt-1 text-xs text-slate-500">{t("evaluation.unitNote")}</p>
      </section>

      <section className="break-inside-avoid-page">
        <h2 className="mb-2 text-lg font-semibold">{t("evaluation.byColumn")}</h2>
        {rateTable(e.byColumn, t("dashboard.column"), (r) => t("evaluation.columnLabel", { label: r.label }), "evaluation-by-column")}
      </section>
      <section className="break-before-page">
        <h2 className="mb-2 text-lg font-semibold">{t("evaluation.byProgramme")}</h2>
        {rateTable(e.byProgramme, t("evaluation.programme"), (r) => r.label, "evaluation-by-programme")}
      </section>
      <section className="break-before-page">
        <h2 className="mb-2 text-lg font-semibold">{t("evaluation.byCounty")}</h2>
        {rateTable(e.byCounty, t("dashboard.county"), (r) => r.label || t("evaluation.noCounty"), "evaluation-by-county")}
        <p className="mt-1 text-xs text-slate-500">{t("dashboard.countyNote")}</p>
      </section>
      <section className="break-before-page">
        <h2 className="mb-2 text-lg font-semibold">{t("evaluation.byOwner")}</h2>
        {rateTable(e.byOwner, t("evaluation.owner"), (r) => r.label || t("evaluation.noOwner"), "evaluation-by-owner")}
      </section>

      <section className="break-before-page">
        <h2 className="mb-2 text-lg font-semibold">{t("evaluation.byYear")}</h2>
        <Table className="report-table" data-testid="evaluation-by-year">
          <TableHeader>
            <TableRow>
              <TableHead>{t("evaluation.col.year")}</TableHead>
              <TableHead className="text-right">{t("evaluation.col.annualPlan")}</TableHead>
              <TableHead className="text-right">{t("evaluation.col.completed")}</TableHead>
              <TableHead className="text-right">{t("evaluation.col.planShare")}</TableHead>
              <TableHead className="text-right">{t("evaluation.col.cumulative")}</TableHead>
              <TableHead className="text-right">{t("evaluation.col.cumulativeShare")}</TableHead>
            </TableRow>
          </TableHeader>
          <TableBody>
            {e.byYear.map((y) => (
              <TableRow key={y.year}>
                <TableCell>{y.year}{demo(y.isDemo)}</TableCell>
                <TableCell numeric>{yi(y.annualPlan)}</TableCell>
                <TableCell numeric>{yi(y.completed)}</TableCell>
                <TableCell numeric>{pct(y.planShare)}</TableCell>
                <TableCell numeric>{yi(y.cumulative)}</TableCell>
                <TableCell numeric>{pct(y.cumulativeShareOfTarget)}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
        <h3 className="mb-2 mt-4 font-semibold">{t("evaluation.bySource")}</h3>
        <Table className="report-table" data-testid="evaluation-by-source">
          <TableHeader>
            <TableRow>
              <TableHead>{t("evaluation.col.source")}</TableHead>
              <TableHead className="text-right">{t("evaluation.col.plannedFunds")}</TableHead>
              <TableHead className="text-right">{t("evaluation.col.inPlace")}</TableHead>
              <TableHead className="text-right">{t("evaluation.col.inPlaceShare")}</TableHead>
            </TableRow>
          </TableHeader>
          <TableBody>
            {e.bySource.map((s) => (
              <TableRow key={s.code}>
                <TableCell>{english ? s.nameEn : s.nameZh}{demo(s.isDemo)}</TableCell>
                <TableCell numeric>{yi(s.planned)}</TableCell>
                <TableCell numeric>{yi(s.inPlace)}</TableCell>
                <TableCell numeric>{pct(s.share)}</TableCell>
              </TableRow>
            ))}
            <TableRow className="font-medium">
              <TableCell>{t("evaluation.total")}</TableCell>
              <TableCell numeric>{yi(e.funds.planned)}</TableCell>
              <TableCell numeric>{yi(e.funds.inPlace)}</TableCell>
              <TableCell numeric>{pct(e.funds.share)}</TableCell>
            </TableRow>
          </TableBody>
        </Table>
        <p className="mt-1 text-xs text-slate-500">{t("evaluation.fundsNote")}</p>
      </section>

      <section className="break-before-page">
        <h2 className="mb-2 text-lg font-semibold">{t("evaluation.indicators")}</h2>
        <Table className="report-table" data-testid="evaluation-indicators">
          <TableHeader>
            <TableRow>
              <TableHead>{t("evaluation.col.number")}</TableHead>
              <TableHead>{t("evaluation.col.indicator")}</TableHead>
              <TableHead className="text-right">{t("evaluation.col.baseline")}</TableHead>
              <TableHead className="text-right">{t("evaluation.col.target")}</TableHead>
              <TableHead className="text-right">{t("evaluation.col.value")}</TableHead>
              <TableHead>{t("evaluation.col.verdict")}</TableHead>
            </TableRow>
          </TableHeader>
          <TableBody>
            {e.indicators.map((i) => (
              <TableRow key={i.id}>
                <TableCell className="tabular-nums">{i.number}</TableCell>
                <TableCell>
                  {i.name}
                  {i.unit ? <span className="text-slate-500">{fmt.parens(i.unit)}</span> : null}
                  {demo(i.isDemo)}
                </TableCell>
                <TableCell numeric>{i.baselineText ?? "—"}</TableCell>
                <TableCell numeric>{i.targetText}</TableCell>
                <TableCell numeric>
                  {i.cumulative ? t("evaluation.cumulativeValue", { value: num(i.value), years: i.years.length }) : num(i.value)}
                </TableCell>
                <TableCell>
                  <Badge tone={i.verdict === "MET" ? "success" : i.verdict === "NOT_MET" ? "danger" : "neutral"}>{t(`evaluation.verdict.${i.verdict}`)}</Badge>
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
        <p className="mt-1 text-xs text-slate-500">{t("evaluation.indicatorNote")}</p>
      </section>

      <section className="break-before-page">
        <h2 className="mb-2 text-lg font-semibold">{t("evaluation.carryOver")}</h2>
        <p className="mb-2 text-xs text-slate-500">{t("evaluation.carryOverNote", { count: e.carryOver.rows.length, remaining: yi(e.carryOver.remaining) })}</p>
        <Table className="report-table" data-testid="evaluation-carry-over">
          <TableHeader>
            <TableRow>
              <TableHead>{t("evaluation.col.project")}</TableHead>
              <TableHead>{t("evaluation.col.reached")}</TableHead>
              <TableHead className="text-right">{t("evaluation.col.total")}</TableHead>
              <TableHead className="text-right">{t("evaluation.col.completed")}</TableHead>
              <TableHead className="text-right">{t("evaluation.col.remaining")}</TableHead>
              <TableHead>{t("evaluation.col.completion")}</TableHead>
            </TableRow>
          </TableHeader>
          <TableBody>
            {e.carryOver.rows.map((p) => (
              <TableRow key={p.id}>
                <TableCell>
                  <Link className={link} href={`/projects/${p.id}`}>{p.name}</Link>
                  {demo(p.isDemo)}
                </TableCell>
                <TableCell>{stage(p.achievement.reached)}</TableCell>
                <TableCell numeric>{yi(p.totalInvestment)}</TableCell>
                <TableCell numeric>{yi(p.completed)}</TableCell>
                <TableCell numeric>{yi(p.remaining)}</TableCell>
                <TableCell className="tabular-nums">{p.completion ? t(`evaluation.completion.${p.completion.source}`, { date: p.completion.date }) : "—"}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </section>

      <section id="projects" className="break-before-page">
        <h2 className="mb-2 text-lg font-semibold">{t("evaluation.projects")}</h2>
        <p className="mb-2 text-sm" data-testid="evaluation-filter">
          {filtered ? t("evaluation.filtered", { filter: fmt.list(filterLabel), count: listed.length }) : t("evaluation.unfiltered", { count: listed.length })}
          {filtered && (
            <Link className={`${link} ml-2 print:hidden`} href={href({})}>{t("evaluation.clearFilter")}</Link>
          )}
        </p>
        <Table className="report-table" data-testid="evaluation-projects">
          <TableHeader>
            <TableRow>
              <TableHead>{t("evaluation.col.project")}</TableHead>
              <TableHead>{t("evaluation.col.counties")}</TableHead>
              <TableHead>{t("evaluation.col.target2025")}</TableHead>
              <TableHead>{t("evaluation.col.reached")}</TableHead>
              <TableHead>{t("evaluation.col.result")}</TableHead>
              <TableHead>{t("evaluation.col.evidence")}</TableHead>
              <TableHead className="text-right">{t("evaluation.col.completed")}</TableHead>
            </TableRow>
          </TableHeader>
          <TableBody>
            {listed.map((p) => {
              const ev = p.achievement.evidence;
              return (
                <TableRow key={p.id}>
                  <TableCell>
                    <Link className={link} href={`/projects/${p.id}`}>{p.name}</Link>
                    {demo(p.isDemo)}
                    <div className="text-xs text-slate-500">{p.ownerName ?? t("evaluation.noOwner")}</div>
                  </TableCell>
                  <TableCell className="text-xs">{p.counties.length ? fmt.list(p.counties.map((c) => c.name)) : t("evaluation.noCounty")}</TableCell>
                  <TableCell>{t(`enums.TargetStage.${p.targetStage2025}`)}{fmt.parens(stage(p.achievement.required))}</TableCell>
                  <TableCell>{stage(p.achievement.reached)}</TableCell>
                  <TableCell>
                    <Badge tone={p.achievement.met ? "success" : "danger"}>{t(p.achievement.met ? "evaluation.met.yes" : "evaluation.met.no")}</Badge>
                  </TableCell>
                  <TableCell className="text-xs">
                    {ev ? (
                      ev.approvedOn && ev.period ? (
                        // The return that carried the milestone: its figures, approval and history.
                        <Link className={link} href={returnPagePath(p.id, ev.period)}>
                          {t("evaluation.evidence.approved", { kind: t(`enums.MilestoneKind.${ev.kind}`), date: ev.actualDate, approved: ev.approvedOn, period: ev.period })}
                        </Link>
                      ) : (
                        t("evaluation.evidence.demo", { kind: t(`enums.MilestoneKind.${ev.kind}`), date: ev.actualDate })
                      )
                    ) : (
                      t("evaluation.evidence.none")
                    )}
                  </TableCell>
                  <TableCell numeric>{yi(p.completed)}</TableCell>
                </TableRow>
              );
            })}
          </TableBody>
        </Table>
      </section>
      {/* The production date in every printed page's footer, beside the page number (app/globals.css). */}
      <style>{`@page evaluation { @bottom-left { content: ${JSON.stringify(t("evaluation.printFooter", { generated: today }))}; font-size: 8pt; color: #475569; } }`}</style>
    </article>
  );
}
