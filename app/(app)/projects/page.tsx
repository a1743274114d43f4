import Link from "@/components/link";
import { getLocale, getTranslations } from "next-intl/server";
import { DemoBadge } from "@/components/demo-badge";
import { Alert } from "@/components/ui/alert";
import { requireRoute } from "@/lib/auth/session";
import { listProjectFilterOptions, listProjectPage } from "@/lib/data/projects";
import { getColumnPreference, listSavedViews } from "@/lib/data/table-views";
import { formatNumber, toDecimal } from "@/lib/domain/money";
import { pagePlan, resolvePlan } from "@/lib/plans/plans";
import { PlanProblem, PlanSelector, withParams, withPlan } from "@/components/plan-selector";
import { DEFAULT_COLUMNS, parseProjectListParams } from "@/lib/validations/project-list";
import { ProjectsTable } from "./_components/projects-table";
import { rowText, toRowDto } from "./_components/types";
import { uiText } from "@/i18n/format";
import { CHOICE_FILTERS, NO_CHOICES, chosenOnly, filterChoices } from "./_components/filter-choices";
import { ClientMessages } from "@/i18n/client-messages";

export const dynamic = "force-dynamic";

export default async function ProjectsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const user = await requireRoute("/projects");
  const t = await getTranslations();
  const locale = await getLocale();
  const fmt = uiText(t);
  const params = await searchParams;
  const parsed = parseProjectListParams(params);
  if (!parsed.ok) {
    return (
      <div className="space-y-4">
        <h1 className="text-2xl font-semibold">{t("projects.title")}</h1>
        <Alert tone="error">
          {t("projects.badQuery")}
          {fmt.clauses(parsed.problems.map((p) => fmt.labelled(p.field, t(p.message as never))))}
        </Alert>
        <Link href="/projects" className="text-blue-800 underline">{t("projects.filters.reset")}</Link>
      </div>
    );
  }
  const plan = await pagePlan(parsed.query.plan);
  if (!plan.ok) return <PlanProblem message={plan.message} resetHref="/projects" />;
  // The columns shown (the URL's, else the user's remembered ones, else the default) are decided
  // here, and only their values go to the browser (docs/decisions/0038).
  const columns = parsed.query.cols ?? (await getColumnPreference(user)) ?? DEFAULT_COLUMNS;
  // The filter choices the URL names, with their labels; the table fetches the rest once interactive.
  const anyChosen = Object.values(CHOICE_FILTERS).some((param) => params[param]);
  const [result, options, views, resolved] = await Promise.all([
    listProjectPage(user, { ...parsed.query, cols: columns }),
    anyChosen ? listProjectFilterOptions(user, plan.planId) : null,
    listSavedViews(user),
    resolvePlan(plan.planId),
  ]);
  // The 规划目标 of the plan shown comes from its Plan row (its one home); none before a plan is loaded.
  const target = resolved?.plan.keyInvestmentTarget ?? null;
  const { totals } = result;
  // The 规划目标 comes from the Plan row (its one home); none before the plan is loaded.
  const share = target === null || totals === null || toDecimal(target).isZero() ? null : toDecimal(totals.plannedInvestment).dividedBy(target).times(100);
  // A large filtered set is counted up to a cap and not summed unless asked (docs/decisions/0043).
  const countText = result.capped ? t("projects.countAtLeast", { total: result.total }) : t("projects.count", { total: result.total });
  const anyDemo = result.rows.some((row) => row.demoFields.length > 0);
  const text = rowText(t, locale, fmt);
  const rows = result.rows.map((row) => toRowDto(row, columns, text));
  const chosen = options ? chosenOnly(filterChoices(options, t, locale), params) : NO_CHOICES;
  return (
    <ClientMessages namespaces={[
      "common.notReported", "common.listSeparator", "demo.badge", "enums.LifecycleStage", "enums.TargetStage", "enums.TrafficLight", "project.approval.pending", "project.approval.refusedBadge", "project.approval.badgeHint", "project.pendingMark",
      "projects.columns", "projects.filters", "projects.views", "projects.search", "projects.searchButton", "projects.columnsButton", "projects.exportXlsx", "projects.exportCsv",
      "projects.loading", "projects.empty", "projects.pendingTitle", "projects.page", "projects.pageOpen", "projects.prev", "projects.count", "projects.countAtLeast", "projects.next", "projects.perPage",
      "validation.required", "validation.tooLong", "validation.nameTaken", "validation.invalid", "validation.unknownParameter", "validation.forbidden", "validation.conflict", "validation.notFound"]}>
      <div className="space-y-4">
        <div className="flex flex-wrap items-center gap-3">
          <h1 className="text-2xl font-semibold">{t("projects.title")}</h1>
          {anyDemo && <DemoBadge />}
          <span className="text-sm text-slate-500">{countText}</span>
        </div>
        <PlanSelector plans={resolved?.plans ?? []} current={resolved?.plan.id ?? null} href={(id) => withPlan("/projects", params, id)} />
        {totals === null ? (
          <section aria-label={t("projects.totalsCapped", { count: result.total })} className="flex flex-wrap items-center gap-x-4 gap-y-1 rounded-md border border-slate-200 bg-white px-4 py-2 text-sm">
            <span>{t("projects.totalsCapped", { count: result.total })}</span>
            <Link href={withParams("/projects", params, { totals: "exact", page: undefined })} className="font-medium text-blue-800 underline">{t("projects.computeTotals")}</Link>
          </section>
        ) : (
          <section aria-label={t("projects.totals", { count: totals.count })} className="flex flex-wrap gap-x-8 gap-y-1 rounded-md border border-slate-200 bg-white px-4 py-2 text-sm">
            <span className="font-medium">{t("projects.totals", { count: totals.count })}</span>
            <span>{t("projects.totalInvestment")}{fmt.colon}<b className="tabular-nums">{fmt.yi(totals.totalInvestment)}</b></span>
            <span>
              {t("projects.plannedInvestmentTotal")}{fmt.colon}<b className="tabular-nums">{fmt.yi(totals.plannedInvestment)}</b>
              {target !== null && share !== null && (
                <span className="ml-1 text-slate-500">{fmt.parens(t("projects.ofTarget", { target: fmt.yi(target, 0), percent: `${formatNumber(share, 1)}%` }))}</span>
              )}
            </span>
            <span>{t("projects.completedTotal")}{fmt.colon}<b className="tabular-nums">{fmt.yi(totals.completedInvestment)}</b></span>
          </section>
        )}
        <ProjectsTable
          rows={rows}
          texts={text.texts}
          columns={columns}
          anyDemo={anyDemo}
          total={result.total}
          capped={result.capped}
          pageCount={result.pageCount}
          hasNext={result.hasNext}
          options={chosen}
          choicesUrl={`/api/projects/filter-options?${new URLSearchParams({ locale, ...(plan.planId ? { plan: plan.planId } : {}) }).toString()}`}
          canShareViews={user.organizationId !== null}
          views={views.map((v) => ({ id: v.id, name: v.name, query: v.query, shared: v.organizationId !== null, mine: v.ownerId === user.id, ownerName: v.ownerName }))}
        />
        {anyDemo && <p className="text-xs text-orange-800">* {t("demo.explanation")}</p>}
      </div>
    </ClientMessages>
  );
}
