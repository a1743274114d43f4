// Permissions are data: `action:entity:scope` strings granted to roles in ONE table, read through
// can()/requirePermission(). Scopes: all | county (the reviewer's county) | own-org (the user's
// organization) | self. lib/data/* checks these and scopes its queries accordingly.
import type { Role } from "./roles";

export const PERMISSIONS = [
  "plan:read:all",
  "indicator:read:all",
  "indicator:update:all",
  "portfolio:read:all",
  "project:read:all",
  "project:read:county",
  "project:read:own-org",
  "project:update:own-org",
  "project:rate:all",
  /** Accept or refuse a new project an owner unit added (待审核) for the project's review office (docs/decisions/0031). */
  "project:accept:county",
  /** …and for the city's review office (市发改委), whichever county the project lies in (docs/decisions/0031). */
  "project:accept:city",
  "return:read:all",
  "return:read:county",
  "return:read:own-org",
  "return:submit:own-org",
  "return:approve:county",
  /** 项目调整申请: the owner unit proposes new baseline values for its project (docs/decisions/0030). */
  "baseline:propose:own-org",
  /** The city's review office (市发改委) approves or refuses baseline changes. */
  "baseline:approve:city",
  "notice:read:all",
  "notice:read:own-org",
  "notice:send:all",
  "notice:respond:own-org",
  "audit:read:all",
  "audit:export:all",
  /** 三员分立: the audit administrator reads and exports the administrative and security events only (ADMINISTRATIVE_AUDIT_ACTIONS). */
  "audit:read:admin",
  "audit:export:admin",
  "reconciliation:read:all",
  /** Take a signed checkpoint of the audit chain (a write: the audit administrator only). */
  "audit:checkpoint:all",
  "user:manage:all",
  "organization:manage:all",
  "security:manage:all",
  "system:read:all",
  "account:update:self",
] as const;

export type Permission = (typeof PERMISSIONS)[number];

/** Reading projects at any scope (all / county / own organization). */
export const READ_PROJECTS = ["project:read:all", "project:read:county", "project:read:own-org"] as const satisfies readonly Permission[];

/** Reading 督办 notices: all of them, or those sent to the user's organization. */
export const READ_NOTICES = ["notice:read:all", "notice:read:own-org"] as const satisfies readonly Permission[];

/** Reading monthly returns at any scope. */
export const READ_RETURNS = ["return:read:all", "return:read:county", "return:read:own-org"] as const satisfies readonly Permission[];

/** What the read API (/api/v1) serves; an API token carries a subset of these its owner holds (ADR 0025). */
export const READ_API = [...READ_PROJECTS, ...READ_RETURNS, "portfolio:read:all", "indicator:read:all"] as const satisfies readonly Permission[];

/** Reading the audit log: all of it (auditors), or its administrative and security events (the audit administrator). */
export const READ_AUDIT = ["audit:read:all", "audit:read:admin"] as const satisfies readonly Permission[];
export const EXPORT_AUDIT = ["audit:export:all", "audit:export:admin"] as const satisfies readonly Permission[];

/** Bulk import from Excel/CSV: owner units (registry and returns) and reviewers (returns). */
export const IMPORT_FILES = ["project:update:own-org", "return:submit:own-org", "return:approve:county"] as const satisfies readonly Permission[];

const BUSINESS_READ: Permission[] = ["plan:read:all", "indicator:read:all", "account:update:self"];

/** The one role → permissions table. */
export const ROLE_PERMISSIONS: Record<Role, readonly Permission[]> = {
  OWNER_EDITOR: [...BUSINESS_READ, "project:read:own-org", "project:update:own-org", "return:read:own-org", "return:submit:own-org", "notice:read:own-org", "notice:respond:own-org", "baseline:propose:own-org"],
  OWNER_VIEWER: [...BUSINESS_READ, "project:read:own-org", "return:read:own-org", "notice:read:own-org"],
  COUNTY_REVIEWER: [...BUSINESS_READ, "project:read:county", "return:read:county", "return:approve:county", "baseline:approve:city", "project:accept:county", "project:accept:city"],
  // The leadership office (领导小组办公室) also keeps the 36 indicators' annual values (统计指标体系).
  LEADERSHIP: [...BUSINESS_READ, "project:read:all", "project:rate:all", "return:read:all", "portfolio:read:all", "notice:read:all", "notice:send:all", "indicator:update:all", "reconciliation:read:all"],
  AUDITOR: [...BUSINESS_READ, "project:read:all", "return:read:all", "portfolio:read:all", "notice:read:all", "audit:read:all", "audit:export:all", "reconciliation:read:all"],
  // 三员分立: administrators see no business data.
  SYSTEM_ADMIN: ["user:manage:all", "organization:manage:all", "system:read:all", "account:update:self"],
  SECURITY_ADMIN: ["security:manage:all", "system:read:all", "account:update:self"],
  // The audit administrator audits the administrators and security events, not business content (docs/decisions/0005).
  AUDIT_ADMIN: ["audit:read:admin", "audit:export:admin", "audit:checkpoint:all", "account:update:self"],
};

export function permissionsFor(roles: readonly Role[]): Set<Permission> {
  return new Set(roles.flatMap((role) => ROLE_PERMISSIONS[role]));
}

export interface HasPermissions {
  permissions: ReadonlySet<Permission>;
}

export function can(user: HasPermissions | null | undefined, permission: Permission): boolean {
  return !!user && user.permissions.has(permission);
}

/** True when the user holds the action on the entity at any of the given scopes. */
export function canAny(user: HasPermissions | null | undefined, permissions: readonly Permission[]): boolean {
  return permissions.some((p) => can(user, p));
}

export class ForbiddenError extends Error {
  constructor(public readonly permission: string) {
    super(`permission denied: ${permission}`);
    this.name = "ForbiddenError";
  }
}

export class NotFoundError extends Error {
  constructor(public readonly entity: string) {
    super(`${entity} not found`);
    this.name = "NotFoundError";
  }
}
