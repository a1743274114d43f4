// Reading uploads safely: type by content, size and row limits, the zip-bomb guard (declared
// sizes and sizes that lie), macros, CSV encodings (UTF-8 with/without BOM, GBK), values only,
// and the templates' headers, drop-downs and instructions.
import { readFileSync } from "node:fs";
import path from "node:path";
import { deflateRawSync } from "node:zlib";
import ExcelJS from "exceljs";
import { describe, expect, it } from "vitest";
import { cellText, excelNumberText, normalizeDayText, normalizePeriodText } from "@/lib/imports/cells";
import { decodeCsv } from "@/lib/imports/decode";
import { LISTS_SHEET, REGISTRY_COLUMNS, INSTRUCTIONS_SHEET, matchHeader } from "@/lib/imports/layouts";
import { ImportFileError, readImportFile, type ReadLimits } from "@/lib/imports/read-file";
import { buildLists } from "@/lib/imports/reference";
import { buildTemplate } from "@/lib/imports/templates";
import { checkXlsxArchive, ZipGuardError } from "@/lib/imports/zip-guard";
import { csvText, xlsxFile } from "@/tests/helpers/import-files";

const LIMITS: ReadLimits = { maxBytes: 10 * 1024 * 1024, maxRows: 50_000, maxInflatedBytes: 200 * 1024 * 1024 };

async function problemOf(name: string, bytes: Uint8Array, limits = LIMITS) {
  try {
    await readImportFile(name, bytes, limits);
    return null;
  } catch (error) {
    if (error instanceof ImportFileError) return error.problem;
    throw error;
  }
}

/** A minimal ZIP writer; `declare` overrides the uncompressed size written in the headers. */
function zip(entries: { name: string; data: Buffer; declare?: number }[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const compressed = deflateRawSync(e.data);
    const name = Buffer.from(e.name);
    const size = e.declare ?? e.data.length;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(compressed.length, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(compressed.length, 20);
    central.writeUInt32LE(size, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, compressed);
    centrals.push(central, name);
    offset += local.length + name.length + compressed.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}

const XLSX_SKELETON = [
  { name: "[Content_Types].xml", data: Buffer.from("<Types/>") },
  { name: "xl/workbook.xml", data: Buffer.from("<workbook/>") },
];

describe("the zip guard", () => {
  it("passes a real workbook and reports its inflated size", async () => {
    const file = Buffer.from(await xlsxFile("项目登记", ["项目名称", "所在区县"], [["a", "仁怀市"]]));
    const result = checkXlsxArchive(file, 10 * 1024 * 1024);
    expect(result.entries).toBeGreaterThan(3);
  });

  it("refuses an archive whose declared contents exceed the limit, before inflating anything", () => {
    const bomb = zip([...XLSX_SKELETON, { name: "xl/worksheets/sheet1.xml", data: Buffer.alloc(30 * 1024 * 1024) }]);
    expect(bomb.length).toBeLessThan(100 * 1024);
    expect(() => checkXlsxArchive(bomb, 10 * 1024 * 1024)).toThrow(expect.objectContaining({ problem: "inflatesTooMuch" }));
  });

  it("refuses an archive that lies about its sizes: inflation stops at the declared size", () => {
    const liar = zip([...XLSX_SKELETON, { name: "xl/worksheets/sheet1.xml", data: Buffer.alloc(30 * 1024 * 1024), declare: 1000 }]);
    expect(() => checkXlsxArchive(liar, 10 * 1024 * 1024)).toThrow(expect.objectContaining({ problem: "sizeMismatch" }));
  });

  it("refuses macros, and zips that are not workbooks", () => {
    expect(() => checkXlsxArchive(zip([...XLSX_SKELETON, { name: "xl/vbaProject.bin", data: Buffer.from("x") }]), 1e8)).toThrow(expect.objectContaining({ problem: "macros" }));
    expect(() => checkXlsxArchive(zip([{ name: "a.txt", data: Buffer.from("x") }]), 1e8)).toThrow(ZipGuardError);
  });

  it("shows as a clear refusal on upload", async () => {
    const bomb = zip([...XLSX_SKELETON, { name: "xl/worksheets/sheet1.xml", data: Buffer.alloc(30 * 1024 * 1024) }]);
    expect(await problemOf("炸弹.xlsx", bomb, { ...LIMITS, maxInflatedBytes: 10 * 1024 * 1024 })).toEqual({ code: "archive", problem: "inflatesTooMuch", maxMb: 10 });
  });
});

describe("what is accepted", () => {
  it("judges the type by content and name together", async () => {
    expect(await problemOf("a.pdf", new TextEncoder().encode("%PDF-1.7 ..."))).toEqual({ code: "type" });
    expect(await problemOf("a.xls", Uint8Array.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0]))).toEqual({ code: "type" });
    expect(await problemOf("a.xlsx", new TextEncoder().encode("项目名称,所在区县\r\n"))).toEqual({ code: "type" });
    expect(await problemOf("a.csv", await xlsxFile("项目登记", ["项目名称"], [["a"]]))).toEqual({ code: "type" });
    expect(await problemOf("a.csv", new Uint8Array())).toEqual({ code: "empty" });
  });

  it("refuses files over the size limit and over the row limit", async () => {
    const csv = new TextEncoder().encode(csvText(["项目名称", "所在区县"], [["a", "仁怀市"], ["b", "仁怀市"], ["c", "仁怀市"]]));
    expect(await problemOf("a.csv", csv, { ...LIMITS, maxBytes: 10 })).toEqual({ code: "tooLarge", maxMb: 10 / 1024 / 1024 });
    expect(await problemOf("a.csv", csv, { ...LIMITS, maxRows: 2 })).toEqual({ code: "tooManyRows", maxRows: 2 });
    expect(await problemOf("a.csv", csv, { ...LIMITS, maxRows: 3 })).toBeNull();
    const xlsx = await xlsxFile("项目登记", ["项目名称", "所在区县"], [["a", "仁怀市"], ["b", "仁怀市"], ["c", "仁怀市"]]);
    expect(await problemOf("a.xlsx", xlsx, { ...LIMITS, maxRows: 2 })).toEqual({ code: "tooManyRows", maxRows: 2 });
  });

  it("names the missing and unknown columns of an unknown layout", async () => {
    const xlsx = await xlsxFile("Sheet1", ["名称", "金额"], [["a", 1]]);
    expect(await problemOf("a.xlsx", xlsx)).toMatchObject({ code: "layout", missing: ["项目名称", "所在区县"], unknown: ["名称", "金额"] });
    expect(matchHeader(["项目名称", "所在区县", "填报月份（年-月）", "本月完成投资(万元)"])).toMatchObject({ ok: true, kind: "returns" });
  });
});

describe("CSV encodings", () => {
  it("reads UTF-8 with and without BOM, and GBK as Chinese Excel saves it", async () => {
    expect(decodeCsv(new TextEncoder().encode("\uFEFF项目名称")).encoding).toBe("utf-8-bom");
    expect(decodeCsv(new TextEncoder().encode("项目名称"))).toEqual({ text: "项目名称", encoding: "utf-8" });
    const gbk = readFileSync(path.join(process.cwd(), "tests/fixtures/import/registry-gbk.csv"));
    const file = await readImportFile("项目登记.csv", gbk, LIMITS);
    expect(file).toMatchObject({ format: "csv", encoding: "gbk", kind: "registry" });
    expect(file.rows[0]!.cells[1]).toEqual({ kind: "text", text: "遵义市GBK编码测试项目" });
    expect(file.rows[0]!.cells[6]).toEqual({ kind: "text", text: "1.5亿" });
  });
});

describe("cell values", () => {
  it("reads formulas by their cached result only, and says when there is none", async () => {
    const bytes = await xlsxFile("项目登记", ["项目名称", "所在区县", "总投资（万元）", "十四五计划投资（万元）"], [["a", "仁怀市", { formula: "1+2", result: 3 }, { formula: "SUM(C2:C2)" }]]);
    const file = await readImportFile("a.xlsx", bytes, LIMITS);
    expect(cellText(file.rows[0]!.cells[2], "money")).toEqual({ ok: true, value: "3" });
    expect(cellText(file.rows[0]!.cells[3], "money")).toMatchObject({ ok: false, message: "import.error.noCachedResult" });
  });

  it("reads numbers at Excel's precision and dates and months as typed", () => {
    expect(excelNumberText(0.1 + 0.2)).toBe("0.3");
    expect(excelNumberText(12345.6789)).toBe("12345.6789");
    expect(normalizeDayText("2025/3/1")).toBe("2025-03-01");
    expect(normalizeDayText("2025年3月1日")).toBe("2025-03-01");
    expect(normalizePeriodText("2026年9月")).toBe("2026-09");
    expect(cellText({ kind: "date", value: new Date(Date.UTC(2026, 9, 1)) }, "period")).toEqual({ ok: true, value: "2026-10" });
    expect(cellText({ kind: "number", value: 0.455, percent: true }, "percent")).toEqual({ ok: true, value: "45.5" });
  });
});

describe("templates", () => {
  it("carry Chinese headers with units, drop-down lists and an instructions sheet", async () => {
    const lists = buildLists({
      divisions: [{ code: "520382", name: "仁怀市" }, { code: "520300", name: "遵义市（市级）" }],
      programmes: [{ id: "p", key: "C16-P01", name: "城镇市政基础设施建设重点工程", columnId: "c", columnNumber: 16 }],
      sectors: [{ code: "education", nameZh: "教育" }],
      organizations: [{ id: "o", name: "仁怀市人民政府" }],
      fundingSources: [{ code: "SPECIAL_BOND", nameZh: "地方政府专项债券" }],
    });
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load((await buildTemplate("registry", lists)) as unknown as ArrayBuffer);
    expect(workbook.worksheets.map((s) => s.name)).toEqual(["项目登记", INSTRUCTIONS_SHEET, LISTS_SHEET]);
    const sheet = workbook.getWorksheet("项目登记")!;
    const headers = (sheet.getRow(1).values as unknown[]).slice(1);
    expect(headers).toEqual(REGISTRY_COLUMNS.map((c) => c.header));
    expect(headers).toContain("总投资（万元）");
    const county = sheet.getCell("C2").dataValidation;
    expect(county).toMatchObject({ type: "list", formulae: [`'${LISTS_SHEET}'!$A$2:$A$3`] });
    const stage = sheet.getCell(`${String.fromCharCode(65 + REGISTRY_COLUMNS.findIndex((c) => c.key === "lifecycleStage"))}2`).dataValidation;
    expect(stage.type).toBe("list");
    const instructions = workbook.getWorksheet(INSTRUCTIONS_SHEET)!;
    expect(instructions.getCell("A1").value).toContain("填写说明");
    // A template as downloaded is a recognised layout with no data rows.
    expect(await problemOf("模板.xlsx", new Uint8Array(await buildTemplate("returns", lists)))).toEqual({ code: "noRows" });
  });
});
