// The embedded PostgreSQL (PGlite) served on a local TCP port, so the app, the Prisma CLI and
// the tests all speak the ordinary wire protocol through `pg`. Exactly one process opens a data
// folder; every other process connects to the port (docs/decisions/0001-embedded-postgres.md).
import { PGlite } from "@electric-sql/pglite";
import { pg_trgm } from "@electric-sql/pglite/contrib/pg_trgm";
import { pgcrypto } from "@electric-sql/pglite/contrib/pgcrypto";
import { PGLiteSocketServer } from "@electric-sql/pglite-socket";

export interface PgliteServerOptions {
  /** Data folder; omit for an in-memory database (tests, shadow databases). */
  dataDir?: string;
  host?: string;
  /** 0 picks a free port. */
  port: number;
}

export interface RunningPgliteServer {
  url: string;
  port: number;
  db: PGlite;
  stop(): Promise<void>;
}

export async function startPgliteServer(options: PgliteServerOptions): Promise<RunningPgliteServer> {
  const host = options.host ?? "127.0.0.1";
  const db = await PGlite.create({
    ...(options.dataDir ? { dataDir: options.dataDir } : {}),
    extensions: { pg_trgm, pgcrypto },
  });
  // Each client process keeps its pool at one connection (lib/db.ts); several processes
  // (app, CLI, seed) may be connected at once.
  const server = new PGLiteSocketServer({ db, host, port: options.port, maxConnections: 32 });
  try {
    await server.start();
  } catch (error) {
    await db.close();
    throw error;
  }
  const conn = server.getServerConn(); // "host:port"
  const port = Number(conn.split(":").pop());
  return {
    url: `postgresql://postgres:postgres@${host}:${port}/postgres?sslmode=disable`,
    port,
    db,
    async stop() {
      await server.stop();
      await db.close();
    },
  };
}
