// 项目调整申请 on a real, seeded database (docs/decisions/0030): an approved change applies the new
// baseline and keeps the original; a refused one changes nothing; another unit's owner and a county
// reviewer are refused; an approval after the baseline moved is refused; the registry form and the
// import cannot move a set baseline (the field or cell is named); the dashboard counts the projects.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CurrentUser } from "@/lib/auth/session";
import { REGISTRY_COLUMNS, columnLetter } from "@/lib/imports/layouts";
import { actor, userActor } from "@/tests/helpers/actors";
import { xlsxFile } from "@/tests/helpers/import-files";
import { seededTestDatabase, type TestDatabase } from "@/tests/helpers/test-database";

let db: TestDatabase;
let prisma: typeof import("@/lib/db").prisma;
let baselines: typeof import("@/lib/baselines/commands") & typeof import("@/lib/baselines/queries");
let schema: typeof import("@/lib/baselines/schema");
let registry: typeof import("@/lib/data/project-registry");
let imports: typeof import("@/lib/imports/batches");
let slippage: typeof import("@/lib/portfolio/slippage");
let ValidationError: typeof import("@/lib/data/users").ValidationError;
let NotFoundError: typeof import("@/lib/auth/permissions").NotFoundError;
let ForbiddenError: typeof import("@/lib/auth/permissions").ForbiddenError;

const NOW = new Date("2026-11-20T04:00:00Z");
const REGISTRY_HEADERS = REGISTRY_COLUMNS.map((c) => c.header);
const col = (header: string) => columnLetter(REGISTRY_HEADERS.indexOf(header));
const registryRow = (values: Record<string, string | number | null>) => REGISTRY_HEADERS.map((h) => values[h] ?? null);

let owner: CurrentUser;
let viewer: CurrentUser;
let countyReviewer: CurrentUser;
let cityReviewer: CurrentUser;
let otherOwner: CurrentUser;
let leader: CurrentUser;
let project: { id: string; name: string };

const day = (d: Date | null) => (d ? d.toISOString().slice(0, 10) : null);

async function state() {
  const p = await prisma.project.findUniqueOrThrow({
    where: { id: project.id },
    include: { milestones: { where: { kind: "START" } }, annualPlans: { where: { year: 2026 } } },
  });
  const m = p.milestones[0]!;
  const a = p.annualPlans[0]!;
  return {
    total: p.totalInvestment?.toString(), originalTotal: p.originalTotalInvestment?.toString() ?? null,
    start: day(m.baselineDate), originalStart: day(m.originalBaselineDate), forecast: m.forecastDate,
    plan2026: a.amount.toString(), originalPlan2026: a.originalAmount?.toString() ?? null,
    milestone: m,
  };
}

function proposal(over: Record<string, unknown> = {}) {
  return schema.proposeBaselineInput.parse({ projectId: project.id, reason: "征地拆迁延后，市政府专题会议纪要〔2026〕12号", ...over });
}

beforeAll(async () => {
  ({ db, prisma } = await seededTestDatabase(NOW));
  baselines = { ...(await import("@/lib/baselines/commands")), ...(await import("@/lib/baselines/queries")) };
  schema = await import("@/lib/baselines/schema");
  registry = await import("@/lib/data/project-registry");
  imports = await import("@/lib/imports/batches");
  slippage = await import("@/lib/portfolio/slippage");
  ({ ValidationError } = await import("@/lib/data/users"));
  ({ NotFoundError, ForbiddenError } = await import("@/lib/auth/permissions"));
  owner = await userActor("owner.editor");
  viewer = await userActor("owner.viewer");
  countyReviewer = await userActor("reviewer");
  cityReviewer = await userActor("city.reviewer");
  leader = await userActor("leader");
  const [own] = await prisma.$queryRaw<{ id: string; name: string }[]>`
    SELECT p.id, p.name FROM "Project" p JOIN "Organization" o ON o.id = p."ownerOrgId"
     WHERE o.name = '仁怀市人民政府' AND p."reviewDivisionCode" = '520382' AND (SELECT count(*) FROM "Project" x WHERE x.name = p.name) = 1
     ORDER BY p."planKey" LIMIT 1`;
  project = own!;
  const [other] = await prisma.$queryRaw<{ name: string }[]>`
    SELECT o.name FROM "Organization" o WHERE o.name <> '仁怀市人民政府' AND EXISTS (SELECT 1 FROM "Project" p WHERE p."ownerOrgId" = o.id) ORDER BY o.name LIMIT 1`;
  otherOwner = await actor(["OWNER_EDITOR"], other!.name);
  // A registered project with real (not demo) baselines: 总投资 2亿, 开工 2026-03-01, 2026 plan 3000万.
  await prisma.project.update({
    where: { id: project.id },
    data: { totalInvestment: "20000", plannedInvestment: "15000", demoFields: { set: [] } },
  });
  await prisma.$executeRaw`UPDATE "Project" SET "originalTotalInvestment" = "totalInvestment" WHERE id = ${project.id}::uuid AND "originalTotalInvestment" IS NULL`;
  await prisma.milestone.upsert({
    where: { projectId_kind: { projectId: project.id, kind: "START" } },
    create: { projectId: project.id, kind: "START", baselineDate: new Date("2026-03-01"), originalBaselineDate: new Date("2026-03-01"), forecastDate: new Date("2026-10-01") },
    update: { baselineDate: new Date("2026-03-01"), forecastDate: new Date("2026-10-01"), actualDate: null, isDemo: false },
  });
  await prisma.$executeRaw`UPDATE "Milestone" SET "originalBaselineDate" = "baselineDate" WHERE "projectId" = ${project.id}::uuid AND kind = 'START' AND "originalBaselineDate" IS NULL`;
  await prisma.annualPlan.upsert({
    where: { projectId_year: { projectId: project.id, year: 2026 } },
    create: { projectId: project.id, year: 2026, amount: "3000", originalAmount: "3000" },
    update: { amount: "3000", isDemo: false },
  });
  await prisma.$executeRaw`UPDATE "AnnualPlan" SET "originalAmount" = amount WHERE "projectId" = ${project.id}::uuid AND year = 2026 AND "originalAmount" IS NULL`;
});

afterAll(async () => {
  await prisma?.$disconnect();
  await db?.drop();
});

describe("项目调整申请", () => {
  it("an owner of another unit, a viewer and a county reviewer are refused", async () => {
    await expect(baselines.proposeBaselineChange(otherOwner, proposal({ totalInvestment: "1" }), "127.0.0.1")).rejects.toBeInstanceOf(NotFoundError);
    await expect(baselines.proposeBaselineChange(viewer, proposal({ totalInvestment: "1" }), "127.0.0.1")).rejects.toBeInstanceOf(ForbiddenError);
    const { changeId } = await baselines.proposeBaselineChange(owner, proposal({ totalInvestment: "21000" }), "127.0.0.1");
    // The county office reviews the project's returns, not its baseline: the city office does.
    await expect(baselines.decideBaselineChange(countyReviewer, { changeId, version: 1, decision: "approve", refusalReason: null }, "127.0.0.1")).rejects.toBeInstanceOf(NotFoundError);
    await expect(baselines.decideBaselineChange(owner, { changeId, version: 1, decision: "approve", refusalReason: null }, "127.0.0.1")).rejects.toBeInstanceOf(ForbiddenError);
    // Refusing needs a reason (the form's schema names the field).
    const noReason = schema.decideBaselineInput.safeParse({ changeId, version: "1", decision: "refuse", refusalReason: "" });
    expect(noReason.success).toBe(false);
    expect(noReason.error!.issues.map((i) => [i.path.join("."), i.message])).toEqual([["refusalReason", "validation.baseline.reasonRequired"]]);
    expect(schema.proposeBaselineInput.safeParse({ projectId: project.id, reason: " ", totalInvestment: "1" }).error!.issues.map((i) => i.path.join("."))).toEqual(["reason"]);
    // While it is pending, another request is refused.
    await expect(baselines.proposeBaselineChange(owner, proposal({ totalInvestment: "22000" }), "127.0.0.1")).rejects.toMatchObject({ fieldErrors: { _form: ["validation.baseline.pending"] } });
    // A refusal changes nothing and is audited with its reason.
    const before = await state();
    await baselines.decideBaselineChange(cityReviewer, { changeId, version: 1, decision: "refuse", refusalReason: "依据不足" }, "127.0.0.1");
    const after = await state();
    expect({ ...after, milestone: null }).toEqual({ ...before, milestone: null });
    const change = await prisma.baselineChange.findUniqueOrThrow({ where: { id: changeId } });
    expect(change).toMatchObject({ status: "REFUSED", decisionReason: "依据不足", decidedById: cityReviewer.id });
    const refused = await prisma.auditEvent.findFirstOrThrow({ where: { action: "baseline.refuse", entityId: project.id } });
    expect(refused.details).toMatchObject({ changeId, refusalReason: "依据不足", changes: { totalInvestment: { from: "20000", to: "21000" } } });
    // Deciding it again is refused.
    await expect(baselines.decideBaselineChange(cityReviewer, { changeId, version: 2, decision: "approve", refusalReason: null }, "127.0.0.1")).rejects.toMatchObject({ fieldErrors: { _form: ["validation.baseline.decided"] } });
  });

  it("an approval applies the new baseline in the same transaction and keeps the original", async () => {
    const { changeId } = await baselines.proposeBaselineChange(owner, proposal({ totalInvestment: "2.5亿", milestones: { START: "2026-09-01" }, annualPlans: { y2026: "2000" } }), "127.0.0.1");
    const proposed = await prisma.auditEvent.findFirstOrThrow({ where: { action: "baseline.propose", details: { path: ["changeId"], equals: changeId } } });
    expect(proposed.details).toMatchObject({
      changes: { totalInvestment: { from: "20000", to: "25000" }, "milestone.START": { from: "2026-03-01", to: "2026-09-01" }, "annualPlan.2026": { from: "3000", to: "2000" } },
    });
    expect((await baselines.listPendingBaselineChanges(cityReviewer)).map((c) => c.id)).toEqual([changeId]);
    // A 仁怀市 project: the city office decides it from the queue but may not open its page, so the queue does not link it.
    expect((await baselines.listPendingBaselineChanges(cityReviewer))[0]!.project).toMatchObject({ id: project.id, mayRead: false });
    // A county office holds the role but not the city's grant: its queue is empty.
    expect(await baselines.listPendingBaselineChanges(countyReviewer)).toEqual([]);
    await baselines.decideBaselineChange(cityReviewer, { changeId, version: 1, decision: "approve", refusalReason: null }, "127.0.0.1");
    const s = await state();
    expect(s).toMatchObject({ total: "25000", originalTotal: "20000", start: "2026-09-01", originalStart: "2026-03-01", plan2026: "2000", originalPlan2026: "3000" });
    const approved = await prisma.auditEvent.findFirstOrThrow({ where: { action: "baseline.approve", entityId: project.id } });
    expect(approved).toMatchObject({ approverId: cityReviewer.id, reason: "征地拆迁延后，市政府专题会议纪要〔2026〕12号" });
    // Slippage against both: forecast 2026-10-01 is 30 days after the new baseline, 214 after the original.
    expect(slippage.milestoneSlippage(s.milestone)).toEqual({ current: 30, original: 214 });
    // The original, once set, never changes: not even by hand.
    await expect(prisma.$executeRaw`UPDATE "Project" SET "originalTotalInvestment" = 1 WHERE id = ${project.id}::uuid`).rejects.toThrow(/ORIGINAL_BASELINE_KEPT/);
    await expect(prisma.$executeRaw`UPDATE "Milestone" SET "originalBaselineDate" = '2026-01-01' WHERE "projectId" = ${project.id}::uuid AND kind = 'START'`).rejects.toThrow(/ORIGINAL_BASELINE_KEPT/);
  });

  it("an approval is refused when the baseline changed since the request was made", async () => {
    const { changeId } = await baselines.proposeBaselineChange(owner, proposal({ milestones: { START: "2026-12-01" } }), "127.0.0.1");
    await prisma.milestone.update({ where: { projectId_kind: { projectId: project.id, kind: "START" } }, data: { baselineDate: new Date("2026-10-15") } });
    await expect(baselines.decideBaselineChange(cityReviewer, { changeId, version: 1, decision: "approve", refusalReason: null }, "127.0.0.1")).rejects.toMatchObject({ fieldErrors: { _form: ["validation.baseline.stale"] } });
    expect((await state()).start).toBe("2026-10-15");
    expect((await prisma.baselineChange.findUniqueOrThrow({ where: { id: changeId } })).status).toBe("PENDING");
    await prisma.milestone.update({ where: { projectId_kind: { projectId: project.id, kind: "START" } }, data: { baselineDate: new Date("2026-09-01") } });
    await baselines.decideBaselineChange(cityReviewer, { changeId, version: 1, decision: "refuse", refusalReason: "重新申请" }, "127.0.0.1");
  });

  it("the registry form cannot change a set baseline: the field is named", async () => {
    const editable = (await registry.getEditableProject(owner, project.id))!;
    expect(editable.lockedFields).toEqual(["totalInvestment"]);
    const { id, name, demoFields, lockedFields, ...values } = editable;
    void name; void demoFields; void lockedFields;
    const input = { ...values, projectId: id, totalInvestment: "30000" };
    const refused = await registry.updateProjectRegistry(owner, input as never, "127.0.0.1").catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ValidationError);
    expect((refused as InstanceType<typeof ValidationError>).fieldErrors).toEqual({ totalInvestment: ["validation.baseline.locked"] });
    expect((await state()).total).toBe("25000");
    // The other fields still save, with the baseline as it is.
    await registry.updateProjectRegistry(owner, { ...input, totalInvestment: "25000.0000", nature: "PUBLIC_WELFARE" } as never, "127.0.0.1");
    expect((await prisma.project.findUniqueOrThrow({ where: { id: project.id } })).nature).toBe("PUBLIC_WELFARE");
  });

  it("the import refuses a cell that would change a set baseline, naming the cell", async () => {
    const county = await prisma.projectLocation.findFirstOrThrow({ where: { projectId: project.id }, include: { division: true } });
    const file = await xlsxFile("项目登记", REGISTRY_HEADERS, [
      registryRow({ 项目名称: project.name, 所在区县: county.division.name, "总投资（万元）": 30000, "计划年度（年）": 2026, "年度计划投资（万元）": 2500 }),
    ]);
    const result = await imports.previewImport(owner, { name: "项目登记.xlsx", bytes: file }, NOW);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.preview.errors.map((e) => [e.row, e.column, e.header, e.message, e.params])).toEqual([
      [2, col("总投资（万元）"), "总投资（万元）", "import.error.baselineLocked", { value: "25000" }],
      [2, col("年度计划投资（万元）"), "年度计划投资（万元）", "import.error.baselineLocked", { value: "2000" }],
    ]);
    // The same values as the baseline pass.
    const same = await xlsxFile("项目登记", REGISTRY_HEADERS, [registryRow({ 项目名称: project.name, 所在区县: county.division.name, "总投资（万元）": 25000, "计划年度（年）": 2026, "年度计划投资（万元）": 2000 })]);
    const ok = await imports.previewImport(owner, { name: "项目登记.xlsx", bytes: same }, NOW);
    expect(ok.ok && ok.preview.errors).toEqual([]);
  });

  it("the dashboard counts projects with an approved change this Beijing calendar year", async () => {
    expect(await baselines.countRebaselinedProjects(leader, NOW)).toEqual({ year: 2026, count: 1 });
    // 2027-01-01 00:30 in Beijing is still 2026 in UTC: a new year, nothing approved in it yet.
    expect(await baselines.countRebaselinedProjects(leader, new Date("2026-12-31T16:30:00Z"))).toEqual({ year: 2027, count: 0 });
    expect(await baselines.countRebaselinedProjects(otherOwner, NOW)).toEqual({ year: 2026, count: 0 });
    const { getDashboard } = await import("@/lib/portfolio/dashboard");
    expect((await getDashboard(leader, NOW)).rebaselined).toEqual({ year: 2026, count: 1 });
  });
});
