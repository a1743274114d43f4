// Evidence files in PostgreSQL (STORAGE_BACKEND=postgres, docs/decisions/0023-scale-out.md): the
// bytes come back identical across chunk boundaries, a key is written once, an empty file exists,
// an unknown or removed key is null, and a second app instance (another client) sees the same object.
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { applyMigrations, createTestDatabase, type TestDatabase } from "@/tests/helpers/test-database";

let db: TestDatabase;
let a: PrismaClient;
let b: PrismaClient;
let storage: typeof import("@/lib/storage/postgres");

async function readAll(stream: ReadableStream<Uint8Array> | null): Promise<Buffer | null> {
  if (!stream) return null;
  const parts: Uint8Array[] = [];
  const reader = stream.getReader();
  for (let next = await reader.read(); !next.done; next = await reader.read()) parts.push(next.value);
  return Buffer.concat(parts);
}

beforeAll(async () => {
  db = await createTestDatabase();
  await applyMigrations(db.url);
  process.env.DATABASE_URL = db.url;
  const { createPrismaClient } = await import("@/lib/prisma-client");
  storage = await import("@/lib/storage/postgres");
  a = createPrismaClient(db.url, 1);
  b = createPrismaClient(db.url, 1);
}, 120_000);

afterAll(async () => {
  await a?.$disconnect();
  await b?.$disconnect();
  await db?.drop();
});

describe("PostgresStorage", () => {
  it("returns the same bytes across chunk boundaries, to another instance too", async () => {
    const bytes = randomBytes(storage.CHUNK_BYTES * 2 + 12_345);
    await new storage.PostgresStorage(a).put("evidence/p1/one", bytes);
    expect(await b.storedObjectChunk.count({ where: { key: "evidence/p1/one" } })).toBe(3);
    const back = await readAll(await new storage.PostgresStorage(b).get("evidence/p1/one"));
    expect(back?.equals(bytes)).toBe(true);
  });

  it("writes a key once", async () => {
    const store = new storage.PostgresStorage(a);
    await store.put("evidence/p1/twice", Buffer.from("first"));
    await expect(store.put("evidence/p1/twice", Buffer.from("second"))).rejects.toThrow();
    expect((await readAll(await store.get("evidence/p1/twice")))?.toString()).toBe("first");
  });

  it("keeps an empty file, answers null for unknown and removed keys, refuses unsafe keys", async () => {
    const store = new storage.PostgresStorage(a);
    await store.put("evidence/p1/empty", new Uint8Array(0));
    expect((await readAll(await store.get("evidence/p1/empty")))?.length).toBe(0);
    expect(await store.get("evidence/p1/none")).toBeNull();
    await store.remove("evidence/p1/empty");
    expect(await store.get("evidence/p1/empty")).toBeNull();
    await expect(store.put("../etc/passwd", Buffer.from("x"))).rejects.toThrow(/unsafe storage key/);
  });
});
