// The authorization matrix: every page, route handler and server action, and who may use it.
// It is executed, not only tested: pages enforce their row through requireRoute(), route handlers
// through withRoute() (lib/http/route.ts), server actions through runAction()/authorizeAction()
// (lib/action.ts), and the proxy reads the public rows. lib/data functions check again for
// themselves. tests/unit/route-access.test.ts fails when a route or action exists that is not
// listed here or does not go through its wrapper; tests/integration/access-matrix.test.ts calls
// every handler and action as a user with and without its row; e2e/authorization.spec.ts checks
// every role against every page on the real server. Edge-safe: the proxy imports this file.
import type { Permission } from "./permissions";
import { EXPORT_AUDIT, IMPORT_FILES, READ_API, READ_AUDIT, READ_NOTICES, READ_PROJECTS, READ_RETURNS, canAny, permissionsFor } from "./permissions";
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
  // API tokens for oneself: whoever holds a permission the read API serves (ADR 0025).
  "/account/tokens": READ_API,
  // The read API's reference, rendered from the document /api/v1/openapi.json serves (same row).
  "/api-reference": "signed-in",
  "/projects": READ_PROJECTS,
  "/projects/[id]": READ_PROJECTS,
  "/projects/[id]/edit": ["project:update:own-org"],
  "/projects/[id]/returns/[period]": READ_RETURNS,
  "/projects/[id]/figures": READ_PROJECTS,
  "/returns": READ_RETURNS,
  // Reviewers who type it are sent to their queue (/returns), oldest first with days waiting.
  "/my-work": ["return:read:own-org", "return:approve:county"],
  "/import": IMPORT_FILES,
  "/notifications": READ_RETURNS,
  "/plan": ["plan:read:all"],
  "/indicators": ["indicator:read:all"],
  "/dashboard": ["portfolio:read:all"],
  "/delays": ["portfolio:read:all"],
  "/notices": READ_NOTICES,
  "/report": ["portfolio:read:all"],
  "/evaluation": ["portfolio:read:all"],
  "/audit": READ_AUDIT,
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
  // The project table's filter choices, fetched once the table is interactive (docs/decisions/0038 §10).
  "/api/projects/filter-options": READ_PROJECTS,
  // Evidence files of monthly returns: readable by whoever may read the project's returns.
  "/api/attachments/[id]": READ_RETURNS,
  "/api/oc4ids": READ_PROJECTS,
  "/api/import/template": IMPORT_FILES,
  // The error workbook of the caller's own refused upload (lib/imports/batches.ts checks the uploader).
  "/api/import/errors/[id]": IMPORT_FILES,
  "/api/audit/export": EXPORT_AUDIT,
  "/api/report": ["portfolio:read:all"],
  "/api/evaluation": ["portfolio:read:all"],
  "/api/reconciliation/export": ["reconciliation:read:all"],
  // The read API (docs/decisions/0025-read-api.md): a session or a bearer token (lib/http/route.ts).
  "/api/v1/openapi.json": "signed-in",
  "/api/v1/projects": READ_PROJECTS,
  "/api/v1/projects/[id]": READ_PROJECTS,
  "/api/v1/projects/[id]/returns": READ_RETURNS,
  "/api/v1/portfolio": ["portfolio:read:all"],
  "/api/v1/indicators": ["indicator:read:all"],
  // As the /delays page.
  "/api/v1/lights": ["portfolio:read:all"],
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
  "app/(app)/account/tokens/actions.ts#createApiTokenAction": READ_API,
  "app/(app)/account/tokens/actions.ts#revokeApiTokenAction": READ_API,
  "app/(app)/admin/users/actions.ts#createUserAction": ["user:manage:all"],
  "app/(app)/admin/users/actions.ts#updateUserAction": ["user:manage:all"],
  "app/(app)/admin/users/actions.ts#resetPasswordAction": ["user:manage:all"],
  "app/(app)/admin/users/actions.ts#disableUserAction": ["user:manage:all"],
  "app/(app)/admin/users/actions.ts#enableUserAction": ["user:manage:all"],
  "app/(app)/admin/organizations/actions.ts#saveOrganizationAction": ["organization:manage:all"],
  "app/(app)/admin/security/actions.ts#updateSecuritySettingsAction": ["security:manage:all"],
  "app/(app)/admin/security/actions.ts#unlockUserAction": ["security:manage:all"],
  "app/(app)/admin/security/actions.ts#revokeSessionAction": ["security:manage:all"],
  "app/(app)/admin/security/actions.ts#createSystemApiTokenAction": ["security:manage:all"],
  "app/(app)/admin/security/actions.ts#revokeAnyApiTokenAction": ["security:manage:all"],
  "app/(app)/audit/actions.ts#createCheckpointAction": ["audit:checkpoint:all"],
  "app/(app)/audit/actions.ts#verifyAuditLogAction": READ_AUDIT,
  "app/(app)/projects/[id]/edit/actions.ts#updateProjectRegistryAction": ["project:update:own-org"],
  "app/(app)/projects/[id]/county/actions.ts#settleCountyAction": ["return:approve:county"],
  "app/(app)/projects/[id]/baseline/actions.ts#proposeBaselineAction": ["baseline:propose:own-org"],
  "app/(app)/projects/[id]/baseline/actions.ts#decideBaselineAction": ["baseline:approve:city"],
  "app/(app)/projects/[id]/approval/actions.ts#reviewNewProjectAction": ["project:accept:county", "project:accept:city"],
  "app/(app)/projects/[id]/approval/actions.ts#resubmitNewProjectAction": ["project:update:own-org"],
  "app/(app)/projects/[id]/returns/[period]/actions.ts#saveReturnAction": ["return:submit:own-org"],
  "app/(app)/projects/[id]/returns/[period]/actions.ts#reviewReturnAction": ["return:approve:county"],
  "app/(app)/projects/[id]/returns/[period]/actions.ts#requestCorrectionAction": ["return:submit:own-org"],
  "app/(app)/projects/[id]/returns/[period]/actions.ts#decideCorrectionAction": ["return:approve:county"],
  "app/(app)/projects/[id]/returns/[period]/actions.ts#removeAttachmentAction": ["return:submit:own-org"],
  "app/(app)/returns/actions.ts#bulkApproveAction": ["return:approve:county"],
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
  if (canAny(user, access)) return "allow";
  return user.mfaPending ? "sign-in" : "deny";
}

/** Whether a signed-in user may open a page (for navigation; the page checks again itself). */
export function userMayOpen(user: { permissions: ReadonlySet<Permission>; mfaPending: boolean }, path: PagePath): boolean {
  const access: Access = PAGE_ACCESS[path];
  if (access === "public" || access === "session") return true;
  if (user.mfaPending) return false;
  return access === "signed-in" || canAny(user, access);
}

/**
 * The main navigation, grouped by task (issue 19): each group is one entry of the header (a
 * disclosure menu, or the link itself when the user may open only one page of it), so the header
 * keeps to one line at 1440 px in both languages. Adding a page is one line here.
 */
export const NAV_GROUPS = ["work", "portfolio", "library", "oversight", "admin"] as const;
export type NavGroup = (typeof NAV_GROUPS)[number];

/** The main navigation, in order within its group; shown to a user only where userMayOpen allows. */
export const NAV_ITEMS: { href: PagePath; label: string; group: NavGroup }[] = [
  { href: "/my-work", label: "nav.myWork", group: "work" },
  { href: "/returns", label: "nav.returns", group: "work" },
  { href: "/notices", label: "nav.notices", group: "work" },
  { href: "/import", label: "nav.import", group: "work" },
  { href: "/dashboard", label: "nav.dashboard", group: "portfolio" },
  { href: "/delays", label: "nav.delays", group: "portfolio" },
  { href: "/report", label: "nav.report", group: "portfolio" },
  { href: "/evaluation", label: "nav.evaluation", group: "portfolio" },
  { href: "/projects", label: "nav.projects", group: "library" },
  { href: "/plan", label: "nav.plan", group: "library" },
  { href: "/indicators", label: "nav.indicators", group: "library" },
  { href: "/audit", label: "nav.audit", group: "oversight" },
  { href: "/reconciliation", label: "nav.reconciliation", group: "oversight" },
  { href: "/admin/users", label: "nav.users", group: "admin" },
  { href: "/admin/organizations", label: "nav.organizations", group: "admin" },
  { href: "/admin/security", label: "nav.security", group: "admin" },
  { href: "/admin/system", label: "nav.system", group: "admin" },
];

/** The navigation a user sees: the groups in order, each with the pages the user may open (empty groups left out). */
export function navigationFor(user: { permissions: ReadonlySet<Permission>; mfaPending: boolean }): { group: NavGroup; items: { href: PagePath; label: string }[] }[] {
  return NAV_GROUPS.map((group) => ({ group, items: NAV_ITEMS.filter((item) => item.group === group && userMayOpen(user, item.href)).map(({ href, label }) => ({ href, label })) })).filter(
    (g) => g.items.length > 0,
  );
}

/**
 * Where "/" sends a user: the first page here whose permission the user holds. The leadership
 * group, who act on the portfolio (send 督办), land on the dashboard; reviewers on their queue
 * (月报, returns waiting); owner units on 我的待办 (issue 19); everyone else on the home page.
 */
export const LANDING_PAGES: { path: PagePath; permission: Permission }[] = [
  { path: "/dashboard", permission: "notice:send:all" },
  { path: "/returns", permission: "return:approve:county" },
  { path: "/my-work", permission: "return:read:own-org" },
];

export function roleMayUse(roles: readonly Role[], access: Access): boolean {
  if (access === "public") return true;
  if (access === "session" || access === "signed-in") return roles.length > 0;
  const granted = permissionsFor(roles);
  return access.some((p) => granted.has(p));
}
