// The shape every server action returns to its form, and the helpers that build it from zod.
import { z } from "zod";
import { parseMoneyToWan } from "@/lib/domain/money";
import { isPlausibleDay } from "@/lib/domain/dates";
import { isForbiddenKey, problemsByField, untrustedInputProblems } from "./untrusted";

export { idle, type FormState } from "./form-state";

/** Field errors as message keys, keyed by the field path. */
export function fieldErrorsOf(error: z.ZodError): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const issue of error.issues) {
    const key = issue.path.join(".") || "_form";
    // A field the form does not have (a stale client, a hand-made request): said as such, under
    // _form, since the unknown name is the sender's and never becomes a key here.
    const message = issue.code === "unrecognized_keys" ? "validation.unknownParameter" : issue.message.startsWith("validation.") ? issue.message : "validation.invalid";
    (out[key] ??= []).push(message);
  }
  return out;
}

// Untrusted form data is read by lib/validations/untrusted.ts (no prototype, no forbidden keys).
export { formDataObject, nestFormData } from "./untrusted";

/**
 * Parses untrusted input with its schema: keys that could reach a prototype and text PostgreSQL
 * cannot store are refused first (lib/validations/untrusted.ts), then the schema decides.
 */
export function parseInput<S extends z.ZodType>(
  schema: S,
  input: unknown,
): { ok: true; data: z.infer<S> } | { ok: false; formError?: string; fieldErrors: Record<string, string[]> } {
  const problems = untrustedInputProblems(input);
  if (problems.length) {
    const { _form, ...fieldErrors } = problemsByField(problems);
    return { ok: false, formError: _form?.[0], fieldErrors };
  }
  const parsed = schema.safeParse(input);
  if (parsed.success) return { ok: true, data: parsed.data };
  return { ok: false, fieldErrors: fieldErrorsOf(parsed.error) };
}

/** The submitted text fields to echo back on error; anything that looks like a secret is left out. */
/** Fields never sent back to the browser: passwords, one-time and recovery codes. Not "projectCode". */
const SECRET_KEY = /password|secret|totp|recovery|^code$/i;

export function echoValues(input: unknown): Record<string, string> {
  if (!input || typeof input !== "object") return {};
  return Object.fromEntries(
    Object.entries(input as Record<string, unknown>)
      .filter(([key, value]) => typeof value === "string" && !isForbiddenKey(key) && !SECRET_KEY.test(key))
      .map(([key, value]) => [key, value as string]),
  );
}


// Field types shared by the forms (and the Excel import, which feeds the same schemas).
/** An absent or blank input is null. */
export const blankToNull = (v: unknown) => (v === undefined || (typeof v === "string" && v.trim() === "") ? null : v);

/** An amount as users write it (万元 by default, "1.2亿" accepted), non-negative, as a 万元 string. */
export const money = z.preprocess(
  blankToNull,
  z
    .string()
    .nullable()
    .transform((value, ctx) => {
      if (value === null) return null;
      const parsed = parseMoneyToWan(value);
      if (!parsed.ok) {
        const message = { tooManyDecimals: "validation.moneyDecimals", tooLarge: "validation.moneyTooLarge", empty: "validation.money", invalid: "validation.money" }[parsed.error];
        ctx.addIssue({ code: "custom", message });
        return z.NEVER;
      }
      if (parsed.wan.isNegative()) {
        ctx.addIssue({ code: "custom", message: "validation.negative" });
        return z.NEVER;
      }
      return parsed.wan.toString();
    }),
);

/** A real calendar day, YYYY-MM-DD (2025-02-30 is refused), within the plausible range (lib/domain/dates). */
export const isoDay = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "validation.date")
  .refine((v) => {
    const date = new Date(`${v}T00:00:00Z`);
    return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(v);
  }, "validation.date")
  .refine(isPlausibleDay, "validation.dateRange");

/** An optional day in a form: blank is null. */
export const day = z.preprocess(blankToNull, isoDay.nullable());

/** A record's version for optimistic locking: a PostgreSQL INTEGER (a larger one cannot match). */
export const version = (min: number) => z.coerce.number().int("validation.invalid").min(min, "validation.invalid").max(2_147_483_647, "validation.invalid");

