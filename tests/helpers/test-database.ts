// A private database for one integration test file: a fresh database on the PostgreSQL server
// named by TEST_DATABASE_URL, or else a throwaway in-memory PGlite served on a free port.
// Files never see each other's rows.
import { randomBytes } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import pg from "pg";
import { startPgliteServer } from "@/lib/pglite-server";

export interface TestDatabase {
  url: string;
  mode: "server" | "embedded";
  drop(): Promise<void>;
}

export async function createTestDatabase(): Promise<TestDatabase> {
  const serverUrl = process.env.TEST_DATABASE_URL?.trim();
  if (!serverUrl) {
    const server = await startPgliteServer({ port: 0 });
    return { url: server.url, mode: "embedded", drop: () => server.stop() };
  }
  const name = `test_${Date.now().toString(36)}_${randomBytes(4).toString("hex")}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    mode: "server",
    async drop() {
      const client = new pg.Client({ connectionString: serverUrl });
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}

/** Applies prisma/migrations/*\/migration.sql in order, the way `migrate deploy` would. */
export async function applyMigrations(url: string): Promise<void> {
  const dir = path.join(process.cwd(), "prisma", "migrations");
  const folders = readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    for (const folder of folders) {
      await client.query(readFileSync(path.join(dir, folder, "migration.sql"), "utf8"));
    }
  } finally {
    await client.end();
  }
}

/**
 * The usual start of an integration file: a private database, migrated, made the app's database
 * (DATABASE_URL, before lib/db is first imported), seeded with the plan and the demo overlay as of
 * `today`. Returns the database (to drop in afterAll) and the app's Prisma client.
 */
export async function seededTestDatabase(today: Date): Promise<{ db: TestDatabase; prisma: typeof import("@/lib/db").prisma }> {
  const db = await createTestDatabase();
  await applyMigrations(db.url);
  process.env.DATABASE_URL = db.url;
  const { prisma } = await import("@/lib/db");
  const { runSeed } = await import("@/prisma/seed/run-seed");
  await runSeed(prisma, { demo: true, today });
  return { db, prisma };
}
