// Where the database is: DATABASE_URL when set (server mode), otherwise the embedded PGlite
// server that scripts/start.ts serves on PGLITE_PORT. Used by prisma.config.ts, lib/env.ts and
// the scripts, so the rule lives in one place. No imports: prisma.config.ts loads it too.

export const DEFAULT_PGLITE_PORT = 54329;
export const DEFAULT_PGLITE_DIR = ".data/pglite";

export type DatabaseMode = "embedded" | "server";

export interface ResolvedDatabase {
  mode: DatabaseMode;
  url: string;
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
  if (url) return { mode: "server", url, pglitePort, pgliteDir };
  return {
    mode: "embedded",
    url: `postgresql://postgres:postgres@127.0.0.1:${pglitePort}/postgres?sslmode=disable`,
    pglitePort,
    pgliteDir,
  };
}
