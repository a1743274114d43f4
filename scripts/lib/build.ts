// Decides whether the production build in .next is current, by hashing the sources it was
// built from, so `npm start` builds on a fresh clone and after changes, and not otherwise.
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { repoRoot } from "./proc";

const inputs = ["app", "components", "lib", "i18n", "messages", "prisma/schema.prisma", "proxy.ts", "instrumentation.ts", "instrumentation-client.ts", "next.config.ts",
  "postcss.config.mjs", "tsconfig.json", "package-lock.json"];
const hashFile = path.join(repoRoot, ".next", "source-hash");

function* files(entry: string): Generator<string> {
  const full = path.join(repoRoot, entry);
  if (!existsSync(full)) return;
  if (statSync(full).isFile()) {
    yield entry;
    return;
  }
  for (const child of readdirSync(full).sort()) {
    if (child === "generated" || child === "node_modules") continue;
    yield* files(path.join(entry, child));
  }
}

export function sourceHash(): string {
  const hash = createHash("sha256");
  for (const input of inputs) {
    for (const file of files(input)) {
      hash.update(file).update("\0").update(readFileSync(path.join(repoRoot, file))).update("\0");
    }
  }
  return hash.digest("hex");
}

function buildIsCurrent(hash: string): boolean {
  return existsSync(path.join(repoRoot, ".next", "BUILD_ID")) && existsSync(hashFile) && readFileSync(hashFile, "utf8") === hash;
}

/**
 * Runs `build` unless .next was built from the sources as they are; true when it built. The hash
 * recorded is the one taken *before* the build: a file edited while `next build` ran makes the
 * next call build again (hashing afterwards recorded the edit as built, and served a stale page).
 */
export async function buildIfStale(build: () => Promise<void>): Promise<boolean> {
  const hash = sourceHash();
  if (buildIsCurrent(hash)) return false;
  await build();
  writeFileSync(hashFile, hash);
  return true;
}
