import { getTranslations } from "next-intl/server";
import { Badge } from "@/components/ui/badge";

/** The visible 示例数据 mark on every page and value that shows generated demo figures. */
export async function DemoBadge({ className }: { className?: string }) {
  const t = await getTranslations("demo");
  return (
    <Badge tone="demo" className={className} title={t("explanation")} data-demo="true">
      {t("badge")}
    </Badge>
  );
}
