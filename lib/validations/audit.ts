// Inputs of the audit page's actions.
import { z } from "zod";

export const checkpointInput = z
  .object({ reason: z.string().trim().max(500, "validation.tooLong").optional().transform((v) => v || undefined) })
  .strict();

/** The full verification takes no input. */
export const verifyInput = z.object({}).strict();
