// The shape every server action returns to its form, and the helpers that build it from zod.
import type { z } from "zod";

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

