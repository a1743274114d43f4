// The backup archive (docs/operations.md, docs/decisions/0019): a gzipped tar holding
//   manifest.json                      what is inside, with the SHA-256 of every other part, signed
//   database/postgres.dump             pg_dump custom format (server), or
//   database/tables/<table>.ndjson     one JSON row a line per table (embedded PGlite)
//   files/<storageKey>                 the evidence files the database refers to
//   audit/checkpoints/*.json           the signed audit checkpoints, audit/public-key.pem
//   secrets/secrets.enc.json           only with --include-secrets: scrypt + AES-256-GCM
// Plain Node (no "server-only"): scripts/ops.ts and the tests use it.
import { createCipheriv, createDecipheriv, createHash, randomBytes, scryptSync, sign, verify, type KeyObject } from "node:crypto";
import { createReadStream, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import * as tar from "tar";
import { z } from "zod";
import { canonicalJson } from "@/lib/audit/log";

export const MANIFEST_FORMAT = "zunyi-backup/1";
export const MANIFEST_FILE = "manifest.json";

const sha256Hex = z.string().regex(/^[0-9a-f]{64}$/, "a SHA-256 as 64 lower-case hex digits");
const seqText = z.string().regex(/^\d+$/, "a sequence number");

export const manifestSchema = z.object({
  format: z.literal(MANIFEST_FORMAT),
  createdAt: z.iso.datetime(),
  appVersion: z.string().min(1),
  /** Newest applied migration (prisma/migrations folder name); null when the database has no _prisma_migrations. */
  migrationHead: z.string().nullable(),
  database: z.object({
    kind: z.enum(["pg_dump", "json"]),
    serverVersion: z.string(),
    /** Tables in load order (json kind). */
    tables: z.array(z.string()).default([]),
  }),
  audit: z.object({
    chainId: z.string().nullable(),
    epoch: z.string().min(1),
    head: z.object({ seq: seqText, hash: z.string().min(1) }).nullable(),
    eventCount: seqText,
    /** The key the manifest and the checkpoints are signed with (SHA-256 of its DER public key). */
    keyId: sha256Hex,
  }),
  /** Figures at the snapshot, for the restore drill to compare. */
  snapshot: z.object({
    counts: z.record(z.string(), z.number().int().min(0)),
    /** Σ completedInvestment of APPROVED monthly returns, 万元, decimal text. */
    approvedInvestment: z.string(),
    evidence: z.array(z.object({ storageKey: z.string().min(1), sha256: sha256Hex })),
  }),
  parts: z.array(z.object({ path: z.string().min(1), sha256: sha256Hex, size: z.number().int().min(0) })).min(1),
  includesSecrets: z.boolean(),
  /** Where the evidence bytes are: files/ in the archive (local folder), or inside the database (STORAGE_BACKEND=postgres). */
  evidenceStorage: z.enum(["local", "postgres"]).default("local"),
  signature: z.string().min(1),
});
export type Manifest = z.infer<typeof manifestSchema>;
export type UnsignedManifest = Omit<z.input<typeof manifestSchema>, "signature" | "parts">;

export function sha256Bytes(bytes: Uint8Array | string): string {
  return createHash("sha256").update(bytes).digest("hex");
}

export async function sha256File(file: string): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest("hex");
}

/** Every file below `dir`, as sorted POSIX paths relative to it. */
export function listFiles(dir: string, prefix = ""): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) out.push(...listFiles(path.join(dir, entry.name), rel));
    else if (entry.isFile()) out.push(rel);
    else throw new Error(`not a regular file: ${rel}`);
  }
  return out.sort();
}

function signedText(manifest: Omit<Manifest, "signature">): Buffer {
  return Buffer.from(canonicalJson(manifest));
}

/** Hashes every part in the staging folder, signs, and writes manifest.json. Returns the manifest and its file's SHA-256. */
export async function sealManifest(stagingDir: string, unsigned: UnsignedManifest, privateKey: KeyObject): Promise<{ manifest: Manifest; manifestSha256: string }> {
  const parts = [];
  for (const rel of listFiles(stagingDir).filter((p) => p !== MANIFEST_FILE)) {
    const file = path.join(stagingDir, rel);
    parts.push({ path: rel, sha256: await sha256File(file), size: statSync(file).size });
  }
  // Signed as it will be read back: defaults filled in by the schema.
  const { signature: _placeholder, ...body } = manifestSchema.parse({ ...unsigned, parts, signature: "-" });
  const manifest: Manifest = { ...body, signature: sign(null, signedText(body), privateKey).toString("base64") };
  const text = `${JSON.stringify(manifest, null, 2)}\n`;
  writeFileSync(path.join(stagingDir, MANIFEST_FILE), text);
  return { manifest, manifestSha256: sha256Bytes(text) };
}

export function manifestSignatureValid(manifest: Manifest, publicKey: KeyObject): boolean {
  const { signature, ...body } = manifest;
  try {
    return verify(null, signedText(body), publicKey, Buffer.from(signature, "base64"));
  } catch {
    return false;
  }
}

/** Packs the staging folder (manifest first) into one gzipped tar. */
export async function packArchive(stagingDir: string, file: string): Promise<void> {
  mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const entries = [MANIFEST_FILE, ...listFiles(stagingDir).filter((p) => p !== MANIFEST_FILE)];
  await tar.c({ file, cwd: stagingDir, gzip: true, portable: true, noDirRecurse: true }, entries);
}

export interface OpenedArchive {
  dir: string;
  manifest: Manifest;
  manifestSha256: string;
}

export class ArchiveRejectedError extends Error {
  override name = "ArchiveRejectedError";
}

/**
 * Unpacks the archive into `dir` and checks it: the manifest parses, every part is there with its
 * size and SHA-256, nothing else is, and the signature verifies (with `trustedKey` when this host
 * has one, else with the public key inside the archive). Throws ArchiveRejectedError listing every mismatch.
 */
export async function openArchive(file: string, dir: string, trustedKey: KeyObject | null, archiveKey: (dir: string) => KeyObject | null): Promise<OpenedArchive> {
  mkdirSync(dir, { recursive: true });
  try {
    await tar.x({ file, cwd: dir, strict: true, preservePaths: false });
  } catch (error) {
    throw new ArchiveRejectedError(`${file} is not a readable backup archive (${error instanceof Error ? error.message : String(error)})`);
  }
  const manifestPath = path.join(dir, MANIFEST_FILE);
  if (!existsSync(manifestPath)) throw new ArchiveRejectedError(`${file} has no ${MANIFEST_FILE}`);
  const text = readFileSync(manifestPath, "utf8");
  let manifest: Manifest;
  try {
    manifest = manifestSchema.parse(JSON.parse(text));
  } catch (error) {
    throw new ArchiveRejectedError(`${MANIFEST_FILE} is not a valid manifest: ${error instanceof Error ? error.message : String(error)}`);
  }
  const problems: string[] = [];
  const listed = new Set(manifest.parts.map((p) => p.path));
  for (const part of manifest.parts) {
    const partFile = path.join(dir, part.path);
    if (!existsSync(partFile)) {
      problems.push(`${part.path}: missing`);
      continue;
    }
    const actual = await sha256File(partFile);
    if (actual !== part.sha256 || statSync(partFile).size !== part.size) problems.push(`${part.path}: SHA-256 ${actual} does not match the manifest's ${part.sha256}`);
  }
  for (const rel of listFiles(dir)) if (rel !== MANIFEST_FILE && !listed.has(rel)) problems.push(`${rel}: not in the manifest`);
  const key = trustedKey ?? archiveKey(dir);
  if (!key) problems.push("no public key to check the manifest's signature with");
  else if (!manifestSignatureValid(manifest, key)) problems.push(`${MANIFEST_FILE}: signature does not verify${trustedKey ? " with this host's audit public key" : ""}`);
  if (problems.length) throw new ArchiveRejectedError(`the archive does not match its manifest:\n  ${problems.join("\n  ")}`);
  return { dir, manifest, manifestSha256: sha256Bytes(text) };
}

// ---- Secrets, encrypted with a passphrase (scrypt → AES-256-GCM) ----

const SCRYPT = { N: 2 ** 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 } as const;

const sealedSchema = z.object({
  format: z.literal("zunyi-secrets/1"),
  kdf: z.object({ name: z.literal("scrypt"), N: z.number().int(), r: z.number().int(), p: z.number().int(), salt: z.string() }),
  cipher: z.literal("aes-256-gcm"),
  iv: z.string(),
  tag: z.string(),
  ciphertext: z.string(),
});
export type SealedSecrets = z.infer<typeof sealedSchema>;

export const secretsSchema = z.object({ auditSigningKey: z.string().min(1), authSecret: z.string().min(1).nullable() });
export type Secrets = z.infer<typeof secretsSchema>;

export function encryptSecrets(secrets: Secrets, passphrase: string): SealedSecrets {
  if (passphrase.length < 12) throw new Error("BACKUP_PASSPHRASE must be at least 12 characters");
  const salt = randomBytes(16);
  const key = scryptSync(passphrase, salt, 32, SCRYPT);
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  const ciphertext = Buffer.concat([cipher.update(JSON.stringify(secretsSchema.parse(secrets)), "utf8"), cipher.final()]);
  return {
    format: "zunyi-secrets/1", kdf: { name: "scrypt", N: SCRYPT.N, r: SCRYPT.r, p: SCRYPT.p, salt: salt.toString("base64") }, cipher: "aes-256-gcm",
    iv: iv.toString("base64"), tag: cipher.getAuthTag().toString("base64"), ciphertext: ciphertext.toString("base64"),
  };
}

export function decryptSecrets(sealed: unknown, passphrase: string): Secrets {
  const box = sealedSchema.parse(sealed);
  const key = scryptSync(passphrase, Buffer.from(box.kdf.salt, "base64"), 32, { N: box.kdf.N, r: box.kdf.r, p: box.kdf.p, maxmem: SCRYPT.maxmem });
  const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(box.iv, "base64"));
  decipher.setAuthTag(Buffer.from(box.tag, "base64"));
  let plain: string;
  try {
    plain = Buffer.concat([decipher.update(Buffer.from(box.ciphertext, "base64")), decipher.final()]).toString("utf8");
  } catch {
    throw new Error("the secrets do not decrypt: wrong BACKUP_PASSPHRASE, or the archive was altered");
  }
  return secretsSchema.parse(JSON.parse(plain));
}
