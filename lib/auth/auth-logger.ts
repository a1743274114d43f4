// Auth.js's logger: the ordinary outcomes of a password sign-in (second factor required, wrong
// password or code, throttled) reach Auth.js as CredentialsSignin errors, which its default logger
// prints with a stack trace on every administrator sign-in. They are expected and already audited
// (lib/auth/login.ts), so they are not logged; every other error is, as Auth.js would.
import type { NextAuthConfig } from "next-auth";

type AuthLogger = NonNullable<NextAuthConfig["logger"]>;

/** A CredentialsSignin (or subclass, e.g. LoginError): Auth.js sets `type` from the class. */
export function isExpectedSignInOutcome(error: Error): boolean {
  return (error as { type?: unknown }).type === "CredentialsSignin";
}

export const authLogger: AuthLogger = {
  error(error) {
    if (isExpectedSignInOutcome(error)) return;
    const type = (error as { type?: unknown }).type;
    const name = typeof type === "string" ? type : error.name;
    console.error(`[auth][error] ${name}: ${error.message}`);
    const cause = error.cause as { err?: unknown } | undefined;
    if (cause && typeof cause === "object" && cause.err instanceof Error) console.error("[auth][cause]:", cause.err.stack);
    else if (error.stack) console.error(error.stack.replace(/.*/, "").substring(1));
  },
};
