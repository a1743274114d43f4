// Lets benchmarks load lib/data (marked "server-only") outside Next.js: `server-only` throws unless
// bundled for the server, so resolve it to an empty module here, as vitest's alias does in tests.
import Module from "node:module";
import path from "node:path";

const stub = path.join(__dirname, "..", "tests", "helpers", "server-only-stub.ts");
const resolver = Module as unknown as { _resolveFilename: (request: string, ...rest: unknown[]) => string };
const original = resolver._resolveFilename;
resolver._resolveFilename = function resolve(request: string, ...rest: unknown[]) {
  return request === "server-only" ? stub : original.call(this, request, ...rest);
};
