// Auth.js (next-auth v5) with the credentials provider. The JWT cookie carries only the id of a
// server-side Session row; lib/auth/session.ts checks that row on every request, which gives
// idle and absolute timeouts and revocation. An OIDC provider (government SSO) can be added to
// `providers` — see docs/decisions/0005-sign-in-and-sessions.md.
import "server-only";
import NextAuth, { CredentialsSignin } from "next-auth";
import Credentials from "next-auth/providers/credentials";
import { z } from "zod";
import { authConfig } from "./auth.config";
import { authLogger } from "./auth-logger";
import { clientIp } from "./client-ip";
import { attemptLogin, type LoginFailure } from "./login";
import { env } from "@/lib/env";
import { SSO_PROVIDER_ID, ssoProvider, startSsoSession } from "./sso";

export class LoginError extends CredentialsSignin {
  constructor(public readonly reason: LoginFailure) {
    super(reason);
    this.code = reason;
  }
}

const credentials = z.object({
  username: z.string().trim().min(1).max(100),
  password: z.string().min(1).max(256),
  totp: z.string().max(20).optional().default(""),
});

const sso = ssoProvider(env);

export const ssoEnabled = sso !== null;
export const ssoName = env.OIDC_NAME;

export const { handlers, auth, signIn, signOut } = NextAuth({
  ...authConfig,
  // Expected sign-in outcomes (LoginError) are audited, not printed with a stack trace.
  logger: authLogger,
  callbacks: {
    ...authConfig.callbacks,
    async signIn({ account, profile }) {
      if (account?.provider !== SSO_PROVIDER_ID) return true;
      const username = profile?.[env.OIDC_USERNAME_CLAIM];
      const result = await startSsoSession(typeof username === "string" ? username : undefined);
      if (!result.ok) return false;
      (profile as Record<string, unknown>).sessionId = result.sessionId;
      return true;
    },
    jwt({ token, user, account, profile }) {
      if (account?.provider === SSO_PROVIDER_ID && profile && typeof profile.sessionId === "string") token.sid = profile.sessionId;
      else if (user && "sessionId" in user) token.sid = user.sessionId;
      return token;
    },
  },
  providers: [
    ...(sso ? [sso] : []),
    Credentials({
      credentials: { username: {}, password: {}, totp: {} },
      async authorize(raw, request) {
        const parsed = credentials.safeParse(raw);
        if (!parsed.success) throw new LoginError("invalid");
        const result = await attemptLogin({
          ...parsed.data,
          ip: clientIp(request.headers),
          userAgent: request.headers.get("user-agent") ?? undefined,
        });
        if (!result.ok) throw new LoginError(result.error);
        return { id: result.userId, sessionId: result.sessionId };
      },
    }),
  ],
});
