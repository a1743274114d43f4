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

  it("migrates and seeds as DATABASE_OWNER_URL when given, else as DATABASE_URL", () => {
    expect(resolveDatabase({ DATABASE_URL: "postgresql://web@db/zunyi" }).ownerUrl).toBe("postgresql://web@db/zunyi");
    expect(resolveDatabase({ DATABASE_URL: "postgresql://web@db/zunyi", DATABASE_OWNER_URL: "postgresql://owner@db/zunyi" })).toMatchObject({
      url: "postgresql://web@db/zunyi",
      ownerUrl: "postgresql://owner@db/zunyi",
    });
    const embedded = resolveDatabase({});
    expect(embedded.ownerUrl).toBe(embedded.url);
    // An owner without an app role is a mistake, not a reason to serve as the owner on PGlite.
    expect(() => resolveDatabase({ DATABASE_OWNER_URL: "postgresql://owner@db/zunyi" })).toThrow(/DATABASE_URL is not/);
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
