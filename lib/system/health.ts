// What GET /api/health and the home page report: version, database reachability, migrations
// applied vs pending, and whether we run on embedded PGlite or a PostgreSQL server.
import "server-only";
import { readdir } from "node:fs/promises";
import path from "node:path";
import packageJson from "@/package.json";
import { prisma } from "@/lib/db";
import { env } from "@/lib/env";

export interface HealthReport {
  status: "ok" | "degraded" | "down";
  version: string;
  mode: "embedded" | "server";
  database: { reachable: boolean; serverVersion?: string; error?: string };
  migrations: { expected: number; applied: number; pending: string[]; failed: string[] };
  checkedAt: string;
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
