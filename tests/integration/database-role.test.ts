// The app as production should run it: connected as a login role in zunyi_app, while the seed ran as
// the owner (docs/decisions/0009). The key write paths work through lib/data under that role, the
// audit log is append-only for it (UPDATE, DELETE, TRUNCATE, disabling triggers all refused), and the
// start-up check in instrumentation.ts refuses a superuser or owner unless ALLOW_SUPERUSER=1.
// Runs the same on a PostgreSQL server and on PGlite: PGlite ignores the login name and shares one
// session between connections, so there the whole session is SET to the role (tests/helpers).
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import type { CurrentUser } from "@/lib/auth/session";
import type { DatabaseRoleReport } from "@/lib/system/database-role";
import { userActor } from "@/tests/helpers/actors";
import { asAppRole, TEST_APP_ROLE } from "@/tests/helpers/app-role";
import { asOwner, seededTestDatabase, type TestDatabase } from "@/tests/helpers/test-database";

let db: TestDatabase;
let prisma: typeof import("@/lib/db").prisma;
let role: typeof import("@/lib/system/database-role");
let appUrl: string;
const tmp = mkdtempSync(path.join(tmpdir(), "zunyi-dbrole-"));
const PNG = Uint8Array.from(Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==", "base64"));

beforeAll(async () => {
  process.env.ATTACHMENT_DIR = path.join(tmp, "attachments");
  process.env.AUDIT_CHECKPOINT_DIR = path.join(tmp, "checkpoints");
  process.env.AUDIT_SIGNING_KEY = path.join(tmp, "signing-key.pem");
  process.env.AUDIT_PUBLIC_KEY = path.join(tmp, "signing-key.pub.pem");
  ({ db, prisma } = await seededTestDatabase(new Date("2026-11-15T00:00:00Z"), { asAppRole: true }));
  appUrl = process.env.DATABASE_URL!;
  role = await import("@/lib/system/database-role");
});

afterAll(async () => {
  await prisma?.$disconnect();
  await db?.drop();
});

/**
 * A connection as the owner for the body of `run`. On PGlite the shared session leaves the app's
 * role for it (and returns to it afterwards); on a server the owner simply signs in.
 */
async function withOwnerSession<T>(run: (ownerUrl: string) => Promise<T>): Promise<T> {
  if (db.mode === "server") return run(db.url);
  const client = new pg.Client({ connectionString: db.url });
  await client.connect();
  await client.query("RESET ROLE");
  try {
    return await run(db.url);
  } finally {
    await client.query(`SET ROLE ${TEST_APP_ROLE}`);
    await client.end();
  }
}

/** The report for a role set inside a transaction that is rolled back (roles made there vanish with it). */
async function reportForTemporaryRole(setup: string): Promise<DatabaseRoleReport> {
  return withOwnerSession(async (ownerUrl) => {
    const client = new pg.Client({ connectionString: ownerUrl });
    await client.connect();
    try {
      await client.query("BEGIN");
      await client.query(setup);
      return await role.inspectDatabaseRole(async (sql) => (await client.query(sql)).rows);
    } finally {
      await client.query("ROLLBACK").catch(() => undefined);
      await client.end();
    }
  });
}

describe("the app serving as a login role in zunyi_app", () => {
  it("connects as that role, which holds none of the powers the start-up check refuses", async () => {
    const [row] = await prisma.$queryRaw<{ user: string }[]>`SELECT current_user::text AS user`;
    expect(row!.user).toBe(TEST_APP_ROLE);
    const report = await role.inspectDatabaseRole((sql) => prisma.$queryRawUnsafe(sql));
    expect(report).toMatchObject({ currentUser: TEST_APP_ROLE, superuser: false, bypassRls: false, createRole: false, canDisableTriggers: false, ownedGuardedTables: [], memberOfAppRole: true });
    expect(role.roleHazards(report)).toEqual([]);
  });

  it("saves, submits and approves a monthly return, edits the registry, verifies the log and takes a checkpoint", async () => {
    const returns = { ...(await import("@/lib/returns/commands")), ...(await import("@/lib/returns/queries")), ...(await import("@/lib/returns/attachments")), ...(await import("@/lib/notifications/inbox")) };
    const registry = await import("@/lib/data/project-registry");
    const audit = await import("@/lib/audit/queries");
    const [owner, reviewer, auditor, auditAdmin] = await Promise.all(["owner.editor", "reviewer", "auditor", "auditadmin"].map((u) => userActor(u))) as CurrentUser[];
    const [project] = await prisma.$queryRaw<{ id: string; source: string }[]>`
      SELECT p.id, min(f."sourceCode") AS source
        FROM "Project" p JOIN "Organization" o ON o.id = p."ownerOrgId" JOIN "ProjectFunding" f ON f."projectId" = p.id
       WHERE o.name = '仁怀市人民政府' AND p."lifecycleStage" = 'CONSTRUCTION' AND p."reviewDivisionCode" = '520382'
         AND p."totalInvestment" > p."completedInvestment" + 10000
       GROUP BY p.id ORDER BY p."planKey" LIMIT 1`;
    const form = {
      projectId: project!.id, period: "2026-11", version: 0, intent: "save" as const,
      completedInvestment: "120.5", payments: "100", progressPercent: "99", progressText: "主体施工",
      funds: { [project!.source]: "10" }, milestones: {}, overrunNote: null, fundsNote: "按进度拨付", progressNote: null,
      problems: [], resolveProblems: [],
    };
    const asOf = new Date("2026-11-29T04:00:00Z");
    expect((await returns.saveReturn(owner!, form, [], "10.0.0.1", asOf)).status).toBe("DRAFT");
    expect((await returns.saveReturn(owner!, { ...form, version: 1, intent: "submit" }, [{ name: "现场照片.png", bytes: PNG }], "10.0.0.1", asOf)).status).toBe("SUBMITTED");
    const submitted = await prisma.monthlyReturn.findFirstOrThrow({ where: { projectId: project!.id, period: new Date("2026-11-01T00:00:00Z") } });
    await returns.reviewReturn(reviewer!, { returnId: submitted.id, version: submitted.version, decision: "approve", reason: null }, "10.0.0.2");
    expect((await prisma.monthlyReturn.findUniqueOrThrow({ where: { id: submitted.id } })).status).toBe("APPROVED");

    const editable = await prisma.project.findUniqueOrThrow({ where: { id: project!.id } });
    await registry.updateProjectRegistry(owner!, {
      projectId: editable.id, version: editable.version, projectCode: "2021-520382-47-01-000998", projectType: "EXPANSION", nature: "PUBLIC_WELFARE",
      lifecycleStage: "CONSTRUCTION", plannedStart: "2021-05-17", plannedCompletion: "2026-12-30", totalInvestment: editable.totalInvestment?.toString() ?? "100000", plannedInvestment: "100000",
    }, "10.0.0.1");
    expect((await prisma.project.findUniqueOrThrow({ where: { id: editable.id } })).projectCode).toBe("2021-520382-47-01-000998");

    const verification = await audit.verifyAuditLogNow(auditor!, "10.0.0.3");
    expect(verification).toMatchObject({ ok: true, firstBrokenSeq: null });
    const checkpoint = await audit.createAuditCheckpoint(auditAdmin!, { reason: "as the app role" }, "10.0.0.4");
    expect(checkpoint.fileName).toMatch(/\.json$/);

    // Every one of those is in the log, written by the app's role.
    const actions = (await prisma.auditEvent.findMany({ select: { action: true }, orderBy: { seq: "asc" } })).map((e) => e.action);
    for (const action of ["return.save", "return.submit", "return.approve", "project.update", "audit.verify", "audit.checkpoint"]) expect(actions).toContain(action);
    expect(await audit.verifyAuditLogNow(auditor!, "10.0.0.3")).toMatchObject({ ok: true });
  });

  it("finds the audit log append-only: UPDATE, DELETE, TRUNCATE and switching its triggers off are refused", async () => {
    const before = await prisma.auditEvent.count();
    expect(before).toBeGreaterThan(0);
    const refusals: [string, RegExp][] = [
      [`UPDATE "AuditEvent" SET action = 'rewritten'`, /permission denied for table "?AuditEvent/],
      [`DELETE FROM "AuditEvent"`, /permission denied for table "?AuditEvent/],
      [`TRUNCATE "AuditEvent"`, /permission denied for table "?AuditEvent/],
      [`UPDATE "AuditCheckpoint" SET seq = 0`, /permission denied for table "?AuditCheckpoint/],
      [`DELETE FROM "AuditCheckpoint"`, /permission denied for table "?AuditCheckpoint/],
      [`ALTER TABLE "AuditEvent" DISABLE TRIGGER USER`, /must be owner of table "?AuditEvent/],
      [`ALTER TABLE "AuditEvent" DISABLE TRIGGER audit_event_no_update_delete`, /must be owner of table "?AuditEvent/],
      [`ALTER TABLE "AuditCheckpoint" DISABLE TRIGGER ALL`, /must be owner of table "?AuditCheckpoint/],
      [`SET session_replication_role = replica`, /permission denied to set parameter "?session_replication_role/],
      // The purge's setting opens the trigger, not the privilege.
      [`BEGIN; SELECT set_config('zunyi.audit_purge', 'on', true); DELETE FROM "AuditEvent"; COMMIT;`, /permission denied for table "?AuditEvent/],
    ];
    for (const [statement, refusal] of refusals) {
      // Through the app's own pool, and on a connection of its own (as psql with the app's password would be).
      if (!statement.startsWith("BEGIN")) await expect(prisma.$executeRawUnsafe(statement), statement).rejects.toThrow(refusal);
      await expect(asAppRole(appUrl, db.mode, statement), statement).rejects.toThrow(refusal);
    }
    expect(await prisma.auditEvent.count()).toBe(before);
    // The owner could (which is why the app must not serve as it): shown inside a rolled-back transaction.
    await expect(asOwner(db, `BEGIN; ALTER TABLE "AuditEvent" DISABLE TRIGGER USER; ROLLBACK;`)).resolves.toBeTruthy();
  });
});

describe("the start-up check (instrumentation.ts)", () => {
  const saved = { ...process.env };
  afterEach(() => {
    vi.restoreAllMocks();
    for (const key of ["DATABASE_URL", "DATABASE_OWNER_URL", "ALLOW_SUPERUSER", "NEXT_RUNTIME", "PGLITE_PORT"]) {
      if (saved[key] === undefined) delete process.env[key];
      else process.env[key] = saved[key];
    }
  });

  it("refuses the owner (a superuser) and says how to create and use a role in zunyi_app", async () => {
    const decision = await withOwnerSession((ownerUrl) => role.checkDatabaseRoleAtStartup({ mode: "server", url: ownerUrl, allowSuperuser: false }));
    expect(decision.verdict).toBe("refused");
    if (decision.verdict !== "refused") return;
    expect(decision.report.superuser).toBe(true);
    expect(decision.hazards).toContain("is a superuser");
    expect(decision.message).toContain("CREATE ROLE zunyi_web LOGIN PASSWORD 'choose-a-password' IN ROLE zunyi_app;");
    expect(decision.message).toMatch(/DATABASE_OWNER_URL=postgresql:\/\/postgres(:\*\*\*\*)?@/);
    expect(decision.message).toMatch(/DATABASE_URL=postgresql:\/\/zunyi_web:choose-a-password@/);
    expect(decision.message).toContain("ALLOW_SUPERUSER=1");
  });

  it("serves as the owner only with ALLOW_SUPERUSER=1, and as the restricted role without it", async () => {
    const overridden = await withOwnerSession((ownerUrl) => role.checkDatabaseRoleAtStartup({ mode: "server", url: ownerUrl, allowSuperuser: true }));
    expect(overridden.verdict).toBe("overridden");
    const restricted = await role.checkDatabaseRoleAtStartup({ mode: "server", url: appUrl, allowSuperuser: false });
    expect(restricted).toMatchObject({ verdict: "allowed", report: { currentUser: TEST_APP_ROLE, memberOfAppRole: true } });
  });

  it("exempts embedded PGlite without connecting anywhere", async () => {
    await expect(role.checkDatabaseRoleAtStartup({ mode: "embedded", url: "postgresql://postgres@127.0.0.1:1/none", allowSuperuser: false })).resolves.toEqual({ verdict: "exempt" });
  });

  it("refuses a non-superuser that owns a guarded table, or holds BYPASSRLS or CREATEROLE", async () => {
    const owner = await reportForTemporaryRole(`CREATE ROLE zunyi_tmp_owner NOLOGIN; ALTER TABLE "AuditCheckpoint" OWNER TO zunyi_tmp_owner; SET LOCAL ROLE zunyi_tmp_owner`);
    expect(owner).toMatchObject({ superuser: false, ownedGuardedTables: ["AuditCheckpoint"] });
    expect(role.roleHazards(owner).join()).toMatch(/owns .*"AuditCheckpoint"/);
    // A member of the owner's role may SET ROLE to it: the same as owning.
    const member = await reportForTemporaryRole(`CREATE ROLE zunyi_tmp_owner NOLOGIN; ALTER TABLE "AuditEvent" OWNER TO zunyi_tmp_owner;
      CREATE ROLE zunyi_tmp_member NOLOGIN IN ROLE zunyi_tmp_owner, zunyi_app; SET LOCAL ROLE zunyi_tmp_member`);
    expect(member).toMatchObject({ ownedGuardedTables: ["AuditEvent"], memberOfAppRole: true });
    const powerful = await reportForTemporaryRole(`CREATE ROLE zunyi_tmp_admin NOLOGIN BYPASSRLS CREATEROLE IN ROLE zunyi_app; SET LOCAL ROLE zunyi_tmp_admin`);
    expect(role.roleHazards(powerful)).toEqual(["has BYPASSRLS", "has CREATEROLE"]);
  });

  /** The app server's own hook, as `next start` calls it, with process.exit caught. */
  async function register(env: Record<string, string | undefined>) {
    for (const [key, value] of Object.entries(env)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
    process.env.NEXT_RUNTIME = "nodejs";
    // The role check is under test, not the job worker: one started here outlived the test database
    // (its migration was still running when the database was dropped: an unhandled 57P01).
    process.env.JOBS_WORKER = "0";
    vi.restoreAllMocks();
    vi.resetModules(); // lib/env parses the environment once per module instance
    const exit = vi.spyOn(process, "exit").mockImplementation(((code?: number) => {
      throw new Error(`process.exit(${code})`);
    }) as never);
    const errors = vi.spyOn(console, "error").mockImplementation(() => undefined);
    vi.spyOn(console, "log").mockImplementation(() => undefined);
    vi.spyOn(console, "warn").mockImplementation(() => undefined);
    const { register: run } = await import("@/instrumentation");
    const outcome = await run().then(() => "served", (error: unknown) => String(error));
    return { outcome, exit, errors: errors.mock.calls.map((call) => call.join(" ")).join("\n") };
  }

  it("ends the server process before it serves, as the owner without ALLOW_SUPERUSER", async () => {
    const refused = await withOwnerSession((ownerUrl) => register({ DATABASE_URL: ownerUrl, ALLOW_SUPERUSER: undefined }));
    expect(refused.outcome).toBe("Error: process.exit(1)");
    expect(refused.exit).toHaveBeenCalledWith(1);
    expect(refused.errors).toContain("Refusing to serve");
    expect(refused.errors).toContain("IN ROLE zunyi_app");

    const overridden = await withOwnerSession((ownerUrl) => register({ DATABASE_URL: ownerUrl, ALLOW_SUPERUSER: "1" }));
    expect(overridden.outcome).toBe("served");
    expect(overridden.exit).not.toHaveBeenCalled();

    const restricted = await register({ DATABASE_URL: appUrl, DATABASE_OWNER_URL: db.url, ALLOW_SUPERUSER: undefined });
    expect(restricted.outcome).toBe("served");

    // Embedded: no DATABASE_URL; nothing listens on port 1, so a check would have failed.
    const embedded = await register({ DATABASE_URL: undefined, DATABASE_OWNER_URL: undefined, PGLITE_PORT: "1" });
    expect(embedded.outcome).toBe("served");
    expect(embedded.exit).not.toHaveBeenCalled();
  });
});
