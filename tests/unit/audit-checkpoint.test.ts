import { generateKeyPairSync } from "node:crypto";
import { describe, expect, it } from "vitest";
import { CHECKPOINT_FORMAT, checkpointFileName, checkpointSignatureValid, keyIdOf, signCheckpoint, type CheckpointPayload } from "@/lib/audit/checkpoint";
import { latestPurgeDate, parsePurgeDate } from "@/lib/audit/purge";
import { REQUEST_ID_HEADER, newRequestId, requestIdFrom } from "@/lib/request-id";

describe("signed checkpoints", () => {
  const { privateKey, publicKey } = generateKeyPairSync("ed25519");
  const payload: CheckpointPayload = {
    format: CHECKPOINT_FORMAT, kind: "checkpoint", chainId: "1".repeat(64), seq: "1234", hash: "2".repeat(64),
    headAt: "2026-11-29T04:00:00.000Z", eventCount: "1234", createdAt: "2026-11-29T04:00:01.250Z", keyId: keyIdOf(publicKey),
  };

  it("verifies with the public key and fails on any change", () => {
    const file = signCheckpoint(payload, privateKey);
    expect(checkpointSignatureValid(file, publicKey)).toBe(true);
    expect(checkpointSignatureValid({ ...file, seq: "1233" }, publicKey)).toBe(false);
    expect(checkpointSignatureValid({ ...file, hash: "3".repeat(64) }, publicKey)).toBe(false);
    expect(checkpointSignatureValid({ ...file, signature: "AAAA" }, publicKey)).toBe(false);
    expect(checkpointSignatureValid(file, generateKeyPairSync("ed25519").publicKey)).toBe(false);
  });

  it("names files so they sort by sequence", () => {
    expect(checkpointFileName(payload)).toBe("checkpoint-000000001234-20261129T040001250Z.json");
  });
});

describe("retention dates", () => {
  it("allows --before no later than 180 days ago (UTC midnight), never fewer days", () => {
    const now = new Date("2026-11-29T10:00:00Z");
    expect(latestPurgeDate(now, 180).toISOString()).toBe("2026-06-02T00:00:00.000Z");
    expect(latestPurgeDate(now, 30).toISOString()).toBe("2026-06-02T00:00:00.000Z");
    expect(latestPurgeDate(now, 365).toISOString()).toBe("2025-11-29T00:00:00.000Z");
  });

  it("parses YYYY-MM-DD as UTC and refuses anything else", () => {
    expect(parsePurgeDate("2026-01-31").toISOString()).toBe("2026-01-31T00:00:00.000Z");
    for (const bad of ["2026-02-30", "2026-1-31", "yesterday", "2026-01-31T00:00"]) expect(() => parsePurgeDate(bad), bad).toThrow(/YYYY-MM-DD/);
  });
});

describe("request id", () => {
  it("reads only well-formed ids from the request headers", () => {
    const id = newRequestId();
    expect(requestIdFrom(new Headers({ [REQUEST_ID_HEADER]: id }))).toBe(id);
    expect(requestIdFrom(new Headers({ [REQUEST_ID_HEADER]: "'; DROP TABLE x" }))).toBeNull();
    expect(requestIdFrom(new Headers())).toBeNull();
  });
});
