#!/usr/bin/env node
// Stand-in for Prisma's native `schema-engine` binary, which cannot be downloaded on this network.
// prisma.config.ts points PRISMA_SCHEMA_ENGINE_BINARY here; the CLI spawns it exactly like the
// binary. It runs the real schema engine (Prisma's WebAssembly build, shipped with the CLI) on top
// of @prisma/adapter-pg. See docs/decisions/0002-schema-engine-stand-in.md.
//
// Invocations (as the CLI makes them):
//   schema-engine.mjs --version
//   schema-engine.mjs --datasource JSON cli <can-connect-to-database|create-database|drop-database>
//   schema-engine.mjs [--datamodels FILE]... [--datasource JSON] [--enabled-preview-features X] [--extension-types JSON]
//     -> JSON-RPC 2.0 over stdin/stdout, one message per line, one request at a time.
import fs from "node:fs";
import path from "node:path";
import readline from "node:readline";
import { createAdapterFactory } from "./lib/adapter.mjs";
import { UserFacingError, createDatabase, dropDatabase, mapPgError, parseDatabaseUrl, probeDatabase } from "./lib/database.mjs";
import { debug, forwardEngineLog, guardStdio, logLine, sendMessage } from "./lib/io.mjs";
import { startMemoryPglite } from "./lib/pglite.mjs";
import { loadWasmEngine } from "./lib/wasm.mjs";

guardStdio();

function parseArgs(argv) {
  const args = { datamodels: [], datasource: undefined, previewFeatures: [], extensionTypes: undefined, cli: undefined, version: false, help: false };
  for (let i = 0; i < argv.length; i++) {
    let arg = argv[i];
    let value;
    const eq = arg.startsWith("--") ? arg.indexOf("=") : -1;
    if (eq > 0) {
      value = arg.slice(eq + 1);
      arg = arg.slice(0, eq);
    }
    const next = () => (value !== undefined ? value : argv[++i]);
    switch (arg) {
      case "--version":
      case "-V":
        args.version = true;
        break;
      case "--help":
      case "-h":
        args.help = true;
        break;
      case "--datamodels":
      case "--datamodel":
        args.datamodels.push(next());
        break;
      case "--datasource":
        args.datasource = JSON.parse(next());
        break;
      case "--enabled-preview-features":
        args.previewFeatures.push(...String(next()).split(",").filter(Boolean));
        break;
      case "--extension-types":
        args.extensionTypes = next();
        break;
      case "cli":
        args.cli = argv.slice(i + 1);
        i = argv.length;
        break;
      default:
        throw new UserFacingError(undefined, `schema-engine stand-in: unknown argument "${arg}"`);
    }
  }
  return args;
}

// ---------------------------------------------------------------------------------------------
// `cli` subcommands: the CLI reads the exit code, skips the first stderr line and parses the rest
// as JSON, looking for {"level":"ERROR","target":"schema_engine::logger","fields":{"error_code","message"}}.

async function runCli(args) {
  logLine("INFO", "Starting schema engine stand-in CLI", { command: args.cli.join(" ") });
  const [command] = args.cli;
  try {
    const info = parseDatabaseUrl(args.datasource?.url);
    switch (command) {
      case "can-connect-to-database":
        await probeDatabase(info);
        break;
      case "create-database":
        await createDatabase(info);
        logLine("INFO", `Database ${info.database} created`);
        break;
      case "drop-database":
        await dropDatabase(info);
        logLine("INFO", `Database ${info.database} dropped`);
        break;
      default:
        throw new UserFacingError(undefined, `Unknown cli subcommand "${command}"`);
    }
    process.exit(0);
  } catch (error) {
    const known = mapPgError(error) ?? error;
    logLine("ERROR", known.message ?? String(known), known.code ? { error_code: known.code } : {}, "schema_engine::logger");
    process.exit(1);
  }
}

// ---------------------------------------------------------------------------------------------
// JSON-RPC mode.

const FILTERS_NONE = { externalTables: [], externalEnums: [] };

function migrationTextsOf(params) {
  const lists = [];
  const collect = (value) => {
    if (value && typeof value === "object" && Array.isArray(value.migrationDirectories)) lists.push(value);
  };
  collect(params?.migrationsList);
  collect(params?.from);
  collect(params?.to);
  const texts = [];
  for (const list of lists) {
    texts.push(list.shadowDbInitScript);
    for (const dir of list.migrationDirectories) {
      const content = dir.migrationFile?.content;
      if (content?.tag === "ok") texts.push(content.value);
    }
  }
  return texts;
}

// diff targets that need a live database (the configured datasource)
function diffNeedsLiveDatabase(params) {
  return [params?.from?.tag, params?.to?.tag].some((tag) => tag === "schemaDatasource" || tag === "url");
}

function readDatamodels(files) {
  if (files.length === 0) return undefined; // must be undefined or non-empty
  return files.map((file) => [file, fs.readFileSync(path.resolve(file), "utf8")]);
}

class Rpc {
  constructor(args) {
    this.args = args;
    this.datasource = args.datasource;
    this.datamodels = readDatamodels(args.datamodels);
    this.current = null; // params of the request being served
    this.main = null; // promise of { engine, adapters }
    this.fallback = null; // promise of { engine, adapters, pglite } for diffs without a database
    this.poisoned = null;
    this.pendingOut = new Map();
    this.nextOutId = 1_000_000;
    this.queue = Promise.resolve();
  }

  context() {
    return { migrationTexts: () => migrationTextsOf(this.current) };
  }

  async newEngine(info, isPglite) {
    const { glue } = await loadWasmEngine();
    const adapters = createAdapterFactory({ info, isPglite, shadowDatabaseUrl: this.datasource?.shadowDatabaseUrl, context: this.context() });
    try {
      const engine = await glue.SchemaEngine.new({ datamodels: this.datamodels }, forwardEngineLog, adapters.factory);
      return { engine, adapters };
    } catch (error) {
      throw this.explain(error, adapters);
    }
  }

  // trap 4: the engine (and its connection) is created on the first request, so a connection
  // problem becomes an RPC error the CLI prints, never a silent exit.
  mainEngine() {
    this.main ??= (async () => {
      const info = parseDatabaseUrl(this.datasource?.url);
      const probe = await probeDatabase(info);
      debug("main database", { location: info.location, database: probe.database, pglite: probe.isPglite });
      return this.newEngine(info, probe.isPglite);
    })().catch((error) => {
      this.main = null;
      throw error;
    });
    return this.main;
  }

  // A schema-to-schema diff still needs a live connection on the Wasm engine; when no database is
  // configured or reachable, an in-memory PGlite serves it.
  fallbackEngine() {
    this.fallback ??= (async () => {
      const pglite = await startMemoryPglite({ extensions: [] });
      const info = parseDatabaseUrl(pglite.url);
      const engine = await this.newEngine(info, true);
      return { ...engine, pglite };
    })();
    return this.fallback;
  }

  async engineFor(method, params) {
    if (method === "diff" && !diffNeedsLiveDatabase(params)) {
      if (!this.datasource?.url) return this.fallbackEngine();
      try {
        return await this.mainEngine();
      } catch (error) {
        if (error instanceof UserFacingError && error.code === "P1001") {
          logLine("INFO", "database unreachable; serving this diff from an in-memory PGlite");
          return this.fallbackEngine();
        }
        throw error;
      }
    }
    return this.mainEngine();
  }

  /** Turns whatever the engine threw into an Error with a readable message (and code when known). */
  explain(error, adapters) {
    if (error instanceof UserFacingError) return error;
    const message = String(error?.message ?? error);
    // trap 5: JS-side failures reach the engine only as "External error id#N".
    const external = message.match(/External error id#(\d+)/);
    if (external && adapters) {
      const cause = adapters.lookupError(Number(external[1]));
      if (cause) {
        const mapped = mapPgError(cause);
        if (cause instanceof UserFacingError || mapped) return mapped ?? cause;
        return new UserFacingError(typeof error?.code === "string" ? error.code : undefined, `${message}: ${cause.message ?? cause}`);
      }
    }
    if (error instanceof WebAssembly.RuntimeError || error?.name === "RuntimeError") {
      const panic = globalThis.PRISMA_WASM_PANIC_REGISTRY?.message || message;
      this.poisoned = panic;
      return new UserFacingError(undefined, `The schema engine (WebAssembly) panicked: ${panic}`);
    }
    const code = typeof error?.code === "string" && /^P\d{4}$/.test(error.code) ? error.code : undefined;
    return new UserFacingError(code, message, error?.meta);
  }

  async call(method, params) {
    if (this.poisoned) throw new UserFacingError(undefined, `The schema engine panicked earlier in this process: ${this.poisoned}`);
    switch (method) {
      case "createDatabase": {
        const url = params?.datasource?.url ?? this.datasource?.url;
        return { databaseName: await createDatabase(parseDatabaseUrl(url)) };
      }
      case "getDatabaseDescription":
        throw new UserFacingError(undefined, "getDatabaseDescription is not supported by the schema-engine stand-in");
      default:
        break;
    }
    const { engine, adapters } = await this.engineFor(method, params);
    const wasmMethod = method === "getDatabaseVersion" ? "version" : method;
    if (typeof engine[wasmMethod] !== "function") throw new UserFacingError(undefined, `Unknown schema engine method "${method}"`);
    const invoke = () => (wasmMethod === "version" ? engine.version(params ?? null) : engine[wasmMethod](params));
    try {
      let result;
      try {
        result = await invoke();
      } catch (error) {
        // trap 3: right after pending migrations were applied, the engine asks for the shadow
        // database "through an external factory"; one diagnoseMigrationHistory fills its cache.
        if (!/external factory/i.test(String(error?.message)) || !params?.migrationsList) throw error;
        debug(`${method}: retrying after diagnoseMigrationHistory (shadow database cache)`);
        await engine.diagnoseMigrationHistory({ migrationsList: params.migrationsList, optInToShadowDatabase: true, filters: params.filters ?? FILTERS_NONE });
        result = await invoke();
      }
      if (method === "diff" && typeof result?.stdout === "string") {
        // The native engine prints diffs through a "print" request to the CLI and returns stdout: null.
        if (result.stdout.length > 0) await this.print(result.stdout.replace(/\n$/, ""));
        result = { ...result, stdout: null };
      }
      return result;
    } catch (error) {
      throw this.explain(error, adapters);
    } finally {
      if (adapters.openShadowCount() > 0) await adapters.cleanupShadows();
    }
  }

  print(content) {
    const id = this.nextOutId++;
    return new Promise((resolve) => {
      this.pendingOut.set(id, resolve);
      sendMessage({ jsonrpc: "2.0", id, method: "print", params: { content } });
    });
  }

  async handle(request) {
    this.current = request.params;
    const started = Date.now();
    try {
      const result = await this.call(request.method, request.params);
      debug(`${request.method} done`, { ms: Date.now() - started });
      sendMessage({ jsonrpc: "2.0", id: request.id, result: result ?? null });
    } catch (error) {
      const known = error instanceof UserFacingError ? error : this.explain(error);
      logLine("ERROR", known.message, known.code ? { error_code: known.code } : {});
      sendMessage({
        jsonrpc: "2.0",
        id: request.id,
        error: {
          code: 4466,
          message: "An error happened. Check the data field for details.",
          data: { is_panic: false, message: known.message, ...(known.code ? { error_code: known.code } : {}), ...(known.meta ? { meta: known.meta } : {}) },
        },
      });
    } finally {
      this.current = null;
    }
  }

  onLine(line) {
    if (!line.trim()) return;
    let message;
    try {
      message = JSON.parse(line);
    } catch {
      logLine("ERROR", `Could not parse JSON-RPC message: ${line.slice(0, 200)}`);
      return;
    }
    if (message.method === undefined && message.id !== undefined && this.pendingOut.has(message.id)) {
      const resolve = this.pendingOut.get(message.id);
      this.pendingOut.delete(message.id);
      resolve(message);
      return;
    }
    if (typeof message.method !== "string") return;
    this.queue = this.queue.then(() => this.handle(message));
  }

  async shutdown() {
    this.shuttingDown ??= (async () => {
      for (const holder of [this.main, this.fallback]) {
        const state = await holder?.catch(() => null);
        if (!state) continue;
        await state.adapters.cleanupShadows();
        await state.pglite?.stop();
      }
    })();
    return this.shuttingDown;
  }
}

async function runRpc(args) {
  const rpc = new Rpc(args);
  const stop = async (code) => {
    await Promise.race([rpc.shutdown(), new Promise((resolve) => setTimeout(resolve, 5000))]);
    process.exit(code);
  };
  process.on("SIGTERM", () => stop(0));
  process.on("SIGINT", () => stop(130));
  const input = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
  input.on("line", (line) => rpc.onLine(line));
  input.on("close", async () => {
    await rpc.queue;
    await stop(0);
  });
}

// ---------------------------------------------------------------------------------------------

async function main() {
  let args;
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (error) {
    logLine("ERROR", error.message, {}, "schema_engine::logger");
    process.exit(1);
  }
  if (args.help) {
    process.stderr.write("schema-engine stand-in (WebAssembly engine + @prisma/adapter-pg). See docs/decisions/0002-schema-engine-stand-in.md\n");
    process.exit(0);
  }
  if (args.version) {
    const { glue } = await loadWasmEngine();
    // Only the version line may go to stdout here.
    fs.writeSync(1, `schema-engine-cli ${glue.version()}\n`);
    process.exit(0);
  }
  if (args.cli) return runCli(args);
  return runRpc(args);
}

process.on("uncaughtException", (error) => {
  logLine("ERROR", `schema-engine stand-in crashed: ${error?.stack ?? error}`);
  process.exit(1);
});
process.on("unhandledRejection", (error) => {
  logLine("ERROR", `schema-engine stand-in crashed: ${error?.stack ?? error}`);
  process.exit(1);
});

try {
  await main();
} catch (error) {
  logLine("ERROR", `schema-engine stand-in failed to start: ${error?.stack ?? error}`);
  process.exit(1);
}
