// getCurrentUser (lib/auth/session.ts): the signed-in user behind a request, read in one statement
// from the Session row, its user, the user's roles and organization, and checked against the
// server-side rules on every call. The cookie's session id is given through a stand-in for
// Auth.js's auth() (no cookie outside Next.js); everything below it is the real code on a real database.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createActor } from "@/tests/helpers/actors";
import { seededTestDatabase, type TestDatabase } from "@/tests/helpers/test-database";

const cookie = vi.hoisted(() => ({ sid: null as string | null }));
vi.mock("@/lib/auth/index", () => ({ auth: async () => (cookie.sid === null ? null : { sid: cookie.sid }) }));
vi.mock("next/headers", () => ({ headers: async () => new Headers(), cookies: async () => ({ get: () => undefined, set: () => undefined }) }));

let db: TestDatabase;
let prisma: typeof import("@/lib/db").prisma;
let getCurrentUser: typeof import("@/lib/auth/session").getCurrentUser;
let reviewerId: string;
let organizationId: string;

beforeAll(async () => {
  ({ db, prisma } = await seededTestDatabase(new Date("2026-11-15T00:00:00Z")));
  ({ getCurrentUser } = await import("@/lib/auth/session"));
  const org = await prisma.organization.create({ data: { name: "仁怀市测试审核局", kind: "COUNTY_DEPARTMENT", divisionCode: "520382" } });
  organizationId = org.id;
  reviewerId = (await createActor("reviewer.one", ["COUNTY_REVIEWER", "OWNER_VIEWER"], org.id)).id;
}, 120_000);

afterAll(async () => {
  await db?.drop();
});

async function newSession(userId: string, data: { mfaPending?: boolean; createdAt?: Date; lastSeenAt?: Date } = {}): Promise<string> {
  const user = await prisma.user.findUniqueOrThrow({ where: { id: userId } });
  const session = await prisma.session.create({ data: { userId, sessionVersion: user.sessionVersion, ...data } });
  return session.id;
}

async function as(sid: string | null) {
  cookie.sid = sid;
  return getCurrentUser();
}

describe("getCurrentUser", () => {
  it("reads the user, the roles, the organization and its county from the session", async () => {
    const user = await as(await newSession(reviewerId));
    expect(user).toMatchObject({
      id: reviewerId,
      username: "reviewer.one",
      organizationId,
      organizationName: "仁怀市测试审核局",
      divisionCode: "520382",
      mfaPending: false,
      mustChangePassword: false,
    });
    expect([...user!.roles].sort()).toEqual(["COUNTY_REVIEWER", "OWNER_VIEWER"]);
    expect(user!.permissions.has("return:approve:county")).toBe(true);
    expect(user!.permissions.has("project:read:all")).toBe(false);
  });

  it("a user without an organization or roles is still read (one statement, outer joins)", async () => {
    const lone = await prisma.user.create({ data: { username: "lone.user", displayName: "无单位用户", passwordHash: "x" } });
    const user = await as(await newSession(lone.id));
    expect(user).toMatchObject({ id: lone.id, organizationId: null, organizationName: null, divisionCode: null, roles: [] });
    expect(user!.permissions.size).toBe(0);
  });

  it("no cookie, a session id that is not a uuid, or an unknown one: no user, no error", async () => {
    expect(await as(null)).toBeNull();
    expect(await as("not-a-uuid'; DROP TABLE \"Session\"; --")).toBeNull();
    expect(await as("00000000-0000-4000-8000-000000000000")).toBeNull();
    expect(await prisma.session.count()).toBeGreaterThan(0);
  });

  it("a session waiting for the second factor holds only its own account", async () => {
    const user = await as(await newSession(reviewerId, { mfaPending: true }));
    expect(user!.mfaPending).toBe(true);
    expect([...user!.permissions]).toEqual(["account:update:self"]);
  });

  it("ends a session that was revoked, whose user was disabled or changed, or that is idle or too old; and records why", async () => {
    const revoked = await newSession(reviewerId);
    await prisma.session.update({ where: { id: revoked }, data: { revokedAt: new Date(), revokedReason: "signed-out" } });
    expect(await as(revoked)).toBeNull();

    const idle = await newSession(reviewerId, { lastSeenAt: new Date(Date.now() - 7 * 24 * 3_600_000) });
    expect(await as(idle)).toBeNull();
    expect((await prisma.session.findUniqueOrThrow({ where: { id: idle } })).revokedReason).toBe("idle");

    const old = await newSession(reviewerId, { createdAt: new Date(Date.now() - 30 * 24 * 3_600_000) });
    expect(await as(old)).toBeNull();
    expect((await prisma.session.findUniqueOrThrow({ where: { id: old } })).revokedReason).toBe("expired");

    const changed = await newSession(reviewerId);
    await prisma.user.update({ where: { id: reviewerId }, data: { sessionVersion: { increment: 1 } } });
    expect(await as(changed)).toBeNull();
    expect((await prisma.session.findUniqueOrThrow({ where: { id: changed } })).revokedReason).toBe("changed");

    const disabled = await newSession(reviewerId);
    expect(await as(disabled)).not.toBeNull();
    await prisma.user.update({ where: { id: reviewerId }, data: { disabledAt: new Date() } });
    expect(await as(disabled)).toBeNull();
    expect((await prisma.session.findUniqueOrThrow({ where: { id: disabled } })).revokedReason).toBe("disabled");
  });
});
