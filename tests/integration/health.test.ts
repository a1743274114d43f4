// GET /api/health on a real database: anonymous callers (and signed-in users who are not
// administrators) learn whether the app is up and its version, nothing about the database; the
// system, security and audit administrators get the server version, migrations and database role.
// The signed-in user is given to the route through a stand-in for getCurrentUser (no cookie here).
import { NextRequest } from "next/server";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { CurrentUser } from "@/lib/auth/session";
import { actor } from "@/tests/helpers/actors";
import { applyMigrations, createTestDatabase, type TestDatabase } from "@/tests/helpers/test-database";

const session = vi.hoisted(() => ({ user: null as CurrentUser | null }));
vi.mock("@/lib/auth/session", () => ({ getCurrentUser: async () => session.user, recordDenied: vi.fn() }));

let db: TestDatabase;
let GET: typeof import("@/app/api/health/route").GET;
let migrationNames: string[];

async function getHealth(user: CurrentUser | null) {
  session.user = user;
  const response = await GET(new NextRequest("http://localhost/api/health"), { params: Promise.resolve({}) });
  const text = await response.text();
  return { status: response.status, text, body: JSON.parse(text) as Record<string, unknown> };
}

beforeAll(async () => {
  db = await createTestDatabase();
  // Applied without Prisma's bookkeeping table, so every migration reads as pending: names to leak.
  await applyMigrations(db.url);
  process.env.DATABASE_URL = db.url;
  ({ GET } = await import("@/app/api/health/route"));
  migrationNames = await (await import("@/lib/system/health")).listMigrationFolders();
  expect(migrationNames.length).toBeGreaterThan(5);
});

afterAll(async () => {
  await (await import("@/lib/db")).prisma.$disconnect();
  await db?.drop().catch(() => undefined);
});

describe("GET /api/health", () => {
  it("tells an anonymous caller the status and app version only", async () => {
    const { status, text, body } = await getHealth(null);
    expect(status).toBe(200);
    expect(Object.keys(body).sort()).toEqual(["checkedAt", "status", "version"]);
    expect(body.status).toBe("degraded");
    expect(body.version).toMatch(/^\d+\.\d+\.\d+/);
    expect(text).not.toMatch(/PostgreSQL|serverVersion|migrations|postgres/i);
    for (const name of migrationNames) expect(text).not.toContain(name);
  });

  it("tells signed-in users who are not administrators no more", async () => {
    for (const roles of [["LEADERSHIP"], ["AUDITOR"], ["OWNER_EDITOR"]] as const) {
      const { body } = await getHealth(await actor([...roles]));
      expect(Object.keys(body).sort(), roles.join()).toEqual(["checkedAt", "status", "version"]);
    }
  });

  it("gives the system, security and audit administrators the database, migrations and role", async () => {
    for (const role of ["SYSTEM_ADMIN", "SECURITY_ADMIN", "AUDIT_ADMIN"] as const) {
      const { status, body } = await getHealth(await actor([role]));
      expect(status, role).toBe(200);
      expect(body, role).toMatchObject({
        status: "degraded",
        mode: "server",
        database: { reachable: true, serverVersion: expect.stringMatching(/PostgreSQL/) },
        migrations: { expected: migrationNames.length, applied: 0, pending: migrationNames },
        role: { currentUser: expect.any(String), superuser: expect.any(Boolean), hazards: expect.any(Array), exempt: false },
      });
    }
  });

  it("answers 503 when the database is down, without the error text for anonymous callers", async () => {
    await db.drop();
    const anonymous = await getHealth(null);
    expect(anonymous.status).toBe(503);
    expect(anonymous.body).toEqual({ status: "down", version: expect.any(String), checkedAt: expect.any(String) });
    const admin = await getHealth(await actor(["SYSTEM_ADMIN"]));
    expect(admin.status).toBe(503);
    expect(admin.body).toMatchObject({ status: "down", database: { reachable: false, error: expect.any(String) } });
  });
});
