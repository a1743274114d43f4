// The values a 项目调整申请 changes, "label: from → to", for the project page's request table and
// the city reviewer's queue on /returns (docs/decisions/0030).
import { getTranslations } from "next-intl/server";
import { formatNumber } from "@/lib/domain/money";
import { baselineFieldLabel } from "./labels";

export async function BaselineChangeList({ previous, proposed }: { previous: Record<string, string | null>; proposed: Record<string, string | null> }) {
  const t = await getTranslations();
  const shown = (key: string, value: string | null) => (value === null ? "—" : key.startsWith("milestone.") ? value : formatNumber(value, 2));
  return (
    <ul className="space-y-0.5">
      {Object.entries(proposed).map(([key, to]) => (
        <li key={key}>{baselineFieldLabel(t as never, key)}{t("common.colon")}<span className="tabular-nums">{shown(key, previous[key] ?? null)} → {shown(key, to)}</span></li>
      ))}
    </ul>
  );
}
