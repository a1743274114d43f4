// The restricted login role the app serves as in production (a member of zunyi_app, docs/decisions/0009),
// for integration tests and the e2e run. Roles belong to the whole cluster and several test processes
// share one server, so it is created once, and tolerated when another process makes it at the same moment.
import pg from "pg";

/** A login role in zunyi_app. Test-only: the password is no secret. */
export const TEST_APP_ROLE = "zunyi_test_web";
const TEST_APP_PASSWORD = "zunyi-test-web";

// zunyi_app normally comes from migration audit_integrity; made here too so the login role can join
// it before the migrations run (the e2e database is migrated by npm start). Same shape as that migration.
const ENSURE_ROLES = `
DO $$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'zunyi_app') THEN
    BEGIN
      CREATE ROLE zunyi_app NOLOGIN;
    EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
    END;
  END IF;
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '${TEST_APP_ROLE}') THEN
    BEGIN
      CREATE ROLE ${TEST_APP_ROLE} LOGIN PASSWORD '${TEST_APP_PASSWORD}' NOSUPERUSER NOCREATEROLE NOBYPASSRLS IN ROLE zunyi_app;
    EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
    END;
  END IF;
  IF NOT pg_has_role('${TEST_APP_ROLE}', 'zunyi_app', 'MEMBER') THEN
    BEGIN
      GRANT zunyi_app TO ${TEST_APP_ROLE};
    EXCEPTION WHEN unique_violation THEN NULL;
    END;
  END IF;
END $$;`;

/** Makes sure zunyi_app and the test login role exist on `ownerUrl`'s cluster (as a role that may create roles). */
export async function ensureAppLoginRole(ownerUrl: string): Promise<void> {
  const client = new pg.Client({ connectionString: ownerUrl });
  await client.connect();
  try {
    await client.query(ENSURE_ROLES);
  } finally {
    await client.end();
  }
}

/** `databaseUrl` signed in as the test login role instead of its owner. */
export function appRoleUrl(databaseUrl: string): string {
  const url = new URL(databaseUrl);
  url.username = TEST_APP_ROLE;
  url.password = TEST_APP_PASSWORD;
  return url.toString();
}

/**
 * Runs `statement` as the test login role on a connection of its own. On a server the role signs
 * in; PGlite has one session that every connection shares and ignores the user name, so there the
 * role is SET for the statement and RESET after it (when the whole session is not already the role).
 */
export async function asAppRole(databaseUrl: string, mode: "server" | "embedded", statement: string): Promise<pg.QueryResult> {
  const client = new pg.Client({ connectionString: mode === "server" ? appRoleUrl(databaseUrl) : databaseUrl });
  await client.connect();
  const switchRole = mode === "embedded" && (await client.query("SELECT current_user AS u")).rows[0]?.u !== TEST_APP_ROLE;
  try {
    if (switchRole) await client.query(`SET ROLE ${TEST_APP_ROLE}`);
    return await client.query(statement);
  } finally {
    if (switchRole) await client.query("RESET ROLE").catch(() => undefined);
    await client.end();
  }
}
