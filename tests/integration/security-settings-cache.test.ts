// The security settings are read on every signed-in request and kept in memory (lib/auth/settings.ts,
// issue 21): a change through the administrators' form takes effect at once; a change behind the
// app's back (another instance, SQL) within SETTINGS_TTL_MS; and the form itself reads the row fresh.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createActor } from "@/tests/helpers/actors";
import { applyMigrations, createTestDatabase, type TestDatabase } from "@/tests/helpers/test-database";

let db: TestDatabase;
let prisma: typeof import("@/lib/db").prisma;
let settings: typeof import("@/lib/auth/settings");
let users: typeof import("@/lib/data/users");

beforeAll(async () => {
  db = await createTestDatabase();
  await applyMigrations(db.url);
  process.env.DATABASE_URL = db.url;
  [prisma, settings, users] = await Promise.all([import("@/lib/db").then((m) => m.prisma), import("@/lib/auth/settings"), import("@/lib/data/users")]);
});

afterAll(async () => {
  await prisma?.$disconnect();
  await db?.drop();
});

describe("security settings in memory", () => {
  it("answers repeated reads from memory, then a change made behind the app after the TTL", async () => {
    const now = Date.now();
    const first = await settings.getSecuritySettings(now);
    await prisma.securitySettings.update({ where: { id: 1 }, data: { passwordMinLength: first.passwordMinLength + 1 } });
    // Within the TTL the remembered row answers (no query): this is what the cache saves.
    expect((await settings.getSecuritySettings(now + 1)).passwordMinLength).toBe(first.passwordMinLength);
    expect((await settings.getSecuritySettings(now + settings.SETTINGS_TTL_MS + 1)).passwordMinLength).toBe(first.passwordMinLength + 1);
  });

  it("takes an administrator's change at once, and the form reads the row fresh", async () => {
    const now = Date.now();
    const before = await settings.getSecuritySettings(now);
    const admin = await createActor("secadmin-cache", ["SECURITY_ADMIN"]);
    await users.updateSecuritySettings(admin, { version: before.version, idleTimeoutMinutes: before.idleTimeoutMinutes + 7 }, "127.0.0.1");
    // Same instant, so no TTL has passed: only the forgetting can explain the new value.
    expect((await settings.getSecuritySettings(now)).idleTimeoutMinutes).toBe(before.idleTimeoutMinutes + 7);
    await prisma.securitySettings.update({ where: { id: 1 }, data: { idleTimeoutMinutes: 99 } });
    expect((await users.readSecuritySettings(admin)).idleTimeoutMinutes).toBe(99);
  });
});
