// Accounts, roles, sessions and security settings. Every function takes the acting user,
// checks the permission, and writes its audit event in the same transaction as the change.
import "server-only";
import { prisma } from "@/lib/db";
import { appendAuditEvent } from "@/lib/audit/log";
import { hashPassword, passwordProblems, verifyPassword, type PasswordProblem } from "@/lib/auth/password";
import { NotFoundError } from "@/lib/auth/permissions";
import { isAdminRole, roleSetProblem, type Role } from "@/lib/auth/roles";
import { assertPermission, type CurrentUser } from "@/lib/auth/session";
import { forgetSecuritySettings, getSecuritySettings, loadSecuritySettings } from "@/lib/auth/settings";
import { Prisma } from "@/lib/generated/prisma/client";

export class ConflictError extends Error {
  constructor(public readonly entity: string) {
    super(`${entity} was changed by someone else`);
    this.name = "ConflictError";
  }
}

export class ValidationError extends Error {
  constructor(public readonly fieldErrors: Record<string, string[]>) {
    super("validation failed");
    this.name = "ValidationError";
  }
}

function passwordError(field: string, problems: PasswordProblem[]): ValidationError {
  return new ValidationError({ [field]: problems.map((p) => `validation.password.${p}`) });
}

function roleError(roles: Role[]): ValidationError | null {
  const problem = roleSetProblem(roles);
  return problem ? new ValidationError({ roles: [`validation.roles.${problem}`] }) : null;
}

/** The database trigger's refusal, should a role set slip past the check above. */
function isRoleSeparationError(error: unknown): boolean {
  return error instanceof Error && error.message.includes("ROLE_SEPARATION");
}

export async function listUsers(actor: CurrentUser) {
  await assertPermission(actor, "user:manage:all");
  return prisma.user.findMany({
    orderBy: { username: "asc" },
    select: {
      id: true, username: true, displayName: true, disabledAt: true, lockedUntil: true, lastLoginAt: true, version: true, isDemo: true, isSystemAccount: true,
      totpEnabledAt: true, organization: { select: { id: true, name: true } }, roles: { select: { role: true } },
    },
  });
}

export async function listOrganizationsForSelect(actor: CurrentUser) {
  await assertPermission(actor, "user:manage:all", "organization:manage:all");
  return prisma.organization.findMany({ orderBy: [{ kind: "asc" }, { name: "asc" }], select: { id: true, name: true, kind: true, divisionCode: true } });
}

export async function createUser(actor: CurrentUser, input: { username: string; displayName: string; organizationId: string | null; roles: Role[]; password: string; systemAccount?: boolean }, ip: string) {
  await assertPermission(actor, "user:manage:all");
  const roleProblem = roleError(input.roles);
  if (roleProblem) throw roleProblem;
  // A system account reads business data through API tokens; an administrator role gives it nothing to read.
  if (input.systemAccount && input.roles.some(isAdminRole)) throw new ValidationError({ roles: ["validation.roles.systemAccountAdmin"] });
  const problems = passwordProblems(input.password, await getSecuritySettings(), input.username);
  if (problems.length) throw passwordError("password", problems);
  const passwordHash = await hashPassword(input.password);
  try {
    return await prisma.$transaction(async (tx) => {
      const user = await tx.user.create({
        data: {
          username: input.username,
          displayName: input.displayName,
          organizationId: input.organizationId,
          passwordHash,
          // A system account never signs in (lib/auth/login.ts), so it has no password to change.
          mustChangePassword: !input.systemAccount,
          isSystemAccount: !!input.systemAccount,
          roles: { create: input.roles.map((role) => ({ role, grantedById: actor.id })) },
        },
      });
      await appendAuditEvent(tx, {
        actorId: actor.id, actorName: actor.username, action: "user.create", entityType: "User", entityId: user.id, ip,
        details: { username: user.username, displayName: user.displayName, organizationId: user.organizationId, roles: input.roles, ...(input.systemAccount ? { systemAccount: true } : {}) },
      });
      return user;
    });
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") throw new ValidationError({ username: ["validation.usernameTaken"] });
    if (isRoleSeparationError(error)) throw new ValidationError({ roles: ["validation.roles.adminNotAlone"] });
    throw error;
  }
}

export async function updateUser(actor: CurrentUser, input: { userId: string; version: number; displayName: string; organizationId: string | null; roles: Role[] }, ip: string) {
  await assertPermission(actor, "user:manage:all");
  const roleProblem = roleError(input.roles);
  if (roleProblem) throw roleProblem;
  try {
    await prisma.$transaction(async (tx) => {
      const before = await tx.user.findUnique({ where: { id: input.userId }, include: { roles: true } });
      if (!before) throw new NotFoundError("User");
      const beforeRoles = before.roles.map((r) => r.role).sort();
      const rolesChanged = beforeRoles.join() !== [...input.roles].sort().join();
      const orgChanged = before.organizationId !== input.organizationId;
      const updated = await tx.user.updateMany({
        where: { id: input.userId, version: input.version },
        data: {
          displayName: input.displayName,
          organizationId: input.organizationId,
          version: { increment: 1 },
          // A new role or organization changes what the user may do: end their sessions.
          ...(rolesChanged || orgChanged ? { sessionVersion: { increment: 1 } } : {}),
        },
      });
      if (updated.count === 0) throw new ConflictError("User");
      if (rolesChanged) {
        await tx.userRole.deleteMany({ where: { userId: input.userId } });
        await tx.userRole.createMany({ data: input.roles.map((role) => ({ userId: input.userId, role, grantedById: actor.id })) });
      }
      await appendAuditEvent(tx, {
        actorId: actor.id, actorName: actor.username, action: rolesChanged ? "user.roles.change" : "user.update", entityType: "User", entityId: input.userId, ip,
        details: {
          before: { displayName: before.displayName, organizationId: before.organizationId, roles: beforeRoles },
          after: { displayName: input.displayName, organizationId: input.organizationId, roles: [...input.roles].sort() },
        },
      });
    });
  } catch (error) {
    if (isRoleSeparationError(error)) throw new ValidationError({ roles: ["validation.roles.adminNotAlone"] });
    throw error;
  }
}

export async function setUserDisabled(actor: CurrentUser, userId: string, disabled: boolean, ip: string) {
  await assertPermission(actor, "user:manage:all");
  if (userId === actor.id) throw new ValidationError({ _form: ["validation.cannotDisableSelf"] });
  await prisma.$transaction(async (tx) => {
    const user = await tx.user.findUnique({ where: { id: userId } });
    if (!user) throw new NotFoundError("User");
    await tx.user.update({
      where: { id: userId },
      data: { disabledAt: disabled ? new Date() : null, version: { increment: 1 }, sessionVersion: { increment: 1 } },
    });
    await appendAuditEvent(tx, { actorId: actor.id, actorName: actor.username, action: disabled ? "user.disable" : "user.enable", entityType: "User", entityId: userId, ip, details: { username: user.username } });
  });
}

export async function resetUserPassword(actor: CurrentUser, userId: string, password: string, ip: string) {
  await assertPermission(actor, "user:manage:all");
  const user = await prisma.user.findUnique({ where: { id: userId } });
  if (!user) throw new NotFoundError("User");
  const problems = passwordProblems(password, await getSecuritySettings(), user.username);
  if (problems.length) throw passwordError("password", problems);
  const passwordHash = await hashPassword(password);
  await prisma.$transaction(async (tx) => {
    await tx.user.update({
      where: { id: userId },
      data: { passwordHash, passwordChangedAt: new Date(), mustChangePassword: true, failedLoginCount: 0, lockedUntil: null, version: { increment: 1 }, sessionVersion: { increment: 1 } },
    });
    await appendAuditEvent(tx, { actorId: actor.id, actorName: actor.username, action: "user.password.reset", entityType: "User", entityId: userId, ip, details: { username: user.username } });
  });
}

export async function changeOwnPassword(actor: CurrentUser, input: { currentPassword: string; newPassword: string }, ip: string) {
  await assertPermission(actor, "account:update:self");
  const user = await prisma.user.findUniqueOrThrow({ where: { id: actor.id } });
  if (!(await verifyPassword(user.passwordHash, input.currentPassword))) throw new ValidationError({ currentPassword: ["validation.wrongPassword"] });
  const problems = passwordProblems(input.newPassword, await getSecuritySettings(), user.username);
  if (input.newPassword === input.currentPassword) problems.push("common");
  if (problems.length) throw passwordError("newPassword", problems);
  const passwordHash = await hashPassword(input.newPassword);
  await prisma.$transaction(async (tx) => {
    // Other sessions end; this one continues under the new session version.
    await tx.user.update({ where: { id: actor.id }, data: { passwordHash, passwordChangedAt: new Date(), mustChangePassword: false, version: { increment: 1 }, sessionVersion: { increment: 1 } } });
    const fresh = await tx.user.findUniqueOrThrow({ where: { id: actor.id }, select: { sessionVersion: true } });
    await tx.session.update({ where: { id: actor.sessionId }, data: { sessionVersion: fresh.sessionVersion } });
    await appendAuditEvent(tx, { actorId: actor.id, actorName: actor.username, action: "account.password.change", entityType: "User", entityId: actor.id, ip, details: {} });
  });
}

export async function listActiveSessions(actor: CurrentUser) {
  await assertPermission(actor, "security:manage:all");
  const settings = await getSecuritySettings();
  const idleCutoff = new Date(Date.now() - settings.idleTimeoutMinutes * 60_000);
  const absoluteCutoff = new Date(Date.now() - settings.absoluteTimeoutHours * 3_600_000);
  return prisma.session.findMany({
    where: { revokedAt: null, lastSeenAt: { gte: idleCutoff }, createdAt: { gte: absoluteCutoff } },
    orderBy: { lastSeenAt: "desc" },
    include: { user: { select: { username: true, displayName: true } } },
  });
}

export async function revokeSession(actor: CurrentUser, sessionId: string, ip: string) {
  await assertPermission(actor, "security:manage:all");
  await prisma.$transaction(async (tx) => {
    const revoked = await tx.session.updateMany({ where: { id: sessionId, revokedAt: null }, data: { revokedAt: new Date(), revokedReason: "revoked-by-admin" } });
    if (revoked.count === 0) throw new NotFoundError("Session");
    await appendAuditEvent(tx, { actorId: actor.id, actorName: actor.username, action: "session.revoke", entityType: "Session", entityId: sessionId, ip, details: {} });
  });
}

export async function listLockouts(actor: CurrentUser) {
  await assertPermission(actor, "security:manage:all");
  const [lockedUsers, recentFailures] = await Promise.all([
    prisma.user.findMany({ where: { lockedUntil: { gt: new Date() } }, select: { id: true, username: true, displayName: true, lockedUntil: true } }),
    prisma.loginAttempt.groupBy({
      by: ["ip"],
      where: { success: false, at: { gte: new Date(Date.now() - 15 * 60_000) } },
      _count: { _all: true },
      orderBy: { _count: { ip: "desc" } },
      take: 20,
    }),
  ]);
  return { lockedUsers, recentFailures: recentFailures.map((r) => ({ ip: r.ip, failures: r._count._all })) };
}

export async function unlockUser(actor: CurrentUser, userId: string, ip: string) {
  await assertPermission(actor, "security:manage:all");
  await prisma.$transaction(async (tx) => {
    const updated = await tx.user.updateMany({ where: { id: userId }, data: { lockedUntil: null, failedLoginCount: 0 } });
    if (updated.count === 0) throw new NotFoundError("User");
    await appendAuditEvent(tx, { actorId: actor.id, actorName: actor.username, action: "user.unlock", entityType: "User", entityId: userId, ip, details: {} });
  });
}

export async function readSecuritySettings(actor: CurrentUser) {
  await assertPermission(actor, "security:manage:all");
  // Fresh, not the remembered copy: the form sends back its version.
  return loadSecuritySettings();
}

export async function updateSecuritySettings(
  actor: CurrentUser,
  input: Omit<Prisma.SecuritySettingsUncheckedCreateInput, "id" | "updatedAt"> & { version: number },
  ip: string,
) {
  await assertPermission(actor, "security:manage:all");
  const { version, ...values } = input;
  await prisma.$transaction(async (tx) => {
    const before = await tx.securitySettings.findUniqueOrThrow({ where: { id: 1 } });
    const updated = await tx.securitySettings.updateMany({ where: { id: 1, version }, data: { ...values, version: { increment: 1 } } });
    if (updated.count === 0) throw new ConflictError("SecuritySettings");
    const { updatedAt: _u, version: _v, id: _i, ...beforeValues } = before;
    await appendAuditEvent(tx, { actorId: actor.id, actorName: actor.username, action: "security.settings.update", entityType: "SecuritySettings", entityId: "1", ip, details: { before: beforeValues, after: values } });
  });
  forgetSecuritySettings();
}

/** First run without demo data: the first account, a system administrator, when none exists. */
export async function createInitialAdmin(input: { username: string; displayName: string; password: string }, ip: string) {
  const problems = passwordProblems(input.password, await getSecuritySettings(), input.username);
  if (problems.length) throw passwordError("password", problems);
  const passwordHash = await hashPassword(input.password);
  return prisma.$transaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(7311, 2)`;
    if ((await tx.user.count()) > 0) throw new ValidationError({ _form: ["validation.setupDone"] });
    const user = await tx.user.create({
      data: { username: input.username, displayName: input.displayName, passwordHash, roles: { create: [{ role: "SYSTEM_ADMIN" }] } },
    });
    await appendAuditEvent(tx, { actorId: user.id, actorName: user.username, action: "setup.initial-admin", entityType: "User", entityId: user.id, ip, details: { username: user.username } });
    return user;
  });
}

export async function setupNeeded(): Promise<boolean> {
  return (await prisma.user.count()) === 0;
}
