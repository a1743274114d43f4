"use client";
// The dashboard's charts (recharts, SVG, no eval: fits the CSP). Every bar, slice and point
// drills down: a click opens the project table (or the month's report) with the matching filter.
// Amounts arrive in 亿元 as display numbers; nothing here is summed or stored.
import { useRouter } from "next/navigation";
import { useSyncExternalStore } from "react";
import { Bar, BarChart, CartesianGrid, Cell, ComposedChart, Legend, Line, Pie, PieChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { CHART_HEIGHT } from "./chart-sizes";

export interface ChartDatum {
  label: string;
  href: string;
  a: number;
  b?: number;
  color?: string;
}

interface Series {
  a: string;
  b?: string;
}

type Clickable = { payload?: { href?: string } } | undefined;

function useDrill() {
  const router = useRouter();
  return (entry: Clickable) => {
    const href = entry?.payload?.href;
    if (href) router.push(href);
  };
}

// Recharts colours each legend entry like its series (light blue, green: under 4.5:1 on white);
// the swatch keeps the colour and the text is slate-700.
const legendText = (value: string) => <span className="text-slate-700">{value}</span>;

// Phones (≤ 639 px): category labels under vertical bars overlap, so such a chart lays its bars
// out horizontally there, one labelled row per category.
const PHONE = "(max-width: 639px)";
function subscribePhone(onChange: () => void) {
  const query = window.matchMedia(PHONE);
  query.addEventListener("change", onChange);
  return () => query.removeEventListener("change", onChange);
}
function useIsPhone(): boolean {
  return useSyncExternalStore(subscribePhone, () => window.matchMedia(PHONE).matches, () => false);
}

const fmt = (value: unknown) => (typeof value === "number" ? value.toLocaleString("zh-CN", { maximumFractionDigits: 2 }) : String(value));

export function BarsChart({ data, series, horizontal: wide = false, height: wideHeight = CHART_HEIGHT.bars }: { data: ChartDatum[]; series: Series; horizontal?: boolean; height?: number }) {
  const drill = useDrill();
  const phone = useIsPhone();
  const horizontal = wide || phone;
  const height = horizontal && !wide ? Math.max(wideHeight, data.length * (series.b ? 44 : 32) + 80) : wideHeight;
  return (
    <ResponsiveContainer width="100%" height={height}>
      <BarChart data={data} layout={horizontal ? "vertical" : "horizontal"} margin={{ left: horizontal ? 8 : 0, right: 16, top: 8, bottom: 8 }}>
        <CartesianGrid strokeDasharray="3 3" stroke="#e2e8f0" />
        {horizontal ? (
          <>
            <XAxis type="number" tickFormatter={fmt} fontSize={11} />
            <YAxis type="category" dataKey="label" width={phone ? 110 : 150} fontSize={11} interval={0} />
          </>
        ) : (
          <>
            <XAxis dataKey="label" fontSize={11} interval={0} angle={-30} textAnchor="end" height={70} />
            <YAxis tickFormatter={fmt} fontSize={11} />
          </>
        )}
        <Tooltip formatter={fmt} />
        <Legend formatter={legendText} />
        <Bar dataKey="a" name={series.a} fill="#1e40af" cursor="pointer" onClick={(entry) => drill(entry)} isAnimationActive={false} />
        {series.b && <Bar dataKey="b" name={series.b} fill="#16a34a" cursor="pointer" onClick={(entry) => drill(entry)} isAnimationActive={false} />}
      </BarChart>
    </ResponsiveContainer>
  );
}

export function LightsPie({ data }: { data: ChartDatum[] }) {
  const drill = useDrill();
  return (
    <ResponsiveContainer width="100%" height={CHART_HEIGHT.pie}>
      <PieChart>
        <Pie data={data} dataKey="a" nameKey="label" innerRadius={45} outerRadius={80} cursor="pointer" onClick={(entry) => drill(entry)} isAnimationActive={false} label={({ value }) => fmt(value)}>
          {data.map((d) => <Cell key={d.label} fill={d.color ?? "#94a3b8"} />)}
        </Pie>
        <Tooltip formatter={fmt} />
        <Legend formatter={legendText} />
      </PieChart>
    </ResponsiveContainer>
  );
}

export function TrendChart({ data, series }: { data: ChartDatum[]; series: Series }) {
  const drill = useDrill();
  return (
    <ResponsiveContainer width="100%" height={CHART_HEIGHT.trend}>
      <ComposedChart data={data} margin={{ left: 0, right: 16, top: 8, bottom: 8 }}>
        <CartesianGrid strokeDasharray="3 3" stroke="#e2e8f0" />
        <XAxis dataKey="label" fontSize={11} minTickGap={24} />
        <YAxis yAxisId="month" tickFormatter={fmt} fontSize={11} />
        <YAxis yAxisId="total" orientation="right" tickFormatter={fmt} fontSize={11} />
        <Tooltip formatter={fmt} />
        <Legend formatter={legendText} />
        <Bar yAxisId="month" dataKey="a" name={series.a} fill="#60a5fa" cursor="pointer" onClick={(entry) => drill(entry)} isAnimationActive={false} />
        {series.b && <Line yAxisId="total" dataKey="b" name={series.b} stroke="#1e3a8a" dot={false} strokeWidth={2} isAnimationActive={false} />}
      </ComposedChart>
    </ResponsiveContainer>
  );
}
