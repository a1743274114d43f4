"use server";
import { AuthError, CredentialsSignin } from "next-auth";
import { authorizeAction } from "@/lib/action";
import { signIn } from "@/lib/auth";
import { mustEnrolSecondFactor } from "@/lib/auth/login";
import { SSO_PROVIDER_ID } from "@/lib/auth/sso";
import type { FormState } from "@/lib/validations/form";

const KNOWN = new Set(["invalid", "throttled", "totpRequired", "totpInvalid"]);

/** Only same-site paths: an open redirect would help phishing. */
function safeNext(value: FormDataEntryValue | null): string {
  return typeof value === "string" && value.startsWith("/") && !value.startsWith("//") ? value : "/";
}

/** Public: the sign-in throttle and lockouts (lib/auth/login.ts) guard it. */
export async function loginAction(_prev: FormState, formData: FormData): Promise<FormState> {
  const gate = await authorizeAction("app/(auth)/login/actions.ts#loginAction");
  if (!gate.ok) return gate.state;
  const username = formData.get("username") ?? "";
  // Read before signIn() (which answers with its redirect); the target is only used if the password is right.
  const enrol = typeof username === "string" && (await mustEnrolSecondFactor(username));
  try {
    await signIn("credentials", {
      username,
      password: formData.get("password") ?? "",
      totp: formData.get("totp") ?? "",
      redirectTo: enrol ? "/account/mfa" : safeNext(formData.get("next")),
    });
    return { status: "ok" };
  } catch (error) {
    if (error instanceof CredentialsSignin) {
      const code = KNOWN.has(error.code) ? error.code : "invalid";
      return { status: "error", formError: `login.${code}`, data: { needTotp: code === "totpRequired" || code === "totpInvalid" } };
    }
    if (error instanceof AuthError) return { status: "error", formError: "login.error" };
    throw error; // the redirect after a successful sign-in
  }
}

/** Starts the government SSO sign-in (only offered when OIDC_* is configured). */
export async function ssoSignInAction(): Promise<void> {
  const gate = await authorizeAction("app/(auth)/login/actions.ts#ssoSignInAction");
  if (!gate.ok) return;
  await signIn(SSO_PROVIDER_ID, { redirectTo: "/" });
}
