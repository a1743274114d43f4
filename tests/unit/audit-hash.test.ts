import { describe, expect, it } from "vitest";
import { GENESIS_HASH, canonicalJson, eventHash } from "@/lib/audit/log";

describe("audit hashing", () => {
  it("canonical JSON ignores key order and undefined", () => {
    expect(canonicalJson({ b: 1, a: { d: [1, "x"], c: null }, z: undefined })).toBe('{"a":{"c":null,"d":[1,"x"]},"b":1}');
  });

  it("any change to an event changes its hash", () => {
    const event = { seq: 1n, at: new Date("2026-11-29T00:00:00.000Z"), actorId: null, actorName: "a", action: "x", entityType: null, entityId: null, ip: null, details: { amount: "100.00" }, prevHash: GENESIS_HASH };
    const base = eventHash(event);
    expect(eventHash({ ...event })).toBe(base);
    expect(eventHash({ ...event, details: { amount: "100.01" } })).not.toBe(base);
    expect(eventHash({ ...event, seq: 2n })).not.toBe(base);
    expect(eventHash({ ...event, prevHash: "1".repeat(64) })).not.toBe(base);
  });
});
