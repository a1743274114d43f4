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

/**
 * What a form field shows after a submission: on a refusal, what was submitted (a field the echo
 * lacks shows empty); otherwise `fallback`. Controlled inputs use it as their initial state too:
 * a form submitted before React hydrated is posted without JavaScript, and the page that answers
 * is rendered with the action's state, so this is the only place the typed text survives.
 */
export function echoed(state: FormState, name: string, fallback: string | null | undefined): string {
  return state.status === "error" && state.values ? (state.values[name] ?? "") : (fallback ?? "");
}
