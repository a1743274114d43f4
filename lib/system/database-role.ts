// Which PostgreSQL role the app serves as, and whether that role could switch the audit log's
// triggers off (docs/decisions/0009). instrumentation.ts refuses to serve as such a role unless
// ALLOW_SUPERUSER=1; /admin/system shows the same report. Embedded PGlite is a single-user
// database on the app's own disk and is exempt. No "server-only": instrumentation.ts loads it.
import pg from "pg";
import { env } from "@/lib/env";

/** The group role the migrations create: DML on every table, only INSERT and SELECT on the audit log. */
export const APP_GROUP_ROLE = "zunyi_app";

export interface DatabaseRoleReport {
  currentUser: string;
  superuser: boolean;
  /** BYPASSRLS: row-level security does not apply to it. */
  bypassRls: boolean;
  /** CREATEROLE: may create roles and (before PostgreSQL 16, or with ADMIN) grant itself others' memberships. */
  createRole: boolean;
  /** May set session_replication_role, which switches every ordinary trigger off. */
  canDisableTriggers: boolean;
  /** Tables carrying triggers (the audit log's included) that this role owns or may act as owner of. */
  ownedGuardedTables: string[];
  /** Member of zunyi_app; null when that role does not exist in this cluster. */
  memberOfAppRole: boolean | null;
}

type Query = (sql: string) => Promise<Record<string, unknown>[]>;

const ROLE_SQL = `
  SELECT current_user::text AS "currentUser", r.rolsuper AS superuser, r.rolbypassrls AS "bypassRls",
         r.rolcreaterole AS "createRole",
         current_setting('server_version_num')::int AS "versionNum",
         CASE WHEN EXISTS (SELECT FROM pg_roles WHERE rolname = '${APP_GROUP_ROLE}')
              THEN pg_has_role(current_user, '${APP_GROUP_ROLE}', 'MEMBER') END AS "memberOfAppRole",
         ARRAY(
           SELECT DISTINCT c.relname::text FROM pg_trigger t
             JOIN pg_class c ON c.oid = t.tgrelid
             JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE NOT t.tgisinternal AND n.nspname = ANY (current_schemas(false))
              AND pg_has_role(current_user, c.relowner, 'MEMBER')
            ORDER BY 1
         ) AS "ownedGuardedTables"
    FROM pg_roles r WHERE r.rolname = current_user`;

/** Reads the report through any SQL runner (a `pg` client at start-up, Prisma on /admin/system). */
export async function inspectDatabaseRole(query: Query): Promise<DatabaseRoleReport> {
  const [row] = await query(ROLE_SQL);
  if (!row) throw new Error("current_user has no pg_roles row");
  const superuser = row.superuser === true;
  // SET on a parameter can be granted since PostgreSQL 15; before that only superusers hold it.
  const canDisableTriggers =
    superuser ||
    (Number(row.versionNum) >= 150000 &&
      (await query(`SELECT has_parameter_privilege('session_replication_role', 'SET') AS ok`))[0]?.ok === true);
  return {
    currentUser: String(row.currentUser),
    superuser,
    bypassRls: row.bypassRls === true,
    createRole: row.createRole === true,
    canDisableTriggers,
    ownedGuardedTables: (row.ownedGuardedTables as string[] | null) ?? [],
    memberOfAppRole: row.memberOfAppRole === null || row.memberOfAppRole === undefined ? null : row.memberOfAppRole === true,
  };
}

/** Why this role may switch the audit triggers off (or grant itself a role that may); empty when it may not. */
export function roleHazards(report: DatabaseRoleReport): string[] {
  const hazards: string[] = [];
  if (report.superuser) hazards.push("is a superuser");
  if (!report.superuser && report.ownedGuardedTables.length) {
    hazards.push(`owns (or may act as the owner of) the tables whose triggers guard the data: ${report.ownedGuardedTables.map((t) => `"${t}"`).join(", ")}`);
  }
  if (!report.superuser && report.canDisableTriggers) hazards.push("may set session_replication_role (switches triggers off)");
  if (!report.superuser && report.bypassRls) hazards.push("has BYPASSRLS");
  if (!report.superuser && report.createRole) hazards.push("has CREATEROLE");
  return hazards;
}

export type StartupDecision =
  | { verdict: "exempt" }
  | { verdict: "allowed"; report: DatabaseRoleReport }
  | { verdict: "overridden"; report: DatabaseRoleReport; hazards: string[] }
  | { verdict: "refused"; report: DatabaseRoleReport; hazards: string[]; message: string };

export interface StartupCheckOptions {
  mode: "embedded" | "server";
  url: string;
  allowSuperuser: boolean;
}

/** The start-up rule: on a server, a role with hazards is refused unless ALLOW_SUPERUSER=1. */
export async function checkDatabaseRoleAtStartup(options: StartupCheckOptions): Promise<StartupDecision> {
  if (options.mode === "embedded") return { verdict: "exempt" };
  const client = new pg.Client({ connectionString: options.url, connectionTimeoutMillis: 10_000 });
  await client.connect();
  let report: DatabaseRoleReport;
  try {
    report = await inspectDatabaseRole(async (sql) => (await client.query(sql)).rows as Record<string, unknown>[]);
  } finally {
    await client.end().catch(() => undefined);
  }
  const hazards = roleHazards(report);
  if (!hazards.length) return { verdict: "allowed", report };
  if (options.allowSuperuser) return { verdict: "overridden", report, hazards };
  return { verdict: "refused", report, hazards, message: refusalMessage(report, hazards, options.url) };
}

/** `url` signed in as `user` (and `password`); the current password is never printed. */
function withUser(url: string, user: string, password?: string): string {
  try {
    const parsed = new URL(url);
    parsed.username = user;
    if (password !== undefined) parsed.password = password;
    else if (parsed.password) parsed.password = "****";
    return parsed.toString();
  } catch {
    return `postgresql://${user}@host/database`;
  }
}

export function refusalMessage(report: DatabaseRoleReport, hazards: string[], url: string): string {
  const lines = [
    `Refusing to serve: DATABASE_URL connects as "${report.currentUser}", which ${hazards.join("; ")}.`,
    "Such a role can switch the audit log's triggers off (docs/decisions/0009). Serve as a login role in",
    `the group role ${APP_GROUP_ROLE} instead, and keep "${report.currentUser}" for migrations, seed and purge:`,
    "",
  ];
  if (report.memberOfAppRole === null) {
    lines.push(`  -- ${APP_GROUP_ROLE} does not exist yet: run the migrations as a role that may create roles, or as a DBA:`);
    lines.push(`  --   CREATE ROLE ${APP_GROUP_ROLE} NOLOGIN; then re-apply the grants of migration audit_integrity`);
  }
  lines.push(
    `  -- once, as "${report.currentUser}" or a DBA (psql):`,
    `  CREATE ROLE zunyi_web LOGIN PASSWORD 'choose-a-password' IN ROLE ${APP_GROUP_ROLE};`,
    "  -- behind PgBouncer, where the app's own statement timeout cannot reach the server (docs/decisions/0044):",
    "  ALTER ROLE zunyi_web SET statement_timeout = '30s';",
    "",
    "  # then start the app with both settings:",
    `  DATABASE_OWNER_URL=${withUser(url, report.currentUser)}`,
    `  DATABASE_URL=${withUser(url, "zunyi_web", "choose-a-password")}`,
    "",
    "To serve as this role anyway (development only), set ALLOW_SUPERUSER=1.",
  );
  return lines.join("\n");
}

/**
 * Called by instrumentation.ts before the server takes a request: exits the process when the
 * role is refused. A database that does not answer is tried `attempts` times, `delayMs` apart
 * (about 30 s when the connection is refused; each try gives up after 10 s), then the process ends
 * too: the check is not skipped by starting while the database is down.
 */
export async function enforceDatabaseRoleAtStartup(attempts = 15, delayMs = 2000): Promise<StartupDecision> {
  const options = { mode: env.database.mode, url: env.database.url, allowSuperuser: env.ALLOW_SUPERUSER };
  let decision: StartupDecision;
  try {
    decision = await withRetries(() => checkDatabaseRoleAtStartup(options), attempts, delayMs);
  } catch (error) {
    console.error(`[db] cannot check the database role (${error instanceof Error ? error.message : String(error)}); not serving.`);
    return process.exit(1);
  }
  if (decision.verdict === "refused") {
    console.error(`[db] ${decision.message}`);
    return process.exit(1);
  }
  if (decision.verdict === "overridden") {
    console.warn(`[db] WARNING: serving as "${decision.report.currentUser}", which ${decision.hazards.join("; ")}, because ALLOW_SUPERUSER=1.`);
  } else if (decision.verdict === "allowed") {
    console.log(`[db] serving as database role "${decision.report.currentUser}"`);
  }
  return decision;
}

async function withRetries<T>(run: () => Promise<T>, attempts: number, delayMs: number): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await run();
    } catch (error) {
      if (attempt >= attempts) throw error;
      console.error(`[db] cannot check the database role yet (${error instanceof Error ? error.message : String(error)}); retrying`);
      await new Promise((resolve) => setTimeout(resolve, delayMs));
    }
  }
}
