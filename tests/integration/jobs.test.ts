// Scheduled jobs (lib/jobs, docs/jobs.md) on a real database, served as the app's restricted role:
// - two worker processes ticking through a simulated hour run each scheduled job exactly once;
// - an event appended after the last checkpoint is covered by the next hourly checkpoint, so a
//   later truncation of the tail is caught by the nightly verification, which alerts the
//   security and audit administrators (in-app and by e-mail);
// - the checkpoint after N events;
// - overdue-return reminders sent exactly once per project, month and step, to the recipients the
//   policy names, also by e-mail to a local SMTP receiver started here;
// - the scheduled backup: one archive a day across two processes, the newest N kept;
// - the real graphile-worker queue: two runners on one database, one tick per minute between them.
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { SMTPServer } from "smtp-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CheckpointPaths } from "@/lib/audit/checkpoint";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import type { JobContext, RunReport } from "@/lib/jobs/runner";
import { TEST_APP_ROLE } from "@/tests/helpers/app-role";
import { runSql } from "@/tests/helpers/sql";
import { recordUntypedAuditEvent } from "@/tests/helpers/untyped-audit-event";
import { asOwner, seededTestDatabase, type TestDatabase } from "@/tests/helpers/test-database";

/** An instant given in Beijing time. */
const bj = (text: string) => new Date(`${text}+08:00`);

let db: TestDatabase;
let prisma: PrismaClient;
/** A second client: another app process on the same database. */
let other: PrismaClient;
let tmp: string;
let paths: CheckpointPaths;
let runner: typeof import("@/lib/jobs/runner");
let reminders: typeof import("@/lib/jobs/reminders");
let mail: typeof import("@/lib/jobs/mail");
let refreshLights: (asOf: Date) => Promise<number>;

interface Received {
  to: string[];
  subject: string;
}
const received: Received[] = [];
const RENHUAI_EMAIL = "renhuai-gov@example.gov.cn";
let smtp: SMTPServer;
let smtpUrl: string;

function ctx(client: PrismaClient, now: Date, extra: Partial<JobContext> = {}): JobContext {
  return { db: client, now, mailer: mail.smtpMailer(smtpUrl), paths, checkpointEvery: 1_000_000_000, purge: false, refreshLights, ...extra };
}

async function appendEvent(action: string): Promise<bigint> {
  await recordUntypedAuditEvent(prisma, { actorId: null, actorName: "test", action, entityType: "Test", details: {} });
  return (await prisma.auditEvent.findFirstOrThrow({ orderBy: { seq: "desc" }, select: { seq: true } })).seq;
}

beforeAll(async () => {
  tmp = mkdtempSync(path.join(os.tmpdir(), "zunyi-jobs-"));
  paths = { dir: path.join(tmp, "checkpoints"), signingKey: path.join(tmp, "key.pem"), publicKey: path.join(tmp, "key.pub.pem") };
  process.env.AUDIT_CHECKPOINT_DIR = paths.dir;
  process.env.AUDIT_SIGNING_KEY = paths.signingKey;
  process.env.AUDIT_PUBLIC_KEY = paths.publicKey;
  ({ db, prisma } = await seededTestDatabase(new Date("2026-11-20T01:00:00Z"), { asAppRole: true }));
  // The queue's schema is the owner's, as scripts/db.ts installs it (PGlite: one shared session, so
  // the app role is reset around it).
  const { installJobSchema } = await import("@/lib/jobs/schema");
  if (db.mode === "embedded") await runSql(db.url, "RESET ROLE");
  await installJobSchema(db.url);
  if (db.mode === "embedded") await runSql(db.url, `SET ROLE ${TEST_APP_ROLE}`);
  const { createPrismaClient } = await import("@/lib/prisma-client");
  other = createPrismaClient(process.env.DATABASE_URL!, 2);
  [runner, reminders, mail] = await Promise.all([import("@/lib/jobs/runner"), import("@/lib/jobs/reminders"), import("@/lib/jobs/mail")]);
  const portfolio = await import("@/lib/portfolio/lights");
  refreshLights = (asOf) => portfolio.refreshTrafficLights(asOf);

  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS", "AUTH"],
    logger: false,
    onData(stream, session, callback) {
      let text = "";
      stream.setEncoding("utf8");
      stream.on("data", (chunk: string) => (text += chunk));
      stream.on("end", () => {
        const subject = /^Subject: (.*)$/m.exec(text)?.[1] ?? "";
        received.push({ to: session.envelope.rcptTo.map((r) => r.address), subject });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, "127.0.0.1", resolve));
  smtpUrl = `smtp://127.0.0.1:${(smtp.server.address() as AddressInfo).port}`;
  // Every organization gets an address, so each in-app notification has its e-mail twin.
  await prisma.$executeRaw`UPDATE "Organization" SET "notifyEmail" = 'org-' || left(id::text, 8) || '@example.gov.cn'`;
  // One of them set as the system administrator sets it, on the organization page (issue 15).
  const { saveOrganization } = await import("@/lib/data/organizations");
  const { organizationInput } = await import("@/lib/validations/user");
  const { userActor } = await import("@/tests/helpers/actors");
  const renhuai = await prisma.organization.findFirstOrThrow({ where: { name: "仁怀市人民政府" } });
  const form = { organizationId: renhuai.id, version: String(renhuai.version), name: renhuai.name, kind: renhuai.kind, parentId: renhuai.parentId ?? "", divisionCode: renhuai.divisionCode ?? "" };
  const refused = organizationInput.safeParse({ ...form, notifyEmail: "renhuai at example" });
  expect(refused.success ? [] : refused.error.issues.map((i) => [i.path.join("."), i.message])).toEqual([["notifyEmail", "validation.email"]]);
  await saveOrganization(await userActor("sysadmin"), organizationInput.parse({ ...form, notifyEmail: RENHUAI_EMAIL }), "10.0.0.9");
}, 300_000);

afterAll(async () => {
  await other?.$disconnect();
  await prisma?.$disconnect();
  await new Promise<void>((resolve) => (smtp ? smtp.close(() => resolve()) : resolve()));
  await db?.drop();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

describe("two worker processes over a simulated hour", () => {
  it("run each scheduled job exactly once", async () => {
    await appendEvent("test.before-the-hour");
    const reports: RunReport[] = [];
    const start = bj("2026-12-21T02:00");
    for (let minute = 0; minute < 60; minute++) {
      const now = new Date(start.getTime() + minute * 60_000);
      const [a, b] = await Promise.all([runner.runTick(ctx(prisma, now)), runner.runTick(ctx(other, now))]);
      reports.push(...a, ...b);
    }
    const ran = reports.map((r) => `${r.job}@${r.slot}`).sort();
    // 02:00 starts the hour's checkpoint; the day's lights (00:05) are made up at once; 02:30 verifies.
    expect(ran).toEqual(["audit.checkpoint@2026-12-21T02", "audit.verify@2026-12-21", "lights.recompute@2026-12-21"]);
    const rows = await prisma.jobRun.findMany({ orderBy: { job: "asc" } });
    expect(rows.map((r) => `${r.job}@${r.slot}:${r.outcome}`)).toEqual([
      "audit.checkpoint@2026-12-21T02:ok", "audit.verify@2026-12-21:ok", "lights.recompute@2026-12-21:ok",
    ]);
    for (const row of rows) {
      expect(row.finishedAt).not.toBeNull();
      expect(row.durationMs).toBeGreaterThanOrEqual(0);
    }
    // The verification is an audit event of the system actor.
    const verified = await prisma.auditEvent.findFirst({ where: { action: "audit.verify" }, orderBy: { seq: "desc" } });
    expect(verified?.actorName).toBe(runner.SYSTEM_ACTOR);
    expect((verified?.details as { ok?: boolean }).ok).toBe(true);
  });
});

describe("checkpoints on a schedule", () => {
  it("takes a checkpoint once N events were appended since the last one", async () => {
    const every = 10;
    const now = bj("2026-12-21T02:40"); // the hour's checkpoint and the day's jobs are done
    expect(await runner.runTick(ctx(prisma, now, { checkpointEvery: every }))).toEqual([]);
    for (let i = 0; i < every; i++) await appendEvent("test.burst");
    const [a, b] = await Promise.all([runner.runTick(ctx(prisma, now, { checkpointEvery: every })), runner.runTick(ctx(other, now, { checkpointEvery: every }))]);
    expect([...a, ...b].map((r) => `${r.job}:${r.outcome}`)).toEqual(["audit.checkpoint.events:ok"]);
    const head = await prisma.auditEvent.findFirst({ orderBy: { seq: "desc" }, select: { seq: true } });
    const last = await prisma.auditCheckpoint.findFirst({ orderBy: { seq: "desc" }, select: { seq: true } });
    expect(last?.seq).toBe(head?.seq);
  });

  it("covers an event appended after the last checkpoint within the hour, so the nightly verification catches a truncated tail", async () => {
    expect((await runner.runTick(ctx(prisma, bj("2026-12-21T06:00"))))[0]).toMatchObject({ job: "audit.checkpoint", outcome: "skipped" });
    const appended = await appendEvent("test.after-the-checkpoint");
    const lastSeq = async () => (await prisma.auditCheckpoint.findFirst({ orderBy: { seq: "desc" }, select: { seq: true } }))!.seq;
    // Within the hour the event is not covered yet (the documented detection window).
    expect(await runner.runTick(ctx(prisma, bj("2026-12-21T06:59")))).toEqual([]);
    expect(await lastSeq()).toBeLessThan(appended);
    // The next hour's checkpoint covers it.
    const [next] = await runner.runTick(ctx(other, bj("2026-12-21T07:00")));
    expect(next).toMatchObject({ job: "audit.checkpoint", outcome: "ok" });
    expect(await lastSeq()).toBeGreaterThan(appended);

    // Someone with the database in hand cuts the tail from that event on (triggers off).
    await asOwner(db, `BEGIN; SET LOCAL session_replication_role = replica; DELETE FROM "AuditEvent" WHERE seq >= ${appended}; COMMIT;`);
    const mailsBefore = received.length;
    const night = await runner.runTick(ctx(prisma, bj("2026-12-22T02:30")));
    const verify = night.find((r) => r.job === "audit.verify");
    expect(verify?.outcome).toBe("failed");
    expect(verify?.error).toMatch(/truncat|missing|checkpoint/i);
    const row = await prisma.jobRun.findUnique({ where: { job_slot: { job: "audit.verify", slot: "2026-12-22" } } });
    expect(row).toMatchObject({ outcome: "failed" });
    expect(row?.error).toBeTruthy();
    // The failed result is in the chain too, and the administrators were told.
    const event = await prisma.auditEvent.findFirst({ where: { action: "audit.verify" }, orderBy: { seq: "desc" } });
    expect((event?.details as { ok?: boolean }).ok).toBe(false);
    const alerts = await prisma.notification.findMany({ where: { kind: "AUDIT_VERIFICATION_FAILED" }, select: { organizationId: true } });
    const { alertRecipients } = await import("@/lib/jobs/deliver");
    const recipients = await alertRecipients(prisma);
    expect(recipients.length).toBeGreaterThan(0);
    expect(alerts.map((a) => a.organizationId).sort()).toEqual([...recipients].sort());
    // Those are the organizations of the security and audit administrators, found by permission.
    const adminOrgs = await prisma.organization.findMany({ where: { users: { some: { roles: { some: { role: { in: ["SECURITY_ADMIN", "AUDIT_ADMIN"] } } } } } }, select: { id: true } });
    expect(adminOrgs.map((o) => o.id).sort()).toEqual([...recipients].sort());
    const alertMails = received.slice(mailsBefore).filter((m) => m.subject.length > 0);
    expect(alertMails).toHaveLength(recipients.length);
  });
});

describe("a restart", () => {
  it("takes over a run its dead process left unfinished after an hour, exactly once, and leaves a live one alone", async () => {
    // Day 2026-12-23: a lights run started two hours ago by a process that died, a reminders run just started.
    await prisma.$executeRaw`INSERT INTO "JobRun" (id, job, slot, "startedAt") VALUES (gen_random_uuid(), 'lights.recompute', '2026-12-23', now() - interval '2 hours')`;
    await prisma.$executeRaw`INSERT INTO "JobRun" (id, job, slot, "startedAt") VALUES (gen_random_uuid(), 'returns.reminders', '2026-12-23', now())`;
    const now = bj("2026-12-23T09:30");
    const [a, b] = await Promise.all([runner.runTick(ctx(prisma, now)), runner.runTick(ctx(other, now))]);
    const ran = [...a, ...b].map((r) => r.job);
    expect(ran.filter((job) => job === "lights.recompute")).toEqual(["lights.recompute"]);
    expect(ran).not.toContain("returns.reminders");
    const lights = await prisma.jobRun.findUniqueOrThrow({ where: { job_slot: { job: "lights.recompute", slot: "2026-12-23" } } });
    expect(lights.outcome).toBe("ok");
    expect(lights.details).toHaveProperty("tookOverRunStartedAt");
    const live = await prisma.jobRun.findUniqueOrThrow({ where: { job_slot: { job: "returns.reminders", slot: "2026-12-23" } } });
    expect(live.outcome).toBe("running");
    // Later ticks the same day run neither again.
    const later = await runner.runTick(ctx(other, bj("2026-12-23T10:30")));
    expect(later.map((r) => r.job)).not.toContain("lights.recompute");
    expect(later.map((r) => r.job)).not.toContain("returns.reminders");
  });
});

describe("the scheduled backup", () => {
  it("writes one archive a day into BACKUP_DIR, once across two processes, keeps the newest N and no other file is touched", async () => {
    const { createBackup } = await import("@/lib/operations/backup");
    const { createPrismaClient } = await import("@/lib/prisma-client");
    const dir = path.join(tmp, "backups");
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, "manual.tar.gz"), "an operator's own archive");
    const owner = createPrismaClient(db.url, 1);
    let writes = 0;
    const backup: NonNullable<JobContext["backup"]> = {
      dir, keep: 2,
      async write(file) {
        writes += 1;
        // PGlite: one shared session, served as the app role; the backup reads as the owner.
        if (db.mode === "embedded") await runSql(db.url, "RESET ROLE");
        try {
          return await createBackup({ ownerUrl: db.url, mode: db.mode, prisma: owner, file, attachmentDir: path.join(tmp, "attachments"), paths, appVersion: "jobs-test", actorName: runner.SYSTEM_ACTOR });
        } finally {
          if (db.mode === "embedded") await runSql(db.url, `SET ROLE ${TEST_APP_ROLE}`);
        }
      },
    };
    try {
      for (const day of ["2026-12-24", "2026-12-25", "2026-12-26"]) {
        const now = bj(`${day}T01:30`);
        const reports = (await Promise.all([runner.runOnce(ctx(prisma, now, { backup }), "db.backup", day), runner.runOnce(ctx(other, now, { backup }), "db.backup", day)])).filter((r) => r !== null);
        expect(reports.map((r) => `${r.job}@${r.slot}:${r.outcome}`)).toEqual([`db.backup@${day}:ok`]);
      }
    } finally {
      await owner.$disconnect();
    }
    expect(writes).toBe(3);
    expect(readdirSync(dir).sort()).toEqual(["manual.tar.gz", "zunyi-backup-2026-12-25.tar.gz", "zunyi-backup-2026-12-26.tar.gz"]);
    const last = await prisma.jobRun.findUniqueOrThrow({ where: { job_slot: { job: "db.backup", slot: "2026-12-26" } } });
    expect(last.details).toMatchObject({ removed: ["zunyi-backup-2026-12-24.tar.gz"] });
    // Each archive is in the audit log, under the system actor.
    expect(await prisma.auditEvent.count({ where: { action: "audit.backup", actorName: runner.SYSTEM_ACTOR } })).toBe(3);
  });
});

describe("overdue-return reminders", () => {
  type Sent = { projectId: string; period: string; step: string };
  const sentRows = async (): Promise<Sent[]> => prisma.reminderSent.findMany({ select: { projectId: true, period: true, step: true } });

  /** The organizations the policy says hold these relations on the project, sorted. */
  async function holding(projectId: string, relations: ("ownReturns" | "reviewReturns")[]): Promise<string[]> {
    const { organizationsHolding } = await import("@/lib/policy");
    const project = await prisma.project.findUniqueOrThrow({ where: { id: projectId }, select: { ownerOrgId: true, reviewDivisionCode: true } });
    const ids = new Set<string>();
    for (const relation of relations) {
      const where = organizationsHolding(relation, project);
      if (where) for (const o of await prisma.organization.findMany({ where, select: { id: true } })) ids.add(o.id);
    }
    return [...ids].sort();
  }

  function toldPerProject(rows: { organizationId: string; projectId: string | null }[]): Map<string, string[]> {
    const out = new Map<string, string[]>();
    for (const n of rows) out.set(n.projectId!, [...(out.get(n.projectId!) ?? []), n.organizationId].sort());
    return out;
  }

  async function sendTwiceConcurrently(now: Date) {
    const mailer = mail.smtpMailer(smtpUrl);
    const [a, b] = await Promise.all([reminders.sendReturnReminders(prisma, now, { mailer }), reminders.sendReturnReminders(other, now, { mailer })]);
    return { sent: a.sent + b.sent, notifications: a.notifications + b.notifications, emails: a.emails.length + b.emails.length, periods: a.periods };
  }

  it("are sent once per project, month and step, to the owner unit before the due day, the reviewer on it, both after", async () => {
    // 5 days before November's due day (25 December): the owner units of projects that owe it.
    const mailsBefore = received.length;
    const first = await sendTwiceConcurrently(bj("2026-12-20T09:00"));
    expect(first.periods).toContainEqual({ period: "2026-11", step: "before" });
    const rows = await sentRows();
    expect(first.sent).toBeGreaterThan(0);
    expect(first.sent).toBe(rows.length);
    expect(new Set(rows.map((r) => `${r.projectId}:${r.period}:${r.step}`)).size).toBe(rows.length);
    const soon = await prisma.notification.findMany({ where: { kind: "RETURN_DUE_SOON", period: "2026-11" }, select: { organizationId: true, projectId: true, dedupeKey: true } });
    expect(soon.length).toBeGreaterThan(0);
    const owners = new Map((await prisma.project.findMany({ where: { id: { in: soon.map((n) => n.projectId!) } }, select: { id: true, ownerOrgId: true, reviewDivisionCode: true } })).map((p) => [p.id, p]));
    for (const [projectId, told] of toldPerProject(soon)) {
      expect(told).toEqual(await holding(projectId, ["ownReturns"]));
      expect(told).toEqual([owners.get(projectId)!.ownerOrgId]);
    }
    // Every notification went out by e-mail as well.
    expect(first.emails).toBe(first.notifications);
    expect(received.length - mailsBefore).toBe(first.notifications);
    // Including the address the administrator set on the organization page, and that change is in the log.
    expect(received.slice(mailsBefore).filter((m) => m.to.includes(RENHUAI_EMAIL)).length).toBeGreaterThan(0);
    const change = await prisma.auditEvent.findFirstOrThrow({ where: { action: "organization.update" }, orderBy: { seq: "desc" } });
    expect(change.details).toMatchObject({ before: { notifyEmail: expect.stringMatching(/@example\.gov\.cn$/) }, after: { notifyEmail: RENHUAI_EMAIL } });

    // Again the same day (another process, a restart): nothing more.
    const again = await sendTwiceConcurrently(bj("2026-12-20T15:00"));
    expect(again).toMatchObject({ sent: 0, notifications: 0, emails: 0 });
    expect(await sentRows()).toHaveLength(rows.length);

    // The due day: the reviewers (the review office of the project's county), not the owner units.
    const due = await sendTwiceConcurrently(bj("2026-12-25T09:00"));
    expect(due.periods).toContainEqual({ period: "2026-11", step: "due" });
    const today = await prisma.notification.findMany({ where: { kind: "RETURN_DUE_TODAY", period: "2026-11" }, select: { organizationId: true, projectId: true } });
    expect(today.length).toBeGreaterThan(0);
    for (const [projectId, told] of toldPerProject(today)) expect(told).toEqual(await holding(projectId, ["reviewReturns"]));
    expect((await sendTwiceConcurrently(bj("2026-12-26T09:00"))).periods).toContainEqual({ period: "2026-11", step: "due" });

    // A week after the due day: both, once.
    const week = await sendTwiceConcurrently(bj("2027-01-01T09:00"));
    expect(week.periods).toContainEqual({ period: "2026-11", step: "after-1" });
    const after = await prisma.notification.findMany({ where: { kind: "RETURN_STILL_OVERDUE", period: "2026-11", dedupeKey: { contains: ":after-1:" } }, select: { organizationId: true, projectId: true } });
    expect(after.length).toBeGreaterThan(0);
    for (const [projectId, told] of toldPerProject(after)) expect(told).toEqual(await holding(projectId, ["ownReturns", "reviewReturns"]));
    expect((await sendTwiceConcurrently(bj("2027-01-02T09:00"))).sent).toBe(0);
    const all = await sentRows();
    expect(new Set(all.map((r) => `${r.projectId}:${r.period}:${r.step}`)).size).toBe(all.length);
  });
});

describe("the graphile-worker queue", () => {
  it("two runners on one database run each minute's tick once", { timeout: 150_000 }, async () => {
    const { startWorker } = await import("@/lib/jobs/worker");
    const ticks: { worker: string; at: string }[] = [];
    const start = (client: PrismaClient, name: string) =>
      startWorker({
        connectionString: process.env.DATABASE_URL!,
        pollInterval: 500,
        context: { db: client, mailer: null, paths, checkpointEvery: 1_000_000_000, purge: false },
        onTick: () => ticks.push({ worker: name, at: new Date().toISOString() }),
      });
    const [a, b] = await Promise.all([start(prisma, "a"), start(other, "b")]);
    try {
      const deadline = Date.now() + 130_000;
      while (ticks.length === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 500));
      expect(ticks.length).toBe(1);
      // Long enough for a second runner's duplicate, short of the next minute.
      await new Promise((resolve) => setTimeout(resolve, 3000));
      expect(ticks.length).toBe(1);
    } finally {
      await Promise.all([a.stop(), b.stop()]);
    }
    const now = new Date();
    const { hourSlot } = await import("@/lib/jobs/schedule");
    expect(await prisma.jobRun.count({ where: { job: "audit.checkpoint", slot: hourSlot(now) } })).toBeLessThanOrEqual(1);
  });
});
