// One request's SQL is bounded in time (docs/decisions/0044): the request clients connect with
// DATABASE_STATEMENT_TIMEOUT_MS, the server cancels a statement past it, a route answers 503 with
// Retry-After, a form says nothing was saved, and the transaction's writes are rolled back. The
// statements here are made slow the way production makes them slow: waiting on a lock another
// session holds (a lock wait counts towards statement_timeout).
import { NextRequest } from "next/server";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { z } from "zod";
import type { CurrentUser } from "@/lib/auth/session";
import { actor } from "@/tests/helpers/actors";
import { seededTestDatabase, type TestDatabase } from "@/tests/helpers/test-database";

const TIMEOUT_MS = 400;
process.env.DATABASE_STATEMENT_TIMEOUT_MS = String(TIMEOUT_MS);

const session = vi.hoisted(() => ({ user: null as CurrentUser | null }));
vi.mock("@/lib/auth/session", async (importOriginal) => ({
  ...(await importOriginal<typeof import("@/lib/auth/session")>()),
  getCurrentUser: async () => session.user,
}));
vi.mock("next/headers", () => ({ headers: async () => new Headers(), cookies: async () => ({ get: () => undefined, set: () => undefined }) }));

let db: TestDatabase;
let prisma: typeof import("@/lib/db").prisma;
let leader: CurrentUser;
let v1projects: typeof import("@/app/api/v1/projects/route");

beforeAll(async () => {
  ({ db, prisma } = await seededTestDatabase(new Date("2026-11-15T00:00:00Z"), { asAppRole: true }));
  leader = await actor(["LEADERSHIP"]);
  v1projects = await import("@/app/api/v1/projects/route");
}, 120_000);

afterAll(async () => {
  await db?.drop();
});

/** Holds an ACCESS EXCLUSIVE lock on "Project" from another session while `run` runs. */
async function whileProjectsLocked<T>(run: () => Promise<T>): Promise<T> {
  const holder = new pg.Client({ connectionString: db.url });
  await holder.connect();
  try {
    await holder.query(`BEGIN; LOCK TABLE "Project" IN ACCESS EXCLUSIVE MODE`);
    return await run();
  } finally {
    await holder.query("ROLLBACK").catch(() => undefined);
    await holder.end();
  }
}

describe("statement timeout", () => {
  it("the request client connects with DATABASE_STATEMENT_TIMEOUT_MS (PGlite, single-user, ignores it)", async () => {
    const { env } = await import("@/lib/env");
    expect(env.statementTimeoutMs).toBe(TIMEOUT_MS);
    const [row] = await prisma.$queryRaw<{ statement_timeout: string }[]>`SHOW statement_timeout`;
    expect(row!.statement_timeout).toBe(db.mode === "server" ? `${TIMEOUT_MS}ms` : "0");
  });

  it("a read that runs past it answers 503 with Retry-After; the next one is served", async () => {
    session.user = leader;
    const get = () => v1projects.GET(new NextRequest("http://localhost/api/v1/projects"), { params: Promise.resolve({}) });
    if (db.mode === "server") {
      const started = Date.now();
      const refused = await whileProjectsLocked(get);
      expect(refused.status).toBe(503);
      expect(refused.headers.get("Retry-After")).toBe("30");
      expect(await refused.json()).toEqual({ error: "timeout" });
      // Cancelled at the timeout, not after the lock was released.
      expect(Date.now() - started).toBeLessThan(10_000);
    }
    const served = await get();
    expect(served.status).toBe(200);
  });

  it("a form whose transaction runs past it says nothing was saved, and nothing was", async () => {
    const { performAction } = await import("@/lib/action");
    const name = `超时测试单位-${Date.now()}`;
    const work = async ({ name }: { name: string }) => {
      await prisma.$transaction(async (tx) => {
        await tx.organization.create({ data: { name, kind: "ENTERPRISE" } });
        await tx.$queryRaw`SELECT count(*) FROM "Project"`;
      });
    };
    const schema = z.object({ name: z.string() });
    if (db.mode === "server") {
      const state = await whileProjectsLocked(() => performAction(schema, { name }, { user: leader, ip: "127.0.0.1" }, work));
      expect(state).toMatchObject({ status: "error", formError: "validation.timeout" });
      expect(await prisma.organization.count({ where: { name } })).toBe(0);
    }
    const state = await performAction(schema, { name }, { user: leader, ip: "127.0.0.1" }, work);
    expect(state.status).toBe("ok");
    expect(await prisma.organization.count({ where: { name } })).toBe(1);
  });
});
