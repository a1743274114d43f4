// The restore drill (issue 15, docs/operations.md): activity (returns with evidence, approvals, an
// import), a backup taken while writes go on, a restore into a new database, the app's start-up
// path and a request on the restored copy, the audit chain verified with source and copy sharing
// one checkpoint folder (restore epochs, docs/decisions/0019), the restored figures equal to the
// source's at the snapshot, an altered archive refused (also by the CLI, exit code 1), and a real
// truncation of the restored log still caught. On PostgreSQL (pg_dump) and on PGlite (JSON rows).
import { execFile } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import pg from "pg";
import * as tar from "tar";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { CheckpointPaths } from "@/lib/audit/checkpoint";
import type { CurrentUser } from "@/lib/auth/session";
import type { BackupResult } from "@/lib/operations/backup";
import type { RestoreResult } from "@/lib/operations/restore";
import { userActor } from "@/tests/helpers/actors";
import { runSql } from "@/tests/helpers/sql";
import { applyMigrations, createTestDatabase, seededTestDatabase, type TestDatabase } from "@/tests/helpers/test-database";

const session = vi.hoisted(() => ({ user: null }));
vi.mock("@/lib/auth/session", async (original) => ({ ...(await original<object>()), getCurrentUser: async () => session.user }));

const tmp = mkdtempSync(path.join(os.tmpdir(), "zunyi-drill-"));
const sourceFiles = path.join(tmp, "source-attachments");
const restoredFiles = path.join(tmp, "restored-attachments");
// One checkpoint folder and key for both: the shared-folder case that used to raise false alarms.
// With a mirror folder (AUDIT_CHECKPOINT_MIRROR_DIR), which gets a copy of every file and is verified too.
const paths: CheckpointPaths = {
  dir: path.join(tmp, "checkpoints"), signingKey: path.join(tmp, "key.pem"), publicKey: path.join(tmp, "key.pub.pem"), mirrorDir: path.join(tmp, "mirror"),
};
const PNG = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==", "base64");
const AS_OF = new Date("2026-11-29T04:00:00Z");

let source: TestDatabase;
let target: TestDatabase;
let prisma: typeof import("@/lib/db").prisma;
let returns: typeof import("@/lib/returns/commands") & typeof import("@/lib/returns/queries");
let checkpoint: typeof import("@/lib/audit/checkpoint");
let createPrismaClient: typeof import("@/lib/prisma-client").createPrismaClient;
let backupResult: BackupResult;
let restoreResult: RestoreResult;
let owner: CurrentUser;
let reviewer: CurrentUser;
const archive = path.join(tmp, "backup.tar.gz");

async function projects(limit: number): Promise<{ id: string; source: string }[]> {
  return prisma.$queryRaw<{ id: string; source: string }[]>`
    SELECT p.id, min(f."sourceCode") AS source FROM "Project" p JOIN "Organization" o ON o.id = p."ownerOrgId" JOIN "ProjectFunding" f ON f."projectId" = p.id
     WHERE o.name = '仁怀市人民政府' AND p."lifecycleStage" = 'CONSTRUCTION' AND p."reviewDivisionCode" = '520382'
       AND p."totalInvestment" > p."completedInvestment" + 10000
       AND NOT EXISTS (SELECT 1 FROM "MonthlyReturn" r WHERE r."projectId" = p.id AND r.period = '2026-11-01')
     GROUP BY p.id ORDER BY p."planKey" LIMIT ${limit}`;
}

/** A November return with one evidence file, submitted by the owner unit and approved by the reviewer. */
async function returnWithEvidence(project: { id: string; source: string }, marker: number): Promise<void> {
  const form = {
    projectId: project.id, period: "2026-11", version: 0, intent: "submit" as const, completedInvestment: String(100 + marker), payments: "50",
    progressPercent: "99", progressText: "主体施工", funds: { [project.source]: "10" }, milestones: {}, overrunNote: null, fundsNote: "按进度拨付",
    progressNote: null, problems: [], resolveProblems: [],
  };
  // Distinct bytes per file (trailing data after IEND still reads as a PNG).
  await returns.saveReturn(owner, form, [{ name: `现场照片-${marker}.png`, bytes: Buffer.concat([PNG, Buffer.from(`#${marker}`)]) }], "127.0.0.1", AS_OF);
  const row = await prisma.monthlyReturn.findFirstOrThrow({ where: { projectId: project.id, period: new Date("2026-11-01T00:00:00Z") } });
  await returns.reviewReturn(reviewer, { returnId: row.id, version: row.version, decision: "approve", reason: null }, "127.0.0.1");
}

async function figuresOf(url: string) {
  const { publicTables, snapshotFigures } = await import("@/lib/operations/backup");
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query("BEGIN ISOLATION LEVEL REPEATABLE READ");
    const figures = await snapshotFigures(client, (await publicTables(client)).filter((t) => t !== "_prisma_migrations"));
    const events = (await client.query<{ seq: string; hash: string }>(`SELECT seq::text, hash FROM "AuditEvent" ORDER BY seq`)).rows;
    await client.query("COMMIT");
    return { ...figures, events };
  } finally {
    await client.end();
  }
}

beforeAll(async () => {
  process.env.ATTACHMENT_DIR = sourceFiles;
  ({ db: source, prisma } = await seededTestDatabase(new Date("2026-11-15T00:00:00Z")));
  returns = { ...(await import("@/lib/returns/commands")), ...(await import("@/lib/returns/queries")) };
  checkpoint = await import("@/lib/audit/checkpoint");
  ({ createPrismaClient } = await import("@/lib/prisma-client"));
  owner = await userActor("owner.editor");
  reviewer = await userActor("reviewer");

  // Activity before the backup: two returns with evidence, approved; an import; a checkpoint.
  const [first, second, ...later] = await projects(6);
  await returnWithEvidence(first!, 1);
  await returnWithEvidence(second!, 2);
  const { previewImport, confirmImport } = await import("@/lib/imports/batches");
  const [own] = await prisma.$queryRaw<{ name: string; county: string }[]>`
    SELECT p.name, d.name AS county FROM "Project" p JOIN "Organization" o ON o.id = p."ownerOrgId"
      JOIN "ProjectLocation" l ON l."projectId" = p.id JOIN "AdminDivision" d ON d.code = l."divisionCode"
     WHERE o.name = '仁怀市人民政府' AND p."reviewDivisionCode" = '520382' ORDER BY p."planKey" LIMIT 1`;
  const preview = await previewImport(owner, { name: "登记.csv", bytes: new TextEncoder().encode(`项目名称,所在区县,总投资（万元）\n${own!.name},${own!.county},9999999\n`) });
  if (!preview.ok || !preview.preview.batchId) throw new Error(JSON.stringify(preview.ok ? preview.preview.errors : preview.problem));
  await confirmImport(owner, preview.preview.batchId, "127.0.0.1");
  await checkpoint.createCheckpoint(prisma, { actorName: "drill", paths });

  // The backup, while returns keep being approved with evidence.
  const { createBackup } = await import("@/lib/operations/backup");
  let done = false;
  let written = 0;
  const writer = (async () => {
    for (let i = 0; !done && i < later.length; i++) {
      await returnWithEvidence(later[i]!, 10 + i).then(() => (written += 1), () => undefined);
    }
  })();
  const owning = createPrismaClient(source.url, 1);
  try {
    backupResult = await createBackup({
      ownerUrl: source.url, mode: source.mode, prisma: owning, file: archive, attachmentDir: sourceFiles, paths, appVersion: "drill",
      secrets: { passphrase: "correct horse battery staple", authSecret: "drill-auth-secret-0123456789abcdef0123" }, actorName: "drill",
    });
  } finally {
    done = true;
    await writer;
    await owning.$disconnect();
  }
  expect(written).toBeGreaterThan(0);

  // Restore into a new, empty database on "another host" (its own attachment folder, the same checkpoint folder).
  target = await createTestDatabase();
  const { restoreBackup } = await import("@/lib/operations/restore");
  restoreResult = await restoreBackup({
    ownerUrl: target.url, mode: target.mode, prismaFor: (url) => createPrismaClient(url, 1), file: archive, attachmentDir: restoredFiles, paths,
    migrate: () => applyMigrations(target.url), actorName: "drill",
  });
}, 600_000);

afterAll(async () => {
  await prisma?.$disconnect();
  await source?.drop().catch(() => undefined);
  await target?.drop().catch(() => undefined);
  rmSync(tmp, { recursive: true, force: true });
});

describe("backup and restore drill", () => {
  it("the archive holds one snapshot: evidence files, checkpoints, secrets sealed, a signed manifest", async () => {
    const m = backupResult.manifest;
    expect(m.database.kind).toBe(source.mode === "server" ? "pg_dump" : "json");
    expect(m.snapshot.evidence.length).toBeGreaterThanOrEqual(2);
    expect(m.parts.map((p) => p.path)).toEqual(expect.arrayContaining(["audit/public-key.pem", "secrets/secrets.enc.json"]));
    expect(m.parts.filter((p) => p.path.startsWith("audit/checkpoints/")).length).toBeGreaterThanOrEqual(1);
    expect(m.includesSecrets).toBe(true);
    // The sealed secrets are not readable in the clear.
    const unpacked = path.join(tmp, "look");
    mkdirSync(unpacked);
    await tar.x({ file: archive, cwd: unpacked });
    expect(readFileSync(path.join(unpacked, "secrets", "secrets.enc.json"), "utf8")).not.toContain("drill-auth-secret");
    // The backup is itself in the source's log, after the snapshot's head.
    const event = await prisma.auditEvent.findUniqueOrThrow({ where: { seq: backupResult.eventSeq } });
    expect(event.action).toBe("audit.backup");
    expect((event.details as { manifestSha256: string }).manifestSha256).toBe(backupResult.manifestSha256);
    expect(backupResult.eventSeq).toBeGreaterThan(BigInt(m.audit.head!.seq));
  });

  it("the restored copy equals the source at the snapshot: rows, approved investment, evidence bytes, audit events", async () => {
    const m = backupResult.manifest;
    const restored = await figuresOf(target.url);
    const head = BigInt(m.audit.head!.seq);
    // The restore added its own audit event and restore checkpoint; nothing else differs.
    expect({ ...restored.counts, AuditEvent: restored.counts.AuditEvent! - 1, AuditCheckpoint: restored.counts.AuditCheckpoint! - 1 }).toEqual(m.snapshot.counts);
    expect(restored.approvedInvestment).toBe(m.snapshot.approvedInvestment);
    expect(restored.evidence).toEqual(m.snapshot.evidence);
    const { sha256File } = await import("@/lib/operations/archive");
    for (const file of m.snapshot.evidence) {
      expect(await sha256File(path.join(restoredFiles, file.storageKey))).toBe(file.sha256);
      expect(await sha256File(path.join(sourceFiles, file.storageKey))).toBe(file.sha256);
    }
    // The source's events up to the snapshot's head, hash for hash; the source went on (writes during the backup).
    const now = await figuresOf(source.url);
    expect(restored.events.slice(0, -1)).toEqual(now.events.filter((e) => BigInt(e.seq) <= head));
    expect(restored.events.at(-1)!.seq).toBe(String(head + 1n));
    expect(BigInt(now.events.at(-1)!.seq)).toBeGreaterThan(head);
    expect(m.snapshot.counts.Attachment).toBe(m.snapshot.evidence.length);
  });

  it("restore verified the audit log and started a new epoch recorded as audit.restore", async () => {
    expect(restoreResult.verification.ok, restoreResult.verification.reason).toBe(true);
    expect(restoreResult.verification.checkpoints.epoch).toBe(restoreResult.epoch);
    const restoreFile = readdirSync(paths.dir).find((name) => name.startsWith("restore-"));
    expect(restoreFile).toBeDefined();
    expect(readdirSync(paths.mirrorDir!)).toContain(restoreFile);
    const [event] = await runSql<{ action: string; details: Record<string, unknown> }>(target.url, `SELECT action, details FROM "AuditEvent" WHERE seq = $1`, [String(restoreResult.restoreEventSeq)]).then((r) => r.rows);
    expect(event!.action).toBe("audit.restore");
    expect(event!.details).toMatchObject({ manifestSha256: backupResult.manifestSha256, archive: "backup.tar.gz", sourceHead: backupResult.manifest.audit.head, sourceEpoch: "root" });
  });

  it("source and restored copy both go on and verify cleanly against one shared checkpoint folder", async () => {
    const restoredPrisma = createPrismaClient(target.url, 1);
    try {
      await checkpoint.createCheckpoint(prisma, { actorName: "source", paths });
      await checkpoint.createCheckpoint(restoredPrisma, { actorName: "copy", paths });
      await checkpoint.createCheckpoint(prisma, { actorName: "source", paths });
      const onSource = await checkpoint.verifyAuditLogAndCheckpoints(prisma, paths);
      const onCopy = await checkpoint.verifyAuditLogAndCheckpoints(restoredPrisma, paths);
      expect(onSource.ok, onSource.reason).toBe(true);
      expect(onCopy.ok, onCopy.reason).toBe(true);
      expect(onSource.warnings).toEqual([]);
      expect(onCopy.warnings).toEqual([]);
      // Each set aside the other's checkpoints after the fork, and compared the shared history.
      expect(onSource.checkpoints.otherTimelines).toBeGreaterThan(0);
      expect(onCopy.checkpoints.otherTimelines).toBeGreaterThan(0);
      expect(onCopy.checkpointsChecked).toBeGreaterThanOrEqual(3);
    } finally {
      await restoredPrisma.$disconnect();
    }
  });

  it("the app starts on the restored copy and serves a request from it", async () => {
    vi.resetModules();
    const previous = process.env.DATABASE_URL;
    process.env.DATABASE_URL = target.url;
    process.env.ATTACHMENT_DIR = restoredFiles;
    process.env.ALLOW_SUPERUSER = "1"; // the test databases are reached as their owner
    try {
      const { register } = await import("@/instrumentation");
      await register();
      const { NextRequest } = await import("next/server");
      const { GET } = await import("@/app/api/health/route");
      session.user = null;
      const response = await GET(new NextRequest("http://localhost/api/health"), { params: Promise.resolve({}) });
      expect(response.status).toBe(200);
      const restoredReturns = await import("@/lib/returns/attachments");
      const evidence = backupResult.manifest.snapshot.evidence[0]!;
      const [attachment] = (await runSql<{ id: string }>(target.url, `SELECT id FROM "Attachment" WHERE "storageKey" = $1`, [evidence.storageKey])).rows;
      const opened = await restoredReturns.openAttachment(owner, attachment!.id);
      const bytes = Buffer.from(await new Response(opened!.body).arrayBuffer());
      const { sha256Bytes } = await import("@/lib/operations/archive");
      expect(sha256Bytes(bytes)).toBe(evidence.sha256);
      await (await import("@/lib/db")).prisma.$disconnect();
    } finally {
      process.env.DATABASE_URL = previous;
      process.env.ATTACHMENT_DIR = sourceFiles;
      delete process.env.ALLOW_SUPERUSER;
    }
  });

  it("an altered archive is refused, by the library and by `db:restore` with exit code 1", async () => {
    const unpacked = path.join(tmp, "alter");
    mkdirSync(unpacked);
    await tar.x({ file: archive, cwd: unpacked });
    const evidence = backupResult.manifest.snapshot.evidence[0]!;
    writeFileSync(path.join(unpacked, "files", evidence.storageKey), Buffer.concat([PNG, Buffer.from("tampered")]));
    const altered = path.join(tmp, "altered.tar.gz");
    await tar.c({ file: altered, cwd: unpacked, gzip: true }, ["."]);
    const spare = await createTestDatabase();
    try {
      const { restoreBackup } = await import("@/lib/operations/restore");
      await expect(
        restoreBackup({ ownerUrl: spare.url, mode: spare.mode, prismaFor: (url) => createPrismaClient(url, 1), file: altered, attachmentDir: path.join(tmp, "x"), paths, migrate: () => applyMigrations(spare.url) }),
      ).rejects.toThrow(new RegExp(`files/${evidence.storageKey}: SHA-256 .* does not match`));
      expect((await runSql<{ n: string }>(spare.url, `SELECT count(*)::text AS n FROM pg_tables WHERE schemaname = 'public'`)).rows[0]!.n).toBe("0");
      const cli = await promisify(execFile)(process.execPath, [path.join("node_modules", "tsx", "dist", "cli.mjs"), "scripts/ops.ts", "restore", altered], {
        env: { ...process.env, DATABASE_URL: spare.url, AUDIT_CHECKPOINT_DIR: paths.dir, AUDIT_SIGNING_KEY: paths.signingKey, AUDIT_PUBLIC_KEY: paths.publicKey, ATTACHMENT_DIR: path.join(tmp, "x") },
      }).then(() => ({ code: 0, stderr: "" }), (error: { code: number; stderr: string }) => error);
      expect(cli.code).toBe(1);
      expect(cli.stderr).toContain("REFUSED");
    } finally {
      await spare.drop();
    }
  });

  it("a restore into a database with data is refused without --force", async () => {
    const { restoreBackup } = await import("@/lib/operations/restore");
    await expect(
      restoreBackup({ ownerUrl: target.url, mode: target.mode, prismaFor: (url) => createPrismaClient(url, 1), file: archive, attachmentDir: restoredFiles, paths }),
    ).rejects.toThrow(/not empty/);
  });

  it("a real truncation of the restored log is still caught", async () => {
    const copy = path.join(tmp, "cut.tar.gz");
    copyFileSync(archive, copy);
    const forkSeq = backupResult.manifest.audit.head!.seq;
    await runSql(target.url, `BEGIN; SET LOCAL session_replication_role = replica; DELETE FROM "AuditEvent" WHERE seq > ${forkSeq}; DELETE FROM "AuditCheckpoint" WHERE seq > ${forkSeq}; COMMIT;`);
    const restoredPrisma = createPrismaClient(target.url, 1);
    try {
      const result = await checkpoint.verifyAuditLogAndCheckpoints(restoredPrisma, paths);
      expect(result.ok).toBe(false);
      expect(result.reason).toMatch(/truncated/);
    } finally {
      await restoredPrisma.$disconnect();
    }
  });
});
