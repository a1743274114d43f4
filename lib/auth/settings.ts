// The security settings row (password policy, lockout, throttle, session limits).
import "server-only";
import { prisma } from "@/lib/db";

export async function getSecuritySettings() {
  return prisma.securitySettings.upsert({ where: { id: 1 }, create: { id: 1 }, update: {} });
}
