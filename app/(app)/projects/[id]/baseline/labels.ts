// Labels of baseline keys (totalInvestment, milestone.<KIND>, annualPlan.<year>) for the project
// page, the review queue and the project history (docs/decisions/0030).
import type { Translate } from "@/i18n/format";

export function baselineFieldLabel(t: Translate, key: string): string {
  if (key.startsWith("milestone.")) return t("baseline.milestoneField", { kind: t(`enums.MilestoneKind.${key.slice("milestone.".length)}`) });
  if (key.startsWith("annualPlan.")) return t("baseline.annualPlanField", { year: key.slice("annualPlan.".length) });
  if (key === "totalInvestment") return t("baseline.totalInvestment");
  return t(`projectFields.${key}`);
}
