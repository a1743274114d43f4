import { describe, expect, it } from "vitest";
import { DEFAULT_PGLITE_PORT, resolveDatabase } from "@/lib/database-url";

describe("resolveDatabase", () => {
  it("uses the embedded PGlite server when DATABASE_URL is unset or blank", () => {
    for (const env of [{}, { DATABASE_URL: "  " }]) {
      const db = resolveDatabase(env);
      expect(db.mode).toBe("embedded");
      expect(db.url).toContain(`127.0.0.1:${DEFAULT_PGLITE_PORT}`);
    }
  });

  it("uses DATABASE_URL unchanged when it is set", () => {
    const db = resolveDatabase({ DATABASE_URL: "postgresql://u@db.example:5432/prod" });
    expect(db).toMatchObject({ mode: "server", url: "postgresql://u@db.example:5432/prod" });
  });

  it("honours PGLITE_PORT and PGLITE_DIR", () => {
    const db = resolveDatabase({ PGLITE_PORT: "6000", PGLITE_DIR: "/tmp/x" });
    expect(db.url).toContain("127.0.0.1:6000");
    expect(db.pgliteDir).toBe("/tmp/x");
  });

  it("rejects a port that is not a port", () => {
    expect(() => resolveDatabase({ PGLITE_PORT: "abc" })).toThrow(/PGLITE_PORT/);
    expect(() => resolveDatabase({ PGLITE_PORT: "70000" })).toThrow(/PGLITE_PORT/);
  });
});
