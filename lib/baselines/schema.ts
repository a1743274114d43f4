// 项目调整申请 (docs/decisions/0030): the owner unit's proposal and the city reviewer's decision,
// shared by the forms and the server. Field names are the form's input names ("milestones.START",
// "annualPlans.y2026": a bare year would read as an array index), so an error lands next to the input it concerns.
import { z } from "zod";
import { MILESTONE_KINDS } from "@/lib/returns/schema";
import { blankToNull, day, money, version } from "@/lib/validations/form";

const reason = z.preprocess(blankToNull, z.string().trim().max(2000, "validation.tooLong").nullable()).refine((v) => v !== null, "validation.baseline.reasonRequired");

export const proposeBaselineInput = z
  .object({
    projectId: z.uuid(),
    reason,
    /** Blank: 总投资 stays as it is. */
    totalInvestment: money.optional().transform((v) => v ?? null),
    milestones: z.partialRecord(z.enum(MILESTONE_KINDS), day).optional().transform((v) => v ?? {}),
    annualPlans: z.record(z.string().regex(/^y20\d{2}$/, "validation.invalid"), money).optional().transform((v) => v ?? {}),
  })
  .strict();

export type ProposeBaselineInput = z.infer<typeof proposeBaselineInput>;

export const decideBaselineInput = z
  .object({
    changeId: z.uuid(),
    version: version(1),
    decision: z.enum(["approve", "refuse"]),
    refusalReason: z.preprocess(blankToNull, z.string().trim().max(2000, "validation.tooLong").nullable()),
  })
  .strict()
  .superRefine((v, ctx) => {
    if (v.decision === "refuse" && !v.refusalReason) ctx.addIssue({ code: "custom", path: ["refusalReason"], message: "validation.baseline.reasonRequired" });
  });

export type DecideBaselineInput = z.infer<typeof decideBaselineInput>;

/** A baseline as a flat map: totalInvestment, milestone.<KIND>, annualPlan.<year> → value (万元 string or YYYY-MM-DD). */
export type BaselineValues = Record<string, string | null>;
