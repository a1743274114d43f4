// Bulk downloads are admitted a few at a time (lib/http/bulk-slots.ts): 100 concurrent OC4IDS
// downloads at 100k projects exhausted the server's heap (bench/RESULTS.md, 2026-12-07). Through the
// real route handlers: a user's third concurrent download gets 429 (their own doing, never a 5xx),
// the instance's fifth 503, both with Retry-After and a message in the user's language; a slot comes back when a body has been read to
// the end or the client cancelled it; pages and the paginated read API are never limited.
import { NextRequest } from "next/server";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { CurrentUser } from "@/lib/auth/session";
import { actor } from "@/tests/helpers/actors";
import { seededTestDatabase, type TestDatabase } from "@/tests/helpers/test-database";

const session = vi.hoisted(() => ({ user: null as CurrentUser | null }));
vi.mock("@/lib/auth/session", async (importOriginal) => ({
  ...(await importOriginal<typeof import("@/lib/auth/session")>()),
  getCurrentUser: async () => session.user,
}));
vi.mock("next/headers", () => ({ headers: async () => new Headers(), cookies: async () => ({ get: () => undefined, set: () => undefined }) }));

let db: TestDatabase;
let leader: CurrentUser;
let otherLeader: CurrentUser;
let oc4ids: typeof import("@/app/api/oc4ids/route");
let v1projects: typeof import("@/app/api/v1/projects/route");
let slots: typeof import("@/lib/http/bulk-slots");

beforeAll(async () => {
  ({ db } = await seededTestDatabase(new Date("2026-11-15T00:00:00Z")));
  leader = await actor(["LEADERSHIP"]);
  otherLeader = { ...(await actor(["LEADERSHIP"])), id: "00000000-0000-0000-0000-000000000002" };
  oc4ids = await import("@/app/api/oc4ids/route");
  v1projects = await import("@/app/api/v1/projects/route");
  slots = await import("@/lib/http/bulk-slots");
}, 120_000);

afterAll(async () => {
  await db?.drop();
});

async function download(user: CurrentUser): Promise<Response> {
  session.user = user;
  return oc4ids.GET(new NextRequest("http://localhost/api/oc4ids"), { params: Promise.resolve({}) });
}

describe("bulk downloads", () => {
  it("admits two per user (429 beyond) and four per instance (503 beyond), and frees a slot when a body ends or is cancelled", async () => {
    expect(slots.downloadSlots.inUse()).toBe(0);
    const a = await download(leader);
    const b = await download(leader);
    expect([a.status, b.status]).toEqual([200, 200]);
    const refused = await download(leader);
    expect(refused.status).toBe(429);
    expect(refused.headers.get("Retry-After")).toBe(String(slots.BULK_RETRY_AFTER_SECONDS));
    const body = (await refused.json()) as { error: string; message: string };
    expect(body.error).toBe("too many downloads");
    expect(body.message).toBe("您已有 2 个下载正在进行，请等待其中一个完成，或 10 秒后重试。");

    // Another user still gets in, up to the instance's four.
    const c = await download(otherLeader);
    const d = await download(otherLeader);
    expect([c.status, d.status]).toEqual([200, 200]);
    expect(slots.downloadSlots.inUse()).toBe(4);
    // A third user, within their own share, meets the full instance: 503.
    session.user = { ...otherLeader, id: "00000000-0000-0000-0000-000000000003" };
    const english = await oc4ids.GET(new NextRequest("http://localhost/api/oc4ids", { headers: { cookie: "NEXT_LOCALE=en" } }), { params: Promise.resolve({}) });
    expect(english.status).toBe(503);
    const busy = (await english.json()) as { error: string; message: string };
    expect(busy.error).toBe("busy");
    expect(busy.message).toMatch(/^Too many downloads are in progress on this server/);
    // The caller's own share is checked first: at the instance's limit, a user holding two still gets 429.
    expect((await download(leader)).status).toBe(429);

    // The paginated read API is not a bulk download: never refused for that.
    session.user = leader;
    const page = await v1projects.GET(new NextRequest("http://localhost/api/v1/projects?limit=5"), { params: Promise.resolve({}) });
    expect(page.status).toBe(200);

    // A body read to its end gives its slot back; so does a client that went away.
    const text = await a.text();
    expect(JSON.parse(text)).toHaveProperty("projects");
    await b.body!.cancel();
    expect(slots.downloadSlots.inUse()).toBe(2);
    const again = await download(leader);
    expect(again.status).toBe(200);
    await again.body!.cancel();
    await c.body!.cancel();
    await d.body!.cancel();
    expect(slots.downloadSlots.inUse()).toBe(0);
  }, 60_000);

  it("a bad query is answered 400 without waiting for a slot, even by a user holding their share", async () => {
    const a = await download(leader);
    const b = await download(leader);
    expect([a.status, b.status]).toEqual([200, 200]);
    session.user = leader;
    for (let i = 0; i < 6; i++) {
      // A malformed plan (the query schema's 400); a well-formed unknown one is the handler's own 400.
      const response = await oc4ids.GET(new NextRequest("http://localhost/api/oc4ids?plan=Zunyi%2099"), { params: Promise.resolve({}) });
      expect(response.status).toBe(400);
      expect(((await response.json()) as { problems: { field: string }[] }).problems.map((p) => p.field)).toEqual(["plan"]);
    }
    expect(slots.downloadSlots.inUse()).toBe(2);
    await a.body!.cancel();
    await b.body!.cancel();
    expect(slots.downloadSlots.inUse()).toBe(0);
  });
});
