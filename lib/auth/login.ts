// Sign-in: per-IP throttle, account lockout after repeated failures, the same answer and
// similar time for an unknown user and a wrong password, a second factor for administrators,
// and an audit event for every outcome. Creates the server-side Session row on success.
import "server-only";
import { prisma } from "@/lib/db";
import { appendAuditEvent } from "@/lib/audit/log";
import { authSecret } from "@/lib/env";
import { isAdminRole } from "./roles";
import { verifyAgainstDummy, verifyPassword } from "./password";
import { decryptSecret, hashRecoveryCode, verifyTotp } from "./totp";
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
  const username = input.username.trim();
  const settings = await getSecuritySettings();
  const windowStart = new Date(now.getTime() - 15 * 60_000);

  const ipFailures = await prisma.loginAttempt.count({ where: { ip: input.ip, success: false, at: { gte: windowStart } } });
  if (ipFailures >= settings.ipMaxFailuresPer15Min) {
    await verifyAgainstDummy(input.password);
    await recordFailure(username, input.ip, "ip-throttled", null);
    return { ok: false, error: "throttled" };
  }

  const user = await prisma.user.findUnique({ where: { username }, include: { roles: true } });
  if (!user) {
    await verifyAgainstDummy(input.password);
    await recordFailure(username, input.ip, "unknown-user", null);
    return { ok: false, error: "invalid" };
  }
  const passwordOk = await verifyPassword(user.passwordHash, input.password);
  const locked = user.lockedUntil !== null && user.lockedUntil > now;
  if (user.disabledAt || locked || !passwordOk) {
    const reason = user.disabledAt ? "disabled" : locked ? "locked" : "wrong-password";
    if (reason === "wrong-password") {
      const failures = user.failedLoginCount + 1;
      const lockNow = failures >= settings.maxFailedLogins;
      await prisma.$transaction(async (tx) => {
        await tx.user.update({
          where: { id: user.id },
          data: { failedLoginCount: lockNow ? 0 : failures, lockedUntil: lockNow ? new Date(now.getTime() + settings.lockoutMinutes * 60_000) : undefined },
        });
        await tx.loginAttempt.create({ data: { username, ip: input.ip, success: false, reason } });
        await appendAuditEvent(tx, { actorId: user.id, actorName: user.username, action: "auth.login.failed", entityType: "User", entityId: user.id, ip: input.ip, details: { reason, failures } });
        if (lockNow) {
          await appendAuditEvent(tx, { actorId: user.id, actorName: user.username, action: "auth.lockout", entityType: "User", entityId: user.id, ip: input.ip, details: { minutes: settings.lockoutMinutes } });
        }
      });
    } else {
      await recordFailure(username, input.ip, reason, user.id);
    }
    return { ok: false, error: "invalid" };
  }

  const admin = user.roles.some((r) => isAdminRole(r.role));
  let mfaPending = false;
  if (admin && user.totpSecret && user.totpEnabledAt) {
    const code = input.totp?.trim() ?? "";
    if (!code) return { ok: false, error: "totpRequired" };
    const secret = decryptSecret(user.totpSecret, authSecret());
    let accepted = verifyTotp(secret, user.username, code);
    if (!accepted) {
      const recovery = await prisma.recoveryCode.findFirst({ where: { userId: user.id, usedAt: null, codeHash: hashRecoveryCode(code) } });
      if (recovery) {
        const used = await prisma.recoveryCode.updateMany({ where: { id: recovery.id, usedAt: null }, data: { usedAt: now } });
        accepted = used.count === 1;
      }
    }
    if (!accepted) {
      await recordFailure(username, input.ip, "totp-invalid", user.id);
      return { ok: false, error: "totpInvalid" };
    }
  } else if (admin) {
    // An administrator without a second factor may only enrol one.
    mfaPending = true;
  }

  const session = await prisma.$transaction(async (tx) => {
    await tx.user.update({ where: { id: user.id }, data: { failedLoginCount: 0, lockedUntil: null, lastLoginAt: now } });
    await tx.loginAttempt.create({ data: { username, ip: input.ip, success: true } });
    const created = await tx.session.create({
      data: { userId: user.id, sessionVersion: user.sessionVersion, mfaPending, ip: input.ip, userAgent: input.userAgent?.slice(0, 300) },
    });
    await appendAuditEvent(tx, { actorId: user.id, actorName: user.username, action: "auth.login", entityType: "Session", entityId: created.id, ip: input.ip, details: { mfaPending } });
    return created;
  });
  return { ok: true, sessionId: session.id, userId: user.id, mfaPending };
}

async function recordFailure(username: string, ip: string, reason: string, userId: string | null): Promise<void> {
  await prisma.$transaction(async (tx) => {
    await tx.loginAttempt.create({ data: { username: username.slice(0, 100), ip, success: false, reason } });
    await appendAuditEvent(tx, { actorId: userId, actorName: username.slice(0, 100), action: "auth.login.failed", entityType: userId ? "User" : null, entityId: userId, ip, details: { reason } });
  });
}
