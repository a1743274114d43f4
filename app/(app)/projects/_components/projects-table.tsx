"use client";
// The project library table: the server pages, sorts, filters and picks the columns; the whole
// state lives in the URL through nuqs, so a link reproduces the view. The rows arrive with only the
// columns shown, their texts resolved (./types.ts, docs/decisions/0038).
import Link from "@/components/link";
import { useTranslations } from "next-intl";
import { parseAsInteger, parseAsString, useQueryStates } from "nuqs";
import { useEffect, useState, useSyncExternalStore, useTransition } from "react";
import { ApprovalBadge } from "@/components/approval-badge";
import { Badge } from "@/components/ui/badge";
import { LightBadge } from "@/components/light-badge";
import { Button } from "@/components/ui/button";
import { LIGHT_FILTER, PER_PAGE_OPTIONS, PROJECT_COLUMN_IDS, PROJECT_SORT_IDS, type ProjectColumnId } from "@/lib/validations/project-list-ids";
import { saveColumnsAction } from "../actions";
import { SavedViews, type SavedViewDto } from "./saved-views";
import type { ProjectRowDto } from "./types";

/** A filter's choice: the URL value and its label, resolved on the server (docs/decisions/0038). */
export type Choice = [value: string, label: string];

export interface FilterOptions {
  columns: Choice[];
  /** A programme's key, name and the number of its 专栏 (the list narrows to the chosen columns'). */
  programmes: [key: string, name: string, column: number][];
  divisions: Choice[];
  sectors: Choice[];
  owners: Choice[];
  funding: Choice[];
}

const urlState = {
  page: parseAsInteger.withDefault(1),
  perPage: parseAsInteger.withDefault(50),
  sort: parseAsString,
  q: parseAsString,
  column: parseAsString,
  programme: parseAsString,
  county: parseAsString,
  sector: parseAsString,
  stage: parseAsString,
  target: parseAsString,
  owner: parseAsString,
  funding: parseAsString,
  budget: parseAsString,
  demo: parseAsString,
  light: parseAsString,
  cols: parseAsString,
  totals: parseAsString,
};

/** False while the server renders and React hydrates, true after (no store: nothing to subscribe to). */
const subscribeNever = () => () => {};
const useHydrated = () => useSyncExternalStore(subscribeNever, () => true, () => false);

const FILTER_KEYS = ["column", "programme", "county", "sector", "stage", "target", "owner", "funding", "budget", "demo", "light"] as const;
const MONEY = new Set<ProjectColumnId>(["totalInvestment", "plannedInvestment", "completedInvestment"]);

export function ProjectsTable({
  rows,
  texts,
  columns,
  total,
  capped,
  pageCount,
  hasNext,
  options,
  choicesUrl,
  views,
  canShareViews,
  anyDemo,
}: {
  rows: ProjectRowDto[];
  /** The page's distinct cell texts, which the rows' cells index (./types.ts). */
  texts: string[];
  /** The columns the rows carry, in order: the URL's, else the user's remembered ones, else the default (decided by the server). */
  columns: ProjectColumnId[];
  /** The filtered set's count; a lower bound when `capped` (docs/decisions/0043). */
  total: number;
  capped: boolean;
  /** null when the set was not counted (capped). */
  pageCount: number | null;
  hasNext: boolean;
  /** The choices the URL has chosen, with their labels (the page's HTML shows them before any script runs). */
  options: FilterOptions;
  /** Where the other choices come from, once the table is interactive (/api/projects/filter-options). */
  choicesUrl: string;
  views: SavedViewDto[];
  canShareViews: boolean;
  anyDemo: boolean;
}) {
  const t = useTranslations();
  const [isPending, startTransition] = useTransition();
  const [chooserOpen, setChooserOpen] = useState(false);
  const hydrated = useHydrated();
  // Every choice of the caller's scope, asked for once the table runs (the browser keeps it a minute);
  // until it answers, or if it fails, the selects hold the chosen values only.
  const [allChoices, setAllChoices] = useState<FilterOptions | null>(null);
  useEffect(() => {
    const abort = new AbortController();
    fetch(choicesUrl, { signal: abort.signal, credentials: "same-origin" })
      .then((response) => (response.ok ? (response.json() as Promise<FilterOptions>) : null))
      .then((choices) => choices && setAllChoices(choices))
      .catch(() => undefined);
    return () => abort.abort();
  }, [choicesUrl]);
  const choices = allChoices ?? options;
  const [state, setState] = useQueryStates(urlState, { shallow: false, startTransition, history: "push" });
  // The column chooser follows the URL at once (the server answers with the new columns' data);
  // the table shows the columns its rows carry. The URL's `cols` is untrusted: known ids, once each.
  const requested = [...new Set(state.cols?.split(",") ?? [])].filter((id): id is ProjectColumnId => (PROJECT_COLUMN_IDS as readonly string[]).includes(id));
  const ordered: ProjectColumnId[] = requested.length ? requested : columns;
  const visible = new Set<ProjectColumnId>(ordered);
  const [sortId = "planKey", sortDirection] = (state.sort ?? "planKey.asc").split(".");
  // A header cycles ascending → descending → the default order, as TanStack Table's did.
  const toggleSort = (id: ProjectColumnId) => {
    const next = sortId !== id ? `${id}.asc` : sortDirection === "asc" ? `${id}.desc` : null;
    void setState({ sort: next, page: 1 });
  };
  const notReported = t("common.notReported");
  const pageLabel = pageCount === null ? t("projects.pageOpen", { page: state.page }) : t("projects.page", { page: state.page, pageCount });

  // A new set is counted up to the cap again: exact totals are asked for one set at a time.
  const setFilter = (key: (typeof FILTER_KEYS)[number], value: string) => void setState({ [key]: value || null, page: 1, totals: null });
  // Column choices go into the URL (the view) and are remembered for the user's next visit.
  const setColumns = (next: ProjectColumnId[]) => {
    void setState({ cols: next.join(",") });
    void saveColumnsAction(next);
  };
  const toggleColumn = (id: ProjectColumnId) => setColumns(visible.has(id) ? ordered.filter((c) => c !== id) : [...ordered, id]);
  const moveColumn = (id: ProjectColumnId, by: -1 | 1) => {
    const index = ordered.indexOf(id);
    const target = index + by;
    if (index < 0 || target < 0 || target >= ordered.length) return;
    const next = [...ordered];
    [next[index], next[target]] = [next[target]!, next[index]!];
    setColumns(next);
  };
  const exportHref = (format: "xlsx" | "csv") => {
    const params = new URLSearchParams({ format });
    for (const key of [...FILTER_KEYS, "q", "sort"] as const) {
      const value = state[key];
      if (value) params.set(key, value);
    }
    return `/api/projects/export?${params.toString()}`;
  };

  const select = (key: (typeof FILTER_KEYS)[number], items: readonly (readonly [value: string, label: string, ...unknown[]])[]) => (
    <label className="flex flex-col text-xs text-slate-600">
      {t(`projects.filters.${key}` as never)}
      <select
        aria-label={t(`projects.filters.${key}` as never)}
        value={state[key] ?? ""}
        onChange={(e) => setFilter(key, e.target.value)}
        className="mt-0.5 h-8 max-w-48 rounded-md border border-slate-300 px-1 text-sm text-slate-900"
      >
        <option value="">{t("projects.filters.all")}</option>
        {/* The HTML carries only the chosen value: the other choices (the owners alone are a hundred) are
            drawn once the page is interactive, which a choice needs anyway (docs/decisions/0038). */}
        {items.filter(([value]) => hydrated || value === state[key]).map(([value, label]) => <option key={value} value={value}>{label}</option>)}
      </select>
    </label>
  );
  const activeFilters = FILTER_KEYS.some((k) => state[k]) || !!state.q;

  return (
    <div className="space-y-3" aria-busy={isPending}>
      <form
        role="search"
        className="flex flex-wrap items-end gap-2"
        onSubmit={(e) => {
          e.preventDefault();
          const q = new FormData(e.currentTarget).get("q");
          void setState({ q: typeof q === "string" && q.trim() ? q.trim() : null, page: 1, totals: null });
        }}
      >
        <label className="flex flex-col text-xs text-slate-600">
          {t("projects.search")}
          <input name="q" defaultValue={state.q ?? ""} key={state.q ?? ""} className="mt-0.5 h-8 w-64 rounded-md border border-slate-300 px-2 text-sm text-slate-900" />
        </label>
        <Button type="submit" size="sm">{t("projects.searchButton")}</Button>
        {select("column", choices.columns)}
        {select("programme", choices.programmes.filter((p) => !state.column || state.column.split(",").includes(String(p[2]))))}
        {select("county", choices.divisions)}
        {select("sector", choices.sectors)}
        {select("stage", ["PREPARATION", "CONSTRUCTION", "COMPLETED", "SUSPENDED", "CANCELLED"].map((v) => [v, t(`enums.LifecycleStage.${v}` as never)]))}
        {select("target", ["COMPLETE", "START", "CONSTRUCT", "PREPARE", "RELOCATE"].map((v) => [v, t(`enums.TargetStage.${v}` as never)]))}
        {select("owner", choices.owners)}
        {select("funding", choices.funding)}
        {select("budget", [["has", t("projects.filters.budgetHas")], ["missing", t("projects.filters.budgetMissing")]])}
        {select("demo", [["yes", t("projects.filters.demoYes")], ["no", t("projects.filters.demoNo")]])}
        {select("light", LIGHT_FILTER.map((v) => [v, t(`enums.TrafficLight.${v}` as never)]))}
        {activeFilters && (
          <Button type="button" variant="ghost" size="sm" onClick={() => void setState(Object.fromEntries([...FILTER_KEYS, "q", "page", "totals"].map((k) => [k, null])))}>
            {t("projects.filters.reset")}
          </Button>
        )}
      </form>
      <div className="flex flex-wrap items-center gap-3 text-sm">
        {/* The chooser's 15 rows are drawn once it is opened: they need script anyway, and the page is lighter without them. */}
        <details className="relative" onToggle={(e) => setChooserOpen(e.currentTarget.open)}>
          <summary className="cursor-pointer rounded-md border border-slate-300 bg-white px-3 py-1">{t("projects.columnsButton")}</summary>
          {chooserOpen && (
            <div className="absolute z-10 mt-1 grid w-72 gap-1 rounded-md border border-slate-200 bg-white p-3 shadow">
              {[...ordered, ...PROJECT_COLUMN_IDS.filter((id) => !visible.has(id))].map((id) => (
                <div key={id} className="flex items-center justify-between gap-2">
                  <label className="flex items-center gap-2">
                    <input type="checkbox" checked={visible.has(id)} onChange={() => toggleColumn(id)} disabled={id === "name"} />
                    {t(`projects.columns.${id}` as never)}
                  </label>
                  {visible.has(id) && (
                    <span className="flex gap-1">
                      <button type="button" className="px-1 text-slate-500 hover:text-blue-800" aria-label={`${t("projects.views.moveUp")} ${t(`projects.columns.${id}` as never)}`} onClick={() => moveColumn(id, -1)}>↑</button>
                      <button type="button" className="px-1 text-slate-500 hover:text-blue-800" aria-label={`${t("projects.views.moveDown")} ${t(`projects.columns.${id}` as never)}`} onClick={() => moveColumn(id, 1)}>↓</button>
                    </span>
                  )}
                </div>
              ))}
            </div>
          )}
        </details>
        <SavedViews views={views} canShare={canShareViews} />
        <a href={exportHref("xlsx")} className="rounded-md border border-slate-300 bg-white px-3 py-1 text-blue-800" download>{t("projects.exportXlsx")}</a>
        <a href={exportHref("csv")} className="rounded-md border border-slate-300 bg-white px-3 py-1 text-blue-800" download>{t("projects.exportCsv")}</a>
        {isPending && <span role="status" className="text-slate-500">{t("projects.loading")}</span>}
      </div>
      {rows.length === 0 ? (
        <p className="rounded-md border border-dashed border-slate-300 p-8 text-center text-slate-500">{t("projects.empty")}</p>
      ) : (
        // Plain cells styled from the table (one class list, not one per cell): the page's HTML is
        // mostly this table (docs/decisions/0038).
        <div className="w-full overflow-x-auto" tabIndex={0}>
          <table
            className={`w-full border-collapse text-sm [&_td]:px-3 [&_td]:py-2 [&_td]:align-top [&_td_a]:text-blue-800 [&_td_a:hover]:underline [&_tbody_tr]:border-b [&_tbody_tr]:border-slate-100 [&_tbody_tr:hover]:bg-slate-50/60 [&_.n]:text-right [&_.n]:tabular-nums [&_.u]:text-slate-500 [&_.p]:text-slate-600 [&_.x]:after:ml-1 [&_.x]:after:text-xs [&_.x]:after:text-orange-700 [&_.x]:after:content-['*']${isPending ? " opacity-60" : ""}`}
          >
            <thead className="bg-slate-50 text-left text-slate-600">
              <tr className="border-b border-slate-100">
                {columns.map((id) => {
                  const label = t(`projects.columns.${id}` as never);
                  const sorted = sortId === id ? sortDirection : undefined;
                  return (
                    <th key={id} scope="col" className={`px-3 py-2 font-medium whitespace-nowrap${MONEY.has(id) ? " text-right" : ""}`} aria-sort={sorted === "asc" ? "ascending" : sorted === "desc" ? "descending" : undefined}>
                      {(PROJECT_SORT_IDS as readonly string[]).includes(id) ? (
                        <button type="button" className="inline-flex items-center gap-1 hover:text-blue-800" onClick={() => toggleSort(id)}>
                          {label}
                          <span aria-hidden className="text-xs">{sorted === "asc" ? "▲" : sorted === "desc" ? "▼" : "↕"}</span>
                        </button>
                      ) : (
                        label
                      )}
                    </th>
                  );
                })}
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <tr key={row.id}>
                  {columns.map((id, index) => {
                    const place = row.cells[index];
                    const text = place === null || place === undefined ? null : (texts[place] ?? null);
                    let content: React.ReactNode = text === null ? <span className="u">{notReported}</span> : text;
                    if (id === "name") {
                      content = (
                        <>
                          <Link href={`/projects/${row.id}`}>{text}</Link>
                          {row.approval && <ApprovalBadge approval={row.approval} className="ml-1" />}
                        </>
                      );
                    } else if (id === "county" && row.countyNote) content = <span className="u">{text}</span>;
                    else if (id === "trafficLight" && row.light && text !== null) content = <LightBadge light={row.light} label={text} />;
                    else if (id === "completedInvestment" && row.pending) {
                      content = (
                        <>
                          {content}
                          <span className="ml-1 text-xs text-blue-700" title={t("projects.pendingTitle")}>+{row.pending} {t("project.pendingMark")}</span>
                        </>
                      );
                    }
                    // n: an amount; p: the programme, muted; x: a demo value, marked * (explained below the table).
                    const classes = [MONEY.has(id) && "n", id === "programme" && "p", row.demo?.includes(index) && "x"].filter(Boolean).join(" ");
                    return (
                      <td key={id} className={classes || undefined}>
                        {content}
                      </td>
                    );
                  })}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <nav className="flex flex-wrap items-center gap-3 text-sm" aria-label={pageLabel}>
        <Button variant="outline" size="sm" disabled={state.page <= 1} onClick={() => void setState({ page: state.page - 1 })}>{t("projects.prev")}</Button>
        <span>{pageLabel} · {capped ? t("projects.countAtLeast", { total }) : t("projects.count", { total })}</span>
        <Button variant="outline" size="sm" disabled={!hasNext} onClick={() => void setState({ page: state.page + 1 })}>{t("projects.next")}</Button>
        <label className="flex items-center gap-1">
          {t("projects.perPage")}
          <select value={state.perPage} onChange={(e) => void setState({ perPage: Number(e.target.value), page: 1 })} className="h-8 rounded-md border border-slate-300 px-1">
            {PER_PAGE_OPTIONS.map((n) => <option key={n} value={n}>{n}</option>)}
          </select>
        </label>
        {anyDemo && <Badge tone="demo">{t("demo.badge")}</Badge>}
      </nav>
    </div>
  );
}
