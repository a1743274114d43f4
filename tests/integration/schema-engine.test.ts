// The schema-engine stand-in (prisma/engine/schema-engine.mjs) driven through the real Prisma CLI,
// against a private database: PostgreSQL when TEST_DATABASE_URL is set, else an in-memory PGlite.
// Uses its own fixture schema and migrations (tests/fixtures/engine), copied to a temporary folder
// because `migrate dev` writes migrations. See docs/decisions/0002-schema-engine-stand-in.md.
import { spawn } from "node:child_process";
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sqlOn } from "@/tests/helpers/sql";
import { createTestDatabase, type TestDatabase } from "@/tests/helpers/test-database";

const fixtureDir = fileURLToPath(new URL("../fixtures/engine", import.meta.url));
const repoRoot = path.resolve(fixtureDir, "..", "..", "..");
const prismaCli = path.join(repoRoot, "node_modules", "prisma", "build", "index.js");
const configPath = path.join(fixtureDir, "prisma.config.ts");
const engineBinary = path.join(repoRoot, "prisma", "engine", "schema-engine.mjs");

interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
  output: string;
}

let db: TestDatabase;
const { sql } = sqlOn(() => db.url);
let workDir: string;

/** Runs the Prisma CLI asynchronously (an in-process PGlite server must keep serving meanwhile). */
function prisma(args: string[], databaseUrl = db.url): Promise<CliResult> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_URL: databaseUrl,
    ENGINE_FIXTURE_DIR: workDir,
    PRISMA_SCHEMA_ENGINE_BINARY: engineBinary,
    PRISMA_HIDE_UPDATE_MESSAGE: "1",
    CHECKPOINT_DISABLE: "1",
    NO_COLOR: "1",
  };
  delete env.SHADOW_DATABASE_URL;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [prismaCli, ...args, "--config", configPath], { cwd: repoRoot, env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => (stdout += chunk));
    child.stderr.on("data", (chunk) => (stderr += chunk));
    const timer = setTimeout(() => child.kill("SIGKILL"), 60_000);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, output: `${stdout}\n${stderr}` });
    });
  });
}

async function publicObjects(): Promise<string[]> {
  const rows = await sql<{ name: string }>(`
    select 'table:' || table_name as name from information_schema.tables where table_schema = 'public'
    union all
    select 'type:' || t.typname from pg_type t join pg_namespace n on n.oid = t.typnamespace
      where n.nspname = 'public' and t.typtype = 'e'
    union all
    select 'function:' || p.proname from pg_proc p join pg_namespace n on n.oid = p.pronamespace where n.nspname = 'public'
    order by 1`);
  return rows.map((row) => row.name);
}

/** Every database on the server (on PGlite: its fixed catalogue, since it ignores database names). */
async function databaseNames(): Promise<string[]> {
  return (await sql<{ datname: string }>("select datname from pg_database order by 1")).map((row) => row.datname);
}

function currentDatabaseName(): string {
  return decodeURIComponent(new URL(db.url).pathname.slice(1));
}

beforeAll(async () => {
  db = await createTestDatabase();
  workDir = mkdtempSync(path.join(tmpdir(), "schema-engine-test-"));
  cpSync(path.join(fixtureDir, "schema.prisma"), path.join(workDir, "schema.prisma"));
  cpSync(path.join(fixtureDir, "migrations"), path.join(workDir, "migrations"), { recursive: true });
});

afterAll(async () => {
  await db?.drop();
  if (workDir) rmSync(workDir, { recursive: true, force: true });
});

const driftCheck = ["migrate", "diff", "--from-migrations", "MIGRATIONS", "--to-config-datasource", "--exit-code"];
const drift = () => prisma(driftCheck.map((arg) => (arg === "MIGRATIONS" ? path.join(workDir, "migrations") : arg)));

describe("schema-engine stand-in", () => {
  it("migrate deploy applies the fixture migrations to an empty database", async () => {
    const result = await prisma(["migrate", "deploy"]);
    expect(result.output).toContain("All migrations have been successfully applied");
    expect(result.code).toBe(0);
    expect(await publicObjects()).toEqual([
      "function:fixture_trim_name",
      "table:FixtureProject",
      "table:FixtureTask",
      "table:_prisma_migrations",
      "type:FixtureStatus",
    ]);
    // Sent as one script: the semicolons in the comment, string and function body survived.
    expect(await sql(`select name from "FixtureProject"`)).toEqual([{ name: "first; project" }]);
    const applied = await sql<{ migration_name: string }>(
      "select migration_name from _prisma_migrations where finished_at is not null order by 1",
    );
    expect(applied.map((row) => row.migration_name)).toEqual(["20260101000000_init", "20260102000000_custom_sql"]);
  });

  it("migrate status reports the database up to date", async () => {
    const result = await prisma(["migrate", "status"]);
    expect(result.output).toContain("Database schema is up to date!");
    expect(result.code).toBe(0);
  });

  it("the drift check passes on a clean database and fails after a manual ALTER TABLE", async () => {
    const clean = await drift();
    expect(clean.output).toContain("No difference detected");
    expect(clean.code).toBe(0);

    await sql(`ALTER TABLE "FixtureTask" ADD COLUMN "sneaky" INTEGER`);
    try {
      const drifted = await drift();
      expect(drifted.code).toBe(2);
      expect(drifted.stdout).toContain("Added column `sneaky`");
    } finally {
      await sql(`ALTER TABLE "FixtureTask" DROP COLUMN "sneaky"`);
    }
  });

  it("migrate dev creates a migration on a shadow database without touching the main database", async () => {
    // Record every DDL statement run on the main database (outside the public schema Prisma manages).
    await sql(`
      CREATE SCHEMA engine_audit;
      CREATE TABLE engine_audit.ddl (id serial PRIMARY KEY, tag text, identity text);
      CREATE FUNCTION engine_audit.log_ddl() RETURNS event_trigger LANGUAGE plpgsql AS $$
      DECLARE r record;
      BEGIN
        FOR r IN SELECT * FROM pg_event_trigger_ddl_commands() LOOP
          INSERT INTO engine_audit.ddl (tag, identity) VALUES (r.command_tag, r.object_identity);
        END LOOP;
      END $$;
      CREATE FUNCTION engine_audit.log_drop() RETURNS event_trigger LANGUAGE plpgsql AS $$
      DECLARE r record;
      BEGIN
        FOR r IN SELECT * FROM pg_event_trigger_dropped_objects() LOOP
          INSERT INTO engine_audit.ddl (tag, identity) VALUES ('DROP ' || r.object_type, r.object_identity);
        END LOOP;
      END $$;
      CREATE EVENT TRIGGER engine_audit_ddl ON ddl_command_end EXECUTE FUNCTION engine_audit.log_ddl();
      CREATE EVENT TRIGGER engine_audit_drop ON sql_drop EXECUTE FUNCTION engine_audit.log_drop();`);
    const databasesBefore = await databaseNames();
    try {
      const schemaFile = path.join(workDir, "schema.prisma");
      writeFileSync(
        schemaFile,
        readFileSync(schemaFile, "utf8").replace("  done      Boolean        @default(false)\n", "  done      Boolean        @default(false)\n  dueOn     DateTime?\n"),
      );

      const result = await prisma(["migrate", "dev", "--name", "add_due_on"]);
      expect(result.output).toContain("Your database is now in sync with your schema");
      expect(result.code).toBe(0);

      const created = readdirSync(path.join(workDir, "migrations")).filter((name) => name.endsWith("_add_due_on"));
      expect(created).toHaveLength(1);
      const script = readFileSync(path.join(workDir, "migrations", created[0]!, "migration.sql"), "utf8");
      expect(script).toMatch(/ALTER TABLE "FixtureTask" ADD COLUMN\s+"dueOn" TIMESTAMP\(3\)/);

      // The only DDL the main database saw is the new migration; the replay of all migrations
      // (CREATE TYPE/TABLE/FUNCTION ...) happened elsewhere.
      const ddl = await sql<{ tag: string; identity: string }>("select tag, identity from engine_audit.ddl order by id");
      expect(ddl).toEqual([{ tag: "ALTER TABLE", identity: 'public."FixtureTask"' }]);
      expect(await publicObjects()).toEqual([
        "function:fixture_trim_name",
        "table:FixtureProject",
        "table:FixtureTask",
        "table:_prisma_migrations",
        "type:FixtureStatus",
      ]);
      expect(await sql(`select name from "FixtureProject"`)).toEqual([{ name: "first; project" }]);
      // No shadow database left behind (nor created on PGlite, where names would all be this database).
      const databasesAfter = await databaseNames();
      expect(databasesAfter.filter((name) => name.includes("prisma_shadow") && name.startsWith(currentDatabaseName()))).toEqual([]);
      if (db.mode === "embedded") expect(databasesAfter).toEqual(databasesBefore);
    } finally {
      await sql(`
        DROP EVENT TRIGGER IF EXISTS engine_audit_ddl;
        DROP EVENT TRIGGER IF EXISTS engine_audit_drop;
        DROP SCHEMA IF EXISTS engine_audit CASCADE;`);
    }
  });

  it("an unreachable database fails with a readable P1001 error, never a silent success", async () => {
    const unreachable = "postgresql://postgres@127.0.0.1:1/unreachable";
    const deploy = await prisma(["migrate", "deploy"], unreachable);
    expect(deploy.code).not.toBe(0);
    expect(deploy.output).toContain("P1001");
    expect(deploy.output).toContain("Can't reach database server at `127.0.0.1:1`");

    // The drift check goes through the JSON-RPC path: an error (1), not "drift found" (2).
    const check = await prisma(
      driftCheck.map((arg) => (arg === "MIGRATIONS" ? path.join(workDir, "migrations") : arg)),
      unreachable,
    );
    expect(check.code).toBe(1);
    expect(check.output).toContain("Can't reach database server at `127.0.0.1:1`");
  });
});
