"use client";
// The dashboard's charts (recharts, SVG, no eval: fits the CSP). Every bar, slice and point
// drills down: a click opens the project table (or the month's report) with the matching filter.
// Amounts arrive in 亿元 as display numbers; nothing here is summed or stored.
import { useRouter } from "next/navigation";
import { Bar, BarChart, CartesianGrid, Cell, ComposedChart, Legend, Line, Pie, PieChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";

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

const fmt = (value: unknown) => (typeof value === "number" ? value.toLocaleString("zh-CN", { maximumFractionDigits: 2 }) : String(value));

export function BarsChart({ data, series, horizontal = false, height = 300 }: { data: ChartDatum[]; series: Series; horizontal?: boolean; height?: number }) {
  const drill = useDrill();
  return (
    <ResponsiveContainer width="100%" height={height}>
      <BarChart data={data} layout={horizontal ? "vertical" : "horizontal"} margin={{ left: horizontal ? 8 : 0, right: 16, top: 8, bottom: 8 }}>
        <CartesianGrid strokeDasharray="3 3" stroke="#e2e8f0" />
        {horizontal ? (
          <>
            <XAxis type="number" tickFormatter={fmt} fontSize={11} />
            <YAxis type="category" dataKey="label" width={150} fontSize={11} interval={0} />
          </>
        ) : (
          <>
            <XAxis dataKey="label" fontSize={11} interval={0} angle={-30} textAnchor="end" height={70} />
            <YAxis tickFormatter={fmt} fontSize={11} />
          </>
        )}
        <Tooltip formatter={fmt} />
        <Legend />
        <Bar dataKey="a" name={series.a} fill="#1e40af" cursor="pointer" onClick={(entry) => drill(entry)} isAnimationActive={false} />
        {series.b && <Bar dataKey="b" name={series.b} fill="#16a34a" cursor="pointer" onClick={(entry) => drill(entry)} isAnimationActive={false} />}
      </BarChart>
    </ResponsiveContainer>
  );
}

export function LightsPie({ data }: { data: ChartDatum[] }) {
  const drill = useDrill();
  return (
    <ResponsiveContainer width="100%" height={240}>
      <PieChart>
        <Pie data={data} dataKey="a" nameKey="label" innerRadius={50} outerRadius={90} cursor="pointer" onClick={(entry) => drill(entry)} isAnimationActive={false} label={({ value }) => fmt(value)}>
          {data.map((d) => <Cell key={d.label} fill={d.color ?? "#94a3b8"} />)}
        </Pie>
        <Tooltip formatter={fmt} />
        <Legend />
      </PieChart>
    </ResponsiveContainer>
  );
}

export function TrendChart({ data, series }: { data: ChartDatum[]; series: Series }) {
  const drill = useDrill();
  return (
    <ResponsiveContainer width="100%" height={300}>
      <ComposedChart data={data} margin={{ left: 0, right: 16, top: 8, bottom: 8 }}>
        <CartesianGrid strokeDasharray="3 3" stroke="#e2e8f0" />
        <XAxis dataKey="label" fontSize={11} minTickGap={24} />
        <YAxis yAxisId="month" tickFormatter={fmt} fontSize={11} />
        <YAxis yAxisId="total" orientation="right" tickFormatter={fmt} fontSize={11} />
        <Tooltip formatter={fmt} />
        <Legend />
        <Bar yAxisId="month" dataKey="a" name={series.a} fill="#60a5fa" cursor="pointer" onClick={(entry) => drill(entry)} isAnimationActive={false} />
        {series.b && <Line yAxisId="total" dataKey="b" name={series.b} stroke="#1e3a8a" dot={false} strokeWidth={2} isAnimationActive={false} />}
      </ComposedChart>
    </ResponsiveContainer>
  );
}
