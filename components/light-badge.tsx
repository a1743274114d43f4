// The computed 红黄绿灯 as a badge: a coloured dot and its name, never colour alone.
import { Badge } from "@/components/ui/badge";

export type LightValue = "RED" | "YELLOW" | "NO_DATA" | "GREEN" | "NOT_APPLICABLE";

const TONE = { RED: "danger", YELLOW: "warning", GREEN: "success", NO_DATA: "neutral", NOT_APPLICABLE: "neutral" } as const;
const DOT = { RED: "bg-red-600", YELLOW: "bg-amber-400", GREEN: "bg-green-600", NO_DATA: "bg-slate-400", NOT_APPLICABLE: "bg-slate-200" } as const;

export function LightBadge({ light, label }: { light: LightValue; label: string }) {
  return (
    <Badge tone={TONE[light]} data-light={light}>
      <span aria-hidden className={`mr-1 inline-block h-2 w-2 rounded-full ${DOT[light]}`} />
      {label}
    </Badge>
  );
}
