// What every server action returns to its form, without the parsing helpers (lib/validations/form.ts)
// and so without zod: client components import it, and zod would add ~30 KB gzip to each page.
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
