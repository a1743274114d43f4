// Connection strings, probing and the small database-level commands (`cli can-connect-to-database`,
// create/drop database) the native engine does itself, plus the mapping of connection failures to
// Prisma's P10xx errors so the CLI prints e.g. "P1001: Can't reach database server at ...".
import pg from "pg";

/** An error meant for the user, with a Prisma error code when one applies. */
export class UserFacingError extends Error {
  constructor(code, message, meta) {
    super(message);
    this.name = "UserFacingError";
    this.code = code ?? undefined;
    this.meta = meta ?? undefined;
  }
}

// Query parameters Prisma understands but node-postgres does not (or reads differently).
const PRISMA_ONLY_PARAMS = [
  "schema",
  "connection_limit",
  "pool_timeout",
  "connect_timeout",
  "socket_timeout",
  "pgbouncer",
  "statement_cache_size",
  "sslaccept",
  "sslidentity",
  "sslpassword",
  "single_use_connections",
  "max_connection_lifetime",
  "max_idle_connection_lifetime",
];

const DEFAULT_CONNECT_TIMEOUT_S = 5;

export function parseDatabaseUrl(url) {
  if (typeof url !== "string" || !url.trim()) {
    throw new UserFacingError("P1012", "The datasource URL is empty. Set datasource.url in prisma.config.ts.");
  }
  let parsed;
  try {
    parsed = new URL(url.trim());
  } catch {
    throw new UserFacingError("P1013", "The provided database string is invalid. It is not a valid URL.");
  }
  if (parsed.protocol !== "postgresql:" && parsed.protocol !== "postgres:") {
    throw new UserFacingError(
      "P1013",
      `The provided database string is invalid. The schema-engine stand-in (prisma/engine) only supports PostgreSQL URLs (postgresql://...), got "${parsed.protocol}//...".`,
    );
  }
  const params = parsed.searchParams;
  const schema = params.get("schema") || undefined;
  const timeout = Number(params.get("connect_timeout") ?? DEFAULT_CONNECT_TIMEOUT_S);
  const acceptInvalidCerts = params.get("sslaccept") === "accept_invalid_certs";
  const pgUrl = new URL(parsed.toString());
  for (const name of PRISMA_ONLY_PARAMS) pgUrl.searchParams.delete(name);
  const user = decodeURIComponent(parsed.username) || process.env.PGUSER || "postgres";
  const hostParam = params.get("host");
  const host = parsed.hostname || hostParam || "localhost";
  const port = parsed.port || params.get("port") || "5432";
  return {
    url: url.trim(),
    pgUrl: pgUrl.toString(),
    host,
    port,
    location: host.startsWith("/") ? `unix:${host}` : `${host}:${port}`,
    user,
    database: decodeURIComponent(parsed.pathname.replace(/^\//, "")) || user,
    schema,
    connectTimeoutMs: Number.isFinite(timeout) && timeout >= 0 ? timeout * 1000 : DEFAULT_CONNECT_TIMEOUT_S * 1000,
    acceptInvalidCerts,
  };
}

/** The same connection string pointing at another database on the same server. */
export function withDatabase(info, database) {
  const next = new URL(info.url);
  next.pathname = `/${encodeURIComponent(database)}`;
  return parseDatabaseUrl(next.toString());
}

/** node-postgres options for a connection string; `database` is always taken from the URL. */
export function pgConfig(info, extra = {}) {
  const config = {
    connectionString: info.pgUrl,
    connectionTimeoutMillis: info.connectTimeoutMs,
    ...extra,
  };
  if (info.schema) config.options = `-c search_path=${quoteIdent(info.schema)}`;
  if (info.acceptInvalidCerts) config.ssl = { rejectUnauthorized: false };
  return config;
}

export function quoteIdent(name) {
  return `"${String(name).replace(/"/g, '""')}"`;
}

const UNREACHABLE = new Set(["ECONNREFUSED", "ENOTFOUND", "EHOSTUNREACH", "ENETUNREACH", "EAI_AGAIN", "ETIMEDOUT"]);
const DROPPED = new Set(["ECONNRESET", "EPIPE", "ENOENT"]);

/**
 * Maps a node-postgres connection/driver error to Prisma's user-facing codes, or returns null.
 * `connecting`: the error happened while opening the connection (a reset then means unreachable).
 */
export function mapPgError(error, info, { connecting = false } = {}) {
  if (!error || typeof error !== "object") return null;
  if (error instanceof UserFacingError) return error;
  const code = error.code;
  const loc = info?.location ?? "the database server";
  const message = String(error.message ?? "");
  const dropped = DROPPED.has(code) || /Connection terminated unexpectedly/i.test(message);
  if (UNREACHABLE.has(code) || /connection timeout|timeout expired/i.test(message) || (connecting && dropped)) {
    return new UserFacingError(
      "P1001",
      `Can't reach database server at \`${loc}\`\n\nPlease make sure your database server is running at \`${loc}\`. (${code ?? message})`,
      { database_location: loc },
    );
  }
  switch (code) {
    case "3D000":
      return new UserFacingError("P1003", `Database \`${info?.database}\` does not exist on the database server at \`${loc}\`.`, {
        database_name: info?.database,
        database_location: loc,
      });
    case "28P01":
      return new UserFacingError(
        "P1000",
        `Authentication failed against database server at \`${info?.host}\`, the provided database credentials for \`${info?.user}\` are not valid.\n\nPlease make sure to provide valid database credentials for the database server at \`${info?.host}\`.`,
      );
    case "28000":
      return new UserFacingError("P1010", `User \`${info?.user}\` was denied access on the database \`${info?.database}\` (${message})`);
    case "42P04":
      return new UserFacingError("P1009", `Database \`${info?.database}\` already exists on the database server at \`${loc}\``);
    case "53300":
      return new UserFacingError("P1001", `The database server at \`${loc}\` refused the connection: ${message}`);
    default:
      break;
  }
  if (/SSL|TLS|certificate/i.test(message) && !code?.match?.(/^[0-9A-Z]{5}$/)) {
    return new UserFacingError("P1011", `Error opening a TLS connection: ${message}`);
  }
  return null;
}

/** Opens one connection and runs `fn(client)`, mapping connection failures to P10xx errors. */
export async function withClient(info, fn) {
  const client = new pg.Client(pgConfig(info));
  client.on("error", () => {});
  try {
    await client.connect();
  } catch (error) {
    await client.end().catch(() => {});
    throw mapPgError(error, info, { connecting: true }) ?? error;
  }
  try {
    return await fn(client);
  } finally {
    await client.end().catch(() => {});
  }
}

/** Checks the database is reachable and tells a real PostgreSQL server from PGlite. */
export async function probeDatabase(info) {
  return withClient(info, async (client) => {
    const { rows } = await client.query("select version() as version, current_database() as database");
    const version = String(rows[0].version);
    return { version, database: rows[0].database, isPglite: /PGlite/i.test(version) };
  });
}

// Maintenance databases tried, in order, for CREATE/DROP DATABASE.
const MAINTENANCE_DATABASES = ["postgres", "template1"];

async function withMaintenanceClient(info, fn) {
  let lastError;
  for (const name of MAINTENANCE_DATABASES) {
    if (name === info.database) continue;
    try {
      return await withClient(withDatabase(info, name), fn);
    } catch (error) {
      lastError = error;
      if (!(error instanceof UserFacingError && error.code === "P1003")) break;
    }
  }
  throw lastError;
}

export async function createDatabase(info) {
  await withMaintenanceClient(info, async (client) => {
    try {
      await client.query(`CREATE DATABASE ${quoteIdent(info.database)}`);
    } catch (error) {
      throw mapPgError(error, info) ?? error;
    }
  });
  return info.database;
}

export async function dropDatabase(info) {
  await withMaintenanceClient(info, async (client) => {
    await client.query(`DROP DATABASE ${quoteIdent(info.database)}`);
  });
}
