// The roles, which of them are administrator roles (三员分立), and the rule that an
// administrator role stands alone. The database enforces the same rule with a trigger.
import type { Role } from "@/lib/generated/prisma/enums";

export const ROLES = [
  "OWNER_EDITOR",
  "OWNER_VIEWER",
  "COUNTY_REVIEWER",
  "LEADERSHIP",
  "AUDITOR",
  "SYSTEM_ADMIN",
  "SECURITY_ADMIN",
  "AUDIT_ADMIN",
] as const satisfies readonly Role[];

export const ADMIN_ROLES: readonly Role[] = ["SYSTEM_ADMIN", "SECURITY_ADMIN", "AUDIT_ADMIN"];

export function isAdminRole(role: Role): boolean {
  return ADMIN_ROLES.includes(role);
}

/** null when the set is allowed, else the reason (a message key under `admin.roleErrors`). */
export function roleSetProblem(roles: readonly Role[]): "empty" | "adminNotAlone" | null {
  if (roles.length === 0) return "empty";
  if (roles.some(isAdminRole) && roles.length > 1) return "adminNotAlone";
  return null;
}

export type { Role };
