// lib/cache/aggregates.ts: one computation per (key, version), a failed one not kept, the age
// limit honoured, the size bounded, and the scope key made of every field the policy reads.
import { beforeEach, describe, expect, it } from "vitest";
import { AGGREGATE_CACHE_MAX_ENTRIES, cachedAggregate, clearAggregateCache, scopeKey } from "@/lib/cache/aggregates";
import type { Permission } from "@/lib/auth/permissions";

beforeEach(() => clearAggregateCache());

describe("cachedAggregate", () => {
  it("computes once per key and version; concurrent readers share the computation", async () => {
    let runs = 0;
    const compute = async () => ({ value: ++runs });
    const [a, b] = await Promise.all([cachedAggregate("k", "v1", compute), cachedAggregate("k", "v1", compute)]);
    expect([a, b, runs]).toEqual([1, 1, 1]);
    expect(await cachedAggregate("k", "v2", compute)).toBe(2);
    expect(await cachedAggregate("other", "v2", compute)).toBe(3);
  });

  it("does not keep a failure, and keeps a value no longer than its maxAgeMs", async () => {
    await expect(cachedAggregate("k", "v", () => Promise.reject(new Error("db down")))).rejects.toThrow("db down");
    expect(await cachedAggregate("k", "v", async () => ({ value: "ok" }))).toBe("ok");
    let clock = 1000;
    const now = () => clock;
    await cachedAggregate("r", "v", async () => ({ value: "replica", maxAgeMs: 30_000 }), now);
    clock += 29_000;
    expect(await cachedAggregate("r", "v", async () => ({ value: "fresh" }), now)).toBe("replica");
    clock += 2_000;
    expect(await cachedAggregate("r", "v", async () => ({ value: "fresh" }), now)).toBe("fresh");
  });

  it("holds at most AGGREGATE_CACHE_MAX_ENTRIES, dropping the least recently used", async () => {
    for (let i = 0; i <= AGGREGATE_CACHE_MAX_ENTRIES; i++) await cachedAggregate(`k${i}`, "v", async () => ({ value: i }));
    expect(await cachedAggregate("k0", "v", async () => ({ value: -1 }))).toBe(-1);
    expect(await cachedAggregate(`k${AGGREGATE_CACHE_MAX_ENTRIES}`, "v", async () => ({ value: -1 }))).toBe(AGGREGATE_CACHE_MAX_ENTRIES);
  });
});

describe("scopeKey", () => {
  const base = { permissions: new Set<Permission>(["portfolio:read:all", "project:read:all"] as Permission[]), organizationId: "o1", divisionCode: "520382" };
  it("differs when permissions, organization or county differ, not with the order of permissions", () => {
    expect(scopeKey(base)).toBe(scopeKey({ ...base, permissions: new Set([...base.permissions].reverse()) }));
    expect(scopeKey(base)).not.toBe(scopeKey({ ...base, divisionCode: "520381" }));
    expect(scopeKey(base)).not.toBe(scopeKey({ ...base, organizationId: "o2" }));
    expect(scopeKey(base)).not.toBe(scopeKey({ ...base, permissions: new Set(["portfolio:read:all"] as Permission[]) }));
  });
});
