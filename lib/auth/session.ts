// Who is asking: the signed-in user behind the current request, checked against the server-side
// Session row on every call (revoked, idle too long, past the absolute limit, user disabled,
// or password/roles changed since sign-in → no user). Every lib/data function takes its result.
import "server-only";
import { cache } from "react";
import { headers } from "next/headers";
import { forbidden, redirect } from "next/navigation";
import { prisma } from "@/lib/db";
import { recordAuditEvent } from "@/lib/audit/log";
import type { Role } from "@/lib/generated/prisma/enums";
import { auth } from "./index";
import { clientIp } from "./client-ip";
import { ForbiddenError, permissionsFor, type Permission } from "./permissions";
import { PAGE_ACCESS, type PagePath } from "./route-access";
import { sessionEndReason } from "./session-rules";
import { getSecuritySettings } from "./settings";

export interface CurrentUser {
  id: string;
  username: string;
  displayName: string;
  organizationId: string | null;
  organizationName: string | null;
  /** County (AdminDivision code) of the user's organization, for county-scoped reviewers. */
  divisionCode: string | null;
  roles: Role[];
  permissions: ReadonlySet<Permission>;
  sessionId: string;
  mfaPending: boolean;
  mustChangePassword: boolean;
  isDemo: boolean;
}

const TOUCH_INTERVAL_MS = 60_000;

export const getCurrentUser = cache(async (): Promise<CurrentUser | null> => {
  const authSession = await auth();
  const sid = (authSession as { sid?: string } | null)?.sid;
  if (!sid) return null;
  const session = await prisma.session.findUnique({
    where: { id: sid },
    include: { user: { include: { roles: true, organization: { select: { name: true, divisionCode: true } } } } },
  });
  if (!session) return null;
  const now = new Date();
  const settings = await getSecuritySettings();
  const ended = sessionEndReason(session, session.user, settings, now);
  if (ended) {
    if (!session.revokedAt) {
      await prisma.session.updateMany({ where: { id: sid, revokedAt: null }, data: { revokedAt: now, revokedReason: ended } });
    }
    return null;
  }
  if (now.getTime() - session.lastSeenAt.getTime() > TOUCH_INTERVAL_MS) {
    await prisma.session.update({ where: { id: sid }, data: { lastSeenAt: now } });
  }
  const roles = session.user.roles.map((r) => r.role);
  return {
    id: session.user.id,
    username: session.user.username,
    displayName: session.user.displayName,
    organizationId: session.user.organizationId,
    organizationName: session.user.organization?.name ?? null,
    divisionCode: session.user.organization?.divisionCode ?? null,
    roles,
    // A session still waiting for the second factor holds no permission but its own account.
    permissions: session.mfaPending ? new Set<Permission>(["account:update:self"]) : permissionsFor(roles),
    sessionId: session.id,
    mfaPending: session.mfaPending,
    mustChangePassword: session.user.mustChangePassword,
    isDemo: session.user.isDemo,
  };
});

/** For pages: the user, or a redirect to the sign-in page. */
export async function requireUser(): Promise<CurrentUser> {
  const user = await getCurrentUser();
  if (!user) redirect("/login");
  return user;
}

/** For pages: enforces the page's row of the authorization matrix (lib/auth/route-access.ts). */
export async function requireRoute(path: PagePath): Promise<CurrentUser> {
  const access = PAGE_ACCESS[path];
  if (access === "public") throw new Error(`${path} is public: do not call requireRoute`);
  if (access === "session") return requireUser();
  return access === "signed-in" ? requireSignedIn() : requirePermissionOrForbidden(access);
}

/** Any signed-in user who has finished the second factor and any forced password change. */
async function requireSignedIn(): Promise<CurrentUser> {
  const user = await requireUser();
  if (user.mfaPending) redirect("/account/mfa");
  if (user.mustChangePassword) redirect("/account?mustChange=1");
  return user;
}

/** The user holding one of the permissions, else HTTP 403 (and an audit event). */
async function requirePermissionOrForbidden(permissions: readonly Permission[]): Promise<CurrentUser> {
  const user = await requireSignedIn();
  if (!permissions.some((p) => user.permissions.has(p))) {
    await recordDenied(user, permissions.join("|"));
    forbidden();
  }
  return user;
}

export async function recordDenied(user: CurrentUser | null, permission: string, entity?: { type: string; id?: string }): Promise<void> {
  // Outside a request (scripts, tests) there are no headers; the denial is still recorded.
  let ip: string | null = null;
  try {
    ip = clientIp(await headers());
  } catch {
    ip = null;
  }
  await recordAuditEvent(prisma, {
    actorId: user?.id ?? null,
    actorName: user?.username ?? null,
    action: "auth.permission.denied",
    entityType: entity?.type ?? null,
    entityId: entity?.id ?? null,
    ip,
    details: { permission },
  });
}

/** For lib/data: throws ForbiddenError (after auditing it) unless the user holds one of the permissions. */
export async function assertPermission(user: CurrentUser, ...permissions: Permission[]): Promise<void> {
  if (permissions.some((p) => user.permissions.has(p))) return;
  await recordDenied(user, permissions.join("|"));
  throw new ForbiddenError(permissions.join("|"));
}
