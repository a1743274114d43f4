// The authorization matrix (lib/auth/route-access.ts) is the code that runs: every route handler
// and server action is called, on a real database, as a user holding one of the permissions its
// row lists and only what every role granting that permission also grants (let through: nothing
// refused, nothing denied in the audit log; route handlers get a valid query, so their data
// functions run and check again), and as a user holding every permission except those (403 /
// validation.forbidden and one `auth.permission.denied` event naming the row). A wrong row, or a handler or action that
// bypasses its wrapper, fails here; tests/unit/route-access.test.ts checks the wrappers are used.
// The signed-in user is given through a stand-in for getCurrentUser (no cookie outside Next.js).
import { NextRequest } from "next/server";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { Access } from "@/lib/auth/route-access";
import type { Permission } from "@/lib/auth/permissions";
import type { CurrentUser } from "@/lib/auth/session";
import type { FormState } from "@/lib/validations/form";
import { createActor } from "@/tests/helpers/actors";
import { applyMigrations, createTestDatabase, type TestDatabase } from "@/tests/helpers/test-database";

const session = vi.hoisted(() => ({ user: null as CurrentUser | null }));
vi.mock("@/lib/auth/session", async (importOriginal) => ({
  ...(await importOriginal<typeof import("@/lib/auth/session")>()),
  getCurrentUser: async () => session.user,
}));
// Outside a request: no headers, no cache, no message catalogue.
vi.mock("next/headers", () => ({ headers: async () => new Headers(), cookies: async () => ({ get: () => undefined, set: () => undefined }) }));
vi.mock("next/cache", () => ({ revalidatePath: () => undefined }));
vi.mock("next-intl/server", () => ({ getTranslations: async () => (key: string) => key }));

let db: TestDatabase;
let prisma: typeof import("@/lib/db").prisma;
let matrix: typeof import("@/lib/auth/route-access");
let ALL: readonly Permission[];
let ROLE_PERMISSIONS: typeof import("@/lib/auth/permissions").ROLE_PERMISSIONS;
let holder: CurrentUser;
let other: CurrentUser;

/** Valid queries, so a handler let through reaches its data function (which checks again). */
const QUERIES: Record<string, string> = {
  "/api/projects/export": "format=csv",
  "/api/projects/filter-options": "locale=zh-CN",
  "/api/oc4ids": "",
  "/api/import/template": "kind=registry",
  "/api/audit/export": "format=csv",
  "/api/report": "month=2026-10",
  "/api/evaluation": "basis=now",
  "/api/reconciliation/export": "format=csv",
  "/api/attachments/[id]": "",
  "/api/import/errors/[id]": "",
};

type Called = { status: number | null; state: FormState | null };

/** Calls the real route handler or server action as `user`. */
async function call(kind: "route" | "action", key: string, user: CurrentUser | null): Promise<Called> {
  session.user = user;
  if (kind === "route") {
    const file = `@/app${key}/route`;
    const mod = (await import(/* @vite-ignore */ file)) as { GET: (r: NextRequest, c: { params: Promise<Record<string, string>> }) => Promise<Response> };
    const url = `http://localhost${key.replace("[id]", "7d4c9a1e-3b1f-4f7e-9a51-0c2f3b6d8e10")}?${QUERIES[key] ?? ""}`;
    const response = await mod.GET(new NextRequest(url), { params: Promise.resolve({ id: "7d4c9a1e-3b1f-4f7e-9a51-0c2f3b6d8e10" }) });
    return { status: response.status, state: null };
  }
  const [file, name] = key.split("#") as [string, string];
  const mod = (await import(/* @vite-ignore */ `@/${file.replace(/\.ts$/, "")}`)) as Record<string, (...args: unknown[]) => Promise<FormState | void>>;
  const action = mod[name]!;
  // Each action with the arguments its form sends, all empty: past the gate, the schema refuses.
  const args = name === "saveColumnsAction" ? [["name"]] : action.length === 0 ? [] : action.length === 1 ? [new FormData()] : [{ status: "idle" }, new FormData()];
  const state = (await action(...args)) ?? null;
  return { status: null, state };
}

async function denials(user: CurrentUser) {
  return prisma.auditEvent.findMany({ where: { action: "auth.permission.denied", actorId: user.id }, orderBy: { seq: "asc" } });
}

function as(user: CurrentUser, permissions: Iterable<Permission>): CurrentUser {
  return { ...user, permissions: new Set(permissions) };
}

/**
 * The least a real user holding `permission` holds: what every role granting it grants. (The
 * monthly report, for one, also lists notices and indicators, which every portfolio reader may read.)
 */
function leastWith(permission: Permission): Permission[] {
  const granting = Object.values(ROLE_PERMISSIONS).filter((granted) => granted.includes(permission));
  return ALL.filter((p) => p === permission || granting.every((granted) => granted.includes(p)));
}

beforeAll(async () => {
  db = await createTestDatabase();
  await applyMigrations(db.url);
  process.env.DATABASE_URL = db.url;
  prisma = (await import("@/lib/db")).prisma;
  matrix = await import("@/lib/auth/route-access");
  ({ PERMISSIONS: ALL, ROLE_PERMISSIONS } = await import("@/lib/auth/permissions"));
  holder = await createActor("matrix-holder", ["LEADERSHIP"]);
  other = await createActor("matrix-other", ["LEADERSHIP"]);
});

afterAll(async () => {
  await prisma?.$disconnect();
  await db?.drop().catch(() => undefined);
});

function rows(): [kind: "route" | "action", key: string, access: Access][] {
  return [
    ...Object.entries(matrix.ROUTE_HANDLER_ACCESS).filter(([path]) => path !== "/api/auth/[...nextauth]").map(([k, a]) => ["route", k, a] as ["route", string, Access]),
    ...Object.entries(matrix.ACTION_ACCESS).map(([k, a]) => ["action", k, a] as ["action", string, Access]),
  ];
}

describe("every row of the matrix is the check that runs", () => {
  it("a user holding one listed permission is let through; one holding all others is refused and audited", async () => {
    let checked = 0;
    for (const [kind, key, access] of rows()) {
      if (typeof access === "string") continue;
      for (const permission of access) {
        const before = (await denials(holder)).length;
        const passed = await call(kind, key, as(holder, leastWith(permission)));
        const label = `${key} with ${permission}`;
        if (kind === "route") expect(passed.status, label).not.toBeOneOf([401, 403]);
        else expect(passed.state?.status === "error" ? passed.state.formError : undefined, label).not.toBe("validation.forbidden");
        expect((await denials(holder)).length, label).toBe(before);
      }
      const lacking = as(other, ALL.filter((p) => !access.includes(p)));
      const before = (await denials(other)).length;
      const refused = await call(kind, key, lacking);
      const label = `${key} without ${access.join("|")}`;
      if (kind === "route") expect(refused.status, label).toBe(403);
      else if (refused.state) expect(refused.state, label).toMatchObject({ status: "error", formError: "validation.forbidden" });
      const after = await denials(other);
      expect(after.length, label).toBe(before + 1);
      expect(after.at(-1)!.details, label).toEqual({ permission: access.join("|") });
      checked++;
    }
    expect(checked).toBeGreaterThan(30);
  });

  it("signed out: public rows let through, every other row refused without an audit event", async () => {
    const before = await prisma.auditEvent.count({ where: { action: "auth.permission.denied" } });
    for (const [kind, key, access] of rows()) {
      // Public actions that would sign in or redirect are checked at the gate alone.
      if (kind === "action" && (access === "public" || access === "session")) {
        const { authorizeAction } = await import("@/lib/action");
        session.user = null;
        expect((await authorizeAction(key as never)).ok, key).toBe(access === "public");
        continue;
      }
      const answer = await call(kind, key, null);
      if (kind === "route") expect(answer.status, key).toBe(access === "public" ? 200 : 401);
      else if (answer.state) expect(answer.state, key).toMatchObject({ status: "error", formError: "validation.forbidden" });
    }
    expect(await prisma.auditEvent.count({ where: { action: "auth.permission.denied" } })).toBe(before);
  });

  it("a session owing its second factor passes only 'session' and its own account", async () => {
    const { authorizeAction } = await import("@/lib/action");
    session.user = { ...holder, mfaPending: true, permissions: new Set<Permission>(["account:update:self"]) };
    expect((await authorizeAction("app/actions/session.ts#signOutAction")).ok).toBe(true);
    expect((await authorizeAction("app/(app)/account/actions.ts#confirmTotpAction")).ok).toBe(true);
    expect((await authorizeAction("app/(app)/admin/users/actions.ts#createUserAction")).ok).toBe(false);
    expect((await call("route", "/api/audit/export", session.user)).status).toBe(401);
  });
});

describe("the two rows that disagreed with the code (issue 17)", () => {
  it("an evidence file needs a returns permission: project readers without one are refused, not told 'not found'", async () => {
    const before = (await denials(other)).length;
    const projectsOnly = as(other, ["project:read:all", "project:read:county", "project:read:own-org"]);
    expect((await call("route", "/api/attachments/[id]", projectsOnly)).status).toBe(403);
    expect((await denials(other)).at(-1)!.details).toEqual({ permission: "return:read:all|return:read:county|return:read:own-org" });
    expect((await denials(other)).length).toBe(before + 1);
  });

  it("the dashboard's data needs portfolio:read:all, as its page does", async () => {
    const { getDashboard } = await import("@/lib/portfolio/dashboard");
    const { ForbiddenError } = await import("@/lib/auth/permissions");
    const owner = as(other, ["project:read:own-org", "return:read:own-org"]);
    await expect(getDashboard(owner)).rejects.toThrow(ForbiddenError);
    expect((await denials(other)).at(-1)!.details).toEqual({ permission: "portfolio:read:all" });
    expect(matrix.PAGE_ACCESS["/dashboard"]).toEqual(["portfolio:read:all"]);
  });
});
