// The acting user (CurrentUser) that lib/data functions take, for integration tests. The Prisma
// client and the permissions table are imported when a helper is called, not when this file is
// loaded: a test file points DATABASE_URL at its own database in beforeAll, before anything reads it.
import type { Role } from "@/lib/auth/roles";
import type { CurrentUser } from "@/lib/auth/session";

async function prismaClient() {
  return (await import("@/lib/db")).prisma;
}

async function permissionsOf(roles: Role[]) {
  return (await import("@/lib/auth/permissions")).permissionsFor(roles);
}

/**
 * A user with these roles who has no "User" row, in the named organization (if any) and in its
 * county, or in `divisionCode` when given.
 */
export async function actor(roles: Role[], organizationName?: string, divisionCode?: string): Promise<CurrentUser> {
  const prisma = await prismaClient();
  const org = organizationName ? await prisma.organization.findUniqueOrThrow({ where: { name: organizationName } }) : null;
  return {
    id: "00000000-0000-0000-0000-000000000001", username: "t", displayName: "t", organizationId: org?.id ?? null, organizationName: org?.name ?? null,
    divisionCode: divisionCode ?? org?.divisionCode ?? null, roles, permissions: await permissionsOf(roles), sessionId: "s", mfaPending: false, mustChangePassword: false, isDemo: false,
  };
}

/** A seeded (demo) user as signed in: roles and organization as the database has them. */
export async function userActor(username: string): Promise<CurrentUser> {
  const prisma = await prismaClient();
  const user = await prisma.user.findUniqueOrThrow({ where: { username }, include: { roles: true, organization: true } });
  const roles = user.roles.map((r) => r.role);
  return {
    id: user.id, username: user.username, displayName: user.displayName, organizationId: user.organizationId, organizationName: user.organization?.name ?? null,
    divisionCode: user.organization?.divisionCode ?? null, roles, permissions: await permissionsOf(roles), sessionId: "s", mfaPending: false, mustChangePassword: false, isDemo: true,
  };
}

/** A new user with these roles and a live session, for actions that need real "User" and "Session" rows. */
export async function createActor(username: string, roles: Role[], organizationId: string | null = null): Promise<CurrentUser> {
  const prisma = await prismaClient();
  const user = await prisma.user.create({ data: { username, displayName: username, passwordHash: "x", organizationId, roles: { create: roles.map((role) => ({ role })) } } });
  const session = await prisma.session.create({ data: { userId: user.id, sessionVersion: user.sessionVersion } });
  return {
    id: user.id, username, displayName: username, organizationId, organizationName: null, divisionCode: null,
    roles, permissions: await permissionsOf(roles), sessionId: session.id, mfaPending: false, mustChangePassword: false, isDemo: false,
  };
}
