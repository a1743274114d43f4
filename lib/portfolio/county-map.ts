// The county map of 遵义市 (dashboard and monthly report): which measure colours it, each
// county's value from the by-county figures the dashboard and the report already sum, the colour
// classes, and the projection of the committed boundaries (county-boundaries/) to SVG paths.
// Pure: no I/O, no Prisma; the figures come in from lib/portfolio/dashboard.ts (byCounty) or
// lib/portfolio/report.ts (byCounty), so the map shows the numbers the tables beside it show.
// docs/decisions/0027-county-map.md
import { z } from "zod";
import { Decimal, wanToYi, type DecimalLike } from "@/lib/domain/money";
import { percentOf } from "@/lib/domain/portfolio-metrics";

// ---------------------------------------------------------------------------------------------
// Measures

/**
 * completion: 累计完成投资 ÷ 十四五计划投资 (%); alerts: red + yellow lights ÷ projects (%);
 * investment: 十四五计划投资 (亿元).
 */
export const MAP_MEASURES = ["completion", "alerts", "investment"] as const;
export type MapMeasure = (typeof MAP_MEASURES)[number];
export const DEFAULT_MAP_MEASURE: MapMeasure = "completion";

/** The `measure` search parameter: anything else (missing, unknown, repeated) is the default. */
export const mapMeasureParam = z.enum(MAP_MEASURES).catch(DEFAULT_MAP_MEASURE);

export function parseMapMeasure(value: unknown): MapMeasure {
  return mapMeasureParam.parse(value);
}

/** What the map needs of one division's figures (the dashboard's and the report's by-county rows both give it). */
export interface CountyFigures {
  key: string;
  count: number;
  /** 十四五计划投资 (万元). */
  planned: DecimalLike;
  /** 累计完成投资 as of the month (万元). */
  completed: DecimalLike;
  red: number;
  yellow: number;
}

/** A division's value for the measure; null when there is nothing to measure (no projects, no plan amount). */
export function measureValue(figures: CountyFigures | undefined, measure: MapMeasure): Decimal | null {
  if (!figures || figures.count === 0) return null;
  switch (measure) {
    case "completion":
      return percentOf(figures.completed, figures.planned);
    case "alerts":
      return new Decimal(figures.red + figures.yellow).times(100).dividedBy(figures.count);
    case "investment":
      return wanToYi(figures.planned);
  }
}

// ---------------------------------------------------------------------------------------------
// Colour classes: equal steps of a "nice" width from 0, one blue hue getting darker (so the order
// survives greyscale printing), the value printed on the map as well. No value: white, hatched.

/** Light to dark; each step is darker in greyscale too (relative luminance strictly decreasing, tested). */
export const MAP_COLOURS = ["#eff6ff", "#bfdbfe", "#60a5fa", "#2563eb", "#1e3a8a"] as const;
export const MAP_CLASS_COUNT = MAP_COLOURS.length;

/** The smallest of 1, 2, 2.5, 5 × 10^k that is at least `raw`. */
export function niceStep(raw: number): number {
  if (!(raw > 0) || !Number.isFinite(raw)) return 1;
  const power = 10 ** Math.floor(Math.log10(raw));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * power >= raw * (1 - 1e-9)) return m * power;
  return 10 * power;
}

export interface MapScale {
  step: number;
  /** Lower bound of each class: 0, step, 2·step, …; the last class is open above. */
  lower: number[];
}

/** Classes of equal width covering 0..max of the values (negative values fall in the first class). */
export function mapScale(values: readonly (DecimalLike | null)[]): MapScale {
  const max = Math.max(0, ...values.filter((v): v is DecimalLike => v !== null).map((v) => Number(v.toString())));
  const step = niceStep(max / MAP_CLASS_COUNT);
  return { step, lower: Array.from({ length: MAP_CLASS_COUNT }, (_, i) => i * step) };
}

/** The class (0 … MAP_CLASS_COUNT-1) of a value; null for no value. */
export function classOf(value: DecimalLike | null, scale: MapScale): number | null {
  if (value === null) return null;
  const v = Number(value.toString());
  return Math.min(MAP_CLASS_COUNT - 1, Math.max(0, Math.floor(v / scale.step + 1e-9)));
}

/** WCAG relative luminance of "#rrggbb" (for the greyscale test and the label colour). */
export function relativeLuminance(hex: string): number {
  const channel = (i: number) => {
    const c = parseInt(hex.slice(1 + 2 * i, 3 + 2 * i), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(0) + 0.7152 * channel(1) + 0.0722 * channel(2);
}

/** Dark text on the light classes, white on the dark ones. */
export function labelColour(klass: number | null): string {
  if (klass === null) return "#0f172a";
  return relativeLuminance(MAP_COLOURS[klass]!) > 0.25 ? "#0f172a" : "#ffffff";
}

// ---------------------------------------------------------------------------------------------
// Boundaries → SVG

export type Position = readonly [number, number];
export type Ring = readonly Position[];
/** A county's outline: polygons, each an outer ring followed by its holes (GeoJSON order). */
export type Polygons = readonly (readonly Ring[])[];

/** Douglas–Peucker on a closed ring (first point = last), keeping both ends. */
export function simplifyRing(ring: Ring, tolerance: number): Position[] {
  if (ring.length <= 4) return [...ring];
  const keep = new Uint8Array(ring.length);
  keep[0] = 1;
  keep[ring.length - 1] = 1;
  // A closed ring's ends coincide: split it at the point farthest from the start first.
  let far = 0;
  let farDistance = -1;
  for (let i = 1; i < ring.length - 1; i++) {
    const d = Math.hypot(ring[i]![0] - ring[0]![0], ring[i]![1] - ring[0]![1]);
    if (d > farDistance) [far, farDistance] = [i, d];
  }
  keep[far] = 1;
  const stack: [number, number][] = [[0, far], [far, ring.length - 1]];
  while (stack.length) {
    const [a, b] = stack.pop()!;
    let index = -1;
    let max = tolerance;
    for (let i = a + 1; i < b; i++) {
      const d = segmentDistance(ring[i]!, ring[a]!, ring[b]!);
      if (d > max) [index, max] = [i, d];
    }
    if (index >= 0) {
      keep[index] = 1;
      stack.push([a, index], [index, b]);
    }
  }
  return ring.filter((_, i) => keep[i]);
}

function segmentDistance(p: Position, a: Position, b: Position): number {
  const dx = b[0] - a[0];
  const dy = b[1] - a[1];
  const length2 = dx * dx + dy * dy;
  const t = length2 === 0 ? 0 : Math.max(0, Math.min(1, ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / length2));
  return Math.hypot(p[0] - (a[0] + t * dx), p[1] - (a[1] + t * dy));
}

export interface Projection {
  (position: Position): [number, number];
}

/**
 * An equirectangular projection centred on the features' mean latitude (x scaled by its cosine),
 * fitted into width × height with `padding` on every side and north up. Over the 2.5° × 2° of
 * 遵义市 its distortion is well under what the eye sees; it needs no library.
 */
export function fitProjection(all: readonly Polygons[], width: number, height: number, padding = 0): Projection {
  let [minX, minY, maxX, maxY] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const polygons of all)
    for (const rings of polygons)
      for (const ring of rings)
        for (const [lon, lat] of ring) {
          minX = Math.min(minX, lon);
          maxX = Math.max(maxX, lon);
          minY = Math.min(minY, lat);
          maxY = Math.max(maxY, lat);
        }
  if (!Number.isFinite(minX)) return () => [width / 2, height / 2];
  const k = Math.cos((((minY + maxY) / 2) * Math.PI) / 180);
  const spanX = Math.max((maxX - minX) * k, 1e-9);
  const spanY = Math.max(maxY - minY, 1e-9);
  const scale = Math.min((width - 2 * padding) / spanX, (height - 2 * padding) / spanY);
  const offsetX = (width - spanX * scale) / 2;
  const offsetY = (height - spanY * scale) / 2;
  return ([lon, lat]) => [offsetX + (lon - minX) * k * scale, offsetY + (maxY - lat) * scale];
}

/** A number of tenths as SVG writes it, shortest: 12.5, .5, -.5. */
const tenths = (t: number) => (t / 10).toString().replace(/^(-?)0\./, "$1.");

/** Numbers as one SVG argument list: a space only where the next could be read as part of the previous. */
function argumentList(numbers: readonly string[]): string {
  let out = "";
  let previousHasPoint = false;
  for (const n of numbers) {
    const joined = out === "" || n.startsWith("-") || (n.startsWith(".") && previousHasPoint);
    out += joined ? n : ` ${n}`;
    previousHasPoint = n.includes(".");
  }
  return out;
}

/**
 * SVG path data of the polygons (even-odd fill draws the holes), at a tenth of a unit: each ring
 * starts absolute (M) and goes on relative (l), the closing point left to z. Relative steps are
 * differences of the rounded points, so nothing drifts: the map is drawn on the dashboard and the
 * report, in the HTML and again in the RSC payload, and relative steps are half as long.
 */
export function pathData(polygons: Polygons, project: Projection): string {
  return polygons
    .flatMap((rings) =>
      rings.map((ring) => {
        const points = ring.map((p) => project(p)).map(([x, y]) => [Math.round(x * 10), Math.round(y * 10)] as const);
        const [first] = points;
        if (!first) return "";
        const steps: string[] = [];
        let [px, py] = first;
        for (const [x, y] of points.slice(1)) {
          if (x === px && y === py) continue;
          steps.push(tenths(x - px), tenths(y - py));
          [px, py] = [x, y];
        }
        // The ring's last point repeats its first (GeoJSON): z draws that side.
        if (px === first[0] && py === first[1]) steps.splice(-2, 2);
        return `M${argumentList([tenths(first[0]), tenths(first[1])])}${steps.length ? `l${argumentList(steps)}` : ""}z`;
      }),
    )
    .join("");
}

/** Whether a point lies inside the polygons (even-odd over every ring, so holes are outside). */
export function insidePolygons(x: number, y: number, rings: readonly (readonly [number, number][])[]): boolean {
  let inside = false;
  for (const ring of rings)
    for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
      const [xi, yi] = ring[i]!;
      const [xj, yj] = ring[j]!;
      if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
    }
  return inside;
}

/**
 * Where the label goes: the point of a grid over the shape that lies inside it farthest from its
 * edges (a coarse "pole of inaccessibility"), so the label of a long or bent county sits in its
 * widest part rather than at a centroid that may fall outside it. Projected coordinates.
 */
export function labelPoint(polygons: Polygons, project: Projection, grid = 48): [number, number] {
  const rings = polygons.flatMap((p) => p.map((ring) => ring.map((q) => project(q))));
  const points = rings.flat();
  if (points.length === 0) return [0, 0];
  const xs = points.map((p) => p[0]);
  const ys = points.map((p) => p[1]);
  const [minX, maxX, minY, maxY] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
  let best: [number, number] = [(minX + maxX) / 2, (minY + maxY) / 2];
  let bestDistance = -1;
  for (let i = 0; i <= grid; i++)
    for (let j = 0; j <= grid; j++) {
      const x = minX + ((maxX - minX) * i) / grid;
      const y = minY + ((maxY - minY) * j) / grid;
      if (!insidePolygons(x, y, rings)) continue;
      let distance = Infinity;
      for (const ring of rings)
        for (let k = 0; k < ring.length - 1; k++) distance = Math.min(distance, segmentDistance([x, y], ring[k]!, ring[k + 1]!));
      if (distance > bestDistance) [best, bestDistance] = [[x, y], distance];
    }
  return best;
}
