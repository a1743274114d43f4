// The reasons behind a computed light, as sentences in the user's language, rendered from each
// reason's code and numbers by the messages (lightReasonText; docs/decisions/0007-traffic-lights.md).
import { getTranslations } from "next-intl/server";
import type { LightReason } from "@/lib/domain/traffic-lights";
import { lightReasonText, type Translate } from "@/i18n/format";

export async function reasonSentences(reasons: LightReason[]): Promise<string[]> {
  const t = (await getTranslations()) as unknown as Translate;
  return reasons.map((r) => lightReasonText(t, r));
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
