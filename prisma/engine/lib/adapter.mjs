// The driver adapter the Wasm engine talks to: @prisma/adapter-pg, bound with
// bindMigrationAwareSqlAdapterFactory, with the fixes the schema engine needs:
//  - trap 1: PostgreSQL's one-byte catalog type "char" (OID 18) is read as text and reported to the
//    engine as ColumnTypeEnum.Character (adapter-pg rejects it; reporting it as Text crashes the engine);
//  - executeScript sends the whole script in one simple-protocol query, like the native engine, instead
//    of adapter-pg's split on ";" (which breaks on semicolons in strings, comments and function bodies);
//  - trap 2: our own connectToShadowDb (adapter-pg's ignores the database name in a connection string
//    and drops the shadow database before closing its pool): a fresh temporary database that we verify
//    with current_database(), or an in-memory PGlite when the main database is PGlite, or the
//    configured shadowDatabaseUrl (wiped first, as the native engine does). Never the main database.
import { randomBytes } from "node:crypto";
import { PrismaPg } from "@prisma/adapter-pg";
import { ColumnTypeEnum, bindMigrationAwareSqlAdapterFactory } from "@prisma/driver-adapter-utils";
import { UserFacingError, mapPgError, parseDatabaseUrl, pgConfig, probeDatabase, quoteIdent, withClient, withDatabase } from "./database.mjs";
import { debug, logLine } from "./io.mjs";
import { extensionsInSql, startMemoryPglite } from "./pglite.mjs";

const PG_CHAR_OID = 18;
const PG_TEXT_OID = 25;

function patchQueryable(queryable) {
  const originalQueryRaw = queryable.queryRaw;
  queryable.queryRaw = async function queryRaw(query) {
    const result = await queryable.performIO(query);
    const charColumns = [];
    result.fields.forEach((field, index) => {
      if (field.dataTypeID === PG_CHAR_OID) {
        charColumns.push(index);
        field.dataTypeID = PG_TEXT_OID; // the value is already a one-character string
      }
    });
    // Re-use adapter-pg's own conversion on the rows we already have.
    const view = Object.create(queryable, { performIO: { value: async () => result } });
    const converted = await originalQueryRaw.call(view, query);
    for (const index of charColumns) converted.columnTypes[index] = ColumnTypeEnum.Character;
    if (charColumns.length > 0) debug('"char" columns read as Character', { columns: charColumns.map((i) => converted.columnNames[i]) });
    return converted;
  };
  return queryable;
}

function patchAdapter(adapter, label) {
  patchQueryable(adapter);
  adapter.executeScript = async function executeScript(script) {
    debug(`executeScript on ${label}`, { bytes: script.length });
    try {
      await adapter.client.query(script);
    } catch (error) {
      adapter.onError(error);
    }
  };
  const startTransaction = adapter.startTransaction;
  adapter.startTransaction = async function (...args) {
    return patchQueryable(await startTransaction.apply(adapter, args));
  };
  return adapter;
}

/** A pooled adapter on one database. max 1 keeps every statement on one session (PGlite needs it). */
async function connectAdapter(info, label, release) {
  const factory = new PrismaPg(pgConfig(info, { max: 1 }), {
    ...(info.schema ? { schema: info.schema } : {}),
    onPoolError: (error) => logLine("WARN", `idle ${label} connection error: ${error.message}`),
  });
  const adapter = patchAdapter(await factory.connect(), label);
  if (release) {
    const dispose = adapter.dispose.bind(adapter);
    let disposed = false;
    adapter.dispose = async () => {
      if (disposed) return;
      disposed = true;
      try {
        await dispose();
      } finally {
        await release();
      }
    };
  }
  return adapter;
}

async function currentDatabase(adapter) {
  const result = await adapter.queryRaw({ sql: "select current_database()", args: [], argTypes: [] });
  return result.rows[0][0];
}

function sameServer(a, b) {
  return a.host === b.host && a.port === b.port;
}

/**
 * Creates the bound factory. `context.migrationTexts()` returns the SQL of the migrations of the
 * current request (to know which extensions an in-memory PGlite shadow must provide).
 */
export function createAdapterFactory({ info, isPglite, shadowDatabaseUrl, context }) {
  const openShadows = new Set();

  async function shadowFromUrl() {
    const shadow = parseDatabaseUrl(shadowDatabaseUrl);
    const probe = await probeDatabase(shadow);
    if (sameServer(shadow, info) && (isPglite || probe.database === info.database)) {
      throw new UserFacingError(
        "P3005",
        `The shadow database (shadowDatabaseUrl) is the main database (${probe.database} at ${shadow.location}). Refusing to use it: the shadow database is wiped on every use.`,
      );
    }
    // Like the native engine: a configured shadow database is reset before use.
    await withClient(shadow, async (client) => {
      const { rows } = await client.query(
        "select nspname from pg_namespace where nspname not in ('pg_catalog', 'information_schema', 'pg_toast') and nspname not like 'pg\\_%'",
      );
      for (const { nspname } of rows) await client.query(`DROP SCHEMA ${quoteIdent(nspname)} CASCADE`);
      await client.query("CREATE SCHEMA IF NOT EXISTS public");
    });
    debug("shadow: configured shadowDatabaseUrl, wiped", { database: probe.database });
    return connectAdapter(shadow, "shadow");
  }

  async function shadowFromPglite() {
    const extensions = extensionsInSql(context.migrationTexts());
    const server = await startMemoryPglite({ extensions });
    const entry = { describe: "in-memory PGlite", cleanup: () => server.stop() };
    openShadows.add(entry);
    debug("shadow: in-memory PGlite", { port: server.port, extensions });
    try {
      return await connectAdapter(parseDatabaseUrl(server.url), "shadow", async () => {
        openShadows.delete(entry);
        await server.stop();
      });
    } catch (error) {
      openShadows.delete(entry);
      await server.stop();
      throw error;
    }
  }

  async function shadowFromTemporaryDatabase() {
    const prefix = info.database.replace(/[^A-Za-z0-9_]/g, "_").slice(0, 30);
    const name = `${prefix}_prisma_shadow_${randomBytes(5).toString("hex")}`;
    await withClient(info, async (client) => {
      try {
        await client.query(`CREATE DATABASE ${quoteIdent(name)}`);
      } catch (error) {
        if (error.code === "42501") {
          throw new UserFacingError(
            "P3014",
            `Prisma Migrate could not create the shadow database. Please make sure the database user has permission to create databases, or set SHADOW_DATABASE_URL (datasource.shadowDatabaseUrl). Original error: ${error.message}`,
          );
        }
        throw mapPgError(error, info) ?? error;
      }
    });
    const drop = async () => {
      openShadows.delete(entry);
      await withClient(info, async (client) => {
        await client.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`).catch(async (error) => {
          if (error.code !== "42601") throw error; // WITH (FORCE) needs PostgreSQL 13+
          await client.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)}`);
        });
      });
      debug("shadow: dropped temporary database", { name });
    };
    const entry = { describe: `temporary database ${name}`, cleanup: drop };
    openShadows.add(entry);
    debug("shadow: created temporary database", { name });
    let adapter;
    try {
      adapter = await connectAdapter(withDatabase(info, name), "shadow", drop);
      const actual = await currentDatabase(adapter);
      if (actual !== name) {
        throw new Error(`Refusing to use the shadow connection: it is connected to database "${actual}", expected the new temporary database "${name}".`);
      }
      return adapter;
    } catch (error) {
      if (adapter) await adapter.dispose();
      else await drop();
      throw error;
    }
  }

  const factory = {
    provider: "postgres",
    adapterName: "@prisma/adapter-pg",
    connect: () => connectAdapter(info, "main"),
    connectToShadowDb: async () => {
      if (shadowDatabaseUrl) return shadowFromUrl();
      if (isPglite) return shadowFromPglite();
      return shadowFromTemporaryDatabase();
    },
  };
  const bound = bindMigrationAwareSqlAdapterFactory(factory);
  return {
    factory: bound,
    /** Looks up the JS error behind an engine "External error id#N". */
    lookupError(id) {
      return bound.errorRegistry.consumeError(id)?.error;
    },
    /** Shadow databases still open (the engine normally disposes them itself). */
    openShadowCount: () => openShadows.size,
    async cleanupShadows() {
      for (const entry of [...openShadows]) {
        logLine("WARN", `cleaning up ${entry.describe} the engine did not release`);
        await entry.cleanup().catch((error) => logLine("ERROR", `could not clean up ${entry.describe}: ${error.message}`));
        openShadows.delete(entry);
      }
    },
  };
}
