// New projects an owner unit adds wait for their review office (待审核, docs/decisions/0031), on a
// real seeded database: the import creates them PENDING; until accepted only the owner unit and the
// review office see them, and no total counts them; a reviewer of another office, a leader and an
// owner cannot accept; a refusal needs a reason the owner reads; the owner resubmits; acceptance
// counts the project. Each decision is audited with its typed event.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CurrentUser } from "@/lib/auth/session";
import { REGISTRY_COLUMNS } from "@/lib/imports/layouts";
import { actor, userActor } from "@/tests/helpers/actors";
import { xlsxFile } from "@/tests/helpers/import-files";
import { seededTestDatabase, type TestDatabase } from "@/tests/helpers/test-database";
import { exportOc4ids } from "@/tests/helpers/oc4ids-export";

let db: TestDatabase;
let prisma: typeof import("@/lib/db").prisma;
let imports: typeof import("@/lib/imports/batches");
let approval: typeof import("@/lib/data/project-approval");
let projects: typeof import("@/lib/data/projects");
let dashboard: typeof import("@/lib/portfolio/dashboard");
let schema: typeof import("@/lib/validations/project-approval");
let parseListQuery: typeof import("@/lib/validations/project-list").parseProjectListParams;

const AS_OF = new Date();
const HEADERS = REGISTRY_COLUMNS.map((c) => c.header);
const NEW_ROW = {
  项目名称: "审核测试·仁怀市城区停车场建设", 所在区县: "仁怀市", 所属子工程: "专栏16·城镇市政基础设施建设重点工程", 当前阶段: "在建", "2025年目标": "建成",
  "计划开工（年-月-日）": "2025-03-01", "计划竣工（年-月-日）": "2027-12-31", "总投资（万元）": 7000, "十四五计划投资（万元）": 4321.5,
};

let owner: CurrentUser;
let ownerViewer: CurrentUser;
let otherOwner: CurrentUser;
let reviewer: CurrentUser;
let cityReviewer: CurrentUser;
let otherReviewer: CurrentUser;
let leader: CurrentUser;
let projectId: string;
let leaderBefore: { projectCount: number; plannedInvestment: string };

async function leaderTotals() {
  const d = await dashboard.getDashboard(leader, AS_OF);
  return { projectCount: d.projectCount, plannedInvestment: d.plannedInvestment };
}

async function listed(user: CurrentUser) {
  const parsed = parseListQuery({ q: NEW_ROW.项目名称 });
  if (!parsed.ok) throw new Error("bad query");
  return (await projects.listProjects(user, parsed.query)).rows.map((r) => ({ id: r.id, approval: r.approval }));
}

async function oc4idsIds(user: CurrentUser) {
  const result = await exportOc4ids(user, { uri: "https://example.org/oc4ids", ip: null, now: AS_OF });
  return (result.package?.projects ?? []).map((p) => p.id.replace("oc4ids-zunyi-", ""));
}

beforeAll(async () => {
  ({ db, prisma } = await seededTestDatabase(AS_OF));
  imports = await import("@/lib/imports/batches");
  approval = await import("@/lib/data/project-approval");
  projects = await import("@/lib/data/projects");
  dashboard = await import("@/lib/portfolio/dashboard");
  schema = await import("@/lib/validations/project-approval");
  parseListQuery = (await import("@/lib/validations/project-list")).parseProjectListParams;
  owner = await userActor("owner.editor");
  ownerViewer = await userActor("owner.viewer");
  reviewer = await userActor("reviewer");
  cityReviewer = await userActor("city.reviewer");
  // A county reviewer of another county's office (赤水市), not the project's.
  otherReviewer = await actor(["COUNTY_REVIEWER"], undefined, "520381");
  leader = await userActor("leader");
  const [other] = await prisma.$queryRaw<{ name: string }[]>`
    SELECT o.name FROM "Organization" o WHERE o.name <> '仁怀市人民政府' AND EXISTS (SELECT 1 FROM "Project" p WHERE p."ownerOrgId" = o.id) ORDER BY o.name LIMIT 1`;
  otherOwner = await actor(["OWNER_EDITOR"], other!.name);
  leaderBefore = await leaderTotals();

  const file = await xlsxFile("项目登记", HEADERS, [HEADERS.map((h) => (NEW_ROW as Record<string, string | number>)[h] ?? null)]);
  const preview = await imports.previewImport(owner, { name: "新增项目.xlsx", bytes: file }, AS_OF);
  if (!preview.ok) throw new Error(JSON.stringify(preview.problem));
  expect(preview.preview.errors).toEqual([]);
  await imports.confirmImport(owner, preview.preview.batchId!, "127.0.0.1", AS_OF);
  projectId = (await prisma.project.findFirstOrThrow({ where: { name: NEW_ROW.项目名称 }, select: { id: true } })).id;
}, 600_000); // the seed is slow on a loaded machine

afterAll(async () => {
  await prisma?.$disconnect();
  await db?.drop();
});

describe("a new project an owner unit imports", () => {
  it("is created 待审核 (PENDING), and its creation event says so", async () => {
    const p = await prisma.project.findUniqueOrThrow({ where: { id: projectId } });
    expect(p.approval).toBe("PENDING");
    expect(p.reviewDivisionCode).toBe("520382");
    const created = await prisma.auditEvent.findFirstOrThrow({ where: { entityId: projectId, action: "project.create" } });
    expect(created.details).toMatchObject({ approval: "PENDING" });
  });

  it("tells its review office (the county's, not the city's nor the owner's) that it waits", async () => {
    const notices = await prisma.notification.findMany({ where: { projectId, kind: "PROJECT_PENDING" }, select: { organizationId: true, params: true, link: true } });
    expect(notices).toEqual([{ organizationId: reviewer.organizationId, params: { project: NEW_ROW.项目名称 }, link: `/projects/${projectId}` }]);
  });

  it("is seen by its owner unit and its review office only, marked 待审核 in their lists", async () => {
    expect(await projects.getProject(owner, projectId)).not.toBeNull();
    expect(await projects.getProject(ownerViewer, projectId)).not.toBeNull();
    expect(await projects.getProject(reviewer, projectId)).not.toBeNull();
    expect(await projects.getProject(otherOwner, projectId)).toBeNull();
    expect(await projects.getProject(leader, projectId)).toBeNull();
    // The city's review office (市发改委) sees every pending project and may accept it too (ADR 0031).
    expect(await projects.getProject(cityReviewer, projectId)).not.toBeNull();
    expect(await projects.getProject(otherReviewer, projectId)).toBeNull();
    expect(await listed(owner)).toEqual([{ id: projectId, approval: "PENDING" }]);
    expect(await listed(reviewer)).toEqual([{ id: projectId, approval: "PENDING" }]);
    expect(await listed(otherOwner)).toEqual([]);
    expect(await listed(leader)).toEqual([]);
    const queue = await approval.listNewProjectsToReview(reviewer);
    expect(queue.rows.map((r) => r.id)).toEqual([projectId]);
    expect((await approval.listNewProjectsToReview(cityReviewer)).rows.map((r) => r.id)).toEqual([projectId]);
    expect((await approval.listNewProjectsToReview(otherReviewer)).rows).toEqual([]);
    expect((await approval.listNewProjectsToReview(owner)).rows).toEqual([]);
  });

  it("carries its state in the read API's rows and the projects export, for those who see it", async () => {
    const { listApiProjects } = await import("@/lib/api/projects");
    const { projectsQuery, projectsResponse } = await import("@/lib/api/schemas");
    const { dataAsOf, ...page } = await listApiProjects(owner, projectsQuery.parse({ q: NEW_ROW.项目名称 }));
    void dataAsOf;
    expect(projectsResponse.parse(page).data.map((r) => [r.id, r.approval])).toEqual([[projectId, "PENDING"]]);
    const { projectsCsv } = await import("@/lib/export/projects");
    const csv = projectsCsv(await projects.exportProjects(reviewer, (parseListQuery({ q: NEW_ROW.项目名称 }) as { query: import("@/lib/validations/project-list").ProjectListQuery }).query), (k) => k).split("\r\n");
    expect(csv[0]!.split(",").at(-1)).toBe("审核状态");
    expect(csv[1]!.split(",").at(-1)).toBe("project.approval.pending");
  });

  it("is not counted: the dashboard's totals and the owner's OC4IDS package leave it out", async () => {
    expect(await leaderTotals()).toEqual(leaderBefore);
    expect(await oc4idsIds(owner)).not.toContain(projectId);
    // …and the library-wide table (the leader's whole-library path) does not list it either.
    const whole = parseListQuery({});
    if (!whole.ok) throw new Error("bad query");
    const before = (await projects.listProjects(leader, whole.query)).total;
    expect(before).toBe(leaderBefore.projectCount);
  });

  it("cannot be accepted by its owner, a leader, or a reviewer of another office", async () => {
    const input = { projectId, version: 1, decision: "accept" as const, reason: null };
    await expect(approval.reviewNewProject(owner, input, "ip")).rejects.toThrow(/permission denied/);
    await expect(approval.reviewNewProject(leader, input, "ip")).rejects.toThrow(/permission denied/);
    await expect(approval.reviewNewProject(otherReviewer, input, "ip")).rejects.toThrow(/not found/i);
    expect((await prisma.project.findUniqueOrThrow({ where: { id: projectId } })).approval).toBe("PENDING");
  });
});

describe("refusal, resubmission, acceptance", () => {
  it("a refusal needs a reason; the owner reads it; the project stays uncounted", async () => {
    const noReason = schema.reviewNewProjectInput.safeParse({ projectId, version: "1", decision: "refuse", reason: "  " });
    expect(noReason.success).toBe(false);
    expect(noReason.error?.issues.map((i) => [i.path.join("."), i.message])).toEqual([["reason", "validation.return.reasonRequired"]]);

    const input = schema.reviewNewProjectInput.parse({ projectId, version: "1", decision: "refuse", reason: "总投资与可研批复不符" });
    await expect(approval.reviewNewProject(reviewer, input, "10.0.0.1")).resolves.toEqual({ approval: "REFUSED" });
    // The owner unit is told, with the reason.
    expect(await prisma.notification.findMany({ where: { projectId, kind: "PROJECT_DECIDED" }, select: { organizationId: true, params: true } })).toEqual([
      { organizationId: owner.organizationId, params: { project: NEW_ROW.项目名称, decision: "refuse", reason: "总投资与可研批复不符" } },
    ]);
    const seen = await projects.getProject(owner, projectId);
    expect(seen).toMatchObject({ approval: "REFUSED", approvalReason: "总投资与可研批复不符" });
    const event = await prisma.auditEvent.findFirstOrThrow({ where: { entityId: projectId, action: "project.refuse" } });
    expect(event.details).toMatchObject({ reason: "总投资与可研批复不符", fromVersion: 1 });
    expect(await leaderTotals()).toEqual(leaderBefore);
    // A refused project is no longer in the queue, and cannot be accepted until resubmitted.
    expect((await approval.listNewProjectsToReview(reviewer)).rows).toEqual([]);
    await expect(approval.reviewNewProject(reviewer, { projectId, version: 2, decision: "accept", reason: null }, "ip")).rejects.toThrow(/changed by someone else/);
  });

  it("the owner resubmits it (another owner unit cannot), and it is pending again", async () => {
    await expect(approval.resubmitNewProject(otherOwner, { projectId, version: 2 }, "ip")).rejects.toThrow(/not found/i);
    await expect(approval.resubmitNewProject(reviewer, { projectId, version: 2 }, "ip")).rejects.toThrow(/permission denied/);
    await approval.resubmitNewProject(owner, { projectId, version: 2 }, "ip");
    // Pending again: the review office is told again.
    expect(await prisma.notification.count({ where: { projectId, kind: "PROJECT_PENDING", organizationId: reviewer.organizationId! } })).toBe(2);
    const p = await prisma.project.findUniqueOrThrow({ where: { id: projectId } });
    expect(p).toMatchObject({ approval: "PENDING", approvalReason: null, version: 3 });
    const event = await prisma.auditEvent.findFirstOrThrow({ where: { entityId: projectId, action: "project.resubmit" } });
    expect(event.details).toMatchObject({ previousReason: "总投资与可研批复不符" });
  });

  it("a stale decision is refused; the review office accepts it and every total counts it", async () => {
    await expect(approval.reviewNewProject(reviewer, { projectId, version: 1, decision: "accept", reason: null }, "ip")).rejects.toThrow(/changed by someone else/);
    await expect(approval.reviewNewProject(reviewer, { projectId, version: 3, decision: "accept", reason: null }, "ip")).resolves.toEqual({ approval: "ACCEPTED" });
    expect((await prisma.notification.findFirstOrThrow({ where: { projectId, kind: "PROJECT_DECIDED" }, orderBy: { createdAt: "desc" } })).params).toEqual({ project: NEW_ROW.项目名称, decision: "accept", reason: "" });
    const event = await prisma.auditEvent.findFirstOrThrow({ where: { entityId: projectId, action: "project.accept" } });
    expect(event.details).toMatchObject({ fromVersion: 3, reviewDivisionCode: "520382" });
    expect(event.actorName).toBe("reviewer");

    const after = await leaderTotals();
    expect(after.projectCount).toBe(leaderBefore.projectCount + 1);
    expect(Number(after.plannedInvestment) - Number(leaderBefore.plannedInvestment)).toBeCloseTo(4321.5, 4);
    expect(await projects.getProject(leader, projectId)).not.toBeNull();
    expect(await listed(otherOwner)).toEqual([]);
    expect(await oc4idsIds(owner)).toContain(projectId);
    // Accepting twice: nothing left to accept.
    await expect(approval.reviewNewProject(reviewer, { projectId, version: 4, decision: "accept", reason: null }, "ip")).rejects.toThrow(/not found/i);
  });
});
