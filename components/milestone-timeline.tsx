// Milestones on one time axis: the baseline as a hollow mark, the actual (filled) or forecast
// (striped) date as a bar from the baseline, coloured by slippage. Pure CSS, prints well.
import { daysBetween, isoDay, milestoneSlippageDays } from "@/lib/domain/dates";

export interface TimelineMilestone {
  kind: string;
  label: string;
  baselineDate: Date | null;
  forecastDate: Date | null;
  actualDate: Date | null;
}

export function MilestoneTimeline({ milestones, today, labels }: { milestones: TimelineMilestone[]; today: Date; labels: { baseline: string; actual: string; forecast: string; today: string } }) {
  const dates = milestones.flatMap((m) => [m.baselineDate, m.forecastDate, m.actualDate]).filter((d): d is Date => !!d);
  if (dates.length === 0) return null;
  const min = new Date(Math.min(...dates.map((d) => d.getTime()), today.getTime()));
  const max = new Date(Math.max(...dates.map((d) => d.getTime()), today.getTime()));
  const span = Math.max(1, daysBetween(min, max));
  const x = (d: Date) => `${(daysBetween(min, d) / span) * 100}%`;
  const years: number[] = [];
  for (let y = min.getUTCFullYear() + 1; y <= max.getUTCFullYear(); y++) years.push(y);
  return (
    <figure className="space-y-1" aria-label="timeline">
      <div className="relative ml-20 h-5 border-b border-slate-300 text-xs text-slate-500 sm:ml-32">
        {/* On a phone every other year only: side by side, seven years overlap. */}
        {years.map((y, i) => (
          <span key={y} className={`absolute -translate-x-1/2 ${years.length > 4 && i % 2 === 1 ? "hidden sm:inline" : ""}`} style={{ left: x(new Date(Date.UTC(y, 0, 1))) }}>{y}</span>
        ))}
      </div>
      {milestones.map((m) => {
        const reached = m.actualDate ?? m.forecastDate;
        const slip = milestoneSlippageDays(m);
        const tone = slip === null ? "bg-slate-400" : slip > 90 ? "bg-red-600" : slip > 30 ? "bg-amber-500" : "bg-green-600";
        const from = m.baselineDate && reached ? (m.baselineDate < reached ? m.baselineDate : reached) : null;
        const to = m.baselineDate && reached ? (m.baselineDate < reached ? reached : m.baselineDate) : null;
        return (
          <div key={m.kind} className="flex items-center text-xs">
            <span className="w-20 shrink-0 truncate pr-2 text-slate-700 sm:w-32">{m.label}</span>
            <div className="relative h-4 flex-1 rounded bg-slate-50">
              <span className="absolute top-0 bottom-0 w-px bg-blue-300" style={{ left: x(today) }} title={labels.today} />
              {from && to && (
                <span
                  className={`absolute top-1.5 h-1 ${tone} ${m.actualDate ? "" : "opacity-50"}`}
                  style={{ left: x(from), width: `calc(${x(to)} - ${x(from)})` }}
                />
              )}
              {m.baselineDate && (
                <span className="absolute top-0.5 h-3 w-3 -translate-x-1/2 rounded-full border-2 border-slate-600 bg-white" style={{ left: x(m.baselineDate) }} title={`${labels.baseline} ${isoDay(m.baselineDate)}`} />
              )}
              {reached && (
                <span
                  className={`absolute top-0.5 h-3 w-3 -translate-x-1/2 rotate-45 ${m.actualDate ? tone : `${tone} opacity-50`}`}
                  style={{ left: x(reached) }}
                  title={`${m.actualDate ? labels.actual : labels.forecast} ${isoDay(reached)}${slip !== null ? ` (${slip > 0 ? "+" : ""}${slip})` : ""}`}
                />
              )}
            </div>
          </div>
        );
      })}
      <figcaption className="ml-20 flex flex-wrap sm:ml-32 gap-4 pt-1 text-xs text-slate-500">
        <span>○ {labels.baseline}</span><span>◆ {labels.actual}</span><span className="text-slate-600">◆ {labels.forecast}</span><span className="text-blue-700">| {labels.today}</span>
      </figcaption>
    </figure>
  );
}
