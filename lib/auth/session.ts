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
import { Prisma } from "@/lib/generated/prisma/client";
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

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

interface SessionRow {
  id: string;
  sessionVersion: number;
  mfaPending: boolean;
  createdAt: Date;
  lastSeenAt: Date;
  revokedAt: Date | null;
  userId: string;
  username: string;
  displayName: string;
  organizationId: string | null;
  organizationName: string | null;
  divisionCode: string | null;
  disabledAt: Date | null;
  userSessionVersion: number;
  mustChangePassword: boolean;
  isDemo: boolean;
  roles: Role[];
}

/**
 * The session, its user, the user's roles and organization in one statement: every page and API
 * call reads it, and Prisma's include took four round trips (bench/RESULTS.md, 2026-12-07 session 17).
 */
const SESSION_SQL = (sid: string) => Prisma.sql`
  SELECT s.id, s."sessionVersion", s."mfaPending", s."createdAt", s."lastSeenAt", s."revokedAt",
         u.id AS "userId", u.username, u."displayName", u."organizationId", o.name AS "organizationName", o."divisionCode",
         u."disabledAt", u."sessionVersion" AS "userSessionVersion", u."mustChangePassword", u."isDemo",
         ARRAY(SELECT r.role::text FROM "UserRole" r WHERE r."userId" = u.id ORDER BY r.role) AS roles
    FROM "Session" s
    JOIN "User" u ON u.id = s."userId"
    LEFT JOIN "Organization" o ON o.id = u."organizationId"
   WHERE s.id = ${sid}::uuid`;

export const getCurrentUser = cache(async (): Promise<CurrentUser | null> => {
  const authSession = await auth();
  const sid = (authSession as { sid?: string } | null)?.sid;
  if (!sid) return null;
  if (!UUID.test(sid)) return null;
  const [session] = await prisma.$queryRaw<SessionRow[]>(SESSION_SQL(sid));
  if (!session) return null;
  const now = new Date();
  const settings = await getSecuritySettings();
  const ended = sessionEndReason(session, { disabledAt: session.disabledAt, sessionVersion: session.userSessionVersion }, settings, now);
  if (ended) {
    if (!session.revokedAt) {
      await prisma.session.updateMany({ where: { id: sid, revokedAt: null }, data: { revokedAt: now, revokedReason: ended } });
    }
    return null;
  }
  if (now.getTime() - session.lastSeenAt.getTime() > TOUCH_INTERVAL_MS) {
    await prisma.session.update({ where: { id: sid }, data: { lastSeenAt: now } });
  }
  const roles = session.roles;
  return {
    id: session.userId,
    username: session.username,
    displayName: session.displayName,
    organizationId: session.organizationId,
    organizationName: session.organizationName,
    divisionCode: session.divisionCode,
    roles,
    // A session still waiting for the second factor holds no permission but its own account.
    permissions: session.mfaPending ? new Set<Permission>(["account:update:self"]) : permissionsFor(roles),
    sessionId: session.id,
    mfaPending: session.mfaPending,
    mustChangePassword: session.mustChangePassword,
    isDemo: session.isDemo,
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
