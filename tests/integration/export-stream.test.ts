// The project list's files, streamed (lib/export/table-file.ts streamXlsx/streamCsv, docs/decisions/0039),
// hold the same content as the files built in memory before (toXlsx/toCsv): every cell, the headers,
// number formats, column widths, the frozen bold header row; the CSV byte for byte.
import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { actor } from "@/tests/helpers/actors";
import { seededTestDatabase, type TestDatabase } from "@/tests/helpers/test-database";

let db: TestDatabase;
let prisma: typeof import("@/lib/db").prisma;
let projects: typeof import("@/lib/data/projects");
let exporter: typeof import("@/lib/export/projects");
let files: typeof import("@/lib/export/table-file");
let parse: typeof import("@/lib/validations/project-list").parseProjectListParams;

beforeAll(async () => {
  ({ db, prisma } = await seededTestDatabase(new Date("2026-11-15T00:00:00Z")));
  [projects, exporter, files] = await Promise.all([import("@/lib/data/projects"), import("@/lib/export/projects"), import("@/lib/export/table-file")]);
  parse = (await import("@/lib/validations/project-list")).parseProjectListParams;
}, 120_000);

afterAll(async () => {
  await prisma?.$disconnect();
  await db?.drop();
});

async function readAll(body: ReadableStream<Uint8Array>): Promise<Buffer> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of body as unknown as AsyncIterable<Uint8Array>) chunks.push(chunk);
  return Buffer.concat(chunks);
}

async function sheetOf(buffer: Buffer) {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(buffer as unknown as ArrayBuffer);
  return { workbook, sheet: workbook.getWorksheet("项目库")! };
}

describe("streamed project export", () => {
  it("the .xlsx streamed in pages reads back cell for cell as the one built in memory", async () => {
    const result = parse({});
    if (!result.ok) throw new Error("query");
    const rows = await projects.exportProjects(await actor(["LEADERSHIP"]), result.query);
    expect(rows.length).toBeGreaterThan(100);
    const t = (k: string) => k;
    const before = await sheetOf(await exporter.projectsXlsx(rows, t));
    const after = await sheetOf(await readAll(exporter.projectsFileStream("xlsx", files.pagesOf(rows, 7), t)));
    expect(after.workbook.creator).toBe(before.workbook.creator);
    expect(after.sheet.views[0]).toMatchObject({ state: "frozen", ySplit: 1 });
    expect(after.sheet.rowCount).toBe(before.sheet.rowCount);
    expect(after.sheet.columnCount).toBe(before.sheet.columnCount);
    for (let c = 1; c <= before.sheet.columnCount; c++) expect(after.sheet.getColumn(c).width, `width ${c}`).toBe(before.sheet.getColumn(c).width);
    expect(after.sheet.getRow(1).values).toEqual(before.sheet.getRow(1).values);
    for (let c = 1; c <= before.sheet.columnCount; c++) expect(after.sheet.getRow(1).getCell(c).font?.bold, `header ${c}`).toBe(true);
    let numbers = 0;
    for (let r = 2; r <= before.sheet.rowCount; r++) {
      for (let c = 1; c <= before.sheet.columnCount; c++) {
        const old = before.sheet.getRow(r).getCell(c);
        const streamed = after.sheet.getRow(r).getCell(c);
        // An empty text ("" for a project without a county) is an empty cell in the streamed file: the same in Excel.
        expect(streamed.value ?? "", `R${r}C${c}`).toEqual(old.value ?? "");
        expect(streamed.numFmt ?? null, `R${r}C${c} format`).toEqual(old.numFmt ?? null);
        if (typeof old.value === "number" && old.numFmt) numbers++;
      }
    }
    expect(numbers).toBeGreaterThan(rows.length); // the 亿元 columns were compared with their format
  });

  it("the .csv streamed in pages is byte for byte the one built in memory", async () => {
    const result = parse({ q: "学校" });
    if (!result.ok) throw new Error("query");
    const rows = await projects.exportProjects(await actor(["LEADERSHIP"]), result.query);
    const t = (k: string) => k;
    const streamed = (await readAll(exporter.projectsFileStream("csv", files.pagesOf(rows, 3), t))).toString("utf8");
    expect(streamed).toBe(exporter.projectsCsv(rows, t));
  });
});
