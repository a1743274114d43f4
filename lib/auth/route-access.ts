// The authorization matrix: every page, route handler and server action, and who may use it.
// It is executed, not only tested: pages enforce their row through requireRoute(), route handlers
// through withRoute() (lib/http/route.ts), server actions through runAction()/authorizeAction()
// (lib/action.ts), and the proxy reads the public rows. lib/data functions check again for
// themselves. tests/unit/route-access.test.ts fails when a route or action exists that is not
// listed here or does not go through its wrapper; tests/integration/access-matrix.test.ts calls
// every handler and action as a user with and without its row; e2e/authorization.spec.ts checks
// every role against every page on the real server. Edge-safe: the proxy imports this file.
import type { Permission } from "./permissions";
import { IMPORT_FILES, READ_NOTICES, READ_PROJECTS, READ_RETURNS, permissionsFor } from "./permissions";
import type { Role } from "./roles";

/**
 * public: anyone; session: any signed-in user, even one who still owes a second factor or a
 * password change (the account pages where they settle it); signed-in: any user past those
 * steps; otherwise any one of the permissions.
 */
export type Access = "public" | "session" | "signed-in" | readonly Permission[];


export const PAGE_ACCESS = {
  "/": "signed-in",
  "/login": "public",
  "/setup": "public",
  "/account": "session",
  "/account/mfa": "session",
  "/projects": READ_PROJECTS,
  "/projects/[id]": READ_PROJECTS,
  "/projects/[id]/edit": ["project:update:own-org"],
  "/projects/[id]/returns/[period]": READ_RETURNS,
  "/projects/[id]/figures": READ_PROJECTS,
  "/returns": READ_RETURNS,
  "/my-work": ["return:read:own-org"],
  "/import": IMPORT_FILES,
  "/notifications": READ_RETURNS,
  "/plan": ["plan:read:all"],
  "/indicators": ["indicator:read:all"],
  "/dashboard": ["portfolio:read:all"],
  "/delays": ["portfolio:read:all"],
  "/notices": READ_NOTICES,
  "/report": ["portfolio:read:all"],
  "/evaluation": ["portfolio:read:all"],
  "/audit": ["audit:read:all"],
  "/reconciliation": ["reconciliation:read:all"],
  "/admin/users": ["user:manage:all"],
  "/admin/users/[id]": ["user:manage:all"],
  "/admin/organizations": ["organization:manage:all"],
  "/admin/security": ["security:manage:all"],
  "/admin/system": ["system:read:all"],
} as const satisfies Record<string, Access>;

export type PagePath = keyof typeof PAGE_ACCESS;

export const ROUTE_HANDLER_ACCESS = {
  "/api/health": "public",
  "/api/auth/[...nextauth]": "public",
  "/api/projects/export": READ_PROJECTS,
  // Evidence files of monthly returns: readable by whoever may read the project's returns.
  "/api/attachments/[id]": READ_RETURNS,
  "/api/oc4ids": READ_PROJECTS,
  "/api/import/template": IMPORT_FILES,
  "/api/audit/export": ["audit:export:all"],
  "/api/report": ["portfolio:read:all"],
  "/api/evaluation": ["portfolio:read:all"],
} as const satisfies Record<string, Access>;

export type RouteHandlerPath = keyof typeof ROUTE_HANDLER_ACCESS;

/** Server actions as "file#export". Public ones guard themselves (login throttle, setup once). */
export const ACTION_ACCESS = {
  "app/actions/locale.ts#switchLocale": "public",
  "app/actions/session.ts#signOutAction": "session",
  "app/(auth)/login/actions.ts#loginAction": "public",
  "app/(auth)/login/actions.ts#ssoSignInAction": "public",
  "app/(auth)/setup/actions.ts#setupAction": "public",
  "app/(app)/account/actions.ts#changePasswordAction": ["account:update:self"],
  "app/(app)/account/actions.ts#confirmTotpAction": ["account:update:self"],
  "app/(app)/admin/users/actions.ts#createUserAction": ["user:manage:all"],
  "app/(app)/admin/users/actions.ts#updateUserAction": ["user:manage:all"],
  "app/(app)/admin/users/actions.ts#resetPasswordAction": ["user:manage:all"],
  "app/(app)/admin/users/actions.ts#disableUserAction": ["user:manage:all"],
  "app/(app)/admin/users/actions.ts#enableUserAction": ["user:manage:all"],
  "app/(app)/admin/organizations/actions.ts#saveOrganizationAction": ["organization:manage:all"],
  "app/(app)/admin/security/actions.ts#updateSecuritySettingsAction": ["security:manage:all"],
  "app/(app)/admin/security/actions.ts#unlockUserAction": ["security:manage:all"],
  "app/(app)/admin/security/actions.ts#revokeSessionAction": ["security:manage:all"],
  "app/(app)/audit/actions.ts#createCheckpointAction": ["audit:checkpoint:all"],
  "app/(app)/audit/actions.ts#verifyAuditLogAction": ["audit:read:all"],
  "app/(app)/projects/[id]/edit/actions.ts#updateProjectRegistryAction": ["project:update:own-org"],
  "app/(app)/projects/[id]/county/actions.ts#settleCountyAction": ["return:approve:county"],
  "app/(app)/projects/[id]/returns/[period]/actions.ts#saveReturnAction": ["return:submit:own-org"],
  "app/(app)/projects/[id]/returns/[period]/actions.ts#reviewReturnAction": ["return:approve:county"],
  "app/(app)/projects/[id]/returns/[period]/actions.ts#requestCorrectionAction": ["return:submit:own-org"],
  "app/(app)/projects/[id]/returns/[period]/actions.ts#decideCorrectionAction": ["return:approve:county"],
  "app/(app)/notifications/actions.ts#markAllReadAction": READ_RETURNS,
  "app/(app)/projects/actions.ts#saveColumnsAction": READ_PROJECTS,
  "app/(app)/projects/actions.ts#saveViewAction": READ_PROJECTS,
  "app/(app)/projects/actions.ts#deleteViewAction": READ_PROJECTS,
  "app/(app)/delays/actions.ts#sendNoticeAction": ["notice:send:all"],
  "app/(app)/notices/actions.ts#answerNoticeAction": ["notice:respond:own-org"],
  "app/(app)/notices/actions.ts#closeNoticeAction": ["notice:send:all"],
  "app/(app)/indicators/actions.ts#saveIndicatorValueAction": ["indicator:update:all"],
  "app/(app)/import/actions.ts#previewImportAction": IMPORT_FILES,
  "app/(app)/import/actions.ts#confirmImportAction": IMPORT_FILES,
  "app/(app)/import/actions.ts#discardImportAction": IMPORT_FILES,
} as const satisfies Record<string, Access>;

export type ActionKey = keyof typeof ACTION_ACCESS;

/**
 * The paths anyone may open, read by the proxy (lib/auth/auth.config.ts): the public rows of the
 * page and route-handler tables. Each covers its sub-paths, so a trailing catch-all segment
 * ("/api/auth/[...nextauth]") becomes its parent ("/api/auth").
 */
export const PUBLIC_PATHS: readonly string[] = [...Object.entries(PAGE_ACCESS), ...Object.entries(ROUTE_HANDLER_ACCESS)]
  .filter(([, access]) => access === "public")
  .map(([path]) => path.replace(/\/\[\.\.\.[^\]]+\]$/, ""));

/** What one row of the matrix says about one caller: let through, ask to sign in, or refuse. */
export type AccessDecision = "allow" | "sign-in" | "deny";

/**
 * The rule every wrapper applies (withRoute, runAction/authorizeAction). A session still owing its
 * second factor passes "session" and only the permissions it holds (its own account, for the
 * enrolment form); anything else asks it to finish signing in. Only "deny" is audited.
 */
export function accessDecision(access: Access, user: { permissions: ReadonlySet<Permission>; mfaPending: boolean } | null): AccessDecision {
  if (access === "public") return "allow";
  if (!user) return "sign-in";
  if (access === "session") return "allow";
  if (access === "signed-in") return user.mfaPending ? "sign-in" : "allow";
  if (access.some((p) => user.permissions.has(p))) return "allow";
  return user.mfaPending ? "sign-in" : "deny";
}

/** Whether a signed-in user may open a page (for navigation; the page checks again itself). */
export function userMayOpen(user: { permissions: ReadonlySet<Permission>; mfaPending: boolean }, path: PagePath): boolean {
  const access: Access = PAGE_ACCESS[path];
  if (access === "public" || access === "session") return true;
  if (user.mfaPending) return false;
  return access === "signed-in" || access.some((p) => user.permissions.has(p));
}

/** The main navigation, in order; shown to a user only where userMayOpen allows. */
export const NAV_ITEMS: { href: PagePath; label: string }[] = [
  { href: "/dashboard", label: "nav.dashboard" },
  { href: "/delays", label: "nav.delays" },
  { href: "/report", label: "nav.report" },
  { href: "/evaluation", label: "nav.evaluation" },
  { href: "/my-work", label: "nav.myWork" },
  { href: "/notices", label: "nav.notices" },
  { href: "/projects", label: "nav.projects" },
  { href: "/returns", label: "nav.returns" },
  { href: "/import", label: "nav.import" },
  { href: "/plan", label: "nav.plan" },
  { href: "/indicators", label: "nav.indicators" },
  { href: "/audit", label: "nav.audit" },
  { href: "/reconciliation", label: "nav.reconciliation" },
  { href: "/admin/users", label: "nav.users" },
  { href: "/admin/organizations", label: "nav.organizations" },
  { href: "/admin/security", label: "nav.security" },
  { href: "/admin/system", label: "nav.system" },
];

/**
 * Where "/" sends a user: the first page here whose permission the user holds. The leadership
 * group, who act on the portfolio (send 督办), land on the dashboard; everyone else on the home page.
 */
export const LANDING_PAGES: { path: PagePath; permission: Permission }[] = [{ path: "/dashboard", permission: "notice:send:all" }];

export function roleMayUse(roles: readonly Role[], access: Access): boolean {
  if (access === "public") return true;
  if (access === "session" || access === "signed-in") return roles.length > 0;
  const granted = permissionsFor(roles);
  return access.some((p) => granted.has(p));
}
