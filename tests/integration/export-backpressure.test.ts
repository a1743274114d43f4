// A streamed export holds memory bounded whatever the client's speed (docs/decisions/0035, 0039):
// the OC4IDS producer reads the next keyset page only when the consumer asks for more, so a slow
// consumer of a large export keeps the producer at most one page ahead.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { actor } from "@/tests/helpers/actors";
import { seededTestDatabase, type TestDatabase } from "@/tests/helpers/test-database";

let db: TestDatabase;
let prisma: typeof import("@/lib/db").prisma;
let oc4ids: typeof import("@/lib/data/oc4ids");

beforeAll(async () => {
  ({ db, prisma } = await seededTestDatabase(new Date("2026-11-15T00:00:00Z")));
  oc4ids = await import("@/lib/data/oc4ids");
}, 120_000);

afterAll(async () => {
  vi.restoreAllMocks();
  await prisma?.$disconnect();
  await db?.drop();
});

describe("streamed exports and a slow consumer", () => {
  it("OC4IDS: the producer reads a page only when the consumer takes one (never more than one ahead)", async () => {
    const leader = await actor(["LEADERSHIP"]);
    const batchSize = 5;
    const result = await oc4ids.streamOc4idsPackage(leader, { uri: "http://localhost/api/oc4ids", ip: null, batchSize });
    expect(result.projectCount).toBeGreaterThan(batchSize * 10); // a large export in pages
    // Count the pages the producer reads from now on (the second pass).
    const findMany = vi.spyOn(prisma.project, "findMany");
    const reader = result.body!.getReader();
    let taken = 0;
    for (let i = 0; i < 4; i++) {
      expect((await reader.read()).done).toBe(false);
      taken++;
    }
    // The consumer stops reading for a while: a push loop would read every page meanwhile.
    await new Promise((resolve) => setTimeout(resolve, 500));
    const pagesRead = findMany.mock.calls.length;
    expect(pagesRead).toBeGreaterThan(0);
    // head + 3 pages taken; at most one page read ahead of the consumer.
    expect(pagesRead).toBeLessThanOrEqual(taken);
    expect(pagesRead).toBeLessThan(result.projectCount / batchSize);
    await reader.cancel();
  });
});
