// Standard streams of the stand-in. stdout carries the JSON-RPC channel to the Prisma CLI, one JSON
// object per line; stderr carries JSON log lines (the CLI parses them: for `cli` subcommands every
// line after the first must be JSON). Anything else a library prints is re-routed into JSON log
// lines here, so a stray console.log or Node warning can never corrupt either channel.

const writeStdout = process.stdout.write.bind(process.stdout);
const writeStderr = process.stderr.write.bind(process.stderr);

// The CLI may close the pipes before we are done (it kills the engine right after closing stdin).
process.stdout.on("error", () => {});
process.stderr.on("error", () => {});

export const LOG_TARGET = "schema_engine::stand_in";

export function logLine(level, message, fields = {}, target = LOG_TARGET) {
  writeStderr(`${JSON.stringify({ timestamp: new Date().toISOString(), level, fields: { message, ...fields }, target })}\n`);
}

export const debugEnabled = /^(1|true|yes)$/i.test(process.env.PRISMA_STAND_IN_DEBUG ?? "");

export function debug(message, fields) {
  if (debugEnabled) logLine("DEBUG", message, fields);
}

/** Writes one JSON-RPC message to the CLI. */
export function sendMessage(message) {
  writeStdout(`${JSON.stringify(message)}\n`);
}

/** Forwards a log line produced by the Wasm engine (already JSON) to stderr. */
export function forwardEngineLog(line) {
  const text = String(line).trim();
  if (!text) return;
  for (const part of text.split(/\r?\n/)) {
    if (isJsonObject(part)) writeStderr(`${part}\n`);
    else logLine("INFO", part, {}, "schema_engine_wasm");
  }
}

function isJsonObject(text) {
  if (!text.startsWith("{")) return false;
  try {
    return typeof JSON.parse(text) === "object";
  } catch {
    return false;
  }
}

function chunkToString(chunk, encoding) {
  if (typeof chunk === "string") return chunk;
  return Buffer.from(chunk).toString(typeof encoding === "string" ? encoding : "utf8");
}

function guardedWrite(level) {
  let pending = "";
  return (chunk, encoding, callback) => {
    pending += chunkToString(chunk, encoding);
    const lines = pending.split(/\r?\n/);
    pending = lines.pop() ?? "";
    for (const line of lines) {
      if (!line.trim()) continue;
      if (level === "PASS" && isJsonObject(line)) writeStderr(`${line}\n`);
      else logLine(level === "PASS" ? "WARN" : level, line, {}, "schema_engine::stand_in::stray_output");
    }
    const cb = typeof encoding === "function" ? encoding : callback;
    if (typeof cb === "function") process.nextTick(cb);
    return true;
  };
}

/** Re-routes console output and warnings so both channels stay line-delimited JSON. */
export function guardStdio() {
  process.stdout.write = guardedWrite("INFO");
  process.stderr.write = guardedWrite("PASS");
  const toLog = (level) => (...args) => logLine(level, args.map((a) => (typeof a === "string" ? a : a instanceof Error ? a.stack ?? a.message : safeJson(a))).join(" "));
  console.log = toLog("INFO");
  console.info = toLog("INFO");
  console.debug = toLog("DEBUG");
  console.warn = toLog("WARN");
  console.error = toLog("ERROR");
  process.removeAllListeners("warning");
  process.on("warning", (warning) => logLine("WARN", `${warning.name}: ${warning.message}`));
}

function safeJson(value) {
  try {
    return JSON.stringify(value);
  } catch {
    return String(value);
  }
}
