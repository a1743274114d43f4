// A private database for one integration test file: a fresh database on the PostgreSQL server
// named by TEST_DATABASE_URL, or else a throwaway in-memory PGlite served on a free port.
// Files never see each other's rows.
import { randomBytes } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import pg from "pg";
import { startPgliteServer } from "@/lib/pglite-server";
import { runSql } from "./sql";

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
 *
 * `asAppRole`: the app then serves as the restricted login role (tests/helpers/app-role.ts) the way
 * production should, while the seed ran as the owner (DATABASE_OWNER_URL). On PGlite, whose one
 * session every connection shares, the whole session is SET to the role: use `asOwner` there for SQL
 * that needs the owner.
 */
export async function seededTestDatabase(
  today: Date,
  options: { asAppRole?: boolean } = {},
): Promise<{ db: TestDatabase; prisma: typeof import("@/lib/db").prisma }> {
  const db = await createTestDatabase();
  await applyMigrations(db.url);
  if (!options.asAppRole) {
    process.env.DATABASE_URL = db.url;
    const { prisma } = await import("@/lib/db");
    const { runSeed } = await import("@/prisma/seed/run-seed");
    await runSeed(prisma, { demo: true, today });
    return { db, prisma };
  }
  // Nothing below may read lib/env before DATABASE_URL names the app's role.
  const { runSeed } = await import("@/prisma/seed/run-seed");
  const { appRoleUrl, ensureAppLoginRole, TEST_APP_ROLE } = await import("./app-role");
  await ensureAppLoginRole(db.url);
  const { createPrismaClient } = await import("@/lib/prisma-client");
  const owner = createPrismaClient(db.url, 1);
  try {
    await runSeed(owner, { demo: true, today });
  } finally {
    await owner.$disconnect();
  }
  process.env.DATABASE_OWNER_URL = db.url;
  if (db.mode === "server") {
    process.env.DATABASE_URL = appRoleUrl(db.url);
  } else {
    process.env.DATABASE_URL = db.url;
    await runSql(db.url, `SET ROLE ${TEST_APP_ROLE}`);
  }
  const { prisma } = await import("@/lib/db");
  return { db, prisma };
}

/** Runs `text` as the database's owner (on PGlite: with the shared session's role reset for it). */
export async function asOwner(db: TestDatabase, text: string): Promise<pg.QueryResult> {
  const client = new pg.Client({ connectionString: db.url });
  await client.connect();
  try {
    if (db.mode === "server") return await client.query(text);
    const { rows } = await client.query<{ role: string; owner: string }>("SELECT current_user AS role, session_user AS owner");
    const role = rows[0]?.role !== rows[0]?.owner ? rows[0]?.role : undefined;
    if (!role) return await client.query(text);
    await client.query("RESET ROLE");
    try {
      return await client.query(text);
    } finally {
      await client.query(`SET ROLE "${role}"`);
    }
  } finally {
    await client.end();
  }
}
