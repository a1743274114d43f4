"use client";
// The dashboard's charts, loaded after the page: recharts is ~130 KB of gzip JavaScript, and the
// figures beside each chart are server-rendered text, so the page is read before the charts
// arrive (issue 21). Each chart sits in a box of its desktop height from the first byte, so
// nothing moves when it appears. Nothing is lost on the server: ResponsiveContainer measures the
// browser's width and rendered no chart in the HTML anyway.
import dynamic from "next/dynamic";
import type { ComponentProps, ComponentType, ReactNode } from "react";
import { CHART_HEIGHT } from "./chart-sizes";
import type * as Charts from "./dashboard-charts";

function lazy<P extends object>(load: () => Promise<ComponentType<P>>) {
  return dynamic(load, { ssr: false, loading: () => null });
}

const LazyBars = lazy(() => import("./dashboard-charts").then((m) => m.BarsChart));
const LazyPie = lazy(() => import("./dashboard-charts").then((m) => m.LightsPie));
const LazyTrend = lazy(() => import("./dashboard-charts").then((m) => m.TrendChart));

/** A box of the chart's height: the placeholder while it loads, its frame once it is there. */
function Frame({ height, children }: { height: number; children: ReactNode }) {
  return (
    <div style={{ minHeight: height }} data-chart-frame="">
      {children}
    </div>
  );
}

export function BarsChart(props: ComponentProps<typeof Charts.BarsChart>) {
  return (
    <Frame height={props.height ?? CHART_HEIGHT.bars}>
      <LazyBars {...props} />
    </Frame>
  );
}

export function LightsPie(props: ComponentProps<typeof Charts.LightsPie>) {
  return (
    <Frame height={CHART_HEIGHT.pie}>
      <LazyPie {...props} />
    </Frame>
  );
}

export function TrendChart(props: ComponentProps<typeof Charts.TrendChart>) {
  return (
    <Frame height={CHART_HEIGHT.trend}>
      <LazyTrend {...props} />
    </Frame>
  );
}
