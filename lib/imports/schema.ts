// Excel/CSV import: a registry row is checked with the registry form's own fields and rules
// (lib/validations/project.ts), a returns row with the return form's figures
// (lib/returns/schema.ts); this file only adds what a spreadsheet row carries beyond the form.
import { z } from "zod";
import { blankToNull, money } from "@/lib/validations/form";
import { registryFields, registryRules } from "@/lib/validations/project";

const year = z.preprocess(blankToNull, z.coerce.number().int("import.error.year").min(2021, "validation.range").max(2035, "validation.range").nullable());

export const registryImportRow = z
  .object({
    ...registryFields,
    sectorCode: z.string().nullable(),
    annualPlanYear: year,
    annualPlanAmount: money,
    funding: z.array(z.object({ pair: z.number().int(), sourceCode: z.string().nullable(), amount: money })),
  })
  .strict()
  .superRefine((v, ctx) => {
    registryRules(v, ctx);
    if ((v.annualPlanYear === null) !== (v.annualPlanAmount === null)) {
      ctx.addIssue({ code: "custom", path: [v.annualPlanYear === null ? "annualPlanYear" : "annualPlanAmount"], message: "validation.required" });
    }
    const seen = new Set<string>();
    v.funding.forEach((f, i) => {
      if ((f.sourceCode === null) !== (f.amount === null)) {
        ctx.addIssue({ code: "custom", path: ["funding", i, f.sourceCode === null ? "sourceCode" : "amount"], message: "validation.required" });
      }
      if (f.sourceCode && seen.has(f.sourceCode)) ctx.addIssue({ code: "custom", path: ["funding", i, "sourceCode"], message: "import.error.duplicateSource" });
      if (f.sourceCode) seen.add(f.sourceCode);
    });
  });

export type RegistryImportRow = z.infer<typeof registryImportRow>;

export const importConfirmInput = z.object({ batchId: z.uuid() }).strict();
export const importDiscardInput = importConfirmInput;

/** The uploaded file of the import page (its content is checked by lib/imports/read-file.ts). */
export const importUploadInput = z.object({ file: z.instanceof(File, { message: "import.noFile" }).refine((f) => f.size > 0 && f.name !== "undefined", "import.noFile") }).strict();
