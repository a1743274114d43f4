"use client";
// The project library table: TanStack Table in manual mode (the server pages, sorts and
// filters); the whole state lives in the URL through nuqs, so a link reproduces the view.
// Client messages: projects.countyPending, projects.unknownCounty
import { flexRender, getCoreRowModel, useReactTable, type ColumnDef, type SortingState } from "@tanstack/react-table";
import Link from "@/components/link";
import { useLocale, useTranslations } from "next-intl";
import { parseAsInteger, parseAsString, useQueryStates } from "nuqs";
import { useMemo, useTransition } from "react";
import { ApprovalBadge } from "@/components/approval-badge";
import { Badge } from "@/components/ui/badge";
import { LightBadge } from "@/components/light-badge";
import { Button } from "@/components/ui/button";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { DEFAULT_COLUMNS, LIGHT_FILTER, PER_PAGE_OPTIONS, PROJECT_COLUMN_IDS, PROJECT_SORT_IDS, type ProjectColumnId } from "@/lib/validations/project-list-ids";
import { saveColumnsAction } from "../actions";
import { SavedViews, type SavedViewDto } from "./saved-views";
import type { ProjectRowDto } from "./types";
import { localName, uiSeparators } from "@/i18n/text";

export interface FilterOptions {
  columns: { number: number; title: string }[];
  programmes: { key: string; name: string; column: { number: number } }[];
  divisions: { code: string; name: string }[];
  sectors: { code: string; nameZh: string; nameEn: string }[];
  owners: { id: string; name: string }[];
  funding: { code: string; nameZh: string; nameEn: string }[];
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
};

const FILTER_KEYS = ["column", "programme", "county", "sector", "stage", "target", "owner", "funding", "budget", "demo", "light"] as const;
const MONEY = new Set<ProjectColumnId>(["totalInvestment", "plannedInvestment", "completedInvestment"]);

export function ProjectsTable({
  rows,
  total,
  pageCount,
  options,
  defaultColumns,
  views,
  canShareViews,
}: {
  rows: ProjectRowDto[];
  total: number;
  pageCount: number;
  options: FilterOptions;
  /** The user's remembered columns (in order), used when the URL names none. */
  defaultColumns: ProjectColumnId[] | null;
  views: SavedViewDto[];
  canShareViews: boolean;
}) {
  const t = useTranslations();
  const locale = useLocale();
  const fmt = uiSeparators(t);
  const [isPending, startTransition] = useTransition();
  const [state, setState] = useQueryStates(urlState, { shallow: false, startTransition, history: "push" });
  // The URL's `cols` is untrusted: only known column ids, once each (the server refuses the rest by field).
  const requested = [...new Set(state.cols?.split(",") ?? [])].filter((id): id is ProjectColumnId => (PROJECT_COLUMN_IDS as readonly string[]).includes(id));
  const ordered: ProjectColumnId[] = requested.length ? requested : (defaultColumns ?? DEFAULT_COLUMNS);
  const visible = new Set<ProjectColumnId>(ordered);
  const [sortId, sortDirection] = (state.sort ?? "planKey.asc").split(".");
  const sorting: SortingState = [{ id: sortId ?? "planKey", desc: sortDirection === "desc" }];

  const columns = useMemo<ColumnDef<ProjectRowDto>[]>(() => {
    const notReported = <span className="text-slate-500">{t("common.notReported")}</span>;
    const demoMark = (row: ProjectRowDto, field: string) =>
      row.demoFields.includes(field) ? <span className="ml-1 text-xs text-orange-700" title={t("demo.explanation")}>*</span> : null;
    const cell: Record<ProjectColumnId, (row: ProjectRowDto) => React.ReactNode> = {
      column: (r) => t("plan.columnNumber", { number: r.columnNumber }),
      name: (r) => (
        <>
          <Link href={`/projects/${r.id}`} className="text-blue-800 hover:underline">{r.name}</Link>
          <ApprovalBadge approval={r.approval} className="ml-1" />
        </>
      ),
      programme: (r) => <span className="text-slate-600">{r.programme}</span>,
      county: (r) =>
        fmt.list(r.counties) || <span className="text-slate-500">{t(r.countyPending ? "projects.countyPending" : "projects.unknownCounty")}</span>,
      sector: (r) => r.sector ?? "",
      owner: (r) => <>{r.owner ?? notReported}{demoMark(r, "ownerOrgId")}</>,
      targetStage2025: (r) => t(`enums.TargetStage.${r.targetStage2025}` as never),
      lifecycleStage: (r) => <>{t(`enums.LifecycleStage.${r.lifecycleStage}` as never)}{demoMark(r, "lifecycleStage")}</>,
      plannedStart: (r) => r.plannedStart ?? notReported,
      plannedCompletion: (r) => r.plannedCompletion ?? notReported,
      totalInvestment: (r) => <>{r.totalInvestment ?? notReported}{demoMark(r, "totalInvestment")}</>,
      plannedInvestment: (r) => <>{r.plannedInvestment ?? notReported}{demoMark(r, "plannedInvestment")}</>,
      completedInvestment: (r) => (
        <>
          {r.completedInvestment ?? notReported}
          {r.pendingInvestment && (
            <span className="ml-1 text-xs text-blue-700" title={t("projects.pendingTitle")}>+{r.pendingInvestment} {t("project.pendingMark")}</span>
          )}
        </>
      ),
      deliveryConfidence: (r) => (r.deliveryConfidence ? t(`enums.DeliveryConfidence.${r.deliveryConfidence}` as never) : notReported),
      trafficLight: (r) => (r.trafficLight ? <LightBadge light={r.trafficLight} label={t(`enums.TrafficLight.${r.trafficLight}` as never)} /> : notReported),
    };
    const value: Partial<Record<ProjectColumnId, (row: ProjectRowDto) => string | number | null>> = {
      column: (r) => r.columnNumber,
      county: (r) => fmt.list(r.counties),
    };
    return PROJECT_COLUMN_IDS.map((id) => ({
      id,
      // TanStack only offers sorting on columns with an accessor; the server does the sorting.
      accessorFn: value[id] ?? ((r: ProjectRowDto) => (r as unknown as Record<string, string | number | null>)[id] ?? null),
      header: t(`projects.columns.${id}` as never),
      enableSorting: (PROJECT_SORT_IDS as readonly string[]).includes(id),
      cell: ({ row }) => cell[id](row.original),
      meta: { numeric: MONEY.has(id) },
    }));
  }, [t]);

  const table = useReactTable({
    data: rows,
    columns,
    getCoreRowModel: getCoreRowModel(),
    manualPagination: true,
    manualSorting: true,
    manualFiltering: true,
    pageCount,
    state: {
      sorting,
      pagination: { pageIndex: state.page - 1, pageSize: state.perPage },
      columnVisibility: Object.fromEntries(PROJECT_COLUMN_IDS.map((id) => [id, visible.has(id)])),
      columnOrder: [...ordered, ...PROJECT_COLUMN_IDS.filter((id) => !visible.has(id))],
    },
    onSortingChange: (updater) => {
      const next = typeof updater === "function" ? updater(sorting) : updater;
      const first = next[0];
      void setState({ sort: first ? `${first.id}.${first.desc ? "desc" : "asc"}` : null, page: 1 });
    },
  });

  const setFilter = (key: (typeof FILTER_KEYS)[number], value: string) => void setState({ [key]: value || null, page: 1 });
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

  const select = (key: (typeof FILTER_KEYS)[number], items: { value: string; label: string }[]) => (
    <label className="flex flex-col text-xs text-slate-600">
      {t(`projects.filters.${key}` as never)}
      <select
        aria-label={t(`projects.filters.${key}` as never)}
        value={state[key] ?? ""}
        onChange={(e) => setFilter(key, e.target.value)}
        className="mt-0.5 h-8 max-w-48 rounded-md border border-slate-300 px-1 text-sm text-slate-900"
      >
        <option value="">{t("projects.filters.all")}</option>
        {items.map((item) => <option key={item.value} value={item.value}>{item.label}</option>)}
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
          void setState({ q: typeof q === "string" && q.trim() ? q.trim() : null, page: 1 });
        }}
      >
        <label className="flex flex-col text-xs text-slate-600">
          {t("projects.search")}
          <input name="q" defaultValue={state.q ?? ""} key={state.q ?? ""} className="mt-0.5 h-8 w-64 rounded-md border border-slate-300 px-2 text-sm text-slate-900" />
        </label>
        <Button type="submit" size="sm">{t("projects.searchButton")}</Button>
        {select("column", options.columns.map((c) => ({ value: String(c.number), label: `${t("plan.columnNumber", { number: c.number })} ${c.title}` })))}
        {select("programme", options.programmes.filter((p) => !state.column || state.column.split(",").includes(String(p.column.number))).map((p) => ({ value: p.key, label: p.name })))}
        {select("county", options.divisions.map((d) => ({ value: d.code, label: d.name })))}
        {select("sector", options.sectors.map((s) => ({ value: s.code, label: localName(s, locale) })))}
        {select("stage", ["PREPARATION", "CONSTRUCTION", "COMPLETED", "SUSPENDED", "CANCELLED"].map((v) => ({ value: v, label: t(`enums.LifecycleStage.${v}` as never) })))}
        {select("target", ["COMPLETE", "START", "CONSTRUCT", "PREPARE", "RELOCATE"].map((v) => ({ value: v, label: t(`enums.TargetStage.${v}` as never) })))}
        {select("owner", options.owners.map((o) => ({ value: o.id, label: o.name })))}
        {select("funding", options.funding.map((f) => ({ value: f.code, label: localName(f, locale) })))}
        {select("budget", [{ value: "has", label: t("projects.filters.budgetHas") }, { value: "missing", label: t("projects.filters.budgetMissing") }])}
        {select("demo", [{ value: "yes", label: t("projects.filters.demoYes") }, { value: "no", label: t("projects.filters.demoNo") }])}
        {select("light", LIGHT_FILTER.map((v) => ({ value: v, label: t(`enums.TrafficLight.${v}` as never) })))}
        {activeFilters && (
          <Button type="button" variant="ghost" size="sm" onClick={() => void setState(Object.fromEntries([...FILTER_KEYS, "q", "page"].map((k) => [k, null])))}>
            {t("projects.filters.reset")}
          </Button>
        )}
      </form>
      <div className="flex flex-wrap items-center gap-3 text-sm">
        <details className="relative">
          <summary className="cursor-pointer rounded-md border border-slate-300 bg-white px-3 py-1">{t("projects.columnsButton")}</summary>
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
        </details>
        <SavedViews views={views} canShare={canShareViews} />
        <a href={exportHref("xlsx")} className="rounded-md border border-slate-300 bg-white px-3 py-1 text-blue-800" download>{t("projects.exportXlsx")}</a>
        <a href={exportHref("csv")} className="rounded-md border border-slate-300 bg-white px-3 py-1 text-blue-800" download>{t("projects.exportCsv")}</a>
        {isPending && <span role="status" className="text-slate-500">{t("projects.loading")}</span>}
      </div>
      {rows.length === 0 ? (
        <p className="rounded-md border border-dashed border-slate-300 p-8 text-center text-slate-500">{t("projects.empty")}</p>
      ) : (
        <Table className={isPending ? "opacity-60" : undefined}>
          <TableHeader>
            {table.getHeaderGroups().map((group) => (
              <TableRow key={group.id}>
                {group.headers.map((header) => {
                  const sorted = header.column.getIsSorted();
                  const numeric = (header.column.columnDef.meta as { numeric?: boolean } | undefined)?.numeric;
                  return (
                    <TableHead key={header.id} className={numeric ? "text-right" : undefined} aria-sort={sorted === "asc" ? "ascending" : sorted === "desc" ? "descending" : undefined}>
                      {header.column.getCanSort() ? (
                        <button type="button" className="inline-flex items-center gap-1 hover:text-blue-800" onClick={header.column.getToggleSortingHandler()}>
                          {flexRender(header.column.columnDef.header, header.getContext())}
                          <span aria-hidden className="text-xs">{sorted === "asc" ? "▲" : sorted === "desc" ? "▼" : "↕"}</span>
                        </button>
                      ) : (
                        flexRender(header.column.columnDef.header, header.getContext())
                      )}
                    </TableHead>
                  );
                })}
              </TableRow>
            ))}
          </TableHeader>
          <TableBody>
            {table.getRowModel().rows.map((row) => (
              <TableRow key={row.id}>
                {row.getVisibleCells().map((cell) => {
                  const numeric = (cell.column.columnDef.meta as { numeric?: boolean } | undefined)?.numeric;
                  return (
                    <TableCell key={cell.id} className={numeric ? "text-right tabular-nums" : undefined}>
                      {flexRender(cell.column.columnDef.cell, cell.getContext())}
                    </TableCell>
                  );
                })}
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
      <nav className="flex flex-wrap items-center gap-3 text-sm" aria-label={t("projects.page", { page: state.page, pageCount })}>
        <Button variant="outline" size="sm" disabled={state.page <= 1} onClick={() => void setState({ page: state.page - 1 })}>{t("projects.prev")}</Button>
        <span>{t("projects.page", { page: state.page, pageCount })} · {t("projects.count", { total })}</span>
        <Button variant="outline" size="sm" disabled={state.page >= pageCount} onClick={() => void setState({ page: state.page + 1 })}>{t("projects.next")}</Button>
        <label className="flex items-center gap-1">
          {t("projects.perPage")}
          <select value={state.perPage} onChange={(e) => void setState({ perPage: Number(e.target.value), page: 1 })} className="h-8 rounded-md border border-slate-300 px-1">
            {PER_PAGE_OPTIONS.map((n) => <option key={n} value={n}>{n}</option>)}
          </select>
        </label>
        {rows.some((r) => r.demoFields.length > 0) && <Badge tone="demo">{t("demo.badge")}</Badge>}
      </nav>
    </div>
  );
}
