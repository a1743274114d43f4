// Makes sure the embedded PGlite server is there when DATABASE_URL is unset. If another process
// already serves the port, we connect to it; otherwise we open the data folder ourselves, guarded
// by a lock file so two processes never open the same folder.
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import pg from "pg";
import { resolveDatabase, type ResolvedDatabase } from "../../lib/database-url";
import { startPgliteServer } from "../../lib/pglite-server";
import { repoRoot } from "./proc";

export interface DatabaseHandle {
  db: ResolvedDatabase;
  /** True when this process opened the PGlite folder and must close it. */
  owned: boolean;
  stop(): Promise<void>;
}

async function canConnect(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 1500 });
  try {
    await client.connect();
    await client.query("SELECT 1");
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export async function ensureDatabase(env: Record<string, string | undefined> = process.env): Promise<DatabaseHandle> {
  const db = resolveDatabase(env);
  if (db.mode === "server") return { db, owned: false, stop: async () => undefined };
  if (await canConnect(db.url)) {
    console.log(`[db] using the embedded PostgreSQL already served on port ${db.pglitePort}`);
    return { db, owned: false, stop: async () => undefined };
  }
  const dataDir = path.resolve(repoRoot, db.pgliteDir);
  mkdirSync(dataDir, { recursive: true });
  const lockFile = `${dataDir}.lock`;
  if (existsSync(lockFile)) {
    const pid = Number(readFileSync(lockFile, "utf8"));
    if (pid && pid !== process.pid && processAlive(pid)) {
      throw new Error(
        `内置数据库目录 ${db.pgliteDir} 正被进程 ${pid} 使用，但端口 ${db.pglitePort} 无法连接。` +
          `请先停止该进程，或设置 PGLITE_PORT 指向它正在使用的端口。`,
      );
    }
  }
  writeFileSync(lockFile, String(process.pid));
  console.log(`[db] starting embedded PostgreSQL (PGlite) on 127.0.0.1:${db.pglitePort}, data in ${db.pgliteDir}`);
  const started = Date.now();
  const server = await startPgliteServer({ dataDir, port: db.pglitePort }).catch((error: unknown) => {
    rmSync(lockFile, { force: true });
    throw error;
  });
  console.log(`[db] embedded PostgreSQL ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  let stopped = false;
  return {
    db,
    owned: true,
    async stop() {
      if (stopped) return;
      stopped = true;
      await server.stop();
      rmSync(lockFile, { force: true });
    },
  };
}
