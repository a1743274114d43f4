// The monthly-return form, shared by the form, the server action and the Excel import. Field
// names are the form's input names ("funds.CENTRAL", "milestones.START", "problems.0.level"),
// so an error lands next to the input it concerns.
import { z } from "zod";
import { isPeriod } from "./rules";
import { blankToNull, day, money, version } from "@/lib/validations/form";

export const MILESTONE_KINDS = [
  "APPROVAL", "FEASIBILITY", "LAND_PRE_APPROVAL", "EIA_APPROVAL", "PRELIMINARY_DESIGN",
  "CONSTRUCTION_PERMIT", "START", "MAIN_WORKS_DONE", "ACCEPTANCE", "IN_SERVICE",
] as const;
export const PROBLEM_CATEGORIES = ["LAND", "FUNDING", "APPROVAL", "DEMOLITION", "DESIGN", "CONSTRUCTION", "ENVIRONMENT", "COORDINATION", "OTHER"] as const;
export const PROBLEM_LEVELS = ["COUNTY", "CITY"] as const;
/** New problems one return can raise. */
export const MAX_NEW_PROBLEMS = 3;

const note = z.preprocess(blankToNull, z.string().trim().max(2000, "validation.tooLong").nullable());
const requiredMoney = money.refine((v) => v !== null, "validation.required");

const percent = z.preprocess(
  blankToNull,
  z
    .string()
    .trim()
    .regex(/^\d{1,3}(\.\d{1,2})?$/, "validation.return.percent")
    .refine((v) => Number(v) <= 100, "validation.return.percent")
    .nullable(),
);

const problem = z
  .object({
    category: z.preprocess(blankToNull, z.enum(PROBLEM_CATEGORIES, "validation.invalid").nullable()),
    level: z.preprocess(blankToNull, z.enum(PROBLEM_LEVELS, "validation.invalid").nullable()),
    description: z.preprocess(blankToNull, z.string().trim().max(1000, "validation.tooLong").nullable()),
  })
  .superRefine((p, ctx) => {
    // A row is either empty (ignored) or complete.
    const filled = [p.category, p.level, p.description].filter((v) => v !== null).length;
    if (filled === 0 || filled === 3) return;
    for (const key of ["category", "level", "description"] as const) {
      if (p[key] === null) ctx.addIssue({ code: "custom", path: [key], message: "validation.required" });
    }
  });

/** The figures of a return (also what a correction request proposes). */
export const returnFiguresInput = z.object({
  completedInvestment: requiredMoney,
  payments: money,
  progressPercent: percent,
  progressText: z.preprocess(blankToNull, z.string().trim().max(500, "validation.tooLong").nullable()),
  funds: z.record(z.string().regex(/^[A-Z_]{2,40}$/), money).default({}),
  milestones: z.partialRecord(z.enum(MILESTONE_KINDS), day).default({}),
  overrunNote: note,
  fundsNote: note,
  progressNote: note,
});

export const returnFormInput = returnFiguresInput
  .extend({
    projectId: z.uuid(),
    period: z.string().refine(isPeriod, "validation.return.period"),
    /** 0 for a return that does not exist yet. */
    version: version(0),
    intent: z.enum(["save", "submit"]),
    problems: z.array(problem).max(MAX_NEW_PROBLEMS).default([]),
    resolveProblems: z.array(z.uuid()).default([]),
  })
  .strict();

export type ReturnFiguresInput = z.infer<typeof returnFiguresInput>;
export type ReturnFormInput = z.infer<typeof returnFormInput>;

export const reviewInput = z
  .object({
    returnId: z.uuid(),
    version: version(1),
    decision: z.enum(["approve", "return"]),
    reason: z.preprocess(blankToNull, z.string().trim().max(2000, "validation.tooLong").nullable()),
  })
  .strict()
  .superRefine((v, ctx) => {
    if (v.decision === "return" && !v.reason) ctx.addIssue({ code: "custom", path: ["reason"], message: "validation.return.reasonRequired" });
  });

export type ReviewInput = z.infer<typeof reviewInput>;

export const correctionRequestInput = returnFiguresInput
  .extend({
    returnId: z.uuid(),
    reason: z.preprocess(blankToNull, z.string().trim().min(1).max(2000, "validation.tooLong").nullable()).refine((v) => v !== null, "validation.return.reasonRequired"),
  })
  .strict();

export type CorrectionRequestInput = z.infer<typeof correctionRequestInput>;

export const correctionDecisionInput = z
  .object({
    correctionId: z.uuid(),
    decision: z.enum(["approve", "reject"]),
    note: z.preprocess(blankToNull, z.string().trim().max(2000, "validation.tooLong").nullable()),
  })
  .strict()
  .superRefine((v, ctx) => {
    if (v.decision === "reject" && !v.note) ctx.addIssue({ code: "custom", path: ["note"], message: "validation.return.reasonRequired" });
  });

export type CorrectionDecisionInput = z.infer<typeof correctionDecisionInput>;

/** The owner unit removes an evidence file from a draft or returned month. */
export const removeAttachmentInput = z.object({ attachmentId: z.uuid() }).strict();

export type RemoveAttachmentInput = z.infer<typeof removeAttachmentInput>;

/**
 * Bulk approval from the queue: each ticked return as "returnId:version", the version the
 * reviewer saw (each approval checks it). At most 100 at once, each return once.
 */
const tickedReturn = z
  .string()
  .max(60, "validation.invalid")
  .transform((v) => {
    const [returnId, ver] = v.split(":");
    return { returnId, version: ver as unknown };
  })
  .pipe(z.strictObject({ returnId: z.uuid("validation.invalid"), version: version(1) }));

export const bulkApproveInput = z
  .object({
    selected: z
      .array(tickedReturn)
      .min(1, "validation.return.noneSelected")
      .max(100, "validation.return.tooManySelected")
      .refine((items) => new Set(items.map((i) => i.returnId)).size === items.length, "validation.invalid"),
  })
  .strict();

export type BulkApproveInput = z.infer<typeof bulkApproveInput>;
