// The signed-in user's own account: second-factor status and enrolment, and signing out.
import "server-only";
import { prisma } from "@/lib/db";
import { appendAuditEvent } from "@/lib/audit/log";
import { authSecret } from "@/lib/env";
import { assertPermission, type CurrentUser } from "@/lib/auth/session";
import { claimTotpStep } from "@/lib/auth/login";
import { acceptedTotpStep, decryptSecret, encryptSecret, hashRecoveryCode, newRecoveryCodes, newTotpSecret, totpQrDataUrl } from "@/lib/auth/totp";
import { ValidationError } from "./users";

/**
 * When the signed-in user turned on the second factor (null: not enrolled). Any signed-in user
 * may read this about their own account, so no permission beyond the session is checked.
 */
export async function getTotpEnabledAt(actor: CurrentUser): Promise<Date | null> {
  const user = await prisma.user.findUniqueOrThrow({ where: { id: actor.id }, select: { totpEnabledAt: true } });
  return user.totpEnabledAt;
}

/** Starts (or restarts) enrolment: a new secret is stored, not yet active. */
export async function startTotpEnrolment(actor: CurrentUser): Promise<{ secret: string; qrDataUrl: string }> {
  await assertPermission(actor, "account:update:self");
  const user = await prisma.user.findUniqueOrThrow({ where: { id: actor.id } });
  if (user.totpEnabledAt && !actor.mfaPending) throw new ValidationError({ _form: ["validation.totpAlreadyEnabled"] });
  if (!user.totpSecret) {
    // Only one pending secret may win when two renders race (e.g. a prefetch and the page).
    await prisma.user.updateMany({
      where: { id: actor.id, totpSecret: null },
      data: { totpSecret: encryptSecret(newTotpSecret(), authSecret()) },
    });
  }
  const stored = await prisma.user.findUniqueOrThrow({ where: { id: actor.id }, select: { totpSecret: true } });
  const secret = decryptSecret(stored.totpSecret!, authSecret());
  return { secret, qrDataUrl: await totpQrDataUrl(secret, actor.username) };
}

/** Confirms enrolment with a code from the app; returns the recovery codes, shown once. */
export async function confirmTotpEnrolment(actor: CurrentUser, code: string, ip: string): Promise<string[]> {
  await assertPermission(actor, "account:update:self");
  const user = await prisma.user.findUniqueOrThrow({ where: { id: actor.id } });
  if (!user.totpSecret || user.totpEnabledAt) throw new ValidationError({ _form: ["validation.totpNotStarted"] });
  const step = acceptedTotpStep(decryptSecret(user.totpSecret, authSecret()), user.username, code);
  if (step === null) throw new ValidationError({ code: ["validation.totpInvalid"] });
  const codes = newRecoveryCodes();
  await prisma.$transaction(async (tx) => {
    // The confirming code is used up like a sign-in code (it cannot sign in again), and of two
    // confirmations racing with the same secret only one enables.
    const enabled = await claimTotpStep(tx, actor.id, step, { where: { totpEnabledAt: null, totpSecret: user.totpSecret }, data: { totpEnabledAt: new Date() } });
    if (!enabled) throw new ValidationError({ code: ["validation.totpInvalid"] });
    await tx.recoveryCode.deleteMany({ where: { userId: actor.id } });
    await tx.recoveryCode.createMany({ data: codes.map((c) => ({ userId: actor.id, codeHash: hashRecoveryCode(c) })) });
    await tx.session.update({ where: { id: actor.sessionId }, data: { mfaPending: false } });
    await appendAuditEvent(tx, { actorId: actor.id, actorName: actor.username, action: "account.totp.enable", entityType: "User", entityId: actor.id, ip, details: {} });
  });
  return codes;
}

export async function endSession(actor: CurrentUser, ip: string): Promise<void> {
  await prisma.$transaction(async (tx) => {
    await tx.session.updateMany({ where: { id: actor.sessionId, revokedAt: null }, data: { revokedAt: new Date(), revokedReason: "sign-out" } });
    await appendAuditEvent(tx, { actorId: actor.id, actorName: actor.username, action: "auth.logout", entityType: "Session", entityId: actor.sessionId, ip, details: {} });
  });
}
