// The start and db scripts open the embedded PGlite folder in one process only; a second
// process connects to the first one's port instead, and data survives a restart.
import { mkdtempSync, rmSync, existsSync } from "node:fs";
import { createServer } from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ensureDatabase } from "@/scripts/lib/embedded-db";
import { runSql } from "@/tests/helpers/sql";

const dir = mkdtempSync(path.join(os.tmpdir(), "embedded-db-test-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
  });
}

describe("embedded database", () => {
  it("serves one folder from one process, shares the port, and keeps data across restarts", async () => {
    const env = { PGLITE_DIR: path.join(dir, "pglite"), PGLITE_PORT: String(await freePort()) };
    const first = await ensureDatabase(env);
    expect(first.owned).toBe(true);
    expect(existsSync(`${env.PGLITE_DIR}.lock`)).toBe(true);
    await runSql(first.db.url, "CREATE TABLE kept (v text); INSERT INTO kept VALUES ('遵义')");

    const second = await ensureDatabase(env);
    expect(second.owned).toBe(false);
    expect((await runSql(second.db.url, "SELECT v FROM kept")).rows).toEqual([{ v: "遵义" }]);

    await first.stop();
    expect(existsSync(`${env.PGLITE_DIR}.lock`)).toBe(false);

    const restarted = await ensureDatabase(env);
    expect(restarted.owned).toBe(true);
    expect((await runSql(restarted.db.url, "SELECT v FROM kept")).rows).toEqual([{ v: "遵义" }]);
    await restarted.stop();
  });

  it("refuses to open a folder another live process holds", async () => {
    const env = { PGLITE_DIR: path.join(dir, "held"), PGLITE_PORT: String(await freePort()) };
    const { writeFileSync, mkdirSync } = await import("node:fs");
    mkdirSync(env.PGLITE_DIR, { recursive: true });
    writeFileSync(`${env.PGLITE_DIR}.lock`, String(process.ppid)); // a live process that is not us
    await expect(ensureDatabase(env)).rejects.toThrow(/正被进程/);
  });

  it("uses DATABASE_URL without touching PGlite", async () => {
    const handle = await ensureDatabase({ DATABASE_URL: "postgresql://example.invalid/db" });
    expect(handle).toMatchObject({ owned: false, db: { mode: "server", url: "postgresql://example.invalid/db" } });
  });
});
