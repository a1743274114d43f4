// The audit log's integrity on a real database (docs/decisions/0009): who/why/evidence columns
// in the hash, one unbroken chain from concurrent writers, tampering by a superuser found at the
// right row, the audit row failing = the change failing, signed checkpoints catching truncation
// and rewrites, the retention purge, the app role's privileges, and a read-only auditor.
import { randomBytes } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CheckpointPaths } from "@/lib/audit/checkpoint";
import type { AnyAuditEventInput } from "@/lib/audit/log";
import { createActor } from "@/tests/helpers/actors";
import { recordUntypedAuditEvent } from "@/tests/helpers/untyped-audit-event";
import { sqlOn } from "@/tests/helpers/sql";
import { applyMigrations, createTestDatabase, type TestDatabase } from "@/tests/helpers/test-database";

let db: TestDatabase;
const { query } = sqlOn(() => db.url);
let tmp: string;
let prisma: typeof import("@/lib/db").prisma;
let log: typeof import("@/lib/audit/log");
let checkpoint: typeof import("@/lib/audit/checkpoint");
let purge: typeof import("@/lib/audit/purge");
let audit: typeof import("@/lib/audit/queries");
let users: typeof import("@/lib/data/users");
let permissions: typeof import("@/lib/auth/permissions");
let createPrismaClient: typeof import("@/lib/prisma-client").createPrismaClient;

/** What a superuser can do: switch the triggers off and change rows at will. */
async function asSuperuserWithoutTriggers(text: string) {
  return query(`BEGIN; SET LOCAL session_replication_role = replica; ${text}; COMMIT;`);
}

/** A fresh, empty chain (and no checkpoint rows) for the next test. */
async function freshChain() {
  await query(`BEGIN;
    ALTER TABLE "AuditEvent" DISABLE TRIGGER USER; ALTER TABLE "AuditCheckpoint" DISABLE TRIGGER USER; ALTER TABLE "AuditPending" DISABLE TRIGGER USER;
    TRUNCATE "AuditEvent", "AuditCheckpoint", "AuditPending";
    ALTER TABLE "AuditEvent" ENABLE TRIGGER USER; ALTER TABLE "AuditCheckpoint" ENABLE TRIGGER USER; ALTER TABLE "AuditPending" ENABLE TRIGGER USER;
    COMMIT;`);
}

function freshPaths(): CheckpointPaths {
  const dir = mkdtempSync(path.join(tmp, "cp-"));
  return { dir: path.join(dir, "checkpoints"), signingKey: path.join(dir, "key.pem"), publicKey: path.join(dir, "key.pub.pem") };
}

async function writeEvents(count: number, prefix = "test.event") {
  for (let i = 1; i <= count; i++) await recordUntypedAuditEvent(prisma, { action: prefix, entityType: "Test", entityId: String(i), details: { i } });
}

beforeAll(async () => {
  db = await createTestDatabase();
  await applyMigrations(db.url);
  tmp = mkdtempSync(path.join(os.tmpdir(), "zunyi-audit-"));
  process.env.DATABASE_URL = db.url;
  process.env.AUDIT_CHECKPOINT_DIR = path.join(tmp, "checkpoints");
  process.env.AUDIT_SIGNING_KEY = path.join(tmp, "signing-key.pem");
  process.env.AUDIT_PUBLIC_KEY = path.join(tmp, "signing-key.pub.pem");
  process.env.AUDIT_ARCHIVE_DIR = path.join(tmp, "archive");
  [prisma, log, checkpoint, purge, audit, users, permissions, { createPrismaClient }] = await Promise.all([
    import("@/lib/db").then((m) => m.prisma), import("@/lib/audit/log"), import("@/lib/audit/checkpoint"), import("@/lib/audit/purge"),
    import("@/lib/audit/queries"), import("@/lib/data/users"), import("@/lib/auth/permissions"), import("@/lib/prisma-client"),
  ]);
});

afterAll(async () => {
  await prisma?.$disconnect();
  await db?.drop();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

describe("what an event records", () => {
  it("fills the actor's organization at the time, keeps reason, evidence and approver, and hashes them all", async () => {
    await freshChain();
    const org = await prisma.organization.create({ data: { name: "仁怀市发展和改革局", kind: "COUNTY_DEPARTMENT" } });
    const clerk = await createActor("audit.clerk", ["OWNER_EDITOR"], org.id);
    const sha = "AB".repeat(32);
    await recordUntypedAuditEvent(prisma, {
      actorId: clerk.id, actorName: clerk.username, action: "project.update", entityType: "Project", entityId: "p-1", ip: "10.0.0.1",
      reason: "  按批复调整  ", evidence: [{ attachmentId: "att-1", sha256: sha, fileName: "批复.pdf" }], approverId: clerk.id, approverName: "reviewer",
      requestId: "3d1e8b1c-1f44-4b7e-8a5e-9b2f6c1d0e77", details: { changes: { totalInvestment: { from: "100.0000", to: "120.0000" } } },
    });
    // The organization is renamed afterwards: the event keeps the name it had.
    await prisma.organization.update({ where: { id: org.id }, data: { name: "仁怀市发改局（新）" } });
    const row = await prisma.auditEvent.findFirstOrThrow({ where: { action: "project.update" } });
    expect(row).toMatchObject({
      hashVersion: 4, actorOrganizationId: org.id, actorOrganizationName: "仁怀市发展和改革局", reason: "按批复调整", approverName: "reviewer",
      requestId: "3d1e8b1c-1f44-4b7e-8a5e-9b2f6c1d0e77", evidence: [{ attachmentId: "att-1", sha256: sha.toLowerCase(), fileName: "批复.pdf" }],
    });
    // Outside a request there is no request id; without an actor no organization.
    await recordUntypedAuditEvent(prisma, { action: "test.bare" });
    expect(await prisma.auditEvent.findFirstOrThrow({ where: { action: "test.bare" } })).toMatchObject({ requestId: null, actorOrganizationId: null, evidence: [] });
    expect(await log.verifyAuditChain(prisma)).toMatchObject({ ok: true, checked: 2 });

    // Any of the new columns changed behind the app's back breaks the chain at that row.
    await asSuperuserWithoutTriggers(`UPDATE "AuditEvent" SET "approverName" = 'someone else' WHERE seq = ${row.seq}`);
    expect(await log.verifyAuditChain(prisma)).toMatchObject({ ok: false, firstBrokenSeq: row.seq, reason: "content does not match its hash" });
  });

  it("refuses malformed evidence, and the change with it", async () => {
    await freshChain();
    await expect(recordUntypedAuditEvent(prisma, { action: "x", evidence: [{ attachmentId: "a", sha256: "not-a-hash", fileName: "f" }] })).rejects.toThrow(/sha256/);
    expect(await prisma.auditEvent.count()).toBe(0);
  });

  it("keeps verifying rows written in hash version 1 before the new columns existed", async () => {
    await freshChain();
    const at = new Date("2026-11-01T08:00:00.000Z");
    const v1 = { seq: 1n, at, actorId: null, actorName: "old", action: "legacy.event", entityType: null, entityId: null, ip: null, details: { n: 1 }, prevHash: log.GENESIS_HASH };
    const hash = log.eventHash(v1);
    await query(`INSERT INTO "AuditEvent" (seq, at, "actorName", action, details, "hashVersion", "prevHash", hash) VALUES (1, $1::timestamptz AT TIME ZONE 'UTC', 'old', 'legacy.event', '{"n":1}', 1, $2, $3)`, [at.toISOString(), log.GENESIS_HASH, hash]);
    await writeEvents(3);
    const result = await log.verifyAuditChain(prisma);
    expect(result).toMatchObject({ ok: true, checked: 4 });
    expect((await prisma.auditEvent.findMany({ orderBy: { seq: "asc" } })).map((r) => r.hashVersion)).toEqual([1, 4, 4, 4]);
  });
});

describe("concurrent writers", () => {
  it("10,000 events (2,000 on PGlite) from parallel writers form one chain with no gap and no fork", { timeout: 600_000 }, async () => {
    await freshChain();
    // PGlite's socket server needs one connection per client (docs/decisions/0001): there the
    // writers' transactions queue on that one connection, so the embedded run proves less about
    // concurrency and takes 2,000 events to stay quick; a PostgreSQL server gets all 10,000.
    const server = db.mode === "server";
    const writers = server ? 12 : 8;
    const total = server ? 10_000 : 2_000;
    // Durability of each commit is not what this test is about: without waiting for the WAL flush
    // the writers finish in half the time (the lock is held until commit).
    const fast = new URL(db.url);
    fast.searchParams.set("options", "-c synchronous_commit=off");
    const client = createPrismaClient(server ? fast.toString() : db.url, server ? writers + 4 : 1);
    const started = Date.now();
    try {
      await Promise.all(
        Array.from({ length: writers }, async (_, w) => {
          for (let i = w; i < total; i += writers) {
            await recordUntypedAuditEvent(client, { action: "load.event", entityType: "Writer", entityId: String(w), details: { i } });
          }
        }),
      );
    } finally {
      await client.$disconnect();
    }
    const writing = Date.now() - started;
    const stats = await query(`SELECT count(*)::int AS n, min(seq)::int AS lo, max(seq)::int AS hi, count(DISTINCT "prevHash")::int AS links, count(DISTINCT "entityId")::int AS writers FROM "AuditEvent"`);
    expect(stats.rows[0]).toEqual({ n: total, lo: 1, hi: total, links: total, writers });
    const verifyStarted = Date.now();
    expect(await log.verifyAuditChain(prisma)).toMatchObject({ ok: true, checked: total, lastSeq: BigInt(total) });
    console.log(`[audit] ${total} events from ${writers} writers (${db.mode}): written in ${(writing / 1000).toFixed(1)} s, verified in ${((Date.now() - verifyStarted) / 1000).toFixed(1)} s`);
  });

  it("parallel changes, some rolled back after their audit event, leave exactly the committed ones' events, in one chain", { timeout: 600_000 }, async () => {
    await freshChain();
    const server = db.mode === "server";
    const writers = server ? 16 : 4;
    const total = server ? 1_200 : 200;
    const client = createPrismaClient(db.url, server ? writers + 2 : 1);
    // Every fourth change fails after writing its audit event; every seventh writes its event through
    // the linked path (as checkpoints and imports do), so both kinds of append interleave.
    const rolledBack = (i: number) => i % 4 === 3;
    try {
      await Promise.all(
        Array.from({ length: writers }, async (_, w) => {
          for (let i = w; i < total; i += writers) {
            const change = client.$transaction(async (tx) => {
              await tx.organization.create({ data: { name: `并发单位${i}`, kind: "ENTERPRISE" } });
              const event = { action: "organization.create", entityType: "Organization", entityId: `并发单位${i}`, details: { i } };
              if (i % 7 === 0) await log.appendAuditEvents(tx, [{ ...event, details: { after: { name: `并发单位${i}`, kind: "ENTERPRISE", parentId: null, divisionCode: null } } } as AnyAuditEventInput]);
              else await log.appendUncheckedAuditEvent(tx, event);
              if (rolledBack(i)) throw new Error("rolled back");
            });
            if (rolledBack(i)) await expect(change).rejects.toThrow("rolled back");
            else await change;
          }
        }),
      );
    } finally {
      await client.$disconnect();
    }
    const committed = Array.from({ length: total }, (_, i) => i).filter((i) => !rolledBack(i));
    const events = await query(`SELECT "entityId" AS id FROM "AuditEvent" WHERE action = 'organization.create' ORDER BY seq`);
    const orgs = await query(`SELECT name FROM "Organization" WHERE name LIKE '并发单位%'`);
    // Nothing lost, nothing extra: one event per committed change, none for a rolled-back one.
    expect(events.rows.map((r) => r.id).sort()).toEqual(committed.map((i) => `并发单位${i}`).sort());
    expect(orgs.rows.map((r) => r.name).sort()).toEqual(committed.map((i) => `并发单位${i}`).sort());
    expect((await query(`SELECT count(*)::int AS n FROM "AuditPending"`)).rows[0]?.n).toBe(0);
    expect(await log.verifyAuditChain(prisma)).toMatchObject({ ok: true, checked: committed.length, lastSeq: BigInt(committed.length), warnings: [] });
  });

  it("an event whose writer stopped between commit and link waits in AuditPending, is reported, and is linked by the next verification", async () => {
    await freshChain();
    await writeEvents(3);
    // A transaction that commits its pending event on a plain connection: nothing links it afterwards.
    const at = new Date();
    const content = { hashVersion: 4, at, actorId: null, actorName: "crash", actorOrganizationId: null, actorOrganizationName: null, action: "test.crash", entityType: null, entityId: null, ip: null, requestId: null, reason: null, evidence: [], approverId: null, approverName: null, details: { n: 1 } };
    await query(`INSERT INTO "AuditPending" (id, at, "actorName", action, details, "hashVersion", "contentHash") VALUES (gen_random_uuid(), $1::timestamptz AT TIME ZONE 'UTC', 'crash', 'test.crash', '{"n":1}', 4, $2)`, [at.toISOString(), log.contentHash(content)]);
    const before = await log.verifyAuditChain(prisma);
    expect(before).toMatchObject({ ok: true, checked: 3 });
    expect(before.warnings.join()).toMatch(/1 committed event\(s\) wait in "AuditPending"/);
    // Pending events cannot be changed or removed either, the owner included (triggers on).
    await expect(query(`UPDATE "AuditPending" SET "actorName" = 'x'`)).rejects.toThrow(/AUDIT_APPEND_ONLY/);
    await expect(query(`DELETE FROM "AuditPending"`)).rejects.toThrow(/AUDIT_APPEND_ONLY/);
    await expect(query(`TRUNCATE "AuditPending"`)).rejects.toThrow(/AUDIT_APPEND_ONLY/);
    const paths = freshPaths();
    const after = await checkpoint.verifyAuditLogAndCheckpoints(prisma, paths);
    expect(after).toMatchObject({ ok: true, checked: 4, lastSeq: 4n });
    expect(after.warnings).toEqual([]);
    expect(await prisma.auditEvent.findUniqueOrThrow({ where: { seq: 4n } })).toMatchObject({ action: "test.crash", hashVersion: 4 });
  });
});

describe("tampering through direct SQL as superuser, triggers off", () => {
  it("finds an edited row at its sequence number", async () => {
    await freshChain();
    await writeEvents(20);
    await asSuperuserWithoutTriggers(`UPDATE "AuditEvent" SET details = '{"i": 700}' WHERE seq = 7`);
    expect(await log.verifyAuditChain(prisma)).toMatchObject({ ok: false, firstBrokenSeq: 7n, reason: "content does not match its hash", brokenRow: { seq: 7n, action: "test.event" } });
  });

  it("finds a deleted row at its sequence number", async () => {
    await freshChain();
    await writeEvents(20);
    await asSuperuserWithoutTriggers(`DELETE FROM "AuditEvent" WHERE seq = 11`);
    const result = await log.verifyAuditChain(prisma);
    expect(result).toMatchObject({ ok: false, firstBrokenSeq: 11n, brokenRow: { seq: 12n } });
    expect(result.reason).toMatch(/missing event.*11/);
  });

  it("finds two swapped rows at the first of them", async () => {
    await freshChain();
    await writeEvents(20);
    await query(`BEGIN; ALTER TABLE "AuditEvent" DISABLE TRIGGER audit_event_no_update_delete;
      UPDATE "AuditEvent" SET seq = -1 WHERE seq = 9; UPDATE "AuditEvent" SET seq = 9 WHERE seq = 13; UPDATE "AuditEvent" SET seq = 13 WHERE seq = -1;
      ALTER TABLE "AuditEvent" ENABLE TRIGGER audit_event_no_update_delete; COMMIT;`);
    expect(await log.verifyAuditChain(prisma)).toMatchObject({ ok: false, firstBrokenSeq: 9n, reason: "link to previous event broken", brokenRow: { seq: 9n, entityId: "13" } });
  });

  it("still refuses UPDATE, DELETE and TRUNCATE with the triggers on, even for the owner", async () => {
    await freshChain();
    await writeEvents(2);
    await expect(query(`UPDATE "AuditEvent" SET action = 'x' WHERE seq = 1`)).rejects.toThrow(/AUDIT_APPEND_ONLY/);
    await expect(query(`DELETE FROM "AuditEvent" WHERE seq = 1`)).rejects.toThrow(/AUDIT_APPEND_ONLY/);
    await expect(query(`TRUNCATE "AuditEvent"`)).rejects.toThrow(/AUDIT_APPEND_ONLY/);
    // Announcing a purge does not help for a recent event, or without a purge checkpoint.
    await expect(query(`BEGIN; SET LOCAL zunyi.audit_purge = 'on'; DELETE FROM "AuditEvent" WHERE seq = 1; COMMIT;`)).rejects.toThrow(/AUDIT_APPEND_ONLY/);
    await expect(query(`TRUNCATE "AuditCheckpoint"`)).rejects.toThrow(/AUDIT_APPEND_ONLY/);
  });
});

describe("the audit row is part of the change", () => {
  it("rolls back a user change when its audit insert fails, and commits both when it works", async () => {
    await freshChain();
    const admin = await createActor("audit.sysadmin", ["SYSTEM_ADMIN"]);
    const target = await createActor("audit.target", ["OWNER_VIEWER"]);
    const before = await prisma.user.findUniqueOrThrow({ where: { id: target.id } });
    // The insert inside the business transaction is the pending event's (linked after commit, docs/decisions/0033).
    await query(`CREATE FUNCTION audit_forced_failure() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'FORCED_AUDIT_FAILURE'; END; $$ LANGUAGE plpgsql;
      CREATE TRIGGER audit_forced_failure BEFORE INSERT ON "AuditPending" FOR EACH ROW EXECUTE FUNCTION audit_forced_failure();`);
    try {
      await expect(users.updateUser(admin, { userId: target.id, version: before.version, displayName: "改过的名字", organizationId: null, roles: ["OWNER_VIEWER"] }, "10.0.0.9")).rejects.toThrow(/FORCED_AUDIT_FAILURE/);
      await expect(users.setUserDisabled(admin, target.id, true, "10.0.0.9")).rejects.toThrow(/FORCED_AUDIT_FAILURE/);
    } finally {
      await query(`DROP TRIGGER audit_forced_failure ON "AuditPending"; DROP FUNCTION audit_forced_failure();`);
    }
    expect(await prisma.user.findUniqueOrThrow({ where: { id: target.id } })).toMatchObject({ displayName: before.displayName, version: before.version, disabledAt: null, sessionVersion: before.sessionVersion });
    expect(await prisma.auditEvent.count()).toBe(0);
    expect((await query(`SELECT count(*)::int AS n FROM "AuditPending"`)).rows[0]?.n).toBe(0);

    await users.updateUser(admin, { userId: target.id, version: before.version, displayName: "改过的名字", organizationId: null, roles: ["OWNER_VIEWER"] }, "10.0.0.9");
    expect(await prisma.user.findUniqueOrThrow({ where: { id: target.id } })).toMatchObject({ displayName: "改过的名字", version: before.version + 1 });
    expect(await prisma.auditEvent.findFirstOrThrow({ where: { action: "user.update", entityId: target.id } })).toMatchObject({ actorId: admin.id, ip: "10.0.0.9", hashVersion: 4 });
  });
});

describe("signed checkpoints", () => {
  it("are signed files plus rows, with a private key only its owner can read", async () => {
    await freshChain();
    const paths = freshPaths();
    await writeEvents(30);
    const created = await checkpoint.createCheckpoint(prisma, { actorName: "test", reason: "nightly", paths });
    expect(created.file).toMatchObject({ kind: "checkpoint", seq: "31", eventCount: "31" });
    expect(JSON.parse(readFileSync(created.path, "utf8"))).toEqual(created.file);
    expect(statSync(paths.signingKey).mode & 0o777).toBe(0o600);
    expect(await prisma.auditEvent.findUniqueOrThrow({ where: { seq: 31n } })).toMatchObject({ action: "audit.checkpoint", reason: "nightly" });
    const result = await checkpoint.verifyAuditLogAndCheckpoints(prisma, paths);
    expect(result).toMatchObject({ ok: true, checked: 31, checkpointsChecked: 2, checkpoints: { files: 1, rows: 1 } });
    expect(result.warnings).toEqual([]);
  });

  it("detect truncation after a checkpoint", async () => {
    await freshChain();
    const paths = freshPaths();
    await writeEvents(30);
    await checkpoint.createCheckpoint(prisma, { actorName: "test", paths });
    await writeEvents(5, "after.checkpoint");
    expect((await checkpoint.verifyAuditLogAndCheckpoints(prisma, paths)).ok).toBe(true);
    // The last ten events (the checkpoint's included) removed, and the checkpoint row with them.
    await asSuperuserWithoutTriggers(`DELETE FROM "AuditEvent" WHERE seq > 26; DELETE FROM "AuditCheckpoint"`);
    expect((await log.verifyAuditChain(prisma)).ok).toBe(true); // the chain alone cannot tell
    const result = await checkpoint.verifyAuditLogAndCheckpoints(prisma, paths);
    expect(result).toMatchObject({ ok: false, firstBrokenSeq: 27n, brokenRow: { seq: 26n } });
    expect(result.reason).toMatch(/truncated: checkpoint checkpoint-000000000031-.*records event 31, but the log ends at 26/);
  });

  it("detect a rewrite that recomputed every later hash", async () => {
    await freshChain();
    const paths = freshPaths();
    await writeEvents(20);
    await checkpoint.createCheckpoint(prisma, { actorName: "test", paths });
    // Someone who knows the format changes event 5 and re-hashes everything after it.
    const rows = await prisma.auditEvent.findMany({ orderBy: { seq: "asc" } });
    let prevHash = rows[3]!.hash;
    const statements: string[] = [];
    for (const row of rows.slice(4)) {
      const details = row.seq === 5n ? { i: 500 } : row.details;
      const hash = log.eventHash({ ...row, details, prevHash });
      const content = log.contentHash({ ...row, details });
      statements.push(`UPDATE "AuditEvent" SET details = '${JSON.stringify(details)}', "contentHash" = '${content}', "prevHash" = '${prevHash}', hash = '${hash}' WHERE seq = ${row.seq}`);
      prevHash = hash;
    }
    await asSuperuserWithoutTriggers(statements.join(";"));
    expect((await log.verifyAuditChain(prisma)).ok).toBe(true);
    const result = await checkpoint.verifyAuditLogAndCheckpoints(prisma, paths);
    expect(result).toMatchObject({ ok: false, firstBrokenSeq: 21n });
    expect(result.reason).toMatch(/rewritten/);
  });

  it("report an altered checkpoint file", async () => {
    await freshChain();
    const paths = freshPaths();
    await writeEvents(3);
    const created = await checkpoint.createCheckpoint(prisma, { actorName: "test", paths });
    rmSync(created.path);
    writeFileSync(created.path, JSON.stringify({ ...created.file, seq: "2" }));
    const result = await checkpoint.verifyAuditLogAndCheckpoints(prisma, paths);
    expect(result.ok).toBe(false);
    expect(result.reason).toMatch(/signature does not verify/);
  });
});

describe("retention purge", () => {
  /** Events as they were written long ago: inserted with their correct hashes at old times. */
  async function oldEvents(daysAgo: number[]) {
    let prevHash = log.GENESIS_HASH;
    for (const [index, days] of daysAgo.entries()) {
      const event = {
        hashVersion: 2, seq: BigInt(index + 1), at: new Date(Date.now() - days * 86_400_000), actorId: null, actorName: "old", action: "old.event",
        entityType: null, entityId: String(index + 1), ip: null, details: { days }, prevHash,
      };
      const hash = log.eventHash(event);
      await query(`INSERT INTO "AuditEvent" (seq, at, "actorName", action, "entityId", details, "hashVersion", "prevHash", hash) VALUES ($1, $2::timestamptz AT TIME ZONE 'UTC', 'old', 'old.event', $3, $4, 2, $5, $6)`, [
        event.seq.toString(), event.at.toISOString(), event.entityId, JSON.stringify(event.details), prevHash, hash,
      ]);
      prevHash = hash;
    }
  }

  it("refuses anything younger than 180 days, whatever the configured retention", async () => {
    await freshChain();
    await writeEvents(3);
    const before = new Date(Date.now() - 100 * 86_400_000);
    await expect(purge.purgeAuditEvents(prisma, { before, paths: freshPaths() })).rejects.toThrow(/younger than 180 days cannot be purged/);
    await expect(purge.purgeAuditEvents(prisma, { before, retentionDays: 30, paths: freshPaths() })).rejects.toThrow(purge.PurgeRefusedError);
    const almost = new Date(Date.now() - 179 * 86_400_000);
    await expect(purge.purgeAuditEvents(prisma, { before: almost, paths: freshPaths() })).rejects.toThrow(/latest date allowed today/);
    expect(await prisma.auditEvent.count()).toBe(3);
  });

  it("exports, anchors, audits and deletes old events; the rest still verifies", async () => {
    await freshChain();
    const paths = freshPaths();
    const archiveDir = path.join(paths.dir, "..", "archive");
    await oldEvents([400, 390, 380, 300, 250, 200, 100]);
    await writeEvents(3);
    await checkpoint.createCheckpoint(prisma, { actorName: "test", paths }); // event 11
    const result = await purge.purgeAuditEvents(prisma, { before: new Date(Date.now() - 190 * 86_400_000), reason: "保存期满", actorName: "cli:test", paths, archiveDir });
    expect(result).toMatchObject({ purged: 6, fromSeq: 1n, toSeq: 6n, eventSeq: 12n });
    expect(await prisma.auditEvent.aggregate({ _min: { seq: true }, _max: { seq: true }, _count: true })).toMatchObject({ _min: { seq: 7n }, _max: { seq: 12n }, _count: 6 });

    const lines = readFileSync(result.archivePath!, "utf8").trim().split("\n").map((l) => JSON.parse(l) as { seq: string; hash: string });
    expect(lines.map((l) => l.seq)).toEqual(["1", "2", "3", "4", "5", "6"]);
    const purgeEvent = await prisma.auditEvent.findUniqueOrThrow({ where: { seq: 12n } });
    expect(purgeEvent).toMatchObject({ action: "audit.purge", reason: "保存期满", actorName: "cli:test", details: { fromSeq: "1", toSeq: "6", count: 6, lastPurgedHash: lines[5]!.hash } });
    expect(readdirSync(paths.dir).filter((n) => n.startsWith("purge-"))).toEqual([result.checkpointFile]);

    const verified = await checkpoint.verifyAuditLogAndCheckpoints(prisma, paths);
    expect(verified).toMatchObject({ ok: true, firstSeq: 7n, lastSeq: 12n, checked: 6 });
    expect(verified.warnings).toEqual([]);
    // Without the purge anchor (file and row gone) the missing start is reported.
    rmSync(paths.dir, { recursive: true });
    await asSuperuserWithoutTriggers(`DELETE FROM "AuditCheckpoint" WHERE kind = 'purge'`);
    const unanchored = await checkpoint.verifyAuditLogAndCheckpoints(prisma, paths);
    expect(unanchored).toMatchObject({ ok: false, firstBrokenSeq: 1n, brokenRow: { seq: 7n } });
    expect(unanchored.reason).toMatch(/events 1–6 are missing and no signed purge checkpoint/);
  });

  it("refuses to purge a broken chain", async () => {
    await freshChain();
    const paths = freshPaths();
    await oldEvents([400, 390, 380]);
    await writeEvents(2);
    await asSuperuserWithoutTriggers(`UPDATE "AuditEvent" SET details = '{"days": 1}' WHERE seq = 2`);
    await expect(purge.purgeAuditEvents(prisma, { before: new Date(Date.now() - 200 * 86_400_000), paths })).rejects.toThrow(/chain is broken at event 2/);
    expect(await prisma.auditEvent.count()).toBe(5);
  });
});

describe("the application's database role", () => {
  it("zunyi_app may insert and read audit events but not update, delete or truncate them", async () => {
    await freshChain();
    const login = `audit_app_${randomBytes(4).toString("hex")}`;
    await query(`CREATE ROLE ${login} LOGIN IN ROLE zunyi_app`);
    const server = db.mode === "server";
    // On a server the role signs in itself. PGlite has one session that every connection shares,
    // so there the role is SET for the statement and RESET after it.
    const url = new URL(db.url);
    if (server) url.username = login;
    const asApp = async (text: string) => {
      const client = new pg.Client({ connectionString: server ? url.toString() : db.url });
      await client.connect();
      try {
        if (!server) await client.query(`SET ROLE ${login}`);
        return await client.query(text);
      } finally {
        if (!server) await client.query("RESET ROLE");
        await client.end();
      }
    };
    try {
      expect((await asApp(`SELECT current_user AS u`)).rows[0]).toEqual({ u: login });
      // The app's own write path works under the role.
      const appClient = createPrismaClient(url.toString(), 1);
      if (server) {
        try {
          await recordUntypedAuditEvent(appClient, { action: "as.app.role", details: {} });
          await expect(appClient.user.updateMany({ where: { username: "nobody" }, data: { displayName: "x" } })).resolves.toEqual({ count: 0 });
        } finally {
          await appClient.$disconnect();
        }
      } else {
        await appClient.$disconnect();
        await recordUntypedAuditEvent(prisma, { action: "as.app.role", details: {} });
        await asApp(`INSERT INTO "AuditEvent" (seq, action, details, "hashVersion", "prevHash", hash) VALUES (1000, 'raw', '{}', 2, 'x', '${"f".repeat(64)}')`);
      }
      expect((await asApp(`SELECT count(*)::int AS n FROM "AuditEvent"`)).rows[0].n).toBeGreaterThan(0);
      for (const statement of [
        `UPDATE "AuditEvent" SET action = 'x'`, `DELETE FROM "AuditEvent"`, `TRUNCATE "AuditEvent"`, `UPDATE "AuditCheckpoint" SET seq = 0`, `DELETE FROM "AuditCheckpoint"`,
        `UPDATE "AuditPending" SET action = 'x'`, `DELETE FROM "AuditPending"`, `TRUNCATE "AuditPending"`,
      ]) {
        await expect(asApp(statement), statement).rejects.toThrow(/permission denied for table (AuditEvent|AuditCheckpoint|AuditPending)/);
      }
      // Business tables stay writable.
      await expect(asApp(`UPDATE "SecuritySettings" SET "passwordMinLength" = "passwordMinLength" WHERE id = 1`)).resolves.toBeTruthy();
    } finally {
      await query(`DROP ROLE ${login}`);
    }
  });
});

describe("an auditor reads everything and changes nothing", () => {
  it("verifies the whole chain on demand and records the result in the log; the page reads the latest", async () => {
    await freshChain();
    await writeEvents(5);
    const auditor = await createActor("audit.verifier", ["AUDITOR"]);
    expect(await audit.lastAuditVerification(auditor)).toBeNull();
    const first = await audit.verifyAuditLogNow(auditor, "10.1.1.1");
    expect(first).toMatchObject({ ok: true, checked: 5, firstSeq: "1", lastSeq: "5", firstBrokenSeq: null });
    const recorded = await audit.lastAuditVerification(auditor);
    expect(recorded).toMatchObject({ by: "audit.verifier", newSince: 0, result: { ok: true, checked: 5, lastSeq: "5" } });
    await writeEvents(2);
    expect((await audit.lastAuditVerification(auditor))?.newSince).toBe(2);

    await asSuperuserWithoutTriggers(`UPDATE "AuditEvent" SET details = '{"i": 300}' WHERE seq = 3`);
    const second = await audit.verifyAuditLogNow(auditor, "10.1.1.1");
    expect(second).toMatchObject({ ok: false, firstBrokenSeq: "3", brokenRow: { seq: "3", action: "test.event" } });
    expect((await audit.lastAuditVerification(auditor))?.result).toMatchObject({ ok: false, firstBrokenSeq: "3" });
    expect(await prisma.auditEvent.count({ where: { action: "audit.verify" } })).toBe(2);

    const owner = await createActor("owner.nosy", ["OWNER_EDITOR"]);
    await expect(audit.verifyAuditLogNow(owner, "10.1.1.2")).rejects.toBeInstanceOf(permissions.ForbiddenError);
    await expect(audit.lastAuditVerification(owner)).rejects.toBeInstanceOf(permissions.ForbiddenError);
  });

  it("narrows the log on screen by project, user, organization, action and Beijing days, as the export does", async () => {
    await freshChain();
    const projectId = "6f1c2f0e-3b7a-4c55-9d6e-2a8f1e0b9c11";
    const other = "6f1c2f0e-3b7a-4c55-9d6e-2a8f1e0b9c12";
    const write = (action: string, actorName: string, org: string, details: Record<string, unknown>) =>
      recordUntypedAuditEvent(prisma, { action, actorName, actorOrganizationName: org, entityType: "Test", entityId: action, details });
    await write("return.submit", "owner.editor", "仁怀市人民政府", { projectId });
    await write("return.approve", "reviewer", "仁怀市发展和改革局", { projectId });
    await write("return.submit", "owner.editor", "仁怀市人民政府", { projectId: other });
    await write("notice.send", "leader", "市发展改革委", { projectId });
    const auditor = await createActor("audit.filterer", ["AUDITOR"]);
    const actions = async (filters: import("@/lib/audit/export").AuditFilters) =>
      (await audit.listAuditEvents(auditor, { page: 1, filters })).rows.map((r) => `${r.action}@${r.actorName}`).sort();
    expect(await actions({ project: projectId })).toEqual(["notice.send@leader", "return.approve@reviewer", "return.submit@owner.editor"]);
    expect(await actions({ user: "owner.editor" })).toEqual(["return.submit@owner.editor", "return.submit@owner.editor"]);
    expect(await actions({ org: "发展和改革局" })).toEqual(["return.approve@reviewer"]);
    expect(await actions({ action: "return." , project: projectId })).toEqual(["return.approve@reviewer", "return.submit@owner.editor"]);
    const today = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10); // Beijing day
    expect((await audit.listAuditEvents(auditor, { page: 1, filters: { from: today, to: today } })).total).toBe(4);
    expect((await audit.listAuditEvents(auditor, { page: 1, filters: { to: "2020-01-01" } })).total).toBe(0);
    // The export reads the same filters.
    const { auditFilterQuery, auditExportQuery } = await import("@/lib/audit/export");
    expect(auditFilterQuery.safeParse({ from: "2026-13-01" }).success).toBe(false);
    expect(auditExportQuery.parse({ org: "仁怀", format: "csv" })).toEqual({ org: "仁怀", format: "csv" });

    // 三员分立: the audit administrator reads the administrative and security events only, on screen and in the export.
    await write("auth.login", "owner.editor", "仁怀市人民政府", {});
    await write("user.create", "sysadmin", "市大数据局", {});
    const auditAdmin = await createActor("audit.admin.scope", ["AUDIT_ADMIN"]);
    const seen = (await audit.listAuditEvents(auditAdmin, { page: 1 })).rows.map((r) => r.action).sort();
    expect(seen).toEqual(["auth.login", "user.create"]);
    expect((await audit.listAuditEvents(auditAdmin, { page: 1, filters: { project: projectId } })).total).toBe(0);
    expect((await audit.listAuditEvents(auditor, { page: 1 })).total).toBe(6);
    const { exportAuditTrail } = await import("@/lib/audit/export");
    expect((await exportAuditTrail(auditAdmin, { format: "csv" }, "10.0.0.9")).rows).toBe(2);
    expect((await exportAuditTrail(auditor, { format: "csv" }, "10.0.0.9")).rows).toBe(7); // the six, and the audit admin's export
  });

  it("sees the log and its verification; every write is refused in the data layer and the refusal audited", async () => {
    await freshChain();
    await writeEvents(3);
    const auditor = await createActor("audit.reader", ["AUDITOR"]);
    const events = await audit.listAuditEvents(auditor, { page: 1 });
    expect(events.total).toBe(3);
    // The page number from the URL is clamped here (the page passes it on as it came).
    for (const [asked, shown] of [[Number("abc"), 1], [-4, 1], [2.7, 2], [1e23, 1_000_000], [Infinity, 1_000_000]] as const) {
      expect((await audit.listAuditEvents(auditor, { page: asked })).page, `page ${asked}`).toBe(shown);
    }
    expect((await audit.listAuditEvents(auditor, { page: 1e23 })).rows).toEqual([]);
    expect((await audit.verifyAuditLog(auditor)).ok).toBe(true);

    const { updateProjectRegistry } = await import("@/lib/data/project-registry");
    const { saveOrganization } = await import("@/lib/data/organizations");
    const ip = "10.8.8.8";
    const uuid = "00000000-0000-4000-8000-000000000001";
    const attempts: [string, () => Promise<unknown>][] = [
      ["checkpoint", () => audit.createAuditCheckpoint(auditor, {}, ip)],
      ["project edit", () => updateProjectRegistry(auditor, { projectId: uuid, version: 1, projectCode: null, projectType: null, nature: null, lifecycleStage: "PLANNING", plannedStart: null, plannedCompletion: null, totalInvestment: null, plannedInvestment: null } as never, ip)],
      ["create user", () => users.createUser(auditor, { username: "sneaky", displayName: "x", organizationId: null, roles: ["AUDITOR"], password: "Sneaky-password-2026" }, ip)],
      ["update user", () => users.updateUser(auditor, { userId: auditor.id, version: 1, displayName: "x", organizationId: null, roles: ["LEADERSHIP"] }, ip)],
      ["disable user", () => users.setUserDisabled(auditor, uuid, true, ip)],
      ["reset password", () => users.resetUserPassword(auditor, uuid, "Another-password-2026", ip)],
      ["security settings", () => users.updateSecuritySettings(auditor, { version: 1 }, ip)],
      ["unlock", () => users.unlockUser(auditor, uuid, ip)],
      ["revoke session", () => users.revokeSession(auditor, uuid, ip)],
      ["organization", () => saveOrganization(auditor, { name: "新单位", kind: "ENTERPRISE", parentId: null, divisionCode: null } as never, ip)],
    ];
    for (const [name, attempt] of attempts) {
      await expect(attempt(), name).rejects.toBeInstanceOf(permissions.ForbiddenError);
    }
    expect(await prisma.auditCheckpoint.count()).toBe(0);
    expect(await prisma.user.count({ where: { username: "sneaky" } })).toBe(0);
    expect(await prisma.auditEvent.count({ where: { action: "auth.permission.denied", actorId: auditor.id } })).toBe(attempts.length);
    // The denials join the chain like any other event.
    expect(await log.verifyAuditChain(prisma)).toMatchObject({ ok: true, checked: 3 + attempts.length });
  });
});
