// API tokens through the pages' real server actions (issue 18 §3, ADR 0025): a token is shown
// once and stored as its hash, its scope stays within what its owner holds, its lifetime within
// 30–365 days, bad input names the field (never an exception), revoking it turns the bearer away
// with a 401, and every issue and revocation writes its audit event in the same transaction.
import { fc } from "@fast-check/vitest";
import { NextRequest } from "next/server";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { CurrentUser } from "@/lib/auth/session";
import type { FormState } from "@/lib/validations/form";
import { userActor } from "@/tests/helpers/actors";
import { nastyString } from "@/tests/helpers/input-fuzz";
import { seededTestDatabase, type TestDatabase } from "@/tests/helpers/test-database";

const session = vi.hoisted(() => ({ user: null as CurrentUser | null }));
vi.mock("@/lib/auth/session", async (importOriginal) => ({
  ...(await importOriginal<typeof import("@/lib/auth/session")>()),
  getCurrentUser: async () => session.user,
}));
vi.mock("next/headers", () => ({ headers: async () => new Headers(), cookies: async () => ({ get: () => undefined, set: () => undefined }) }));
vi.mock("next/cache", () => ({ revalidatePath: () => undefined }));

let db: TestDatabase;
let prisma: typeof import("@/lib/db").prisma;
let own: typeof import("@/app/(app)/account/tokens/actions");
let admin: typeof import("@/app/(app)/admin/security/actions");
let tokens: typeof import("@/lib/api/tokens");

type Action = (state: FormState, data: FormData) => Promise<FormState>;

function form(values: Map<string, string | string[]>): FormData {
  const data = new FormData();
  for (const [key, value] of values) for (const v of [value].flat()) data.append(key, v);
  return data;
}

/** Calls a server action as `username`, as its form would. */
async function act(action: Action, username: string, values: Record<string, string | string[]> | Map<string, string[]>): Promise<FormState> {
  session.user = await userActor(username);
  return action({ status: "idle" }, form(values instanceof Map ? values : new Map(Object.entries(values))));
}

async function bearer(token: string, route = "/api/v1/projects", query = "limit=1"): Promise<number> {
  const mod = route === "/api/v1/projects" ? await import("@/app/api/v1/projects/route") : await import("@/app/api/v1/indicators/route");
  const request = new NextRequest(`http://localhost${route}?${query}`, { headers: { authorization: `Bearer ${token}` } });
  return (await mod.GET(request, { params: Promise.resolve({}) })).status;
}

/** The secret a successful issue answers with (the only time it exists outside the caller). */
function issuedToken(state: FormState): string {
  if (state.status !== "ok" || typeof state.data?.token !== "string") throw new Error(`not issued: ${JSON.stringify(state)}`);
  return state.data.token;
}

function fieldErrors(state: FormState): Record<string, string[]> | undefined {
  return state.status === "error" ? state.fieldErrors : undefined;
}

beforeAll(async () => {
  ({ db, prisma } = await seededTestDatabase(new Date("2026-11-15T00:00:00Z")));
  own = await import("@/app/(app)/account/tokens/actions");
  admin = await import("@/app/(app)/admin/security/actions");
  tokens = await import("@/lib/api/tokens");
}, 180_000);

afterAll(async () => {
  await prisma?.$disconnect();
  await db?.drop();
});

describe("issuing a token for oneself (/account/tokens)", () => {
  it("shows the token once, stores only its SHA-256, and audits the issue in the same transaction", async () => {
    const before = new Date();
    const state = await act(own.createApiTokenAction, "leader", { name: "统计局抽取", expiresInDays: "90", permissions: ["project:read:all", "indicator:read:all"] });
    expect(state.status).toBe("ok");
    const token = issuedToken(state);
    expect(token).toMatch(/^zyk_[A-Za-z0-9_-]{43}$/);
    const row = await prisma.apiToken.findFirstOrThrow({ where: { name: "统计局抽取" } });
    expect(row.tokenHash).toBe(tokens.hashToken(token));
    expect(JSON.stringify(row)).not.toContain(token.slice(4));
    expect(row.permissions).toEqual(["project:read:all", "indicator:read:all"]);
    const days = (row.expiresAt.getTime() - before.getTime()) / 86_400_000;
    expect(days).toBeGreaterThan(89.99);
    expect(days).toBeLessThan(90.01);
    // The list never carries the secret or its hash.
    const listed = await tokens.listOwnApiTokens(await userActor("leader"));
    expect(JSON.stringify(listed)).not.toContain(row.tokenHash);
    expect(listed.map((t) => t.id)).toContain(row.id);
    const events = await prisma.auditEvent.findMany({ where: { action: "api.token.create", entityId: row.id } });
    expect(events).toHaveLength(1);
    expect(events[0]!.actorName).toBe("leader");
    expect(events[0]!.details).toMatchObject({ name: "统计局抽取", permissions: ["project:read:all", "indicator:read:all"], ownerName: "leader" });
    expect(JSON.stringify(events[0]!.details)).not.toContain(token.slice(4));
    expect(await bearer(token)).toBe(200);
  });

  it("refuses a scope beyond the owner's permissions, naming the field, and writes nothing", async () => {
    const count = await prisma.apiToken.count();
    const audit = await prisma.auditEvent.count({ where: { action: "api.token.create" } });
    // An owner unit reads its own organization's projects only.
    expect(fieldErrors(await act(own.createApiTokenAction, "owner.editor", { name: "x", expiresInDays: "30", permissions: ["project:read:all"] }))).toEqual({ permissions: ["validation.token.beyondOwner"] });
    // Not a permission the API serves at all.
    expect(fieldErrors(await act(own.createApiTokenAction, "leader", { name: "x", expiresInDays: "30", permissions: ["notice:send:all"] }))).toEqual({ "permissions.0": ["validation.token.unknownScope"] });
    expect(fieldErrors(await act(own.createApiTokenAction, "leader", { name: "x", expiresInDays: "30" }))).toEqual({ permissions: ["validation.token.noScope"] });
    // Administrators (三员) hold no read permission the API serves: the page and its action are closed.
    const refused = await act(own.createApiTokenAction, "secadmin", { name: "x", expiresInDays: "30", permissions: ["project:read:all"] });
    expect(refused).toMatchObject({ status: "error", formError: "validation.forbidden" });
    // The own-token form cannot name another owner.
    const system = await prisma.user.create({ data: { username: "platform.sync", displayName: "省平台", passwordHash: "x", isSystemAccount: true, roles: { create: [{ role: "LEADERSHIP" }] } } });
    expect((await act(own.createApiTokenAction, "leader", { name: "x", expiresInDays: "30", permissions: ["project:read:all"], ownerId: system.id })).status).toBe("error");
    expect(await prisma.apiToken.count()).toBe(count);
    expect(await prisma.auditEvent.count({ where: { action: "api.token.create" } })).toBe(audit);
    // A narrower scope narrows the API.
    const narrow = await act(own.createApiTokenAction, "owner.editor", { name: "own projects", expiresInDays: "30", permissions: ["project:read:own-org"] });
    const token = issuedToken(narrow);
    expect(await bearer(token)).toBe(200);
    expect(await bearer(token, "/api/v1/indicators", "")).toBe(403);
  });

  it("keeps the lifetime within 30 to 365 days", async () => {
    for (const days of ["29", "366", "0", "-30", "90.5", "abc", "", "1e3"]) {
      const state = await act(own.createApiTokenAction, "auditor", { name: `bad ${days}`, expiresInDays: days, permissions: ["project:read:all"] });
      expect(fieldErrors(state), days).toEqual({ expiresInDays: ["validation.token.expiry"] });
    }
    for (const days of ["30", "365", "45"]) {
      expect((await act(own.createApiTokenAction, "auditor", { name: `ok ${days}`, expiresInDays: days, permissions: ["project:read:all"] })).status, days).toBe("ok");
    }
    // The data function holds the same bounds for a caller that skips the form's schema.
    await expect(tokens.createApiToken(await userActor("auditor"), { name: "direct", permissions: ["project:read:all"], expiresInDays: 400 }, null)).rejects.toThrow("validation failed");
  });

  it("names the field for a bad name, and never throws on generated input", async () => {
    expect(fieldErrors(await act(own.createApiTokenAction, "leader", { name: "  ", expiresInDays: "30", permissions: ["project:read:all"] }))).toEqual({ name: ["validation.required"] });
    expect(fieldErrors(await act(own.createApiTokenAction, "leader", { name: "x".repeat(61), expiresInDays: "30", permissions: ["project:read:all"] }))).toEqual({ name: ["validation.tooLong"] });
    const fields = fc.constantFrom("name", "expiresInDays", "permissions", "ownerId", "tokenId", "__proto__");
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(fields, nastyString()), { maxLength: 8 }), async (entries) => {
        const values = new Map<string, string[]>();
        for (const [key, value] of entries) values.set(key, [...(values.get(key) ?? []), value]);
        for (const action of [own.createApiTokenAction, own.revokeApiTokenAction]) {
          const state = await act(action, "reviewer", values);
          expect(["ok", "error"]).toContain(state.status);
          if (state.status === "error") expect(state.formError?.startsWith("validation.") ?? true).toBe(true);
        }
      }),
      { numRuns: 100 },
    );
  });
});

describe("revoking", () => {
  it("a revoked token gets a 401, the revocation is audited, and nobody else's token can be revoked from the account page", async () => {
    const created = await act(own.createApiTokenAction, "reviewer", { name: "to revoke", expiresInDays: "30", permissions: ["project:read:county"] });
    const token = issuedToken(created);
    const row = await prisma.apiToken.findFirstOrThrow({ where: { name: "to revoke" } });
    expect(await bearer(token)).toBe(200);
    // Another business user cannot revoke it (not found, as if it did not exist).
    expect(await act(own.revokeApiTokenAction, "leader", { tokenId: row.id })).toMatchObject({ status: "error", formError: "validation.notFound" });
    expect(await bearer(token)).toBe(200);
    expect(await act(own.revokeApiTokenAction, "reviewer", { tokenId: row.id })).toMatchObject({ status: "ok" });
    expect(await bearer(token)).toBe(401);
    const revoked = await prisma.apiToken.findUniqueOrThrow({ where: { id: row.id } });
    expect(revoked.revokedAt).not.toBeNull();
    const events = await prisma.auditEvent.findMany({ where: { action: "api.token.revoke", entityId: row.id } });
    expect(events).toHaveLength(1);
    expect(events[0]!.actorName).toBe("reviewer");
    // A second revocation changes nothing and writes nothing.
    expect((await act(own.revokeApiTokenAction, "reviewer", { tokenId: row.id })).status).toBe("ok");
    expect(await prisma.auditEvent.count({ where: { action: "api.token.revoke", entityId: row.id } })).toBe(1);
    expect(fieldErrors(await act(own.revokeApiTokenAction, "reviewer", { tokenId: "not-a-uuid" }))).toEqual({ tokenId: ["validation.invalid"] });
  });
});

describe("the security administrator (/admin/security)", () => {
  it("issues tokens for a system account only, sees every token, and revokes anyone's", async () => {
    // The system administrator creates the system account (三员: the security administrator issues its tokens).
    const users = await import("@/app/(app)/admin/users/actions");
    const account = { username: "stats.sync", displayName: "统计局", organizationId: "", password: "Stats-sync-2026-long!", systemAccount: "on" };
    expect(fieldErrors(await act(users.createUserAction, "sysadmin", { ...account, roles: ["AUDIT_ADMIN"] }))).toEqual({ roles: ["validation.roles.systemAccountAdmin"] });
    expect(fieldErrors(await act(users.createUserAction, "sysadmin", { ...account, roles: ["AUDITOR"], systemAccount: "yes" }))).toEqual({ systemAccount: ["validation.invalid"] });
    expect((await act(users.createUserAction, "sysadmin", { ...account, roles: ["AUDITOR"] })).status).toBe("ok");
    const system = await prisma.user.findUniqueOrThrow({ where: { username: "stats.sync" } });
    expect(system).toMatchObject({ isSystemAccount: true, mustChangePassword: false });
    expect((await prisma.auditEvent.findFirstOrThrow({ where: { action: "user.create", entityId: system.id } })).details).toMatchObject({ systemAccount: true, roles: ["AUDITOR"] });
    const { attemptLogin } = await import("@/lib/auth/login");
    expect(await attemptLogin({ username: "stats.sync", password: account.password, ip: "10.0.0.9" })).toEqual({ ok: false, error: "invalid" });
    const issued = await act(admin.createSystemApiTokenAction, "secadmin", { name: "统计局", expiresInDays: "365", permissions: ["project:read:all", "portfolio:read:all"], ownerId: system.id });
    expect(issued.status).toBe("ok");
    const token = issuedToken(issued);
    expect(await bearer(token)).toBe(200);
    const row = await prisma.apiToken.findFirstOrThrow({ where: { ownerId: system.id } });
    expect(row.createdById).toBe((await userActor("secadmin")).id);
    expect(await prisma.auditEvent.count({ where: { action: "api.token.create", entityId: row.id, actorName: "secadmin" } })).toBe(1);
    // Beyond the system account's roles, or for an ordinary user: refused with the field named.
    expect(fieldErrors(await act(admin.createSystemApiTokenAction, "secadmin", { name: "x", expiresInDays: "30", permissions: ["project:read:own-org"], ownerId: system.id }))).toEqual({ permissions: ["validation.token.beyondOwner"] });
    const leader = await prisma.user.findUniqueOrThrow({ where: { username: "leader" } });
    expect(fieldErrors(await act(admin.createSystemApiTokenAction, "secadmin", { name: "x", expiresInDays: "30", permissions: ["project:read:all"], ownerId: leader.id }))).toEqual({ ownerId: ["validation.token.notSystemAccount"] });
    // Business users may not use the administrator's actions.
    expect(await act(admin.createSystemApiTokenAction, "leader", { name: "x", expiresInDays: "30", permissions: ["project:read:all"], ownerId: system.id })).toMatchObject({ formError: "validation.forbidden" });

    const all = await tokens.listAllApiTokens(await userActor("secadmin"));
    expect(all.map((t) => t.owner.username)).toEqual(expect.arrayContaining(["stats.sync", "leader", "reviewer"]));
    expect(JSON.stringify(all)).not.toContain("tokenHash");
    await expect(tokens.listAllApiTokens(await userActor("leader"))).rejects.toThrow("permission denied");

    const leaders = await prisma.apiToken.findFirstOrThrow({ where: { name: "统计局抽取" } });
    expect(await act(admin.revokeAnyApiTokenAction, "secadmin", { tokenId: leaders.id })).toMatchObject({ status: "ok" });
    expect(await act(admin.revokeAnyApiTokenAction, "secadmin", { tokenId: row.id })).toMatchObject({ status: "ok" });
    expect(await bearer(token)).toBe(401);
    expect(await prisma.auditEvent.count({ where: { action: "api.token.revoke", entityId: { in: [leaders.id, row.id] }, actorName: "secadmin" } })).toBe(2);
  });
});
