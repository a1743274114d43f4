// The 待审核 / 已退回 mark of a new project not accepted into the library yet (docs/decisions/0031);
// nothing for an accepted one. Works in server and client components.
import { useTranslations } from "next-intl";
import { Badge } from "@/components/ui/badge";

export type ApprovalValue = "ACCEPTED" | "PENDING" | "REFUSED";

export function ApprovalBadge({ approval, className }: { approval: ApprovalValue; className?: string }) {
  const t = useTranslations("project.approval");
  if (approval === "ACCEPTED") return null;
  return (
    <Badge tone={approval === "PENDING" ? "info" : "warning"} className={className} title={t("badgeHint")} data-approval={approval}>
      {approval === "PENDING" ? t("pending") : t("refusedBadge")}
    </Badge>
  );
}
