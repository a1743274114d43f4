"use server";
import { signOut } from "@/lib/auth";
import { authorizeAction } from "@/lib/action";
import { endSession } from "@/lib/data/account";

/** Ends the server-side session (when there is one) and clears the cookie either way. */
export async function signOutAction(): Promise<void> {
  const gate = await authorizeAction("app/actions/session.ts#signOutAction");
  if (gate.ok) await endSession(gate.context.user, gate.context.ip);
  await signOut({ redirectTo: "/login" });
}
