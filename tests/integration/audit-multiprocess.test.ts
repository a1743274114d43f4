// The audit chain stays one chain when two app instances (two processes, two connection pools)
// append at the same time: the transaction-scoped advisory lock in appendAuditEvent is held by the
// database, not by a process, so it serialises writers on different machines too
// (docs/decisions/0023-scale-out.md). tests/integration/audit.test.ts covers many writers in one process.
import { spawn } from "node:child_process";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sqlOn } from "@/tests/helpers/sql";
import { applyMigrations, createTestDatabase, type TestDatabase } from "@/tests/helpers/test-database";

let db: TestDatabase;
const { query } = sqlOn(() => db.url);

beforeAll(async () => {
  db = await createTestDatabase();
  await applyMigrations(db.url);
}, 120_000);

afterAll(async () => {
  await db?.drop();
});

function runWorker(name: string, count: number, startAt: number, url: string): Promise<void> {
  const tsx = path.resolve("node_modules/.bin/tsx");
  return new Promise((resolve, reject) => {
    const child = spawn(tsx, ["tests/helpers/audit-append-worker.ts"], {
      env: { ...process.env, DATABASE_URL: url, AUDIT_WORKER_NAME: name, AUDIT_WORKER_COUNT: String(count), AUDIT_WORKER_START_AT: String(startAt) },
      stdio: ["ignore", "inherit", "pipe"],
    });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("error", reject);
    child.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`worker ${name} exited ${code}: ${stderr.slice(-2000)}`))));
  });
}

describe("two processes appending at once", () => {
  it("keep one chain: no gap, no fork, every hash verifies, and their events interleave", { timeout: 300_000 }, async () => {
    const perWorker = db.mode === "server" ? 1_000 : 200;
    const url = new URL(db.url);
    if (db.mode === "server") url.searchParams.set("options", "-c synchronous_commit=off");
    // Both processes load the app's modules first and start writing at the same instant.
    const startAt = Date.now() + 8_000;
    await Promise.all([runWorker("A", perWorker, startAt, url.toString()), runWorker("B", perWorker, startAt, url.toString())]);

    const total = perWorker * 2;
    const stats = await query(
      `SELECT count(*)::int AS n, min(seq)::int AS lo, max(seq)::int AS hi, count(DISTINCT "prevHash")::int AS links,
              count(*) FILTER (WHERE "entityId" = 'A')::int AS a, count(*) FILTER (WHERE "entityId" = 'B')::int AS b
         FROM "AuditEvent" WHERE action = 'cluster.append'`,
    );
    expect(stats.rows[0]).toEqual({ n: total, lo: 1, hi: total, links: total, a: perWorker, b: perWorker });
    // The two processes really wrote at the same time: in seq order the writer changes many times.
    const switches = await query(
      `SELECT count(*)::int AS n FROM (SELECT "entityId", lag("entityId") OVER (ORDER BY seq) AS prev FROM "AuditEvent") s WHERE prev IS NOT NULL AND prev <> "entityId"`,
    );
    expect(switches.rows[0]?.n).toBeGreaterThan(10);

    process.env.DATABASE_URL = db.url;
    const [{ verifyAuditChain }, { createPrismaClient }] = await Promise.all([import("@/lib/audit/log"), import("@/lib/prisma-client")]);
    const client = createPrismaClient(db.url, 2);
    try {
      expect(await verifyAuditChain(client)).toMatchObject({ ok: true, checked: total, lastSeq: BigInt(total) });
    } finally {
      await client.$disconnect();
    }
  });
});
