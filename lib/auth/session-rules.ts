// When a signed-in session ends: pure rules, checked on every request by lib/auth/session.ts.

export type SessionEndReason = "revoked" | "idle" | "expired" | "disabled" | "changed";

/** Why the session is over, or null while it may continue. */
export function sessionEndReason(
  session: { revokedAt: Date | null; createdAt: Date; lastSeenAt: Date; sessionVersion: number },
  user: { disabledAt: Date | null; sessionVersion: number },
  settings: { idleTimeoutMinutes: number; absoluteTimeoutHours: number },
  now: Date,
): SessionEndReason | null {
  if (session.revokedAt) return "revoked";
  if (user.disabledAt) return "disabled";
  if (user.sessionVersion !== session.sessionVersion) return "changed";
  if (now.getTime() - session.createdAt.getTime() > settings.absoluteTimeoutHours * 3_600_000) return "expired";
  if (now.getTime() - session.lastSeenAt.getTime() > settings.idleTimeoutMinutes * 60_000) return "idle";
  return null;
}
