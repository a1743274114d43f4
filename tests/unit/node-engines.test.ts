// The README promises Node 20.19+ (package.json "engines"). Every installed package must accept
// that minimum, or be listed here with the reason it never runs: issue 19 found `npm install`
// warning EBADENGINE and the README explaining one package while two more (zod-openapi 6, which
// the read API runs, and @axe-core/playwright 4.14) had raised their minimum to Node 22 unnoticed.
import { readFileSync } from "node:fs";
import path from "node:path";
import semver from "semver";
import { describe, expect, it } from "vitest";

const root = path.resolve(__dirname, "../..");
const manifest = JSON.parse(readFileSync(path.join(root, "package.json"), "utf8")) as { engines: { node: string } };
const lock = JSON.parse(readFileSync(path.join(root, "package-lock.json"), "utf8")) as {
  packages: Record<string, { version?: string; engines?: Record<string, string> | string[]; optional?: boolean }>;
};

/** Packages that declare a newer Node but are never loaded by this project (README: "The @prisma/streams-local warning"). */
const NEVER_LOADED: Record<string, string> = {
  "@prisma/streams-local": "loaded only by `prisma dev`, which this project never runs (PGlite is the embedded database)",
};

describe("Node engines", () => {
  it("every installed package accepts the Node minimum the README promises, or is known never to run", () => {
    const minimum = semver.minVersion(manifest.engines.node)!.version;
    expect(minimum).toBe("20.19.0");
    const refusing = Object.entries(lock.packages)
      .filter(([key]) => key.startsWith("node_modules/"))
      .flatMap(([key, info]) => {
        const name = key.slice(key.lastIndexOf("node_modules/") + "node_modules/".length);
        const range = info.engines && !Array.isArray(info.engines) ? info.engines.node : undefined;
        if (!range || semver.satisfies(minimum, range, { includePrerelease: true })) return [];
        return NEVER_LOADED[name] ? [] : [`${name}@${info.version} requires node ${range}`];
      });
    expect(refusing).toEqual([]);
  });

  it("the packages excused are still installed (a stale excuse would hide nothing and mislead)", () => {
    for (const name of Object.keys(NEVER_LOADED)) expect(Object.keys(lock.packages).some((key) => key.endsWith(`node_modules/${name}`))).toBe(true);
  });
});
