// The registry fields an owner unit edits on its own project, shared by the form and the server.
// Amounts are typed as users write them (万元 by default, "1.2亿" accepted) and stored in 万元.
import Decimal from "decimal.js";
import { z } from "zod";
import { isValidProjectCode } from "@/lib/domain/project-code";
import { blankToNull, day, money, version } from "./form";
import { countyCode } from "./project-list";

/** The registry fields, as the form and the Excel import both type them. */
export const registryFields = {
  projectCode: z.preprocess(blankToNull, z.string().trim().toUpperCase().refine(isValidProjectCode, "validation.projectCode").nullable()),
  projectType: z.preprocess(blankToNull, z.enum(["NEW_BUILD", "EXPANSION", "REHABILITATION", "RELOCATION", "DECOMMISSIONING"]).nullable()),
  nature: z.preprocess(blankToNull, z.enum(["PUBLIC_WELFARE", "QUASI_PUBLIC", "COMMERCIAL"]).nullable()),
  lifecycleStage: z.enum(["PREPARATION", "CONSTRUCTION", "COMPLETED", "SUSPENDED", "CANCELLED"]),
  plannedStart: day,
  plannedCompletion: day,
  totalInvestment: money,
  plannedInvestment: money,
};

type RegistryRuleValues = { plannedStart: string | null; plannedCompletion: string | null; totalInvestment: string | null; plannedInvestment: string | null };

/** Rules across registry fields, shared by the form and the import. */
export function registryRules(v: RegistryRuleValues, ctx: z.RefinementCtx) {
  if (v.plannedStart && v.plannedCompletion && v.plannedCompletion < v.plannedStart) {
    ctx.addIssue({ code: "custom", path: ["plannedCompletion"], message: "validation.completionBeforeStart" });
  }
  if (v.totalInvestment !== null && v.plannedInvestment !== null && new Decimal(v.plannedInvestment).greaterThan(v.totalInvestment)) {
    ctx.addIssue({ code: "custom", path: ["plannedInvestment"], message: "validation.plannedAboveTotal" });
  }
}

export const projectRegistryInput = z
  .object({
    projectId: z.uuid(),
    version: version(1),
    ...registryFields,
  })
  .strict()
  .superRefine(registryRules);

export type ProjectRegistryInput = z.infer<typeof projectRegistryInput>;

/** The fields above, in display order; also the names written to the audit log. */
export const REGISTRY_FIELDS = ["projectCode", "projectType", "nature", "lifecycleStage", "plannedStart", "plannedCompletion", "totalInvestment", "plannedInvestment"] as const;

/**
 * A reviewer settles the county of a project the plan names without one (区县待确认,
 * docs/decisions/0022): one or more division codes (GB/T 2260, or XP for 新蒲新区).
 */
export const settleCountyInput = z
  .object({
    projectId: z.uuid(),
    version: version(1),
    counties: z.array(countyCode).min(1, "validation.countyRequired").max(16),
  })
  .strict();

export type SettleCountyInput = z.infer<typeof settleCountyInput>;
