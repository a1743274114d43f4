// Optional sign-in through a government SSO (OIDC), switched on by configuration (lib/env.ts:
// OIDC_ISSUER, OIDC_CLIENT_ID, OIDC_CLIENT_SECRET). The SSO proves who someone is; what they may do
// still comes from our own User and roles: the claim OIDC_USERNAME_CLAIM must name an existing,
// enabled user. Administrators sign in locally with TOTP, never through the SSO.
import type { Provider } from "next-auth/providers";
import { prisma } from "@/lib/db";
import { appendAuditEvent } from "@/lib/audit/log";
import { isAdminRole } from "./roles";

export const SSO_PROVIDER_ID = "gov-sso";

export interface SsoConfig {
  OIDC_ISSUER?: string;
  OIDC_CLIENT_ID?: string;
  OIDC_CLIENT_SECRET?: string;
  OIDC_NAME: string;
}

export function ssoProvider(config: SsoConfig): Provider | null {
  if (!config.OIDC_ISSUER || !config.OIDC_CLIENT_ID || !config.OIDC_CLIENT_SECRET) return null;
  return {
    id: SSO_PROVIDER_ID,
    name: config.OIDC_NAME,
    type: "oidc",
    issuer: config.OIDC_ISSUER,
    clientId: config.OIDC_CLIENT_ID,
    clientSecret: config.OIDC_CLIENT_SECRET,
    checks: ["pkce", "state", "nonce"],
  };
}

export type SsoResult = { ok: true; sessionId: string; userId: string } | { ok: false; reason: "unknown-user" | "disabled" | "admin-not-allowed" };

/** Starts a Session for the user the SSO vouched for, or says why not; audited either way. */
export async function startSsoSession(username: string | undefined, userAgent?: string): Promise<SsoResult> {
  const user = username ? await prisma.user.findUnique({ where: { username }, include: { roles: true } }) : null;
  const refusal: SsoResult | null = !user
    ? { ok: false, reason: "unknown-user" }
    : user.disabledAt || user.isSystemAccount
      ? { ok: false, reason: "disabled" }
      : user.roles.some((r) => isAdminRole(r.role))
        ? { ok: false, reason: "admin-not-allowed" }
        : null;
  return prisma.$transaction(async (tx) => {
    if (refusal || !user) {
      await appendAuditEvent(tx, {
        actorId: user?.id ?? null, actorName: username ?? null, action: "auth.sso.refused", entityType: user ? "User" : null, entityId: user?.id ?? null,
        details: { reason: refusal && !refusal.ok ? refusal.reason : "unknown-user" },
      });
      return refusal ?? { ok: false, reason: "unknown-user" };
    }
    const session = await tx.session.create({ data: { userId: user.id, sessionVersion: user.sessionVersion, ip: "sso", userAgent: userAgent?.slice(0, 300) } });
    await tx.user.update({ where: { id: user.id }, data: { lastLoginAt: new Date() } });
    await appendAuditEvent(tx, { actorId: user.id, actorName: user.username, action: "auth.login", entityType: "Session", entityId: session.id, details: { via: SSO_PROVIDER_ID } });
    return { ok: true, sessionId: session.id, userId: user.id };
  });
}
