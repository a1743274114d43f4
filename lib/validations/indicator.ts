// An annual value of one of the 36 indicators, entered by the leadership office with its source.
import { z } from "zod";

export const indicatorValueInput = z
  .object({
    indicatorId: z.uuid(),
    year: z.coerce.number().int().min(2021, "validation.indicator.year").max(2035, "validation.indicator.year"),
    value: z.string().trim().regex(/^-?\d{1,14}(\.\d{1,4})?$/, "validation.indicator.value"),
    sourceNote: z.string().trim().min(1, "validation.required").max(500, "validation.tooLong"),
    /** The value the form showed for that year ("" when none): a different stored value is a conflict. */
    expected: z.string().trim().max(40).optional().transform((v) => v ?? ""),
  })
  .strict();
export type IndicatorValueInput = z.infer<typeof indicatorValueInput>;
