// Sign-in protection, the role-separation trigger and the tamper-evident audit log, on a real
// database. Modules that read DATABASE_URL are imported after it points at this file's database.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sqlOn } from "@/tests/helpers/sql";
import { recordUntypedAuditEvent } from "@/tests/helpers/untyped-audit-event";
import { applyMigrations, createTestDatabase, type TestDatabase } from "@/tests/helpers/test-database";

let db: TestDatabase;
const { query } = sqlOn(() => db.url);
let mod: {
  prisma: typeof import("@/lib/db").prisma;
  attemptLogin: typeof import("@/lib/auth/login").attemptLogin;
  hashPassword: typeof import("@/lib/auth/password").hashPassword;
  verifyAuditChain: typeof import("@/lib/audit/log").verifyAuditChain;
  recordAuditEvent: typeof import("@/lib/audit/log").recordAuditEvent;
  currentTotp: typeof import("@/lib/auth/totp").currentTotp;
  encryptSecret: typeof import("@/lib/auth/totp").encryptSecret;
  newTotpSecret: typeof import("@/lib/auth/totp").newTotpSecret;
};

async function makeUser(username: string, roles: string[], password = "Right-password-2026") {
  return mod.prisma.user.create({
    data: { username, displayName: username, passwordHash: await mod.hashPassword(password), roles: { create: roles.map((role) => ({ role: role as never })) } },
  });
}

beforeAll(async () => {
  db = await createTestDatabase();
  await applyMigrations(db.url);
  process.env.DATABASE_URL = db.url;
  const [dbm, login, password, audit, totp] = await Promise.all([
    import("@/lib/db"), import("@/lib/auth/login"), import("@/lib/auth/password"), import("@/lib/audit/log"), import("@/lib/auth/totp"),
  ]);
  mod = {
    prisma: dbm.prisma, attemptLogin: login.attemptLogin, hashPassword: password.hashPassword,
    verifyAuditChain: audit.verifyAuditChain, recordAuditEvent: audit.recordAuditEvent,
    currentTotp: totp.currentTotp, encryptSecret: totp.encryptSecret, newTotpSecret: totp.newTotpSecret,
  };
});

afterAll(async () => {
  await mod?.prisma.$disconnect();
  await db?.drop();
});

describe("sign-in", () => {
  it("signs in with the right password and records a session and an audit event", async () => {
    const user = await makeUser("clerk", ["OWNER_EDITOR"]);
    const result = await mod.attemptLogin({ username: "clerk", password: "Right-password-2026", ip: "10.1.1.1" });
    expect(result).toMatchObject({ ok: true, userId: user.id, mfaPending: false });
    if (!result.ok) return;
    expect(await mod.prisma.session.findUnique({ where: { id: result.sessionId } })).toMatchObject({ userId: user.id, revokedAt: null });
    expect(await mod.prisma.auditEvent.count({ where: { action: "auth.login", actorId: user.id } })).toBe(1);
  });

  it("answers an unknown user exactly like a wrong password", async () => {
    const unknown = await mod.attemptLogin({ username: "nobody", password: "whatever-2026", ip: "10.1.1.2" });
    const wrong = await mod.attemptLogin({ username: "clerk", password: "wrong-password", ip: "10.1.1.2" });
    expect(unknown).toEqual({ ok: false, error: "invalid" });
    expect(wrong).toEqual(unknown);
  });

  it("locks the account for 15 minutes after 5 failures, even for the right password", async () => {
    await makeUser("target", ["OWNER_VIEWER"]);
    for (let i = 0; i < 5; i++) {
      expect(await mod.attemptLogin({ username: "target", password: `guess-${i}`, ip: `10.2.0.${i}` })).toEqual({ ok: false, error: "invalid" });
    }
    const locked = await mod.prisma.user.findUniqueOrThrow({ where: { username: "target" } });
    expect(locked.lockedUntil!.getTime() - Date.now()).toBeGreaterThan(14 * 60_000);
    expect(await mod.attemptLogin({ username: "target", password: "Right-password-2026", ip: "10.2.0.9" })).toEqual({ ok: false, error: "invalid" });
    expect(await mod.prisma.auditEvent.count({ where: { action: "auth.lockout", entityId: locked.id } })).toBe(1);
    const later = new Date(Date.now() + 16 * 60_000);
    expect(await mod.attemptLogin({ username: "target", password: "Right-password-2026", ip: "10.2.0.9", now: later })).toMatchObject({ ok: true });
  });

  it("throttles an address after too many failures, whatever the account", async () => {
    const settings = await mod.prisma.securitySettings.findUniqueOrThrow({ where: { id: 1 } });
    for (let i = 0; i < settings.ipMaxFailuresPer15Min; i++) {
      await mod.attemptLogin({ username: `spray${i}`, password: "x-password-1", ip: "10.9.9.9" });
    }
    expect(await mod.attemptLogin({ username: "clerk", password: "Right-password-2026", ip: "10.9.9.9" })).toEqual({ ok: false, error: "throttled" });
    expect(await mod.attemptLogin({ username: "clerk", password: "Right-password-2026", ip: "10.9.9.10" })).toMatchObject({ ok: true });
  });

  it("refuses a disabled user", async () => {
    await makeUser("gone", ["AUDITOR"]);
    await mod.prisma.user.update({ where: { username: "gone" }, data: { disabledAt: new Date() } });
    expect(await mod.attemptLogin({ username: "gone", password: "Right-password-2026", ip: "10.3.0.1" })).toEqual({ ok: false, error: "invalid" });
  });

  it("lets an administrator without a second factor in only to enrol one", async () => {
    await makeUser("admin1", ["SYSTEM_ADMIN"]);
    expect(await mod.attemptLogin({ username: "admin1", password: "Right-password-2026", ip: "10.4.0.1" })).toMatchObject({ ok: true, mfaPending: true });
  });

  it("requires the TOTP code once an administrator enrolled", async () => {
    const secret = mod.newTotpSecret();
    await makeUser("admin2", ["SECURITY_ADMIN"]);
    await mod.prisma.user.update({ where: { username: "admin2" }, data: { totpSecret: mod.encryptSecret(secret, process.env.AUTH_SECRET!), totpEnabledAt: new Date() } });
    const base = { username: "admin2", password: "Right-password-2026", ip: "10.4.0.2" };
    expect(await mod.attemptLogin(base)).toEqual({ ok: false, error: "totpRequired" });
    expect(await mod.attemptLogin({ ...base, totp: "000000" === mod.currentTotp(secret, "admin2") ? "111111" : "000000" })).toEqual({ ok: false, error: "totpInvalid" });
    expect(await mod.attemptLogin({ ...base, totp: mod.currentTotp(secret, "admin2") })).toMatchObject({ ok: true, mfaPending: false });
  });
});

describe("second factor recovery and SSO", () => {
  it("accepts each recovery code once in place of the TOTP code", async () => {
    const totp = await import("@/lib/auth/totp");
    const admin = await makeUser("admin3", ["AUDIT_ADMIN"]);
    await mod.prisma.user.update({ where: { id: admin.id }, data: { totpSecret: mod.encryptSecret(mod.newTotpSecret(), process.env.AUTH_SECRET!), totpEnabledAt: new Date() } });
    const [code] = totp.newRecoveryCodes(1);
    await mod.prisma.recoveryCode.create({ data: { userId: admin.id, codeHash: totp.hashRecoveryCode(code!) } });
    const base = { username: "admin3", password: "Right-password-2026", ip: "10.5.0.1" };
    expect(await mod.attemptLogin({ ...base, totp: code! })).toMatchObject({ ok: true });
    expect(await mod.attemptLogin({ ...base, totp: code! })).toEqual({ ok: false, error: "totpInvalid" });
  });

  it("starts a session for a known SSO user and refuses unknown users and administrators", async () => {
    const { startSsoSession } = await import("@/lib/auth/sso");
    await makeUser("sso.clerk", ["OWNER_VIEWER"]);
    const ok = await startSsoSession("sso.clerk");
    expect(ok).toMatchObject({ ok: true });
    expect(await startSsoSession("stranger")).toEqual({ ok: false, reason: "unknown-user" });
    expect(await startSsoSession("admin1")).toEqual({ ok: false, reason: "admin-not-allowed" });
    expect(await mod.prisma.auditEvent.count({ where: { action: "auth.sso.refused" } })).toBe(2);
  });
});

describe("role separation in the database", () => {
  it("refuses an administrator role next to any other role, whoever writes", async () => {
    const user = await makeUser("mixed", ["LEADERSHIP"]);
    await expect(query(`INSERT INTO "UserRole" ("userId", role) VALUES ('${user.id}', 'AUDIT_ADMIN')`)).rejects.toThrow(/ROLE_SEPARATION/);
    const admin = await makeUser("pureadmin", ["SYSTEM_ADMIN"]);
    await expect(query(`INSERT INTO "UserRole" ("userId", role) VALUES ('${admin.id}', 'SECURITY_ADMIN')`)).rejects.toThrow(/ROLE_SEPARATION/);
    await expect(query(`INSERT INTO "UserRole" ("userId", role) VALUES ('${user.id}', 'AUDITOR')`)).resolves.toBeTruthy();
  });
});

describe("audit log", () => {
  it("chains every event and verifies", async () => {
    await recordUntypedAuditEvent(mod.prisma, { action: "test.event", details: { amount: "12.50", note: "遵义" } });
    const result = await mod.verifyAuditChain(mod.prisma);
    expect(result.ok).toBe(true);
    expect(result.checked).toBe(await mod.prisma.auditEvent.count());
  });

  it("refuses UPDATE, DELETE and TRUNCATE", async () => {
    await expect(query(`UPDATE "AuditEvent" SET action = 'x' WHERE seq = 1`)).rejects.toThrow(/AUDIT_APPEND_ONLY/);
    await expect(query(`DELETE FROM "AuditEvent" WHERE seq = 1`)).rejects.toThrow(/AUDIT_APPEND_ONLY/);
    await expect(query(`TRUNCATE "AuditEvent"`)).rejects.toThrow(/AUDIT_APPEND_ONLY/);
  });

  it("detects an edit made behind the application's back (triggers disabled by a superuser)", async () => {
    const target = await mod.prisma.auditEvent.findFirstOrThrow({ where: { action: "test.event" } });
    await query(`ALTER TABLE "AuditEvent" DISABLE TRIGGER audit_event_no_update_delete;
      UPDATE "AuditEvent" SET details = '{"amount":"99.50","note":"遵义"}' WHERE seq = ${target.seq};
      ALTER TABLE "AuditEvent" ENABLE TRIGGER audit_event_no_update_delete;`);
    const result = await mod.verifyAuditChain(mod.prisma);
    expect(result).toMatchObject({ ok: false, firstBrokenSeq: target.seq, reason: "content does not match its hash" });
  });
});
