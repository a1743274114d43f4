// Runs in the browser before the app's own code. Zod probes `new Function("")` to decide whether
// to compile fast parsers; under our CSP (no 'unsafe-eval') that probe is refused and reported as a
// violation on every page with a form schema, although zod then parses without it. jitless skips
// the probe (docs/decisions/0005). Zod 4 keeps its configuration in globalThis.__zod_globalConfig
// (made on first load if absent, then shared by every copy), so this sets it without importing
// zod: the import put ~30 KB gzip of zod on every page, most of which use no schema in the
// browser (docs/decisions/0036). tests/unit/zod-jitless.test.ts holds zod to that contract.
const holder = globalThis as { __zod_globalConfig?: Record<string, unknown> };
holder.__zod_globalConfig = Object.assign(holder.__zod_globalConfig ?? {}, { jitless: true });
export {};
