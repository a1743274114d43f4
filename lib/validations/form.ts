// The shape every server action returns to its form, and the helpers that build it from zod.
import { z } from "zod";
import { parseMoneyToWan } from "@/lib/domain/money";

export type FormState =
  | { status: "idle" }
  | { status: "ok"; message?: string; data?: Record<string, unknown> }
  | {
      status: "error";
      formError?: string;
      fieldErrors?: Record<string, string[]>;
      data?: Record<string, unknown>;
      /** What was submitted (never passwords), so a refused form shows it again instead of resetting. */
      values?: Record<string, string>;
    };

export const idle: FormState = { status: "idle" };

/** Field errors as message keys, keyed by the field path. */
export function fieldErrorsOf(error: z.ZodError): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const issue of error.issues) {
    const key = issue.path.join(".") || "_form";
    (out[key] ??= []).push(issue.message.startsWith("validation.") ? issue.message : "validation.invalid");
  }
  return out;
}

/** Reads a FormData into a plain object: repeated keys (checkbox groups) become arrays. */
export function formDataObject(formData: FormData, arrays: readonly string[] = []): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of new Set(formData.keys())) {
    if (key.startsWith("$ACTION")) continue;
    const values = formData.getAll(key).filter((v): v is string => typeof v === "string");
    out[key] = arrays.includes(key) ? values : values[0];
  }
  for (const key of arrays) out[key] ??= [];
  return out;
}

/** The submitted text fields to echo back on error; anything that looks like a secret is left out. */
export function echoValues(input: unknown): Record<string, string> {
  if (!input || typeof input !== "object") return {};
  return Object.fromEntries(
    Object.entries(input as Record<string, unknown>)
      .filter(([key, value]) => typeof value === "string" && !/password|secret|code|totp/i.test(key))
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
        ctx.addIssue({ code: "custom", message: parsed.error === "tooManyDecimals" ? "validation.moneyDecimals" : "validation.money" });
        return z.NEVER;
      }
      if (parsed.wan.isNegative()) {
        ctx.addIssue({ code: "custom", message: "validation.negative" });
        return z.NEVER;
      }
      return parsed.wan.toString();
    }),
);

/** A real calendar day, YYYY-MM-DD (2025-02-30 is refused). */
export const day = z.preprocess(
  blankToNull,
  z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, "validation.date")
    .refine((v) => {
      const date = new Date(`${v}T00:00:00Z`);
      return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(v);
    }, "validation.date")
    .nullable(),
);

