// What GET /api/health and /admin/system report: version, database reachability, migrations
// applied vs pending, embedded PGlite or a PostgreSQL server, and the database role the app serves
// as. Anonymous callers (load balancers, the e2e web server probe) get the status and app version
// only: the database's build string, migration names and error text are for administrators.
import "server-only";
import { readdir } from "node:fs/promises";
import path from "node:path";
import packageJson from "@/package.json";
import { prisma } from "@/lib/db";
import { canAny, type Permission } from "@/lib/auth/permissions";
import type { CurrentUser } from "@/lib/auth/session";
import { env } from "@/lib/env";
import { inspectDatabaseRole, roleHazards } from "./database-role";

/** What anyone may know: up or down, and which release. */
export interface PublicHealth {
  status: "ok" | "degraded" | "down";
  version: string;
  checkedAt: string;
}

/** The role the app's connections run as (docs/decisions/0009). */
export interface DatabaseRoleStatus {
  currentUser: string;
  superuser: boolean;
  memberOfAppRole: boolean | null;
  /** Why the start-up check would refuse this role; empty when it would not. */
  hazards: string[];
  /** Serving despite hazards because ALLOW_SUPERUSER=1. */
  allowSuperuserOverride: boolean;
  /** Embedded PGlite is a single-user database on the app's disk: the check does not apply. */
  exempt: boolean;
}

export interface HealthReport extends PublicHealth {
  mode: "embedded" | "server";
  database: { reachable: boolean; serverVersion?: string; error?: string };
  migrations: { expected: number; applied: number; pending: string[]; failed: string[] };
  role?: DatabaseRoleStatus;
}

/**
 * Who sees the details: the system and security administrators (system:read:all, as /admin/system)
 * and the audit administrator (audit:checkpoint:all, held by that role alone), who answers for the
 * app's database role being unable to touch the audit log.
 */
export const HEALTH_DETAILS = ["system:read:all", "audit:checkpoint:all"] as const satisfies readonly Permission[];

export function canSeeHealthDetails(user: CurrentUser | null): boolean {
  return canAny(user, HEALTH_DETAILS);
}

/** GET /api/health: the full report for administrators, status and version for everyone else. */
export async function healthFor(user: CurrentUser | null): Promise<PublicHealth | HealthReport> {
  const report = await checkHealth();
  if (canSeeHealthDetails(user)) return report;
  return { status: report.status, version: report.version, checkedAt: report.checkedAt };
}

export async function listMigrationFolders(): Promise<string[]> {
  const entries = await readdir(path.join(/*turbopackIgnore: true*/ process.cwd(), "prisma", "migrations"), {
    withFileTypes: true,
  }).catch(() => []);
  return entries.filter((entry) => entry.isDirectory()).map((entry) => entry.name).sort();
}

export async function checkHealth(): Promise<HealthReport> {
  const expected = await listMigrationFolders();
  const base = {
    version: env.APP_VERSION ?? packageJson.version,
    mode: env.database.mode,
    checkedAt: new Date().toISOString(),
  };
  try {
    const [row] = await prisma.$queryRaw<{ version: string }[]>`SELECT version() AS version`;
    const version = row?.version ?? "";
    const rows = await prisma.$queryRaw<{ migration_name: string; finished_at: Date | null; rolled_back_at: Date | null }[]>`
      SELECT migration_name, finished_at, rolled_back_at FROM _prisma_migrations`.catch(() => []);
    const applied = new Set(rows.filter((r) => r.finished_at && !r.rolled_back_at).map((r) => r.migration_name));
    const failed = rows.filter((r) => !r.finished_at && !r.rolled_back_at).map((r) => r.migration_name);
    const pending = expected.filter((name) => !applied.has(name));
    return {
      ...base,
      status: pending.length || failed.length ? "degraded" : "ok",
      database: { reachable: true, serverVersion: version },
      migrations: { expected: expected.length, applied: applied.size, pending, failed },
      role: await databaseRoleStatus().catch(() => undefined),
    };
  } catch (error) {
    return {
      ...base,
      status: "down",
      database: { reachable: false, error: error instanceof Error ? error.message.split("\n")[0] : String(error) },
      migrations: { expected: expected.length, applied: 0, pending: expected, failed: [] },
    };
  }
}

async function databaseRoleStatus(): Promise<DatabaseRoleStatus> {
  const report = await inspectDatabaseRole((sql) => prisma.$queryRawUnsafe<Record<string, unknown>[]>(sql));
  const exempt = env.database.mode === "embedded";
  const hazards = roleHazards(report);
  return {
    currentUser: report.currentUser,
    superuser: report.superuser,
    memberOfAppRole: report.memberOfAppRole,
    hazards,
    allowSuperuserOverride: !exempt && hazards.length > 0 && env.ALLOW_SUPERUSER,
    exempt,
  };
}
