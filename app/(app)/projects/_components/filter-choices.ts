// The project table's filter choices as the browser shows them (value, label), built on the server
// from listProjectFilterOptions. The page sends only the chosen ones; the table asks
// /api/projects/filter-options for the rest once it is interactive (docs/decisions/0038 §10).
import type { listProjectFilterOptions } from "@/lib/data/projects";
import { localName, type Translate } from "@/i18n/format";
import type { FilterOptions } from "./projects-table";

/** The filters whose choices come from the library (the others are fixed lists the table draws itself). */
export const CHOICE_FILTERS = { columns: "column", programmes: "programme", divisions: "county", sectors: "sector", owners: "owner", funding: "funding" } as const;

export function filterChoices(options: Awaited<ReturnType<typeof listProjectFilterOptions>>, t: Translate, locale: string): FilterOptions {
  return {
    columns: options.columns.map((c) => [String(c.number), `${t("plan.columnNumber", { number: c.number })} ${c.title}`]),
    programmes: options.programmes.map((g) => [g.key, g.name, g.column.number]),
    divisions: options.divisions.map((d) => [d.code, d.name]),
    sectors: options.sectors.map((s) => [s.code, localName(s, locale)]),
    owners: options.owners.map((o) => [o.id, o.name]),
    funding: options.funding.map((f) => [f.code, localName(f, locale)]),
  };
}

export const NO_CHOICES: FilterOptions = { columns: [], programmes: [], divisions: [], sectors: [], owners: [], funding: [] };

/** Only the choices the URL has chosen (a filter's value may list several, comma-separated). */
export function chosenOnly(choices: FilterOptions, params: Record<string, string | string[] | undefined>): FilterOptions {
  const chosen = (list: FilterOptions[keyof FilterOptions], param: string) => {
    const raw = params[param];
    const values = new Set((typeof raw === "string" ? raw : "").split(","));
    return list.filter((c) => values.has(c[0]));
  };
  return Object.fromEntries(Object.entries(CHOICE_FILTERS).map(([list, param]) => [list, chosen(choices[list as keyof FilterOptions], param)])) as unknown as FilterOptions;
}
