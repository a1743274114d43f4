// The county map's pure parts: the measure parameter, each measure's value, the colour classes
// (ordered, distinguishable in greyscale), the projection and the committed boundaries.
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { BOUNDARY_CODES, countyMapGeometry } from "@/lib/portfolio/county-boundaries";
import {
  DEFAULT_MAP_MEASURE,
  MAP_CLASS_COUNT,
  MAP_COLOURS,
  classOf,
  fitProjection,
  insidePolygons,
  labelColour,
  labelPoint,
  mapScale,
  measureValue,
  niceStep,
  parseMapMeasure,
  pathData,
  relativeLuminance,
  simplifyRing,
  type Polygons,
} from "@/lib/portfolio/county-map";
import { DIVISIONS } from "@/prisma/data/reference";

/** Reads path data back (M/l/z only) into rings of points in tenths of a unit. */
function decode(d: string): number[][][] {
  const rings: number[][][] = [];
  const tokens = d.match(/[MlZz]|-?(?:\d+\.?\d*|\.\d+)/g) ?? [];
  let command = "";
  let numbers: number[] = [];
  let ring: number[][] = [];
  const flush = () => {
    for (let i = 0; i + 1 < numbers.length; i += 2) {
      const [dx, dy] = [numbers[i]!, numbers[i + 1]!];
      if (command === "M" && i === 0) ring = [[dx, dy]];
      else ring.push([ring.at(-1)![0]! + dx, ring.at(-1)![1]! + dy]);
    }
    numbers = [];
  };
  for (const token of tokens) {
    if (/^[MlZz]$/.test(token)) {
      flush();
      if (token === "z" || token === "Z") rings.push(ring);
      command = token;
    } else numbers.push(Math.round(Number(token) * 10));
  }
  return rings;
}

describe("the measure parameter", () => {
  it("accepts the three measures", () => {
    expect(parseMapMeasure("completion")).toBe("completion");
    expect(parseMapMeasure("alerts")).toBe("alerts");
    expect(parseMapMeasure("investment")).toBe("investment");
  });
  it("falls back to the default for anything else, never throws", () => {
    expect(DEFAULT_MAP_MEASURE).toBe("completion");
    for (const bad of [undefined, null, "", "INVESTMENT", "__proto__", ["alerts", "investment"], 3, {}]) expect(parseMapMeasure(bad)).toBe("completion");
    fc.assert(fc.property(fc.anything(), (v) => ["completion", "alerts", "investment"].includes(parseMapMeasure(v))));
  });
});

describe("a county's value", () => {
  const renhuai = { key: "520382", count: 8, planned: "200000", completed: "50000", red: 1, yellow: 3 };
  it("completion = cumulative completed ÷ 十四五计划投资 (%)", () => {
    expect(measureValue(renhuai, "completion")!.toString()).toBe("25");
  });
  it("alerts = red + yellow ÷ projects (%)", () => {
    expect(measureValue(renhuai, "alerts")!.toString()).toBe("50");
  });
  it("investment = 十四五计划投资 in 亿元", () => {
    expect(measureValue(renhuai, "investment")!.toString()).toBe("20");
  });
  it("no projects or no planned amount: no value (not zero)", () => {
    expect(measureValue(undefined, "investment")).toBeNull();
    expect(measureValue({ ...renhuai, count: 0 }, "alerts")).toBeNull();
    expect(measureValue({ ...renhuai, planned: "0" }, "completion")).toBeNull();
    expect(measureValue({ ...renhuai, red: 0, yellow: 0 }, "alerts")!.toString()).toBe("0");
  });
});

describe("colour classes", () => {
  it("nice steps are 1, 2, 2.5 or 5 × 10^k and cover the raw step", () => {
    expect(niceStep(0.3)).toBe(0.5);
    expect(niceStep(7)).toBe(10);
    expect(niceStep(20)).toBe(20);
    expect(niceStep(21)).toBe(25);
    expect(niceStep(0)).toBe(1);
    fc.assert(
      fc.property(fc.double({ min: 1e-3, max: 1e9, noNaN: true }), (raw) => {
        const step = niceStep(raw);
        const mantissa = step / 10 ** Math.floor(Math.log10(step) + 1e-9);
        return step >= raw * (1 - 1e-9) && step < raw * 2.5 + 1e-9 && [1, 2, 2.5, 5].some((m) => Math.abs(m - mantissa) < 1e-6);
      }),
    );
  });
  it("every value falls in a class, classes rise with the value, the largest value is in the upper classes", () => {
    fc.assert(
      fc.property(fc.array(fc.option(fc.oneof(fc.constant(0), fc.double({ min: 1e-3, max: 1e6, noNaN: true })), { nil: null }), { minLength: 1, maxLength: 16 }), (values) => {
        const scale = mapScale(values);
        const present = values.filter((v): v is number => v !== null).sort((a, b) => a - b);
        const classes = present.map((v) => classOf(v, scale)!);
        for (let i = 1; i < classes.length; i++) if (classes[i]! < classes[i - 1]!) return false;
        if (classes.some((k) => k < 0 || k >= MAP_CLASS_COUNT)) return false;
        // The scale is not too coarse: the largest value lies at least in the third class (a nice
        // step is under 2.5 × max ÷ classes), unless all are zero.
        return present.length === 0 || present.at(-1)! === 0 || classes.at(-1)! >= 2;
      }),
    );
    expect(classOf(null, mapScale([1, 2]))).toBeNull();
    const scale = mapScale([0, 10, 52.3, 100]);
    expect(scale.step).toBe(20);
    expect(scale.lower).toEqual([0, 20, 40, 60, 80]);
    expect([0, 10, 52.3, 100].map((v) => classOf(v, scale))).toEqual([0, 0, 2, 4]);
  });
  it("the colours get darker in greyscale at every step, and labels stay readable", () => {
    const luminance = MAP_COLOURS.map(relativeLuminance);
    for (let i = 1; i < luminance.length; i++) {
      // Contrast ratio between neighbouring classes at least 1.3: distinguishable when printed grey.
      expect((luminance[i - 1]! + 0.05) / (luminance[i]! + 0.05)).toBeGreaterThan(1.3);
    }
    for (let k = 0; k < MAP_CLASS_COUNT; k++) {
      const text = relativeLuminance(labelColour(k));
      const fill = luminance[k]!;
      expect((Math.max(text, fill) + 0.05) / (Math.min(text, fill) + 0.05)).toBeGreaterThanOrEqual(4.5);
    }
  });
});

describe("projection and paths", () => {
  const square: Polygons = [[[[106, 27], [107, 27], [107, 28], [106, 28], [106, 27]]]];
  it("fits the features into the box, north up, x scaled by cos(latitude)", () => {
    const project = fitProjection([square], 200, 200, 10);
    const [x0, y0] = project([106, 28]);
    const [x1, y1] = project([107, 27]);
    expect(y0).toBeLessThan(y1); // north is up
    expect(y1 - y0).toBeCloseTo(180, 6); // the taller side fills the box less padding
    expect((x1 - x0) / (y1 - y0)).toBeCloseTo(Math.cos((27.5 * Math.PI) / 180), 6);
    expect((x0 + x1) / 2).toBeCloseTo(100, 6); // centred
  });
  it("writes one closed subpath per ring", () => {
    const project = fitProjection([square], 100, 100);
    const d = pathData(square, project);
    expect(d.match(/M/g)).toHaveLength(1);
    expect(d.endsWith("z")).toBe(true);
    // The square's four corners, rounded to tenths: M, then three relative steps (the fourth side is z's).
    const corners = square[0]![0]!.slice(0, -1).map((p) => project(p)).map(([x, y]) => [Math.round(x * 10), Math.round(y * 10)]);
    expect(decode(d)).toEqual([corners]);
    expect(d.match(/l/g)).toHaveLength(1);
  });
  it("relative path data draws exactly the rounded points, the ring's repeated last point left to z", () => {
    const identity = (p: readonly [number, number]) => [p[0], p[1]] as [number, number];
    const point = fc.tuple(fc.double({ min: -500, max: 500, noNaN: true }), fc.double({ min: -500, max: 500, noNaN: true }));
    const ring = fc.array(point, { minLength: 3, maxLength: 40 }).map((r) => [...r, r[0]!]);
    fc.assert(
      fc.property(fc.array(fc.array(ring, { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 3 }), (polygons) => {
        const expected = polygons.flatMap((rings) =>
          rings.map((r) => {
            const rounded = r.map(([x, y]) => [Math.round(x * 10), Math.round(y * 10)]).map(([x, y]) => [x! + 0, y! + 0]);
            const kept = rounded.filter((q, i) => i === 0 || q[0] !== rounded[i - 1]![0] || q[1] !== rounded[i - 1]![1]);
            if (kept.length > 1 && kept.at(-1)![0] === kept[0]![0] && kept.at(-1)![1] === kept[0]![1]) kept.pop();
            return kept;
          }),
        );
        expect(decode(pathData(polygons as unknown as Polygons, identity))).toEqual(expected);
      }),
    );
  });
  it("simplification keeps the ring closed and within the tolerance of the original", () => {
    const ring = Array.from({ length: 361 }, (_, i) => [Math.cos((i * Math.PI) / 180), Math.sin((i * Math.PI) / 180) + 0.001 * Math.sin(i)] as [number, number]);
    ring[360] = ring[0]!;
    const simple = simplifyRing(ring, 0.01);
    expect(simple.length).toBeLessThan(ring.length / 4);
    expect(simple[0]).toEqual(simple.at(-1));
    expect(simple.length).toBeGreaterThanOrEqual(4);
  });
  it("the label point lies inside the shape, also for a bent one", () => {
    const bent: Polygons = [[[[0, 0], [10, 0], [10, 1], [1, 1], [1, 10], [0, 10], [0, 0]]]];
    const project = fitProjection([bent], 100, 100);
    const [x, y] = labelPoint(bent, project);
    expect(insidePolygons(x, y, [bent[0]![0]!.map((p) => project(p))])).toBe(true);
  });
});

describe("the committed boundaries of 遵义市", () => {
  it("have the 14 county-level divisions of GB/T 2260 and nothing else; 市级 and 新蒲新区 have none", () => {
    const official = DIVISIONS.filter((d) => d.gbCode !== null && d.kind !== "CITY").map((d) => d.code);
    expect([...BOUNDARY_CODES].sort()).toEqual([...official].sort());
    expect(BOUNDARY_CODES).toHaveLength(14);
    expect(BOUNDARY_CODES).not.toContain("XP");
    expect(BOUNDARY_CODES).not.toContain("520300");
  });
  it("project into the box with every label inside its county", () => {
    const { counties } = countyMapGeometry(500, 440);
    expect(counties).toHaveLength(14);
    for (const c of counties) {
      expect(c.path).toMatch(/^M[\d.]+ [\d.]+l/);
      // Every point drawn (the relative steps added up) lies in the box.
      const points = decode(c.path).flat();
      expect(points.length).toBeGreaterThan(10);
      expect(Math.min(...points.map((p) => p[0]!), ...points.map((p) => p[1]!))).toBeGreaterThanOrEqual(0);
      expect(Math.max(...points.map((p) => p[0]!))).toBeLessThanOrEqual(5000);
      expect(Math.max(...points.map((p) => p[1]!))).toBeLessThanOrEqual(4400);
      expect(c.label[0]).toBeGreaterThan(0);
      expect(c.label[1]).toBeLessThan(440);
    }
  });
});
