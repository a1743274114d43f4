// "下载我的项目" and the error workbook on a real, seeded database: the pre-filled registry and
// returns templates hold the owner unit's own projects only and, uploaded back as they are, plan
// no change at all; a refused upload's error workbook (only for its uploader) is the uploaded sheet
// with each error beside its cell, and can itself be uploaded again.
import ExcelJS from "exceljs";
import { createTranslator } from "next-intl";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CurrentUser } from "@/lib/auth/session";
import { ERRORS_HEADER, REGISTRY_COLUMNS, RETURNS_COLUMNS, REGISTRY_SHEET, RETURNS_SHEET } from "@/lib/imports/layouts";
import zh from "@/messages/zh-CN.json";
import { userActor } from "@/tests/helpers/actors";
import { xlsxFile } from "@/tests/helpers/import-files";
import { seededTestDatabase, type TestDatabase } from "@/tests/helpers/test-database";

let db: TestDatabase;
let prisma: typeof import("@/lib/db").prisma;
let imports: typeof import("@/lib/imports/batches");
let templates: typeof import("@/lib/imports/templates");
let owner: CurrentUser;
let reviewer: CurrentUser;

const AS_OF = new Date();
const t = createTranslator({ locale: "zh-CN", messages: zh });
const translate = (key: string, params?: Record<string, string | number>) => t(key as never, params as never);

async function template(user: CurrentUser, kind: "registry" | "returns") {
  const lists = await imports.templateLists(user);
  const { rows, period } = await imports.myTemplateRows(user, kind, lists, AS_OF);
  return { bytes: new Uint8Array(await templates.buildTemplate(kind, lists, rows)), period };
}

/** The data sheet's rows as { header: value }. */
async function sheetRows(bytes: Uint8Array, sheetName: string): Promise<Record<string, unknown>[]> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(Buffer.from(bytes) as unknown as ArrayBuffer);
  const sheet = workbook.getWorksheet(sheetName)!;
  const headers = (sheet.getRow(1).values as unknown[]).map((v) => (typeof v === "string" ? v : ""));
  const out: Record<string, unknown>[] = [];
  sheet.eachRow((row, n) => {
    if (n === 1) return;
    out.push(Object.fromEntries(headers.map((h, i) => [h, row.getCell(i).value]).filter(([h]) => h)));
  });
  return out;
}

beforeAll(async () => {
  ({ db, prisma } = await seededTestDatabase(AS_OF));
  imports = await import("@/lib/imports/batches");
  templates = await import("@/lib/imports/templates");
  owner = await userActor("owner.editor");
  reviewer = await userActor("reviewer");
}, 600_000);

afterAll(async () => {
  await prisma?.$disconnect();
  await db?.drop();
});

describe("下载我的项目: the registry template pre-filled", () => {
  it("holds exactly the owner unit's projects, and another unit's are absent", async () => {
    const { bytes } = await template(owner, "registry");
    const rows = await sheetRows(bytes, REGISTRY_SHEET);
    const own = await prisma.project.findMany({ where: { ownerOrgId: owner.organizationId }, select: { name: true } });
    expect(own.length).toBeGreaterThan(0);
    expect(rows.map((r) => r["项目名称"]).sort()).toEqual(own.map((p) => p.name).sort());
    const others = await prisma.project.findMany({ where: { NOT: { ownerOrgId: owner.organizationId } }, select: { name: true }, take: 50 });
    const names = new Set(rows.map((r) => r["项目名称"]));
    expect(others.filter((p) => names.has(p.name) && !own.some((o) => o.name === p.name))).toEqual([]);
    expect(rows.every((r) => r["业主单位"] === owner.organizationName)).toBe(true);
    // The header matches the layout, so the file is an import file.
    expect(Object.keys(rows[0]!)).toEqual(expect.arrayContaining(REGISTRY_COLUMNS.filter((c) => c.required).map((c) => c.header)));
  });

  it("uploaded back unchanged plans no change: every row unchanged, no error, nothing to confirm", async () => {
    const { bytes } = await template(owner, "registry");
    const before = await prisma.auditEvent.count();
    const result = await imports.previewImport(owner, { name: "项目登记-我的项目.xlsx", bytes }, AS_OF);
    if (!result.ok) throw new Error(JSON.stringify(result.problem));
    expect(result.preview.errors).toEqual([]);
    const own = await prisma.project.count({ where: { ownerOrgId: owner.organizationId } });
    expect(result.preview.summary).toMatchObject({ rows: own, create: 0, update: 0, unchanged: own, errors: 0 });
    expect(result.preview.batchId).toBeNull();
    expect(await prisma.auditEvent.count()).toBe(before);
  });

  it("a reviewer without project:update gets an empty registry template", async () => {
    const { bytes } = await template(reviewer, "registry");
    expect(await sheetRows(bytes, REGISTRY_SHEET)).toEqual([]);
  });
});

describe("下载我的项目: the returns template pre-filled for the month due", () => {
  it("names the reporting calendar's month due, holds only the unit's projects, and re-imports as a no-op", async () => {
    const { nextDueMonth } = await import("@/lib/domain/reporting-calendar");
    const { env } = await import("@/lib/env");
    const period = nextDueMonth(AS_OF, env.RETURN_DUE_DAY);
    // One project with a submitted return for that month: its figures are pre-filled.
    const [target] = await prisma.$queryRaw<{ id: string; name: string }[]>`
      SELECT p.id, p.name FROM "Project" p
       WHERE p."ownerOrgId" = ${owner.organizationId}::uuid AND p."lifecycleStage" = 'CONSTRUCTION'
         AND p."totalInvestment" > p."completedInvestment" + 10000
         AND (SELECT count(*) FROM "Project" x WHERE x.name = p.name) = 1
         AND NOT EXISTS (SELECT 1 FROM "MonthlyReturn" r WHERE r."projectId" = p.id AND r.period >= ${`${period}-01`}::date)
       ORDER BY p."planKey" LIMIT 1`;
    expect(target).toBeDefined();
    const county = await prisma.projectLocation.findFirstOrThrow({ where: { projectId: target!.id }, include: { division: true }, orderBy: { divisionCode: "asc" } });
    const header = RETURNS_COLUMNS.map((c) => c.header);
    const filed = await xlsxFile(RETURNS_SHEET, header, [header.map((h) => ({ 项目名称: target!.name, 所在区县: county.division.name, "填报月份（年-月）": period, "本月完成投资（万元）": 12.5, "本月支付（万元）": 10, 形象进度描述: "进场" } as Record<string, string | number>)[h] ?? null)]);
    const submitted = await imports.previewImport(owner, { name: "filed.xlsx", bytes: filed }, AS_OF);
    if (!submitted.ok) throw new Error(JSON.stringify(submitted.problem));
    expect(submitted.preview.errors).toEqual([]);
    await imports.confirmImport(owner, submitted.preview.batchId!, "127.0.0.1", AS_OF);

    const { bytes, period: templatePeriod } = await template(owner, "returns");
    expect(templatePeriod).toBe(period);
    const rows = await sheetRows(bytes, RETURNS_SHEET);
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((r) => r["填报月份（年-月）"] === period)).toBe(true);
    const own = new Set((await prisma.project.findMany({ where: { ownerOrgId: owner.organizationId }, select: { name: true } })).map((p) => p.name));
    expect(rows.filter((r) => !own.has(String(r["项目名称"])))).toEqual([]);
    const filledRow = rows.find((r) => r["项目名称"] === target!.name)!;
    expect(filledRow["本月完成投资（万元）"]).toBe(12.5);
    expect(filledRow["形象进度描述"]).toBe("进场");

    const before = await prisma.auditEvent.count();
    const again = await imports.previewImport(owner, { name: "月报-我的项目.xlsx", bytes }, AS_OF);
    if (!again.ok) throw new Error(JSON.stringify(again.problem));
    expect(again.preview.errors).toEqual([]);
    const filled = rows.filter((r) => r["本月完成投资（万元）"] !== undefined && r["本月完成投资（万元）"] !== null).length;
    expect(again.preview.summary).toMatchObject({ rows: rows.length, submit: 0, approve: 0, unchanged: filled, skipped: rows.length - filled, errors: 0 });
    expect(again.preview.batchId).toBeNull();
    expect(await prisma.auditEvent.count()).toBe(before);
  });
});

describe("the error workbook of a refused upload", () => {
  const header = REGISTRY_COLUMNS.map((c) => c.header);
  const row = (values: Record<string, string | number>) => header.map((h) => values[h] ?? null);
  let batchId: string;
  let bad: Uint8Array;

  it("is the uploaded sheet with each error red on its cell, noted, and listed by cell in the 错误 column", async () => {
    bad = await xlsxFile(REGISTRY_SHEET, header, [
      row({ 项目名称: "错误清单·新项目", 所在区县: "仁怀市", 所属子工程: "专栏16·城镇市政基础设施建设重点工程", 当前阶段: "前期", "2025年目标": "开工", "总投资（万元）": 100 }),
      row({ 项目名称: "错误清单·第二个", 所在区县: "不存在县", 当前阶段: "前期", "2025年目标": "开工", "总投资（万元）": -5 }),
    ]);
    const result = await imports.previewImport(owner, { name: "登记.xlsx", bytes: bad }, AS_OF);
    if (!result.ok) throw new Error(JSON.stringify(result.problem));
    expect(result.preview.batchId).toBeNull();
    expect(result.preview.errors.length).toBeGreaterThan(0);
    expect(result.preview.errors.every((e) => e.row === 3)).toBe(true);
    batchId = result.preview.errorBatchId!;
    expect(batchId).toBeTruthy();

    const { name, body } = await imports.importErrorWorkbook(owner, batchId, translate, AS_OF);
    expect(name).toBe("登记-错误.xlsx");
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(body as unknown as ArrayBuffer);
    const sheet = workbook.getWorksheet(REGISTRY_SHEET)!;
    // The uploaded values, at their rows and columns.
    expect(sheet.getCell("B2").value).toBe("错误清单·新项目");
    expect(sheet.getCell("B3").value).toBe("错误清单·第二个");
    const errorColumn = header.length + 1;
    expect(sheet.getRow(1).getCell(errorColumn).value).toBe(ERRORS_HEADER);
    expect(sheet.getRow(2).getCell(errorColumn).value ?? null).toBeNull();
    const listed = sheet.getRow(3).getCell(errorColumn).text;
    for (const e of result.preview.errors) {
      const address = `${e.column}${e.row}`;
      const message = translate(e.message, e.params);
      expect(listed).toContain(`${address} ${e.header}：${message}`);
      const cell = sheet.getCell(address);
      expect(cell.fill).toMatchObject({ type: "pattern", fgColor: { argb: "FFFECACA" } });
      const note = cell.note as string | { texts: { text: string }[] };
      expect(typeof note === "string" ? note : note.texts.map((x) => x.text).join("")).toContain(message);
    }
    const countyError = result.preview.errors.find((e) => e.header === "所在区县")!;
    expect(listed).toContain(`C3 所在区县：“不存在县”不在下拉列表中`);
    expect(countyError.column).toBe("C");
  });

  it("can be uploaded again as it is: the 错误 column is not read, the same errors come back", async () => {
    const { body } = await imports.importErrorWorkbook(owner, batchId, translate, AS_OF);
    const again = await imports.previewImport(owner, { name: "登记-错误.xlsx", bytes: new Uint8Array(body) }, AS_OF);
    if (!again.ok) throw new Error(JSON.stringify(again.problem));
    const first = await imports.previewImport(owner, { name: "登记.xlsx", bytes: bad }, AS_OF);
    expect(first.ok && again.preview.errors).toEqual(first.ok && first.preview.errors);
    batchId = first.ok ? first.preview.errorBatchId! : "";
  });

  it("is only for its uploader, and only until their next upload", async () => {
    const { NotFoundError } = await import("@/lib/auth/permissions");
    await expect(imports.importErrorWorkbook(reviewer, batchId, translate, AS_OF)).rejects.toThrow(NotFoundError);
    const other = await userActor("owner.editor");
    await expect(imports.importErrorWorkbook({ ...other, id: reviewer.id }, batchId, translate, AS_OF)).rejects.toThrow(NotFoundError);
    await expect(imports.importErrorWorkbook(owner, "not-a-uuid", translate, AS_OF)).rejects.toThrow(NotFoundError);
    await expect(imports.importErrorWorkbook(owner, "-".repeat(36), translate, AS_OF)).rejects.toThrow(NotFoundError);
    // Never confirmable.
    await expect(imports.confirmImport(owner, batchId, "127.0.0.1", AS_OF)).rejects.toThrow();
    // A later upload drops the kept file.
    const { bytes } = await template(owner, "registry");
    await imports.previewImport(owner, { name: "ok.xlsx", bytes }, AS_OF);
    await expect(imports.importErrorWorkbook(owner, batchId, translate, AS_OF)).rejects.toThrow(NotFoundError);
  });
});
