// The portfolio on a map of 遵义市 by county (dashboard and printed monthly report): server-rendered
// SVG, one link per county to its project list, 市级 and 新蒲新区 as tiles beside the map (they have
// no boundary of their own), the value printed on every county and a table with the same figures.
// Works without JavaScript and prints. docs/decisions/0027-county-map.md
import Link from "@/components/link";
import { getTranslations } from "next-intl/server";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { formatNumber, type Decimal } from "@/lib/domain/money";
import { countyMapGeometry } from "@/lib/portfolio/county-boundaries";
import {
  MAP_COLOURS,
  MAP_MEASURES,
  classOf,
  labelColour,
  mapScale,
  measureValue,
  type CountyFigures,
  type MapMeasure,
} from "@/lib/portfolio/county-map";

interface Division {
  code: string;
  name: string;
}

const WIDTH = 640;
const HEIGHT = 440;
const TILE = { x: 512, width: 120, height: 58 };

/** The county's project list (the table's existing `county` filter). */
export const countyHref = (code: string) => `/projects?county=${encodeURIComponent(code)}`;

export async function CountyMap({
  divisions,
  figures,
  measure,
  cityCode,
  idPrefix,
  measureHref,
  hrefOf = countyHref,
  selected,
  variant = "dashboard",
}: {
  /** Every division in the usual order (AdminDivision). */
  divisions: readonly Division[];
  /** The by-county figures the page's own table shows (a division may be missing: no projects). */
  figures: readonly CountyFigures[];
  measure: MapMeasure;
  /** The code of 遵义市（市级）: drawn as the first tile. */
  cityCode: string;
  /** Makes the SVG ids (pattern, title) unique on the page. */
  idPrefix: string;
  /** Links to the map in another measure (the dashboard); the printed report has one measure. */
  measureHref?: (measure: MapMeasure) => string;
  /** Where a county links to: its project list (the report), or the dashboard narrowed to it. */
  hrefOf?: (code: string) => string;
  /** The county the page is narrowed to: outlined on the map and marked in the table. */
  selected?: string;
  variant?: "dashboard" | "report";
}) {
  const t = await getTranslations("countyMap");
  const geometry = countyMapGeometry(WIDTH - TILE.width - 24, HEIGHT);
  const byKey = new Map(figures.map((f) => [f.key, f]));
  const values = new Map<string, Decimal | null>(divisions.map((d) => [d.code, measureValue(byKey.get(d.code), measure)]));
  const scale = mapScale([...values.values()]);
  const valueText = (value: Decimal | null) => (value === null ? t("noValue") : t(`value.${measure}`, { value: formatNumber(value, 1) }));
  const shortValue = (value: Decimal | null) => (value === null ? "—" : t(`short.${measure}`, { value: formatNumber(value, 1) }));
  const fill = (code: string) => {
    const k = classOf(values.get(code) ?? null, scale);
    return k === null ? `url(#${idPrefix}-none)` : MAP_COLOURS[k];
  };
  const textFill = (code: string) => labelColour(classOf(values.get(code) ?? null, scale));
  const nameOf = new Map(divisions.map((d) => [d.code, d.name]));
  const drawn = new Set(geometry.counties.map((c) => c.code));
  const tiles = divisions.filter((d) => !drawn.has(d.code)).sort((a, b) => Number(b.code === cityCode) - Number(a.code === cityCode));
  const target = hrefOf === countyHref ? "projects" : "dashboard";
  const accessibleName = (code: string) => t(`countyLink.${target}`, { name: nameOf.get(code) ?? code, value: valueText(values.get(code) ?? null), projects: byKey.get(code)?.count ?? 0 });
  const legendLabel = (i: number) => {
    const low = formatNumber(scale.lower[i]!, scale.step < 1 ? 1 : 0);
    const high = scale.lower[i + 1];
    return high === undefined ? t(`legendFrom.${measure}`, { low }) : t(`legendRange.${measure}`, { low, high: formatNumber(high, scale.step < 1 ? 1 : 0) });
  };
  const anchorClass = "group outline-none";
  const shapeClass = "stroke-white [stroke-width:1] group-hover:opacity-85 group-focus-visible:stroke-slate-900 group-focus-visible:[stroke-width:3] print:stroke-slate-700";
  const selectedClass = "stroke-slate-900 [stroke-width:3]";
  const current = (code: string) => (code === selected ? ("page" as const) : undefined);

  return (
    <figure className="space-y-3" data-testid={`${idPrefix}-figure`}>
      {measureHref && (
        <nav aria-label={t("measureNav")} className="flex flex-wrap gap-2 text-sm print:hidden">
          {MAP_MEASURES.map((m) => (
            <Link
              key={m}
              href={measureHref(m)}
              aria-current={m === measure ? "true" : undefined}
              className={m === measure ? "rounded-md border border-blue-700 bg-blue-700 px-2 py-1 text-white" : "rounded-md border border-slate-300 px-2 py-1 text-blue-800 hover:border-blue-400"}
            >
              {t(`measure.${m}`)}
            </Link>
          ))}
        </nav>
      )}
      <p className="text-xs text-slate-600">{t(`definition.${measure}`)}</p>
      <div className={variant === "report" ? "space-y-3" : "grid gap-4 xl:grid-cols-[minmax(0,3fr)_minmax(0,2fr)]"}>
        <div>
          <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} className="h-auto w-full max-w-3xl" role="group" aria-labelledby={`${idPrefix}-title`}>
            <title id={`${idPrefix}-title`}>{t("title", { measure: t(`measure.${measure}`) })}</title>
            <defs>
              <pattern id={`${idPrefix}-none`} width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
                <rect width="6" height="6" fill="#ffffff" />
                <line x1="0" y1="0" x2="0" y2="6" stroke="#94a3b8" strokeWidth="2" />
              </pattern>
            </defs>
            {geometry.counties.map((c) => (
              <a key={c.code} href={hrefOf(c.code)} aria-label={accessibleName(c.code)} aria-current={current(c.code)} className={anchorClass} data-county={c.code}>
                <title>{accessibleName(c.code)}</title>
                <path d={c.path} fill={fill(c.code)} fillRule="evenodd" className={c.code === selected ? selectedClass : shapeClass} />
              </a>
            ))}
            {/* Labels after all shapes so no county is drawn over a neighbour's label. */}
            <g aria-hidden="true" className="pointer-events-none" fontSize="11" textAnchor="middle">
              {geometry.counties.map((c) => (
                <text key={c.code} x={c.label[0]} y={c.label[1]} fill={textFill(c.code)}>
                  <tspan x={c.label[0]} dy="-0.2em" fontWeight="600">{nameOf.get(c.code) ?? c.code}</tspan>
                  <tspan x={c.label[0]} dy="1.2em">{shortValue(values.get(c.code) ?? null)}</tspan>
                </text>
              ))}
            </g>
            {tiles.map((d, i) => {
              const y = 16 + i * (TILE.height + 14);
              // The tile's printed name and value sit beside the link, not in it (as the counties'
              // labels do): the link's name is its aria-label alone, and no checker can find
              // visible text in it that the name lacks. Clicks pass through the text to the tile.
              return (
                <g key={d.code}>
                  <a href={hrefOf(d.code)} aria-label={accessibleName(d.code)} aria-current={current(d.code)} className={anchorClass} data-county={d.code}>
                    <title>{accessibleName(d.code)}</title>
                    <rect x={TILE.x} y={y} width={TILE.width} height={TILE.height} rx="6" fill={fill(d.code)} className={d.code === selected ? selectedClass : shapeClass.replace("stroke-white", "stroke-slate-400")} />
                  </a>
                  <g aria-hidden="true" className="pointer-events-none">
                    <text x={TILE.x + TILE.width / 2} y={y + 24} textAnchor="middle" fontSize="12" fontWeight="600" fill={textFill(d.code)}>{d.name}</text>
                    <text x={TILE.x + TILE.width / 2} y={y + 42} textAnchor="middle" fontSize="11" fill={textFill(d.code)}>{shortValue(values.get(d.code) ?? null)}</text>
                  </g>
                </g>
              );
            })}
            <text x={TILE.x} y={16 + tiles.length * (TILE.height + 14) + 4} fontSize="10" fill="#475569" aria-hidden="true">
              {t("tilesNote")}
            </text>
          </svg>
          <ul className="mt-2 flex flex-wrap items-center gap-x-3 gap-y-1 text-xs text-slate-700" aria-label={t("legend")}>
            {MAP_COLOURS.map((colour, i) => (
              <li key={colour} className="flex items-center gap-1">
                <svg width="14" height="14" aria-hidden="true"><rect width="14" height="14" fill={colour} stroke="#64748b" /></svg>
                {legendLabel(i)}
              </li>
            ))}
            <li className="flex items-center gap-1">
              <svg width="14" height="14" aria-hidden="true"><rect width="14" height="14" fill={`url(#${idPrefix}-none)`} stroke="#64748b" /></svg>
              {t("noValue")}
            </li>
          </ul>
        </div>
        <Table className={variant === "report" ? "report-table" : undefined} data-testid={`${idPrefix}-table`}>
          <caption className="caption-top pb-1 text-left text-xs text-slate-600">{t("tableCaption", { measure: t(`measure.${measure}`) })}</caption>
          <TableHeader>
            <TableRow>
              <TableHead>{t("division")}</TableHead>
              <TableHead className="text-right">{t("projects")}</TableHead>
              <TableHead className="text-right">{t(`measure.${measure}`)}</TableHead>
            </TableRow>
          </TableHeader>
          <TableBody>
            {divisions.map((d) => (
              <TableRow key={d.code} className={d.code === selected ? "bg-blue-50 font-semibold" : undefined}>
                <TableCell>
                  <Link className="link print:text-black" href={hrefOf(d.code)} aria-current={current(d.code)}>{d.name}</Link>
                </TableCell>
                <TableCell numeric>{byKey.get(d.code)?.count ?? 0}</TableCell>
                <TableCell numeric>{valueText(values.get(d.code) ?? null)}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </div>
      <figcaption className="text-xs text-slate-500">{t("note")} <span className="print:hidden">{t(`click.${target}`)}</span></figcaption>
    </figure>
  );
}
