// The backup archive's own checks (lib/operations/archive.ts) and the restore-epoch rule
// (lib/audit/epochs.ts), without a database.
import { generateKeyPairSync } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import * as tar from "tar";
import { afterAll, describe, expect, it } from "vitest";
import { selectLineage, ROOT_EPOCH } from "@/lib/audit/epochs";
import type { CheckpointRef } from "@/lib/audit/log";
import {
  ArchiveRejectedError, decryptSecrets, encryptSecrets, manifestSchema, openArchive, packArchive, sealManifest, sha256Bytes, type UnsignedManifest,
} from "@/lib/operations/archive";

const tmp = mkdtempSync(path.join(os.tmpdir(), "zunyi-archive-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const keys = generateKeyPairSync("ed25519");
const other = generateKeyPairSync("ed25519");
let n = 0;

const unsigned: UnsignedManifest = {
  format: "zunyi-backup/1", createdAt: "2026-12-05T05:00:00.000Z", appVersion: "0.1.0", migrationHead: "20261205064000_audit_restore_epochs",
  database: { kind: "json", serverVersion: "17.5", tables: ["Project"] },
  audit: { chainId: "a".repeat(64), epoch: ROOT_EPOCH, head: { seq: "7", hash: "b".repeat(64) }, eventCount: "7", keyId: "c".repeat(64) },
  snapshot: { counts: { Project: 1 }, approvedInvestment: "120.5000", evidence: [{ storageKey: "p/1", sha256: sha256Bytes("evidence") }] },
  includesSecrets: false,
};

async function makeArchive(alter?: (staging: string) => void): Promise<string> {
  const staging = path.join(tmp, `staging-${++n}`);
  mkdirSync(path.join(staging, "database", "tables"), { recursive: true });
  mkdirSync(path.join(staging, "files", "p"), { recursive: true });
  writeFileSync(path.join(staging, "database", "tables", "Project.ndjson"), '{"id":"1"}\n');
  writeFileSync(path.join(staging, "files", "p", "1"), "evidence");
  await sealManifest(staging, unsigned, keys.privateKey);
  alter?.(staging);
  const file = path.join(tmp, `archive-${n}.tar.gz`);
  if (alter) await tar.c({ file, cwd: staging, gzip: true }, ["."]);
  else await packArchive(staging, file);
  return file;
}

describe("backup archive", () => {
  it("round-trips: every part hashed into a signed manifest that validates", async () => {
    const opened = await openArchive(await makeArchive(), path.join(tmp, `open-${n}`), keys.publicKey, () => null);
    expect(opened.manifest.parts.map((p) => p.path)).toEqual(["database/tables/Project.ndjson", "files/p/1"]);
    expect(opened.manifest.parts[1]!.sha256).toBe(sha256Bytes("evidence"));
    expect(opened.manifestSha256).toBe(sha256Bytes(readFileSync(path.join(tmp, `open-${n}`, "manifest.json"))));
  });

  it("refuses an altered part, an extra file, a missing part and a manifest signed by another key", async () => {
    const cases: [(dir: string) => void, RegExp][] = [
      [(dir) => writeFileSync(path.join(dir, "files", "p", "1"), "evidencE"), /files\/p\/1: SHA-256 .* does not match/],
      [(dir) => writeFileSync(path.join(dir, "files", "p", "2"), "smuggled"), /files\/p\/2: not in the manifest/],
      [(dir) => rmSync(path.join(dir, "database", "tables", "Project.ndjson")), /Project.ndjson: missing/],
      [(dir) => {
        const m = JSON.parse(readFileSync(path.join(dir, "manifest.json"), "utf8"));
        m.snapshot.approvedInvestment = "999999";
        writeFileSync(path.join(dir, "manifest.json"), JSON.stringify(m));
      }, /signature does not verify/],
    ];
    for (const [alter, message] of cases) {
      const file = await makeArchive(alter);
      await expect(openArchive(file, path.join(tmp, `open-${n}`), keys.publicKey, () => null)).rejects.toThrow(message);
    }
    await expect(openArchive(await makeArchive(), path.join(tmp, `open-${n}`), other.publicKey, () => null)).rejects.toBeInstanceOf(ArchiveRejectedError);
  });

  it("refuses what is not an archive, and a manifest that does not parse", async () => {
    const junk = path.join(tmp, "junk.tar.gz");
    writeFileSync(junk, "not a tarball");
    await expect(openArchive(junk, path.join(tmp, "open-junk"), keys.publicKey, () => null)).rejects.toBeInstanceOf(ArchiveRejectedError);
    expect(manifestSchema.safeParse({ ...unsigned, parts: [], signature: "x" }).success).toBe(false);
    expect(manifestSchema.safeParse({ ...unsigned, parts: [{ path: "a", sha256: "XYZ", size: 1 }], signature: "x" }).success).toBe(false);
  });

  it("seals secrets with a passphrase: the right one opens them, a wrong one or a flipped bit does not", () => {
    const secrets = { auditSigningKey: "-----BEGIN PRIVATE KEY-----\nabc\n-----END PRIVATE KEY-----\n", authSecret: "s".repeat(40) };
    const sealed = encryptSecrets(secrets, "correct horse battery staple");
    expect(JSON.stringify(sealed)).not.toContain("BEGIN PRIVATE KEY");
    expect(decryptSecrets(sealed, "correct horse battery staple")).toEqual(secrets);
    expect(() => decryptSecrets(sealed, "wrong horse battery staple")).toThrow(/do not decrypt/);
    const flipped = { ...sealed, ciphertext: Buffer.from(Buffer.from(sealed.ciphertext, "base64").map((b, i) => (i === 0 ? b ^ 1 : b))).toString("base64") };
    expect(() => decryptSecrets(flipped, "correct horse battery staple")).toThrow(/do not decrypt/);
    expect(() => encryptSecrets(secrets, "short")).toThrow(/at least 12/);
  });
});

describe("restore epochs", () => {
  const chainId = "c0";
  const ref = (over: Partial<CheckpointRef>): CheckpointRef => ({ kind: "checkpoint", chainId, seq: 1n, hash: "h1", source: "f", signed: true, epoch: ROOT_EPOCH, ...over });
  // Source: events 1..10 (h1..h10); backup at 5; the copy restored as epoch E with its restore event at 6 (r6).
  const restore = ref({ kind: "restore", seq: 6n, hash: "r6", epoch: "E", parentEpoch: ROOT_EPOCH, forkSeq: 5n, forkHash: "h5", source: "restore" });
  const refs = [ref({ seq: 3n, hash: "h3" }), ref({ seq: 8n, hash: "h8", source: "source-later" }), restore, ref({ seq: 7n, hash: "c7", epoch: "E", source: "copy-later" })];

  it("the copy holds its own epoch in full and the source's up to the fork; the source's later checkpoints are another timeline", () => {
    const copy = selectLineage(refs, new Map([[6n, "r6"], [5n, "h5"], [7n, "c7"]]), chainId, 7n);
    expect(copy.epoch).toBe("E");
    expect(copy.kept.map((r) => r.source).sort()).toEqual(["copy-later", "f", "restore"]);
    expect(copy.otherTimelines).toBe(1);
    expect(copy.problems).toEqual([]);
  });

  it("the source ignores the copy's checkpoints and keeps all of its own", () => {
    const src = selectLineage(refs, new Map([[6n, "h6"], [5n, "h5"], [10n, "h10"]]), chainId, 10n);
    expect(src.epoch).toBe(ROOT_EPOCH);
    expect(src.kept.map((r) => r.source).sort()).toEqual(["f", "source-later"]);
    expect(src.otherTimelines).toBe(2);
    expect(src.problems).toEqual([]);
  });

  it("a copy cut back to its fork point is reported as truncated", () => {
    const cut = selectLineage(refs, new Map([[5n, "h5"]]), chainId, 5n);
    expect(cut.problems.join()).toMatch(/truncated: restore checkpoint restore continues this log after event 5/);
  });

  it("checkpoints of another chain pass through for the verifier to warn about", () => {
    const foreign = ref({ chainId: "other", seq: 99n, epoch: "X" });
    expect(selectLineage([foreign], new Map(), chainId, 3n).kept).toEqual([foreign]);
  });
});
