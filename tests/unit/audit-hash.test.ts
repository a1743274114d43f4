import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { GENESIS_HASH, canonicalJson, contentHash, eventHash, fieldChanges, hashInput, hashVersionFor, linkHash } from "@/lib/audit/log";

// An event as rows were written before hash versions existed (hashVersion 1).
const legacy = {
  seq: 42n, at: new Date("2026-11-29T01:02:03.456Z"), actorId: "6f1c2f0e-3b7a-4c55-9d6e-2a8f1e0b9c11", actorName: "owner.editor",
  action: "project.update", entityType: "Project", entityId: "p-1", ip: "10.0.0.7",
  details: { changes: { totalInvestment: { from: "1200.0000", to: "1350.5000" } }, note: "遵义" }, prevHash: "a".repeat(64),
};

const full = {
  ...legacy, hashVersion: 2, actorOrganizationId: "0b7c7a52-8a53-4f7e-9a3c-3f8f3c0e5d21", actorOrganizationName: "仁怀市人民政府",
  requestId: "3d1e8b1c-1f44-4b7e-8a5e-9b2f6c1d0e77", reason: "按批复调整总投资",
  evidence: [{ attachmentId: "att-1", sha256: "b".repeat(64), fileName: "批复.pdf" }], approverId: "9a0c6d4e-2b1f-4c3d-8e7a-6f5b4c3d2e1f", approverName: "reviewer",
};

describe("canonical serialization", () => {
  it("ignores key order and undefined, keeps null, writes dates in UTC", () => {
    expect(canonicalJson({ b: 1, a: { d: [1, "x"], c: null }, z: undefined })).toBe('{"a":{"c":null,"d":[1,"x"]},"b":1}');
    expect(canonicalJson({ at: new Date("2026-01-02T03:04:05.006+08:00") })).toBe('{"at":"2026-01-01T19:04:05.006Z"}');
    expect(canonicalJson({ 名称: "遵义", a: [{ y: 2, x: 1 }] })).toBe('{"a":[{"x":1,"y":2}],"名称":"遵义"}');
  });

  it("builds details.changes from the fields that differ", () => {
    expect(fieldChanges({ a: "1", b: null, c: [1] }, { a: "2", b: null, c: [1] })).toEqual({ a: { from: "1", to: "2" } });
    expect(fieldChanges({ a: null }, { a: "x" }, ["a"])).toEqual({ a: { from: null, to: "x" } });
  });
});

describe("hash versions", () => {
  it("version 1 (rows written before versions existed) hashes exactly as it always did", () => {
    // Computed with the original lib/audit/log.ts: old rows must keep verifying.
    const before = "0fe8473ff2d0761f7a4075e908d1703183a0d843ceaaf2d31e4a31da1ecb5fe9";
    expect(eventHash(legacy)).toBe(before);
    expect(eventHash({ ...legacy, hashVersion: 1 })).toBe(before);
    // New columns are not part of version 1, whatever they hold.
    expect(eventHash({ ...full, hashVersion: 1 })).toBe(before);
  });

  it("version 2 covers every column, and says which version it is", () => {
    const base = eventHash(full);
    expect(base).not.toBe(eventHash({ ...full, hashVersion: 1 }));
    expect(hashInput(full)).toContain('"v":2');
    for (const change of [
      { reason: "另一个原因" }, { reason: null }, { evidence: [] }, { evidence: [{ ...full.evidence[0]!, sha256: "c".repeat(64) }] },
      { approverId: null }, { approverName: "someone" }, { requestId: null }, { actorOrganizationId: null }, { actorOrganizationName: "遵义市" },
      { details: { ...full.details, note: "x" } }, { seq: 43n }, { at: new Date("2026-11-29T01:02:03.457Z") }, { prevHash: GENESIS_HASH },
      { actorName: "x" }, { action: "y" }, { entityId: "p-2" }, { ip: null },
    ]) {
      expect(eventHash({ ...full, ...change }), Object.keys(change).join()).not.toBe(base);
    }
    // Absent and null mean the same in version 2 (the database gives back null).
    expect(eventHash({ ...full, reason: undefined })).toBe(eventHash({ ...full, reason: null }));
  });

  it("version 3 is version 2 with SM3 (GB/T 32905)", () => {
    expect(hashVersionFor("sha256")).toBe(4);
    expect(hashVersionFor("sm3")).toBe(3);
    const sm3 = eventHash({ ...full, hashVersion: 3 });
    expect(sm3).toMatch(/^[0-9a-f]{64}$/);
    expect(sm3).not.toBe(eventHash(full));
    expect(hashInput({ ...full, hashVersion: 3 })).toContain('"v":3');
  });

  it("version 4 hashes the content first, then links seq and prevHash over it (the text the database trigger hashes)", () => {
    const v4 = { ...full, hashVersion: 4 };
    const content = contentHash(v4);
    expect(content).toBe(createHash("sha256").update(hashInput(v4)).digest("hex"));
    expect(hashInput(v4)).toContain('"v":4');
    expect(hashInput(v4)).not.toContain('"seq"');
    expect(hashInput(v4)).not.toContain('"prevHash"');
    // The link is SHA-256 of "seq:prevHash:contentHash", as audit_link_pending() computes it in SQL.
    expect(eventHash(v4)).toBe(createHash("sha256").update(`42:${"a".repeat(64)}:${content}`).digest("hex"));
    expect(linkHash(1n, GENESIS_HASH, content)).toBe(createHash("sha256").update(`1:${GENESIS_HASH}:${content}`).digest("hex"));
    // Place in the chain changes the link, not the content; every column of content changes both.
    for (const change of [{ seq: 43n }, { prevHash: GENESIS_HASH }]) {
      expect(contentHash({ ...v4, ...change })).toBe(content);
      expect(eventHash({ ...v4, ...change })).not.toBe(eventHash(v4));
    }
    for (const change of [
      { reason: null }, { evidence: [] }, { approverName: "someone" }, { requestId: null }, { actorOrganizationName: "遵义市" },
      { details: { ...full.details, note: "x" } }, { at: new Date("2026-11-29T01:02:03.457Z") }, { actorName: "x" }, { action: "y" }, { entityId: "p-2" }, { ip: null },
    ]) {
      expect(contentHash({ ...v4, ...change }), Object.keys(change).join()).not.toBe(content);
      expect(eventHash({ ...v4, ...change }), Object.keys(change).join()).not.toBe(eventHash(v4));
    }
  });

  it("refuses an unknown version instead of guessing", () => {
    expect(() => eventHash({ ...full, hashVersion: 9 })).toThrow(/unknown audit hash version 9/);
  });
});
