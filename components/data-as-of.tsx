import { getTranslations } from "next-intl/server";
import { formatChinaTime } from "@/lib/domain/dates";

/**
 * "数据截至 hh:mm:ss" on a page whose figures the read replica served (lib/db-replica.ts): the
 * replica may be up to REPLICA_MAX_LAG_SECONDS behind. Renders nothing when the primary served
 * the page (asOf null): those figures are current.
 */
export async function DataAsOf({ asOf, className }: { asOf: Date | null; className?: string }) {
  if (!asOf) return null;
  const t = await getTranslations("replica");
  const time = formatChinaTime(asOf, { seconds: true });
  return (
    <p className={className ?? "text-xs text-muted-foreground"} data-replica-as-of={asOf.getTime()} title={t("explanation")}>
      {t("asOf", { time: time.slice(time.indexOf(" ") + 1) })}
    </p>
  );
}
