// Account administration through lib/data/users on a real database: permissions checked in the
// data layer, role separation, password policy, session invalidation, audit events, first setup.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditActionsReadBack } from "@/tests/helpers/audit-read-back";
import { createActor } from "@/tests/helpers/actors";
import { applyMigrations, createTestDatabase, type TestDatabase } from "@/tests/helpers/test-database";

let db: TestDatabase;
let prisma: typeof import("@/lib/db").prisma;
let users: typeof import("@/lib/data/users");

beforeAll(async () => {
  db = await createTestDatabase();
  await applyMigrations(db.url);
  process.env.DATABASE_URL = db.url;
  prisma = (await import("@/lib/db")).prisma;
  users = await import("@/lib/data/users");
});

afterAll(async () => {
  await prisma?.$disconnect();
  await db?.drop();
});

describe("first setup", () => {
  it("creates the first system administrator once, then refuses", async () => {
    expect(await users.setupNeeded()).toBe(true);
    const admin = await users.createInitialAdmin({ username: "firstadmin", displayName: "第一位管理员", password: "Setup-secret-2026" }, "127.0.0.1");
    expect((await prisma.userRole.findMany({ where: { userId: admin.id } })).map((r) => r.role)).toEqual(["SYSTEM_ADMIN"]);
    await expect(users.createInitialAdmin({ username: "second", displayName: "x", password: "Second-admin-2026" }, "127.0.0.1")).rejects.toThrow(users.ValidationError);
    expect(await users.setupNeeded()).toBe(false);
  });
});

describe("user administration", () => {
  it("only the system administrator manages users; others are refused in the data layer and audited", async () => {
    const leader = await createActor("leader1", ["LEADERSHIP"]);
    await expect(users.createUser(leader, { username: "x1", displayName: "x", organizationId: null, roles: ["AUDITOR"], password: "Some-password-2026" }, "ip")).rejects.toThrow(/permission denied/);
    expect(await prisma.user.count({ where: { username: "x1" } })).toBe(0);
    expect(await prisma.auditEvent.count({ where: { action: "auth.permission.denied", actorId: leader.id } })).toBe(1);
  });

  it("refuses an administrator role combined with another role, and a common password", async () => {
    const admin = await createActor("sys1", ["SYSTEM_ADMIN"]);
    const base = { username: "newbie", displayName: "新用户", organizationId: null, password: "Strong-password-2026" };
    await expect(users.createUser(admin, { ...base, roles: ["SECURITY_ADMIN", "LEADERSHIP"] }, "ip")).rejects.toMatchObject({ fieldErrors: { roles: ["validation.roles.adminNotAlone"] } });
    await expect(users.createUser(admin, { ...base, roles: ["AUDITOR"], password: "password123" }, "ip")).rejects.toMatchObject({ fieldErrors: { password: expect.arrayContaining(["validation.password.common"]) } });
    const created = await users.createUser(admin, { ...base, roles: ["AUDITOR"] }, "ip");
    expect(created.mustChangePassword).toBe(true);
    expect(await prisma.auditEvent.count({ where: { action: "user.create", entityId: created.id } })).toBe(1);
  });

  it("changing roles ends the user's sessions and refuses a stale edit", async () => {
    const admin = await createActor("sys2", ["SYSTEM_ADMIN"]);
    const target = await createActor("clerk2", ["OWNER_VIEWER"]);
    const before = await prisma.user.findUniqueOrThrow({ where: { id: target.id } });
    await users.updateUser(admin, { userId: target.id, version: before.version, displayName: "clerk2", organizationId: null, roles: ["OWNER_EDITOR"] }, "ip");
    const after = await prisma.user.findUniqueOrThrow({ where: { id: target.id }, include: { roles: true } });
    expect(after.sessionVersion).toBe(before.sessionVersion + 1);
    expect(after.roles.map((r) => r.role)).toEqual(["OWNER_EDITOR"]);
    const event = await prisma.auditEvent.findFirstOrThrow({ where: { action: "user.roles.change", entityId: target.id } });
    expect(event.details).toMatchObject({ before: { roles: ["OWNER_VIEWER"] }, after: { roles: ["OWNER_EDITOR"] } });
    await expect(
      users.updateUser(admin, { userId: target.id, version: before.version, displayName: "stale", organizationId: null, roles: ["OWNER_VIEWER"] }, "ip"),
    ).rejects.toThrow(users.ConflictError);
  });

  it("disabling a user ends their sessions; an administrator cannot disable themselves", async () => {
    const admin = await createActor("sys3", ["SYSTEM_ADMIN"]);
    const target = await createActor("clerk3", ["OWNER_VIEWER"]);
    await users.setUserDisabled(admin, target.id, true, "ip");
    const after = await prisma.user.findUniqueOrThrow({ where: { id: target.id } });
    expect(after.disabledAt).not.toBeNull();
    expect(after.sessionVersion).toBeGreaterThan(1);
    await expect(users.setUserDisabled(admin, admin.id, true, "ip")).rejects.toThrow(users.ValidationError);
  });

  it("the security administrator revokes a session and sees it gone from the active list", async () => {
    const sec = await createActor("sec1", ["SECURITY_ADMIN"]);
    const target = await createActor("clerk4", ["AUDITOR"]);
    expect((await users.listActiveSessions(sec)).map((s) => s.id)).toContain(target.sessionId);
    await users.revokeSession(sec, target.sessionId, "ip");
    expect((await users.listActiveSessions(sec)).map((s) => s.id)).not.toContain(target.sessionId);
    expect(await prisma.auditEvent.count({ where: { action: "session.revoke", entityId: target.sessionId } })).toBe(1);
  });
});

describe("the audit events these commands wrote", () => {
  it("each reads back through its action's schema", async () => {
    expect(await auditActionsReadBack(prisma)).toEqual(expect.arrayContaining(["session.revoke", "setup.initial-admin", "user.create", "user.disable", "user.roles.change"]));
  });
});
