// The Excel/CSV import on a real, seeded database: a file with two bad rows writes nothing and
// names both cells; the fixed file imports with audited changes; the same file again changes
// nothing; owner units are held to their own organization and reviewers to their county;
// imported monthly figures enter the review workflow (or are approved when a reviewer imports).
import { createHash } from "node:crypto";
import Decimal from "decimal.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditActionsReadBack } from "@/tests/helpers/audit-read-back";
import type { CurrentUser } from "@/lib/auth/session";
import { REGISTRY_COLUMNS, RETURNS_COLUMNS, columnLetter } from "@/lib/imports/layouts";
import { userActor } from "@/tests/helpers/actors";
import { xlsxFile } from "@/tests/helpers/import-files";
import { seededTestDatabase, type TestDatabase } from "@/tests/helpers/test-database";

let db: TestDatabase;
let prisma: typeof import("@/lib/db").prisma;
let imports: typeof import("@/lib/imports/batches");
let currentPeriod: typeof import("@/lib/returns/rules").currentPeriod;

const AS_OF = new Date();
const REGISTRY_HEADERS = REGISTRY_COLUMNS.map((c) => c.header);
const RETURNS_HEADERS = RETURNS_COLUMNS.map((c) => c.header);
const col = (headers: string[], header: string) => columnLetter(headers.indexOf(header));

/** A registry row by header (missing headers are blank). */
function registryRow(values: Record<string, string | number | null>): (string | number | null)[] {
  return REGISTRY_HEADERS.map((h) => values[h] ?? null);
}
function returnsRow(values: Record<string, string | number | null>): (string | number | null)[] {
  return RETURNS_HEADERS.map((h) => values[h] ?? null);
}

let owner: CurrentUser;
let reviewer: CurrentUser;
let ownProject: { id: string; name: string; total: string | null };
let otherOrgProject: { name: string; county: string };

async function counts() {
  return { projects: await prisma.project.count(), audit: await prisma.auditEvent.count(), returns: await prisma.monthlyReturn.count() };
}

beforeAll(async () => {
  ({ db, prisma } = await seededTestDatabase(AS_OF));
  imports = await import("@/lib/imports/batches");
  ({ currentPeriod } = await import("@/lib/returns/rules"));
  owner = await userActor("owner.editor");
  reviewer = await userActor("reviewer");
  const [own] = await prisma.$queryRaw<{ id: string; name: string; total: string | null }[]>`
    SELECT p.id, p.name, p."totalInvestment"::text AS total FROM "Project" p JOIN "Organization" o ON o.id = p."ownerOrgId"
     WHERE o.name = '仁怀市人民政府' AND p."reviewDivisionCode" = '520382' AND p."projectCode" IS NULL ORDER BY p."planKey" LIMIT 1`;
  ownProject = own!;
  const [other] = await prisma.$queryRaw<{ name: string; county: string }[]>`
    SELECT p.name, d.name AS county FROM "Project" p JOIN "Organization" o ON o.id = p."ownerOrgId" JOIN "ProjectLocation" l ON l."projectId" = p.id
      JOIN "AdminDivision" d ON d.code = l."divisionCode"
     WHERE o.name <> '仁怀市人民政府' AND (SELECT count(*) FROM "Project" x WHERE x.name = p.name) = 1 ORDER BY p."planKey" LIMIT 1`;
  otherOrgProject = other!;
});

afterAll(async () => {
  await prisma?.$disconnect();
  await db?.drop();
});

const NEW_A = { 项目名称: "导入测试·仁怀市城区雨污分流改造", 所在区县: "仁怀市", 所属子工程: "专栏16·城镇市政基础设施建设重点工程", 行业: "水务与环卫", 项目类型: "改造提升", 当前阶段: "前期", "2025年目标": "开工", "计划开工（年-月-日）": "2026-03-01", "计划竣工（年-月-日）": "2027-12-31", "总投资（万元）": 5000, "十四五计划投资（万元）": 3000, "计划年度（年）": 2026, "年度计划投资（万元）": 1200, 资金来源1: "地方政府专项债券", "资金来源1计划金额（万元）": 2000 };
const NEW_B = { 项目代码: "2026-520382-48-01-000123", 项目名称: "导入测试·仁怀市第二水厂扩建", 所在区县: "仁怀市", 所属子工程: "专栏16·城镇市政基础设施建设重点工程", 当前阶段: "在建", "2025年目标": "建成", "总投资（万元）": "1.2亿", "十四五计划投资（万元）": 8000 };

describe("registry import", () => {
  let badFile: Uint8Array;
  let goodFile: Uint8Array;

  it("a file with two bad rows writes nothing and lists both errors at their cells", async () => {
    const before = await counts();
    badFile = await xlsxFile("项目登记", REGISTRY_HEADERS, [
      registryRow(NEW_A),
      registryRow({ ...NEW_B, "十四五计划投资（万元）": 13000 }), // above 总投资 1.2亿
      registryRow({ 项目名称: ownProject.name, 所在区县: "仁怀市", "总投资（万元）": "9999999.5" }),
      registryRow({ ...NEW_A, 项目名称: "导入测试·另一个项目", "计划开工（年-月-日）": "2026-02-30" }), // no such day
    ]);
    const result = await imports.previewImport(owner, { name: "项目登记.xlsx", bytes: badFile }, AS_OF);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const { preview } = result;
    expect(preview.kind).toBe("registry");
    expect(preview.batchId).toBeNull();
    expect(preview.errors.map((e) => [e.row, e.column, e.header, e.message])).toEqual([
      [3, col(REGISTRY_HEADERS, "十四五计划投资（万元）"), "十四五计划投资（万元）", "validation.plannedAboveTotal"],
      [5, col(REGISTRY_HEADERS, "计划开工（年-月-日）"), "计划开工（年-月-日）", "validation.date"],
    ]);
    expect(preview.summary).toMatchObject({ create: 1, update: 1, errorRows: 2, errors: 2 });
    expect(await counts()).toEqual(before);
    expect(await prisma.importBatch.count({ where: { status: "PREVIEWED" } })).toBe(0);
  });

  it("the fixed file previews, then imports in one go with audited changes", async () => {
    const before = await counts();
    goodFile = await xlsxFile("项目登记", REGISTRY_HEADERS, [
      registryRow(NEW_A),
      registryRow(NEW_B),
      registryRow({ 项目名称: ownProject.name, 所在区县: "仁怀市", "总投资（万元）": "9999999.5" }),
    ]);
    const result = await imports.previewImport(owner, { name: "项目登记-改正.xlsx", bytes: goodFile }, AS_OF);
    if (!result.ok) throw new Error(JSON.stringify(result.problem));
    expect(result.preview.errors).toEqual([]);
    expect(result.preview.summary).toMatchObject({ rows: 3, create: 2, update: 1, unchanged: 0 });
    expect(result.preview.rows.find((r) => r.row === 4)?.changes).toEqual([{ field: "totalInvestment", from: ownProject.total === null ? null : new Decimal(ownProject.total).toString(), to: "9999999.5" }]);
    // Nothing is written by the preview.
    expect(await counts()).toEqual(before);

    const done = await imports.confirmImport(owner, result.preview.batchId!, "127.0.0.1", AS_OF);
    expect(done.summary).toMatchObject({ create: 2, update: 1 });
    const a = await prisma.project.findFirstOrThrow({ where: { name: NEW_A.项目名称 }, include: { locations: true, annualPlans: true, fundingPlans: true, programme: true } });
    expect(a.ownerOrgId).toBe(owner.organizationId);
    // An owner unit's new project waits for its review office (待审核, docs/decisions/0031).
    expect(a.approval).toBe("PENDING");
    expect(a.reviewDivisionCode).toBe("520382");
    expect(a.locations.map((l) => l.divisionCode)).toEqual(["520382"]);
    expect(a.programme.name).toBe("城镇市政基础设施建设重点工程");
    expect(a.sectorCode).toBe("waterAndWaste");
    expect(a.projectType).toBe("REHABILITATION");
    expect(a.targetStage2025).toBe("START");
    expect(a.plannedStart?.toISOString().slice(0, 10)).toBe("2026-03-01");
    expect(a.totalInvestment?.toString()).toBe("5000");
    expect(a.annualPlans.map((p) => [p.year, p.amount.toString()])).toEqual([[2026, "1200"]]);
    expect(a.fundingPlans.map((f) => [f.sourceCode, f.amount.toString()])).toEqual([["SPECIAL_BOND", "2000"]]);
    const b = await prisma.project.findUniqueOrThrow({ where: { projectCode: NEW_B.项目代码 } });
    expect(b.totalInvestment?.toString()).toBe("12000");
    expect(b.lifecycleStage).toBe("CONSTRUCTION");
    const updated = await prisma.project.findUniqueOrThrow({ where: { id: ownProject.id } });
    expect(updated.totalInvestment?.toString()).toBe("9999999.5");
    expect(updated.demoFields).not.toContain("totalInvestment");

    const sha256 = createHash("sha256").update(goodFile).digest("hex");
    const events = await prisma.auditEvent.findMany({ where: { seq: { gt: BigInt(before.audit) } }, orderBy: { seq: "asc" } });
    expect(events.map((e) => e.action).sort()).toEqual(["import.confirm", "project.create", "project.create", "project.update"]);
    for (const e of events) expect(e.details).toMatchObject({ source: "import", fileName: "项目登记-改正.xlsx", sha256 });
    const update = events.find((e) => e.action === "project.update")!;
    expect(update.entityId).toBe(ownProject.id);
    expect(update.details).toMatchObject({ fields: ["totalInvestment"], after: { totalInvestment: "9999999.5" } });
    const { verifyAuditChain } = await import("@/lib/audit/log");
    expect((await verifyAuditChain(prisma)).ok).toBe(true);
    expect((await prisma.importBatch.findUniqueOrThrow({ where: { id: done.batchId } })).content).toBeNull();

    // The project page tells where an imported project came from (file, row, who), from the log.
    const { projectOrigin } = await import("@/lib/data/projects");
    expect(await projectOrigin(owner, a.id)).toMatchObject({ imported: true, fileName: "项目登记-改正.xlsx", sha256, row: 2, actorName: owner.username });
    expect(await projectOrigin(owner, b.id)).toMatchObject({ imported: true, row: 3 });
    expect(await projectOrigin(owner, ownProject.id)).toBeNull(); // a plan project: its source is the plan's sentence
  });

  it("confirming the same upload twice writes once", async () => {
    const batch = await prisma.importBatch.findFirstOrThrow({ where: { status: "IMPORTED" } });
    await expect(imports.confirmImport(owner, batch.id, "127.0.0.1", AS_OF)).rejects.toBeInstanceOf(imports.ImportExpiredError);
  });

  it("the same file again changes nothing", async () => {
    const before = await counts();
    const result = await imports.previewImport(owner, { name: "项目登记-改正.xlsx", bytes: goodFile }, AS_OF);
    if (!result.ok) throw new Error(JSON.stringify(result.problem));
    expect(result.preview.summary).toMatchObject({ rows: 3, create: 0, update: 0, unchanged: 3, errors: 0 });
    expect(result.preview.batchId).toBeNull();
    expect(await counts()).toEqual(before);
  });

  it("the same rows as CSV (GBK) are recognised and unchanged too", async () => {
    const { csvText } = await import("@/tests/helpers/import-files");
    const text = csvText(REGISTRY_HEADERS, [registryRow(NEW_A), registryRow(NEW_B)]);
    const utf8 = new TextEncoder().encode(`\uFEFF${text}`);
    const result = await imports.previewImport(owner, { name: "项目登记.csv", bytes: utf8 }, AS_OF);
    if (!result.ok) throw new Error(JSON.stringify(result.problem));
    expect(result.preview).toMatchObject({ format: "csv", encoding: "utf-8-bom" });
    expect(result.preview.summary).toMatchObject({ unchanged: 2, errors: 0 });
  });

  it("holds an owner unit to its own organization", async () => {
    const before = await counts();
    const file = await xlsxFile("项目登记", REGISTRY_HEADERS, [
      registryRow({ ...NEW_A, 项目名称: "导入测试·别人的项目", 业主单位: "遵义市教育局" }),
      registryRow({ 项目名称: otherOrgProject.name, 所在区县: otherOrgProject.county, "总投资（万元）": 1 }),
      registryRow({ 项目名称: "导入测试·仁怀市城区雨污分流改造", 所在区县: "仁怀市", 业主单位: "仁怀市人民政府", "总投资（万元）": 5000 }),
    ]);
    const result = await imports.previewImport(owner, { name: "越权.xlsx", bytes: file }, AS_OF);
    if (!result.ok) throw new Error(JSON.stringify(result.problem));
    expect(result.preview.errors.map((e) => [e.row, e.header, e.message])).toEqual([
      [2, "业主单位", "import.error.otherOrganization"],
      [3, "项目名称", "import.error.notOwnProject"],
    ]);
    expect(result.preview.batchId).toBeNull();
    expect(await counts()).toEqual(before);
  });

  it("refuses the registry to a reviewer, and unknown layouts to everyone", async () => {
    const file = await xlsxFile("项目登记", REGISTRY_HEADERS, [registryRow(NEW_A)]);
    expect(await imports.previewImport(reviewer, { name: "a.xlsx", bytes: file }, AS_OF)).toEqual({ ok: false, problem: { code: "kindNotAllowed", kind: "registry" } });
    const odd = await xlsxFile("Sheet1", ["项目名称", "备注"], [["x", "y"]]);
    const refused = await imports.previewImport(owner, { name: "b.xlsx", bytes: odd }, AS_OF);
    expect(refused).toMatchObject({ ok: false, problem: { code: "layout", missing: ["所在区县"], unknown: ["备注"] } });
    const auditor = await userActor("auditor");
    await expect(imports.previewImport(auditor, { name: "a.xlsx", bytes: file }, AS_OF)).rejects.toThrow(/permission denied/);
  });
});

describe("monthly returns import", () => {
  let target: { id: string; name: string };
  let period: string;

  beforeAll(async () => {
    period = currentPeriod(AS_OF);
    const rows = await prisma.$queryRaw<{ id: string; name: string }[]>`
      SELECT p.id, p.name FROM "Project" p JOIN "Organization" o ON o.id = p."ownerOrgId"
       WHERE o.name = '仁怀市人民政府' AND p."lifecycleStage" = 'CONSTRUCTION' AND p."reviewDivisionCode" = '520382'
         AND p."totalInvestment" > p."completedInvestment" + 10000
         AND (SELECT count(*) FROM "Project" x WHERE x.name = p.name) = 1
       ORDER BY p."planKey" LIMIT 2`;
    expect(rows.length).toBe(2);
    target = rows[0]!;
  });

  it("an owner unit's months enter review as SUBMITTED, audited as imported", async () => {
    const file = await xlsxFile("月报", RETURNS_HEADERS, [returnsRow({ 项目名称: target.name, 所在区县: "仁怀市", "填报月份（年-月）": period, "本月完成投资（万元）": 123.4, "本月支付（万元）": 100, 形象进度描述: "主体施工" })]);
    const result = await imports.previewImport(owner, { name: "月报.xlsx", bytes: file }, AS_OF);
    if (!result.ok) throw new Error(JSON.stringify(result.problem));
    expect(result.preview.errors).toEqual([]);
    expect(result.preview.summary).toMatchObject({ submit: 1, approve: 0 });
    await imports.confirmImport(owner, result.preview.batchId!, "127.0.0.1", AS_OF);
    const row = await prisma.monthlyReturn.findFirstOrThrow({ where: { projectId: target.id, period: new Date(`${period}-01T00:00:00Z`) } });
    expect(row.status).toBe("SUBMITTED");
    expect(row.submittedById).toBe(owner.id);
    expect(row.completedInvestment.toString()).toBe("123.4");
    const event = await prisma.auditEvent.findFirstOrThrow({ where: { entityType: "MonthlyReturn", entityId: row.id } });
    expect(event.action).toBe("return.submit");
    expect(event.details).toMatchObject({ source: "import", fileName: "月报.xlsx", toStatus: "SUBMITTED" });
    // Again: nothing to do.
    const again = await imports.previewImport(owner, { name: "月报.xlsx", bytes: file }, AS_OF);
    expect(again.ok && again.preview.summary).toMatchObject({ unchanged: 1, submit: 0 });
  });

  it("a reviewer's import approves, moving completed investment; out-of-county projects are refused", async () => {
    const before = await prisma.project.findUniqueOrThrow({ where: { id: target.id } });
    const [outside] = await prisma.$queryRaw<{ name: string; county: string }[]>`
      SELECT p.name, d.name AS county FROM "Project" p JOIN "ProjectLocation" l ON l."projectId" = p.id JOIN "AdminDivision" d ON d.code = l."divisionCode"
       WHERE p."reviewDivisionCode" = '520381' AND (SELECT count(*) FROM "Project" x WHERE x.name = p.name) = 1 LIMIT 1`;
    const file = await xlsxFile("月报", RETURNS_HEADERS, [
      returnsRow({ 项目名称: target.name, 所在区县: "仁怀市", "填报月份（年-月）": period, "本月完成投资（万元）": 123.4, "本月支付（万元）": 100, 形象进度描述: "主体施工" }),
      returnsRow({ 项目名称: outside!.name, 所在区县: outside!.county, "填报月份（年-月）": period, "本月完成投资（万元）": 1 }),
    ]);
    const refused = await imports.previewImport(reviewer, { name: "审核.xlsx", bytes: file }, AS_OF);
    expect(refused.ok && refused.preview.errors.map((e) => [e.row, e.message])).toEqual([[3, "import.error.notReviewedHere"]]);
    const file2 = await xlsxFile("月报", RETURNS_HEADERS, [returnsRow({ 项目名称: target.name, 所在区县: "仁怀市", "填报月份（年-月）": period, "本月完成投资（万元）": 123.4, "本月支付（万元）": 100, 形象进度描述: "主体施工" })]);
    const result = await imports.previewImport(reviewer, { name: "审核.xlsx", bytes: file2 }, AS_OF);
    if (!result.ok) throw new Error(JSON.stringify(result.problem));
    expect(result.preview.summary).toMatchObject({ approve: 1 });
    await imports.confirmImport(reviewer, result.preview.batchId!, "127.0.0.1", AS_OF);
    const row = await prisma.monthlyReturn.findFirstOrThrow({ where: { projectId: target.id, period: new Date(`${period}-01T00:00:00Z`) } });
    expect(row.status).toBe("APPROVED");
    expect(row.reviewedById).toBe(reviewer.id);
    const after = await prisma.project.findUniqueOrThrow({ where: { id: target.id } });
    expect(after.completedInvestment.minus(before.completedInvestment).toString()).toBe("123.4");
    // Approved months are not changed by import.
    const changed = await xlsxFile("月报", RETURNS_HEADERS, [returnsRow({ 项目名称: target.name, 所在区县: "仁怀市", "填报月份（年-月）": period, "本月完成投资（万元）": 999 })]);
    const locked = await imports.previewImport(owner, { name: "x.xlsx", bytes: changed }, AS_OF);
    expect(locked.ok && locked.preview.errors.map((e) => e.message)).toEqual(["import.error.returnApproved"]);
  });
});

describe("the audit events these commands wrote", () => {
  it("each reads back through its action's schema", async () => {
    expect(await auditActionsReadBack(prisma)).toEqual(expect.arrayContaining(["import.confirm", "project.create", "project.update", "return.approve", "return.submit"]));
  });
});
