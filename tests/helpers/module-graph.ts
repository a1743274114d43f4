// The app's module graph as the bundler sees it, read from the sources: which in-repo modules a
// module imports (the "@/" alias and relative paths; `import type` is erased), which of them are
// client modules, and which npm packages the browser receives with a page's client components.
// Used by tests/unit/client-messages.test.ts and tests/unit/client-bundle.test.ts.
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";

export const root = path.resolve(__dirname, "../..");
export const source = (file: string) => readFileSync(path.join(root, file), "utf8");

export function walk(dir: string): string[] {
  return readdirSync(path.join(root, dir)).flatMap((name) => {
    const rel = path.join(dir, name);
    return statSync(path.join(root, rel)).isDirectory() ? walk(rel) : [rel];
  });
}

function resolveImport(from: string, spec: string): string | null {
  const base = spec.startsWith("@/") ? spec.slice(2) : spec.startsWith(".") ? path.join(path.dirname(from), spec) : null;
  if (base === null) return null;
  for (const candidate of [`${base}.tsx`, `${base}.ts`, path.join(base, "index.tsx"), path.join(base, "index.ts")]) {
    if (existsSync(path.join(root, candidate))) return path.normalize(candidate);
  }
  return null;
}

const IMPORT = /^\s*(?:import|export)\s(?!type\s)[^;]*?from\s+"([^"]+)"/gms;

export function importsOf(file: string): string[] {
  const text = source(file);
  // `import type` is erased: it renders nothing. A dynamic import() is not followed (it loads later).
  return [...text.matchAll(IMPORT)].flatMap((m) => resolveImport(file, m[1]!) ?? []);
}

export const directive = (file: string, name: string) => new RegExp(`^(\\s*\\/\\/[^\\n]*\\n)*\\s*"${name}"`).test(source(file));
export const isClient = (file: string) => directive(file, "use client");
export const isServerActions = (file: string) => directive(file, "use server");

/** The client modules a module renders: itself if it is one, else those its imports render (through server modules). */
export function clientModules(entry: string): Set<string> {
  const found = new Set<string>();
  const seen = new Set<string>();
  const visit = (file: string, inClient: boolean) => {
    const client = inClient || isClient(file);
    // Seen as a client module or as a server one: a module both import is walked once as each.
    const key = `${client}:${file}`;
    if (seen.has(key)) return;
    seen.add(key);
    if (client) found.add(file);
    // A client module's server actions arrive as references: what they import stays on the server.
    if (client && isServerActions(file)) return;
    for (const dep of importsOf(file)) visit(dep, client);
  };
  visit(entry, false);
  return found;
}

/** The npm packages a set of client modules import (a package's own imports are not followed). */
export function packagesOf(modules: Iterable<string>): Set<string> {
  const found = new Set<string>();
  for (const file of modules) {
    if (isServerActions(file)) continue;
    const text = source(file);
    for (const m of text.matchAll(IMPORT)) {
      const spec = m[1]!;
      if (!spec.startsWith(".") && !spec.startsWith("@/")) found.add(spec.startsWith("@") ? spec.split("/").slice(0, 2).join("/") : spec.split("/")[0]!);
    }
  }
  return found;
}
