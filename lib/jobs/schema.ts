// The graphile_worker schema (docs/decisions/0020-job-queue.md), installed by the owner, never by
// the app role. Plain Node and no lib/env: scripts/db.ts and scripts/start.ts call it directly.
import { Logger, runMigrations, type LogLevel } from "graphile-worker";
import pg from "pg";

export const GRAPHILE_SCHEMA = "graphile_worker";

export const quietLogger = new Logger(() => (level, message) => {
  if (level === ("error" as LogLevel) || level === ("warning" as LogLevel)) console.error(`[jobs] ${level}: ${message}`);
});

/**
 * Installs (or upgrades) the graphile_worker schema as the owner and grants the app role what the
 * worker needs, so the app serving as zunyi_app (docs/decisions/0009) never creates anything.
 * Called by scripts/db.ts (deploy, reset, migrate), scripts/start.ts and the tests.
 */
export async function installJobSchema(ownerUrl: string): Promise<void> {
  await runMigrations({ connectionString: ownerUrl, logger: quietLogger, schema: GRAPHILE_SCHEMA });
  const client = new pg.Client({ connectionString: ownerUrl });
  await client.connect();
  try {
    await client.query(`DO $$
DECLARE t record;
BEGIN
  IF EXISTS (SELECT FROM pg_roles WHERE rolname = 'zunyi_app') THEN
    GRANT USAGE ON SCHEMA ${GRAPHILE_SCHEMA} TO zunyi_app;
    GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA ${GRAPHILE_SCHEMA} TO zunyi_app;
    GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA ${GRAPHILE_SCHEMA} TO zunyi_app;
    GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA ${GRAPHILE_SCHEMA} TO zunyi_app;
    -- graphile-worker turns row-level security on for its private tables; the app role's policy.
    FOR t IN SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
              WHERE n.nspname = '${GRAPHILE_SCHEMA}' AND c.relkind = 'r' AND c.relrowsecurity LOOP
      IF NOT EXISTS (SELECT FROM pg_policies WHERE schemaname = '${GRAPHILE_SCHEMA}' AND tablename = t.relname AND policyname = 'zunyi_app_worker') THEN
        EXECUTE format('CREATE POLICY zunyi_app_worker ON ${GRAPHILE_SCHEMA}.%I FOR ALL TO zunyi_app USING (true) WITH CHECK (true)', t.relname);
      END IF;
    END LOOP;
  END IF;
END $$;`);
  } finally {
    await client.end();
  }
}

