// The edge-safe part of the Auth.js configuration: no database, no Node-only modules. The proxy
// uses it for early redirects; lib/auth/index.ts adds the credentials provider and callbacks.
import type { NextAuthConfig } from "next-auth";
import { PUBLIC_PATHS } from "./route-access";

/** Whether anyone may open the path: the public rows of the authorization matrix. */
export function isPublicPath(pathname: string): boolean {
  return PUBLIC_PATHS.some((p) => pathname === p || pathname.startsWith(`${p}/`));
}

export const authConfig = {
  pages: { signIn: "/login" },
  session: { strategy: "jwt", maxAge: 24 * 60 * 60 },
  trustHost: true,
  providers: [],
  callbacks: {
    authorized({ auth, request }) {
      return isPublicPath(request.nextUrl.pathname) || !!auth?.user;
    },
    jwt({ token, user }) {
      if (user && "sessionId" in user) token.sid = user.sessionId;
      return token;
    },
    session({ session, token }) {
      return { ...session, sid: typeof token.sid === "string" ? token.sid : undefined };
    },
  },
} satisfies NextAuthConfig;
