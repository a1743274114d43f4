// The OC4IDS export of the real seeded plan library (with the demo overlay and an owner unit's
// edit in the audit log), validated whole against the official package schema; its scope follows
// the caller's, and every export is on the audit chain with the SHA-256 of what was sent.
import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditActionsReadBack } from "@/tests/helpers/audit-read-back";
import type { CurrentUser } from "@/lib/auth/session";
import type { Role } from "@/lib/auth/roles";
import { oc4idsPackage, type Oc4idsPackage } from "@/lib/export/oc4ids";
import { describeErrors, oc4idsValidators } from "@/tests/helpers/oc4ids-schema";
import { seededTestDatabase, type TestDatabase } from "@/tests/helpers/test-database";
import { exportOc4ids } from "@/tests/helpers/oc4ids-export";

let db: TestDatabase;
let prisma: typeof import("@/lib/db").prisma;
let permissionsFor: typeof import("@/lib/auth/permissions").permissionsFor;
const URI = "http://localhost:3000/api/oc4ids";

async function actor(roles: Role[], username: string, organizationName?: string): Promise<CurrentUser> {
  const org = organizationName ? await prisma.organization.findUniqueOrThrow({ where: { name: organizationName } }) : null;
  const user = await prisma.user.findUnique({ where: { username } });
  return {
    id: user?.id ?? "00000000-0000-0000-0000-000000000001", username, displayName: username, organizationId: org?.id ?? null, organizationName: org?.name ?? null,
    divisionCode: org?.divisionCode ?? null, roles, permissions: permissionsFor(roles), sessionId: "s", mfaPending: false, mustChangePassword: false, isDemo: true,
  };
}

async function lastExportEvent() {
  return prisma.auditEvent.findFirstOrThrow({ where: { action: "export.oc4ids" }, orderBy: { seq: "desc" } });
}

let editedProjectId: string;
let approvedFileId: string;
let unapprovedFileId: string;

beforeAll(async () => {
  ({ db, prisma } = await seededTestDatabase(new Date("2026-11-15T00:00:00Z")));
  permissionsFor = (await import("@/lib/auth/permissions")).permissionsFor;

  // An owner unit corrects a demo project's budget and dates: the audit log now has a before/after.
  const registry = await import("@/lib/data/project-registry");
  const editor = await actor(["OWNER_EDITOR"], "owner.editor", "仁怀市人民政府");
  const project = await prisma.project.findFirstOrThrow({ where: { ownerOrgId: editor.organizationId }, orderBy: { planKey: "asc" } });
  editedProjectId = project.id;
  await registry.updateProjectRegistry(editor, {
    projectId: project.id, version: project.version, projectCode: "2021-520382-47-01-000999", projectType: "EXPANSION", nature: "PUBLIC_WELFARE",
    lifecycleStage: "CONSTRUCTION", plannedStart: "2021-05-17", plannedCompletion: "2026-12-30", totalInvestment: "123456.7891", plannedInvestment: "100000",
  }, "10.0.0.7");

  // Evidence files: one on an approved return (published as a document), one on a return not yet approved (not published).
  const approved = await prisma.monthlyReturn.findFirstOrThrow({ where: { status: "APPROVED" }, orderBy: { period: "asc" } });
  const pending = await prisma.monthlyReturn.findFirstOrThrow({ where: { status: { not: "APPROVED" } } });
  const file = (returnRow: { id: string; projectId: string }, name: string) => prisma.attachment.create({
    data: { projectId: returnRow.projectId, returnId: returnRow.id, fileName: name, mimeType: "application/pdf", size: 1234, sha256: createHash("sha256").update(name).digest("hex"), storageKey: `test/${name}` },
  });
  approvedFileId = (await file(approved, "现场照片-已审核.pdf")).id;
  unapprovedFileId = (await file(pending, "现场照片-待审核.pdf")).id;
});

afterAll(async () => {
  await prisma?.$disconnect();
  await db?.drop();
});

describe("OC4IDS export of the seeded library", () => {
  let leaderExport: Awaited<ReturnType<typeof exportOc4ids>>;
  let pkg: Oc4idsPackage;

  beforeAll(async () => {
    leaderExport = await exportOc4ids(await actor(["LEADERSHIP"], "leader", "遵义市新型城镇化工作领导小组办公室"), { uri: URI, ip: "10.0.0.8" });
    pkg = JSON.parse(leaderExport.body) as Oc4idsPackage;
  });

  it("validates in full against the official OC4IDS 0.9 project package schema", () => {
    const { validatePackage, validateDefinition } = oc4idsValidators();
    expect(validatePackage(pkg), describeErrors(validatePackage.errors)).toBe(true);
    // The project-level modifications extension follows the schema's Modification definition.
    const modifications = pkg.projects.flatMap((p) => p.modifications ?? []);
    expect(modifications.length).toBeGreaterThan(0);
    for (const m of modifications) expect(validateDefinition("Modification", m), m.id).toEqual([]);
  });

  it("expresses the plan's 专栏 → 子工程 hierarchy as relatedProjects in the plan's identifier scheme", async () => {
    const { validateDefinition } = oc4idsValidators();
    const programmes = new Map((await prisma.project.findMany({ select: { id: true, programme: { select: { key: true, name: true } }, column: { select: { number: true } } } })).map((p) => [p.id, p]));
    for (const project of pkg.projects) {
      const row = programmes.get(project.identifiers[0]!.id)!;
      expect(project.relatedProjects, project.id).toEqual([
        expect.objectContaining({ scheme: "zunyi-urbanization-plan-2021-2025", identifier: row.programme.key, relationship: "planProgramme" }),
        expect.objectContaining({ scheme: "zunyi-urbanization-plan-2021-2025", identifier: `C${String(row.column.number).padStart(2, "0")}`, relationship: "planColumn" }),
      ]);
      // A project's plan key lies under its 子工程's code (C09-P01-001 under C09-P01).
      const planKey = project.identifiers.find((i) => i.scheme === "zunyi-urbanization-plan-2021-2025")?.id;
      if (planKey) expect(planKey.startsWith(`${row.programme.key}-`), planKey).toBe(true);
      for (const related of project.relatedProjects!) expect(validateDefinition("RelatedProject", related), project.id).toEqual([]);
    }
  });

  it("publishes the evidence of approved returns as documents with type, date, SHA-256 and a link that needs sign-in", async () => {
    const { validateDefinition } = oc4idsValidators();
    const documents = pkg.projects.flatMap((p) => p.documents ?? []);
    expect(documents).toHaveLength(await prisma.attachment.count({ where: { monthlyReturn: { status: "APPROVED" } } }));
    expect(documents.map((d) => d.id)).not.toContain(unapprovedFileId);
    const file = await prisma.attachment.findUniqueOrThrow({ where: { id: approvedFileId }, include: { monthlyReturn: true } });
    const published = documents.find((d) => d.id === approvedFileId)!;
    expect(published).toMatchObject({
      documentType: "physicalProgressReport",
      title: "现场照片-已审核.pdf",
      format: "application/pdf",
      sha256: file.sha256,
      url: `http://localhost:3000/api/attachments/${file.id}`,
      datePublished: (file.monthlyReturn!.reviewedAt ?? file.createdAt).toISOString(),
    });
    expect(published.description).toContain(file.sha256);
    expect(published.accessDetails).toContain("登录");
    const owner = pkg.projects.find((p) => p.identifiers[0]!.id === file.projectId)!;
    expect(owner.documents!.map((d) => d.id)).toContain(approvedFileId);
    for (const d of documents) expect(validateDefinition("Document", d), d.id).toEqual([]);
  });

  it("holds every project in the database once, under the publisher and uri given", async () => {
    expect(pkg.projects).toHaveLength(await prisma.project.count());
    expect(leaderExport.projectCount).toBe(pkg.projects.length);
    expect(new Set(pkg.projects.map((p) => p.id)).size).toBe(pkg.projects.length);
    expect(pkg.projects.every((p) => p.id.startsWith("oc4ids-zunyi-C"))).toBe(true);
    expect(pkg).toMatchObject({ uri: URI, version: "0.9", publisher: { name: "遵义市新型城镇化工作领导小组办公室", uri: "http://localhost:3000/" } });
    expect(pkg.publishedDate).toBe(pkg.projects.map((p) => p.updated).sort().at(-1));
  });

  it("publishes budgets that add up to the database's 万元 totals ×10,000, exactly", async () => {
    const [row] = await prisma.$queryRaw<{ total: string }[]>`SELECT (sum("totalInvestment") * 10000)::numeric(30,0)::text AS total FROM "Project"`;
    const published = pkg.projects.reduce((sum, p) => sum + BigInt(p.budget?.amount?.amount ?? 0), 0n);
    expect(published.toString()).toBe(row!.total);
    const [funding] = await prisma.$queryRaw<{ total: string }[]>`SELECT (sum(amount) * 10000)::numeric(30,0)::text AS total FROM "ProjectFunding"`;
    const bySource = pkg.projects
      .flatMap((p) => p.budget?.budgetBreakdowns?.find((b) => b.id === "fundingSource")?.budgetBreakdown ?? [])
      .reduce((sum, b) => sum + BigInt(b.amount.amount), 0n);
    expect(bySource.toString()).toBe(funding!.total);
  });

  it("carries the owner unit's edit as modifications and its figures as real, not demo", () => {
    const edited = pkg.projects.find((p) => p.identifiers.some((i) => i.id === editedProjectId))!;
    expect(edited.budget?.amount).toEqual({ amount: 1_234_567_891, currency: "CNY" });
    expect(edited.type).toBe("expansion");
    expect(edited.status).toBe("implementation");
    const value = edited.modifications!.find((m) => m.type === "value")!;
    expect(value.newContractValue).toEqual({ amount: 1_234_567_891, currency: "CNY" });
    expect(value.oldContractValue?.amount).toBeGreaterThan(0);
    expect(edited.modifications!.some((m) => m.type === "duration")).toBe(true);
    // What the owner unit entered is no longer demo; what the overlay generated still is.
    expect(edited.demoFields).not.toContain("budget.amount");
    expect(edited.demoFields).not.toContain("period");
    expect(edited.demoFields).toContain("milestones");
  });

  it("marks the demo overlay wherever it is", async () => {
    const demoProjects = await prisma.project.count({ where: { NOT: { demoFields: { isEmpty: true } } } });
    expect(pkg.projects.filter((p) => p.demoFields?.length)).toHaveLength(demoProjects);
    const demoMilestones = await prisma.milestone.count({ where: { isDemo: true } });
    expect(pkg.projects.flatMap((p) => p.milestones ?? []).filter((m) => m.isDemo)).toHaveLength(demoMilestones);
    expect(pkg.projects.filter((p) => p.demoFields?.length).every((p) => p.description.includes("示例数据"))).toBe(true);
  });

  it("is streamed byte for byte as the package serialized whole, whatever the batch size", async () => {
    // The envelope and publishedDate (the latest \`updated\` of its projects) as the pure mapping makes them.
    const whole = JSON.stringify(oc4idsPackage({ uri: URI, publisher: pkg.publisher, now: new Date() }, pkg.projects));
    expect(leaderExport.body).toBe(whole);
    expect(leaderExport.projectCount).toBe(pkg.projects.length);
    const leader = await actor(["LEADERSHIP"], "leader", "遵义市新型城镇化工作领导小组办公室");
    // Pages of 7: the keyset order holds across pages.
    expect((await exportOc4ids(leader, { uri: URI, ip: null, batchSize: 7 })).body).toBe(leaderExport.body);
    // Restore the leader's export as the last event for the next test.
    leaderExport = await exportOc4ids(leader, { uri: URI, ip: "10.0.0.8" });
  });

  it("records the export on the audit chain with the SHA-256 of the body sent", async () => {
    const event = await lastExportEvent();
    const leader = await prisma.user.findUniqueOrThrow({ where: { username: "leader" } });
    expect(event).toMatchObject({ actorId: leader.id, actorName: "leader", ip: "10.0.0.8" });
    expect(event.details).toMatchObject({ scope: "all", projects: pkg.projects.length, uri: URI, sha256: createHash("sha256").update(leaderExport.body).digest("hex") });
    const { verifyAuditChain } = await import("@/lib/audit/log");
    expect((await verifyAuditChain(prisma)).ok).toBe(true);
  });
});

describe("OC4IDS export scope", () => {
  it("an owner unit exports only its organization's projects", async () => {
    const owner = await actor(["OWNER_VIEWER"], "owner.viewer", "仁怀市人民政府");
    const result = await exportOc4ids(owner, { uri: URI, ip: null });
    const own = await prisma.project.findMany({ where: { ownerOrgId: owner.organizationId }, select: { id: true } });
    expect(own.length).toBeGreaterThan(0);
    expect(result.package!.projects.map((p) => p.identifiers[0]!.id).sort()).toEqual(own.map((p) => p.id).sort());
    expect(result.package!.projects.every((p) => p.publicAuthority?.name === "仁怀市人民政府")).toBe(true);
    expect((await lastExportEvent()).details).toMatchObject({ scope: `own-org:${owner.organizationId}`, projects: own.length });
  });

  it("a county reviewer exports the projects located in its county", async () => {
    const reviewer = await actor(["COUNTY_REVIEWER"], "reviewer", "仁怀市发展和改革局");
    const result = await exportOc4ids(reviewer, { uri: URI, ip: null });
    const inCounty = await prisma.project.count({ where: { locations: { some: { divisionCode: "520382" } } } });
    expect(result.projectCount).toBe(inCounty);
    expect(result.package!.projects.every((p) => p.locations?.some((l) => l.id === "520382"))).toBe(true);
  });

  it("an empty scope gives no package but is still audited; an administrator is refused and the refusal audited", async () => {
    const orphan = await actor(["OWNER_VIEWER"], "nobody"); // no organization: sees nothing
    const empty = await exportOc4ids(orphan, { uri: URI, ip: null });
    expect(empty).toMatchObject({ package: null, projectCount: 0 });
    expect((await lastExportEvent()).details).toMatchObject({ scope: "none", projects: 0 });

    const before = await prisma.auditEvent.count({ where: { action: "export.oc4ids" } });
    const admin = await actor(["SYSTEM_ADMIN"], "sysadmin");
    await expect(exportOc4ids(admin, { uri: URI, ip: null })).rejects.toThrow(/permission denied/);
    expect(await prisma.auditEvent.count({ where: { action: "export.oc4ids" } })).toBe(before);
    const denied = await prisma.auditEvent.findFirstOrThrow({ where: { action: "auth.permission.denied" }, orderBy: { seq: "desc" } });
    expect(denied.actorName).toBe("sysadmin");
  });
});

describe("the audit events these commands wrote", () => {
  it("each reads back through its action's schema", async () => {
    expect(await auditActionsReadBack(prisma)).toEqual(expect.arrayContaining(["auth.permission.denied", "export.oc4ids", "project.update"]));
  });
});
