// `next build` (Turbopack) traces a path.resolve() of a run-time value as "the whole project" and
// warns for each (issue 19: lib/audit/checkpoint.ts made four). Paths read from the environment
// carry the ignore comment, so the build stays quiet and the server output holds only what it uses.
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (name === "generated" || name === "node_modules") return [];
    return statSync(full).isDirectory() ? sources(full) : /\.tsx?$/.test(name) ? [full] : [];
  });
}

describe("build tracing", () => {
  it("every path.resolve() of an environment value in app/ and lib/ carries /* turbopackIgnore: true */", () => {
    const offenders: string[] = [];
    for (const file of [...sources("lib"), ...sources("app")]) {
      readFileSync(file, "utf8")
        .split("\n")
        .forEach((line, i) => {
          for (const call of line.matchAll(/path\.resolve\(([^)]*)/g)) {
            if (/\benv\.|process\.env/.test(call[1]!) && !call[1]!.includes("turbopackIgnore: true")) offenders.push(`${file}:${i + 1}`);
          }
        });
    }
    expect(offenders).toEqual([]);
  });
});
