// The reasons behind a computed light, as sentences: the engine's Chinese sentence in zh-CN, and
// in English rendered from the reason's code and numbers (docs/decisions/0007-traffic-lights.md).
import { getLocale, getTranslations } from "next-intl/server";
import type { LightReason } from "@/lib/domain/traffic-lights";

export async function reasonSentences(reasons: LightReason[]): Promise<string[]> {
  const locale = await getLocale();
  if (locale === "zh-CN") return reasons.map((r) => r.zh);
  const t = await getTranslations();
  return reasons.map((r) => {
    const params = { ...(r.params as Record<string, string | number>) };
    if (r.code === "MILESTONE_LATE") {
      params.milestone = t(`enums.MilestoneKind.${r.params.milestone}` as never);
      params.basis = t(`lightReasons.basis.${r.params.basis}` as never);
    }
    return t(`lightReasons.${r.code}` as never, params as never);
  });
}

export async function LightReasons({ reasons, className }: { reasons: LightReason[]; className?: string }) {
  const sentences = await reasonSentences(reasons);
  return (
    <ul className={className ?? "list-disc space-y-0.5 pl-4 text-sm"}>
      {sentences.map((s, i) => (
        <li key={i} className={reasons[i]!.light === "RED" ? "text-red-800" : reasons[i]!.light === "YELLOW" ? "text-amber-900" : "text-slate-600"}>{s}</li>
      ))}
    </ul>
  );
}
