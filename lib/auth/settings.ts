// The security settings row (password policy, lockout, throttle, session limits).
// Every signed-in request reads it (lib/auth/session.ts checks the session limits), so it is kept
// in memory: changed through updateSecuritySettings it is forgotten at once in this process, and
// another instance (docs/decisions/0023) or a change made behind the app shows within
// SETTINGS_TTL_MS (docs/decisions/0036-page-weight.md).
import "server-only";
import { prisma } from "@/lib/db";
import type { SecuritySettings } from "@/lib/generated/prisma/client";

export const SETTINGS_TTL_MS = 5_000;

let remembered: { settings: Promise<SecuritySettings>; until: number } | null = null;

/** The row as stored now (made with the defaults on first use): for the form that edits it. */
export async function loadSecuritySettings(): Promise<SecuritySettings> {
  return (await prisma.securitySettings.findUnique({ where: { id: 1 } })) ?? prisma.securitySettings.upsert({ where: { id: 1 }, create: { id: 1 }, update: {} });
}

/** The settings, at most SETTINGS_TTL_MS old (at once after a change through this process). */
export function getSecuritySettings(now = Date.now()): Promise<SecuritySettings> {
  if (remembered && now < remembered.until) return remembered.settings;
  const settings = loadSecuritySettings();
  remembered = { settings, until: now + SETTINGS_TTL_MS };
  // A failed read is not remembered: the next request asks the database again.
  settings.catch(() => {
    if (remembered?.settings === settings) remembered = null;
  });
  return settings;
}

/** Called once a change of the settings has committed. */
export function forgetSecuritySettings(): void {
  remembered = null;
}
