// Sign-in: per-IP throttle, account lockout after repeated failures, the same answer and
// similar time for an unknown user and a wrong password, a second factor for administrators,
// and an audit event for every outcome. Creates the server-side Session row on success.
// Wrong passwords and wrong second-factor codes count towards one lockout (recordCountedFailure);
// a TOTP code is accepted once (claimTotpStep); whatever the form sent is made storable first.
import "server-only";
import { prisma } from "@/lib/db";
import type { Prisma } from "@/lib/generated/prisma/client";
import { appendAuditEvent } from "@/lib/audit/log";
import { authSecret } from "@/lib/env";
import { isAdminRole } from "./roles";
import { verifyAgainstDummy, verifyPassword } from "./password";
import { acceptedTotpStep, decryptSecret, hashRecoveryCode } from "./totp";
import { getSecuritySettings } from "./settings";

export type LoginFailure = "invalid" | "throttled" | "totpRequired" | "totpInvalid";

export type LoginResult = { ok: true; sessionId: string; userId: string; mfaPending: boolean } | { ok: false; error: LoginFailure };

export interface LoginInput {
  username: string;
  password: string;
  totp?: string;
  ip: string;
  userAgent?: string;
  now?: Date;
}

export async function attemptLogin(input: LoginInput): Promise<LoginResult> {
  const now = input.now ?? new Date();
  // PostgreSQL refuses NUL in text: what the client typed is recorded in a form it can store.
  const typed = input.username.trim();
  const username = storable(typed, 100);
  const ip = storable(input.ip, 100);
  const settings = await getSecuritySettings();
  const windowStart = new Date(now.getTime() - 15 * 60_000);

  const ipFailures = await prisma.loginAttempt.count({ where: { ip, success: false, at: { gte: windowStart } } });
  if (ipFailures >= settings.ipMaxFailuresPer15Min) {
    await verifyAgainstDummy(input.password);
    await recordFailure(username, ip, "ip-throttled", null);
    return { ok: false, error: "throttled" };
  }

  // A name no account can have (NUL, longer than stored) is looked up nowhere: an unknown user.
  const user = typed === username ? await prisma.user.findUnique({ where: { username }, include: { roles: true } }) : null;
  if (!user) {
    await verifyAgainstDummy(input.password);
    await recordFailure(username, ip, "unknown-user", null);
    return { ok: false, error: "invalid" };
  }
  const passwordOk = await verifyPassword(user.passwordHash, input.password);
  const locked = user.lockedUntil !== null && user.lockedUntil > now;
  // A system account (read API, docs/decisions/0025) has no interactive sign-in: tokens only.
  if (user.disabledAt || user.isSystemAccount || locked || !passwordOk) {
    const reason = user.disabledAt ? "disabled" : user.isSystemAccount ? "system-account" : locked ? "locked" : "wrong-password";
    if (reason === "wrong-password") await recordCountedFailure(user, ip, reason, settings, now);
    else await recordFailure(username, ip, reason, user.id);
    return { ok: false, error: "invalid" };
  }

  const admin = user.roles.some((r) => isAdminRole(r.role));
  let mfaPending = false;
  if (admin && user.totpSecret && user.totpEnabledAt) {
    const code = input.totp?.trim() ?? "";
    // The ordinary second step, not a failure: nothing is counted or recorded.
    if (!code) return { ok: false, error: "totpRequired" };
    const failure = await checkSecondFactor(user, code, now);
    if (failure) {
      await recordCountedFailure(user, ip, failure, settings, now);
      return { ok: false, error: "totpInvalid" };
    }
  } else if (admin) {
    // An administrator without a second factor may only enrol one.
    mfaPending = true;
  }

  const session = await prisma.$transaction(async (tx) => {
    await tx.user.update({ where: { id: user.id }, data: { failedLoginCount: 0, lockedUntil: null, lastLoginAt: now } });
    await tx.loginAttempt.create({ data: { username, ip, success: true } });
    const created = await tx.session.create({
      data: { userId: user.id, sessionVersion: user.sessionVersion, mfaPending, ip, userAgent: input.userAgent === undefined ? undefined : storable(input.userAgent, 300) },
    });
    await appendAuditEvent(tx, { actorId: user.id, actorName: user.username, action: "auth.login", entityType: "Session", entityId: created.id, ip, details: { mfaPending } });
    return created;
  });
  return { ok: true, sessionId: session.id, userId: user.id, mfaPending };
}

/** NUL (which PostgreSQL refuses in text) replaced by U+FFFD, cut to `max` characters. */
export function storable(text: string, max: number): string {
  return text.replaceAll("\u0000", "\uFFFD").slice(0, max);
}

/**
 * Null when `code` is the user's current TOTP code (claimed, so it cannot be used again) or an
 * unused recovery code (now used); otherwise why not.
 */
async function checkSecondFactor(user: { id: string; username: string; totpSecret: string | null }, code: string, now: Date): Promise<"totp-invalid" | "totp-replayed" | null> {
  const step = acceptedTotpStep(decryptSecret(user.totpSecret!, authSecret()), user.username, code, now);
  if (step !== null) return (await claimTotpStep(prisma, user.id, step)) ? null : "totp-replayed";
  const recovery = await prisma.recoveryCode.findFirst({ where: { userId: user.id, usedAt: null, codeHash: hashRecoveryCode(code) } });
  if (!recovery) return "totp-invalid";
  const used = await prisma.recoveryCode.updateMany({ where: { id: recovery.id, usedAt: null }, data: { usedAt: now } });
  return used.count === 1 ? null : "totp-invalid";
}

/**
 * Records `step` as the user's last accepted TOTP time step, only if it is later than the one
 * recorded: one conditional UPDATE, so of two requests with the same code exactly one wins.
 * `where` narrows it further (enrolment: only while not yet enabled).
 */
export async function claimTotpStep(
  db: Pick<Prisma.TransactionClient, "user">,
  userId: string,
  step: number,
  extra: { where?: Prisma.UserWhereInput; data?: Prisma.UserUpdateManyMutationInput } = {},
): Promise<boolean> {
  const claimed = await db.user.updateMany({
    where: { ...extra.where, id: userId, OR: [{ totpLastStep: null }, { totpLastStep: { lt: step } }] },
    data: { ...extra.data, totpLastStep: step },
  });
  return claimed.count === 1;
}

/**
 * A failure that counts towards the account lockout (a wrong password, a wrong or reused second
 * factor): the count rises in the database (concurrent failures all count), the account locks for
 * lockoutMinutes at maxFailedLogins, and the attempt and its audit events are written with it.
 */
async function recordCountedFailure(
  user: { id: string; username: string },
  ip: string,
  reason: "wrong-password" | "totp-invalid" | "totp-replayed",
  settings: { maxFailedLogins: number; lockoutMinutes: number },
  now: Date,
): Promise<void> {
  await prisma.$transaction(async (tx) => {
    const { failedLoginCount: failures } = await tx.user.update({ where: { id: user.id }, data: { failedLoginCount: { increment: 1 } }, select: { failedLoginCount: true } });
    const lockNow = failures >= settings.maxFailedLogins;
    if (lockNow) await tx.user.update({ where: { id: user.id }, data: { failedLoginCount: 0, lockedUntil: new Date(now.getTime() + settings.lockoutMinutes * 60_000) } });
    await tx.loginAttempt.create({ data: { username: user.username, ip, success: false, reason } });
    await appendAuditEvent(tx, { actorId: user.id, actorName: user.username, action: "auth.login.failed", entityType: "User", entityId: user.id, ip, details: { reason, failures } });
    if (lockNow) {
      await appendAuditEvent(tx, { actorId: user.id, actorName: user.username, action: "auth.lockout", entityType: "User", entityId: user.id, ip, details: { minutes: settings.lockoutMinutes } });
    }
  });
}

/** A failure that does not count towards a lockout (unknown user, disabled, locked, throttled). */
async function recordFailure(username: string, ip: string, reason: string, userId: string | null): Promise<void> {
  await prisma.$transaction(async (tx) => {
    await tx.loginAttempt.create({ data: { username, ip, success: false, reason } });
    await appendAuditEvent(tx, { actorId: userId, actorName: username, action: "auth.login.failed", entityType: userId ? "User" : null, entityId: userId, ip, details: { reason } });
  });
}

/**
 * Where a successful password step should land: an administrator without a second factor may only
 * enrol one, so they go straight to /account/mfa instead of through "/" (which showed blank for
 * about 0.5 s before redirecting, issue 19). Only read after the credentials were accepted.
 */
export async function mustEnrolSecondFactor(typedUsername: string): Promise<boolean> {
  const username = typedUsername.trim();
  if (!username) return false;
  const user = await prisma.user.findUnique({ where: { username }, select: { totpSecret: true, totpEnabledAt: true, roles: { select: { role: true } } } });
  return !!user && user.roles.some((r) => isAdminRole(r.role)) && !(user.totpSecret && user.totpEnabledAt);
}
