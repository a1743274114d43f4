// A new project's review (待审核, docs/decisions/0031), shared by the forms and the server: the
// review office accepts or refuses it (a refusal needs a reason the owner reads); the owner unit
// resubmits a refused one after correcting it.
import { z } from "zod";
import { blankToNull, version } from "./form";

export const reviewNewProjectInput = z
  .object({
    projectId: z.uuid(),
    version: version(1),
    decision: z.enum(["accept", "refuse"]),
    reason: z.preprocess(blankToNull, z.string().trim().max(2000, "validation.tooLong").nullable().default(null)),
  })
  .strict()
  .superRefine((v, ctx) => {
    if (v.decision === "refuse" && !v.reason) ctx.addIssue({ code: "custom", path: ["reason"], message: "validation.return.reasonRequired" });
  });

export type ReviewNewProjectInput = z.infer<typeof reviewNewProjectInput>;

export const resubmitNewProjectInput = z
  .object({
    projectId: z.uuid(),
    version: version(1),
  })
  .strict();

export type ResubmitNewProjectInput = z.infer<typeof resubmitNewProjectInput>;
