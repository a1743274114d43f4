// A throwaway in-memory PGlite served on a free local port. Used as the shadow database when the
// main database is PGlite (PGlite ignores database names, so a "CREATE DATABASE" there would be the
// main database again), and for schema-to-schema diffs when no database is reachable.

import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";
import { debug, logLine } from "./io.mjs";

const require = createRequire(import.meta.url);

// Extensions the shadow database can provide: every contrib module bundled with PGlite.
const CONTRIB = new Set([
  "amcheck", "auto_explain", "bloom", "btree_gin", "btree_gist", "citext", "cube", "dict_int", "dict_xsyn",
  "earthdistance", "file_fdw", "fuzzystrmatch", "hstore", "intarray", "isn", "lo", "ltree", "moddatetime",
  "pageinspect", "pg_buffercache", "pg_freespacemap", "pg_stat_statements", "pg_surgery", "pg_trgm",
  "pg_visibility", "pg_walinspect", "pgcrypto", "seg", "tablefunc", "tcn", "tsm_system_rows",
  "tsm_system_time", "unaccent", "uuid_ossp",
]);

/** Extension names mentioned by `CREATE EXTENSION` in the given SQL texts. */
export function extensionsInSql(texts) {
  const found = new Set();
  const pattern = /create\s+extension\s+(?:if\s+not\s+exists\s+)?("?)([A-Za-z0-9_-]+)\1/gi;
  for (const text of texts) {
    if (typeof text !== "string") continue;
    for (const match of text.matchAll(pattern)) found.add(match[2].toLowerCase());
  }
  return [...found];
}

function normalizeExtensions(names) {
  // Only what the SQL being replayed creates: each bundle costs start-up time.
  const wanted = new Set();
  for (const raw of names) {
    const name = raw.replace(/-/g, "_");
    if (CONTRIB.has(name)) wanted.add(name); // plpgsql is built in; anything else is unavailable in PGlite
  }
  return [...wanted].sort();
}

async function loadExtensions(names) {
  const extensions = {};
  for (const name of names) {
    const module = await import(`@electric-sql/pglite/contrib/${name}`);
    extensions[name] = module[name];
  }
  return extensions;
}

// Creating a PGlite (initdb) takes 2.5-4 s; starting one from a dump of a pristine data directory
// takes about 1 s. The dump (4.5 MB, gzip) is made once and cached in node_modules/.cache. It holds
// only the data directory of an untouched cluster: extensions are loaded at start-up, not stored there.
function cacheFile() {
  try {
    let dir = path.dirname(require.resolve("@electric-sql/pglite"));
    while (path.basename(dir) !== "pglite" && path.dirname(dir) !== dir) dir = path.dirname(dir);
    const { version } = JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8"));
    const nodeModules = path.resolve(dir, "..", "..");
    if (path.basename(nodeModules) !== "node_modules") return null;
    return path.join(nodeModules, ".cache", "prisma-schema-engine-stand-in", `pglite-${version}-pgdata.tar.gz`);
  } catch {
    return null;
  }
}

function readSnapshot(file) {
  try {
    return file ? fs.readFileSync(file) : null;
  } catch {
    return null;
  }
}

function writeSnapshot(file, bytes) {
  if (!file) return;
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const temporary = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(temporary, bytes);
    fs.renameSync(temporary, file);
  } catch (error) {
    logLine("WARN", `could not cache the PGlite snapshot at ${file}: ${error.message}`);
  }
}

async function createPglite(names) {
  const started = Date.now();
  const { PGlite } = await import("@electric-sql/pglite");
  const extensions = await loadExtensions(names);
  const file = cacheFile();
  const snapshot = readSnapshot(file);
  if (snapshot) {
    try {
      const db = await PGlite.create({ loadDataDir: new Blob([snapshot], { type: "application/x-gzip" }), extensions });
      debug("PGlite started from snapshot", { ms: Date.now() - started, extensions: names });
      return db;
    } catch (error) {
      logLine("WARN", `ignoring unusable PGlite snapshot ${file}: ${error.message}`);
      fs.rmSync(file, { force: true });
    }
  }
  const db = await PGlite.create({ extensions });
  if (file) {
    // Still pristine here: nothing has run in it yet.
    const dump = await db.dumpDataDir("gzip");
    writeSnapshot(file, Buffer.from(await dump.arrayBuffer()));
  }
  return db;
}

/** Starts an in-memory PGlite on 127.0.0.1:<free port>. */
export async function startMemoryPglite({ extensions = [] } = {}) {
  const { PGLiteSocketServer } = await import("@electric-sql/pglite-socket");
  const db = await createPglite(normalizeExtensions(extensions));
  const server = new PGLiteSocketServer({ db, host: "127.0.0.1", port: 0, maxConnections: 8 });
  try {
    await server.start();
  } catch (error) {
    await db.close().catch(() => {});
    throw error;
  }
  const port = Number(String(server.getServerConn()).split(":").pop());
  let stopped = false;
  return {
    url: `postgresql://postgres:postgres@127.0.0.1:${port}/postgres?sslmode=disable`,
    port,
    async stop() {
      if (stopped) return;
      stopped = true;
      await server.stop().catch(() => {});
      await db.close().catch(() => {});
    },
  };
}
