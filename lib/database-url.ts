// Where the database is: DATABASE_URL when set (server mode), otherwise the embedded PGlite
// server that scripts/start.ts serves on PGLITE_PORT. Used by prisma.config.ts, lib/env.ts and
// the scripts, so the rule lives in one place. No imports: prisma.config.ts loads it too.
// On a server the app may serve as a restricted role (DATABASE_URL) while migrations, the seed and
// the audit purge run as the owner (DATABASE_OWNER_URL, else DATABASE_URL): docs/decisions/0009.

export const DEFAULT_PGLITE_PORT = 54329;
export const DEFAULT_PGLITE_DIR = ".data/pglite";

export type DatabaseMode = "embedded" | "server";

export interface ResolvedDatabase {
  mode: DatabaseMode;
  url: string;
  /** Migrations, seed and audit purge connect here: DATABASE_OWNER_URL, else `url`. */
  ownerUrl: string;
  pglitePort: number;
  pgliteDir: string;
}

export function resolveDatabase(env: Record<string, string | undefined> = process.env): ResolvedDatabase {
  const pglitePort = Number(env.PGLITE_PORT ?? DEFAULT_PGLITE_PORT);
  if (!Number.isInteger(pglitePort) || pglitePort < 1 || pglitePort > 65535) {
    throw new Error(`PGLITE_PORT must be a TCP port number, got "${env.PGLITE_PORT}"`);
  }
  const pgliteDir = env.PGLITE_DIR ?? DEFAULT_PGLITE_DIR;
  const url = env.DATABASE_URL?.trim();
  const ownerUrl = env.DATABASE_OWNER_URL?.trim();
  if (url) return { mode: "server", url, ownerUrl: ownerUrl || url, pglitePort, pgliteDir };
  if (ownerUrl) throw new Error("DATABASE_OWNER_URL is set but DATABASE_URL is not: set DATABASE_URL to the role the app serves as");
  const embeddedUrl = `postgresql://postgres:postgres@127.0.0.1:${pglitePort}/postgres?sslmode=disable`;
  return {
    mode: "embedded",
    url: embeddedUrl,
    ownerUrl: embeddedUrl,
    pglitePort,
    pgliteDir,
  };
}
