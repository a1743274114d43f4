// Runs a server action's work and turns the errors lib/data throws into a FormState the form
// shows next to the right field. Unexpected errors are rethrown (Next.js shows its error page).
import "server-only";
import { headers } from "next/headers";
import type { z } from "zod";
import { clientIp } from "@/lib/auth/client-ip";
import { ForbiddenError, NotFoundError } from "@/lib/auth/permissions";
import { getCurrentUser, type CurrentUser } from "@/lib/auth/session";
import { ConflictError, ValidationError } from "@/lib/data/users";
import { echoValues, parseInput, type FormState } from "@/lib/validations/form";

export interface ActionContext {
  user: CurrentUser;
  ip: string;
}

/** Parses input with the shared schema, requires a signed-in user, maps domain errors. */
export async function runAction<S extends z.ZodType>(
  schema: S,
  input: unknown,
  work: (data: z.infer<S>, context: ActionContext) => Promise<FormState | void>,
): Promise<FormState> {
  const user = await getCurrentUser();
  if (!user) return { status: "error", formError: "validation.forbidden" };
  return performAction(schema, input, { user, ip: clientIp(await headers()) }, work);
}

/**
 * The body of every server action once the user is known: refuse untrusted keys and unstorable
 * text, parse, run, and turn the domain's errors into the form's. Anything else is a bug and is
 * rethrown. Exported for the input-fuzzing tests, which call it with real data functions.
 */
export async function performAction<S extends z.ZodType>(
  schema: S,
  input: unknown,
  context: ActionContext,
  work: (data: z.infer<S>, context: ActionContext) => Promise<FormState | void>,
): Promise<FormState> {
  const values = echoValues(input);
  const parsed = parseInput(schema, input);
  if (!parsed.ok) return { status: "error", formError: parsed.formError, fieldErrors: parsed.fieldErrors, values };
  try {
    const result = (await work(parsed.data, context)) ?? { status: "ok" };
    return result.status === "error" ? { values, ...result } : result;
  } catch (error) {
    if (error instanceof ValidationError) {
      const { _form, ...fieldErrors } = error.fieldErrors;
      return { status: "error", formError: _form?.[0], fieldErrors, values };
    }
    if (error instanceof ConflictError) return { status: "error", formError: "validation.conflict" };
    if (error instanceof ForbiddenError) return { status: "error", formError: "validation.forbidden" };
    if (error instanceof NotFoundError) return { status: "error", formError: "validation.notFound" };
    throw error;
  }
}
