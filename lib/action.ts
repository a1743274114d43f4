// The one wrapper every server action goes through: it reads the action's row of the authorization
// matrix (ACTION_ACCESS in lib/auth/route-access.ts), resolves the user, refuses (and audits) a
// user the row does not admit, then parses the input and turns the errors lib/data throws into a
// FormState the form shows next to the right field. Unexpected errors are rethrown (Next.js shows
// its error page). lib/data functions still check their own permissions behind it.
import "server-only";
import { headers } from "next/headers";
import type { z } from "zod";
import { clientIp } from "@/lib/auth/client-ip";
import { ForbiddenError, NotFoundError } from "@/lib/auth/permissions";
import { ACTION_ACCESS, accessDecision, type Access, type ActionKey } from "@/lib/auth/route-access";
import { getCurrentUser, recordDenied, type CurrentUser } from "@/lib/auth/session";
import { ConflictError, ValidationError } from "@/lib/data/users";
import { isStatementCancelled } from "@/lib/db-routing";
import { echoValues, parseInput, type FormState } from "@/lib/validations/form";

export type { ActionKey };

export interface ActionContext<U extends CurrentUser | null = CurrentUser> {
  user: U;
  ip: string;
}

/** The user a public action may get (none), or the user its row admitted. */
type ActionUser<K extends ActionKey> = (typeof ACTION_ACCESS)[K] extends "public" ? CurrentUser | null : CurrentUser;

export type ActionGate<K extends ActionKey> = { ok: true; context: ActionContext<ActionUser<K>> } | { ok: false; state: FormState };

const REFUSED: FormState = { status: "error", formError: "validation.forbidden" };

/**
 * The gate alone, for actions that take no parsed input (sign-in, sign-out, a button): the user
 * the action's row admits, or the refusal as a form state. A signed-in user without the listed
 * permission is recorded as `auth.permission.denied`, like a refused page.
 */
export async function authorizeAction<K extends ActionKey>(key: K): Promise<ActionGate<K>> {
  const access: Access = ACTION_ACCESS[key];
  // A public action works even when the session store cannot be read.
  const user = access === "public" ? await getCurrentUser().catch(() => null) : await getCurrentUser();
  const decision = accessDecision(access, user);
  if (decision === "deny") await recordDenied(user, (access as readonly string[]).join("|"));
  if (decision !== "allow") return { ok: false, state: REFUSED };
  return { ok: true, context: { user: user as ActionUser<K>, ip: clientIp(await headers()) } };
}

/**
 * Runs the server action `key` ("file#export", its row in ACTION_ACCESS): the gate, then the
 * input parsed with the shared schema, then the work, with domain errors mapped to the form's.
 */
export async function runAction<K extends ActionKey, S extends z.ZodType>(
  key: K,
  schema: S,
  input: unknown,
  work: (data: z.infer<S>, context: ActionContext<ActionUser<K>>) => Promise<FormState | void>,
): Promise<FormState> {
  const gate = await authorizeAction(key);
  if (!gate.ok) return gate.state;
  return performAction(schema, input, gate.context, work);
}

/**
 * The body of every server action once the user is admitted: refuse untrusted keys and unstorable
 * text, parse, run, and turn the domain's errors into the form's. Anything else is a bug and is
 * rethrown. Exported for the input-fuzzing tests, which call it with real data functions.
 */
export async function performAction<S extends z.ZodType, C extends { ip: string } = ActionContext>(
  schema: S,
  input: unknown,
  context: C,
  work: (data: z.infer<S>, context: C) => Promise<FormState | void>,
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
    if (error instanceof ForbiddenError) return REFUSED;
    if (error instanceof NotFoundError) return { status: "error", formError: "validation.notFound" };
    // Cancelled past the statement timeout (docs/decisions/0044): rolled back, nothing was saved.
    if (isStatementCancelled(error)) return { status: "error", formError: "validation.timeout", values };
    throw error;
  }
}
