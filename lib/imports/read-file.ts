// Reads an uploaded .xlsx or .csv into header + rows of plain cell values, refusing what it
// cannot read safely, with a reason the page can show: the type (by content, not the name), the
// size, the archive's inflated size (zip-guard), macros, the row count and the header layout.
// Values only: a formula cell gives its cached result, nothing is evaluated or executed.
import ExcelJS from "exceljs";
import { parse } from "csv-parse/sync";
import { decodeCsv, type CsvEncoding } from "./decode";
import { INSTRUCTIONS_SHEET, LISTS_SHEET, matchHeader, type ImportKindName, type LayoutColumn } from "./layouts";
import { checkXlsxArchive, ZipGuardError } from "./zip-guard";
import { isStorableText } from "@/lib/validations/untrusted";

export type RawCell =
  | { kind: "blank" }
  | { kind: "text"; text: string }
  | { kind: "number"; value: number; percent: boolean }
  | { kind: "date"; value: Date }
  | { kind: "bad"; reason: "formulaError" | "noCachedResult" | "invalidCharacters"; text: string };

export interface ParsedRow {
  /** The row number the user sees in Excel (the header is row 1 of its sheet). */
  rowNumber: number;
  cells: RawCell[];
}

export interface ParsedFile {
  format: "xlsx" | "csv";
  encoding?: CsvEncoding;
  sheet: string;
  kind: ImportKindName;
  columns: { column: LayoutColumn; index: number }[];
  rows: ParsedRow[];
}

export type FileProblem =
  | { code: "empty" }
  | { code: "type" }
  | { code: "tooLarge"; maxMb: number }
  | { code: "tooManyRows"; maxRows: number }
  | { code: "archive"; problem: string; maxMb: number }
  | { code: "encoding" }
  | { code: "layout"; missing: string[]; unknown: string[]; sheets: string[] }
  | { code: "noRows" }
  | { code: "unreadable" };

export class ImportFileError extends Error {
  constructor(public readonly problem: FileProblem) {
    super(`import file refused: ${problem.code}`);
    this.name = "ImportFileError";
  }
}

export interface ReadLimits {
  maxBytes: number;
  maxRows: number;
  maxInflatedBytes: number;
}

const BLANK: RawCell = { kind: "blank" };

/** A text cell; text PostgreSQL cannot store (NUL, a lone surrogate) is a bad cell with a readable copy. */
function textCell(text: string): RawCell {
  if (text.trim() === "") return BLANK;
  if (isStorableText(text)) return { kind: "text", text };
  return { kind: "bad", reason: "invalidCharacters", text: text.toWellFormed().replace(/\u0000/g, "\uFFFD").slice(0, 50) };
}

/** What the bytes are, by content: a ZIP (xlsx), text (csv), or neither. */
export function sniffFormat(bytes: Uint8Array): "xlsx" | "csv" | null {
  if (bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04) return "xlsx";
  // Old binary Excel (.xls, OLE2), PDFs, images ...: refused. Text has no NUL bytes.
  const head = bytes.subarray(0, Math.min(bytes.length, 8192));
  if (head.includes(0)) return null;
  return "csv";
}

export async function readImportFile(fileName: string, bytes: Uint8Array, limits: ReadLimits): Promise<ParsedFile> {
  if (bytes.byteLength === 0) throw new ImportFileError({ code: "empty" });
  if (bytes.byteLength > limits.maxBytes) throw new ImportFileError({ code: "tooLarge", maxMb: limits.maxBytes / 1024 / 1024 });
  const extension = fileName.toLowerCase().split(".").pop();
  const format = sniffFormat(bytes);
  if (!format || (extension !== "xlsx" && extension !== "csv") || (format === "xlsx") !== (extension === "xlsx")) {
    throw new ImportFileError({ code: "type" });
  }
  return format === "xlsx" ? readXlsx(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), limits) : readCsv(bytes, limits);
}

function headerTexts(cells: RawCell[]): string[] {
  return cells.map((c) => (c.kind === "text" ? c.text : c.kind === "number" ? String(c.value) : ""));
}

function isBlankRow(cells: RawCell[]): boolean {
  return cells.every((c) => c.kind === "blank");
}

function finish(format: "xlsx" | "csv", sheet: string, header: RawCell[], rows: ParsedRow[], limits: ReadLimits, sheets: string[], encoding?: CsvEncoding): ParsedFile {
  const match = matchHeader(headerTexts(header));
  if (!match.ok) throw new ImportFileError({ code: "layout", missing: match.missing, unknown: match.unknown, sheets });
  const data = rows.filter((r) => !isBlankRow(r.cells));
  if (data.length === 0) throw new ImportFileError({ code: "noRows" });
  if (data.length > limits.maxRows) throw new ImportFileError({ code: "tooManyRows", maxRows: limits.maxRows });
  return { format, encoding, sheet, kind: match.kind, columns: match.columns, rows: data };
}

// ---------------------------------------------------------------------------------------------
// CSV

function readCsv(bytes: Uint8Array, limits: ReadLimits): ParsedFile {
  let decoded: ReturnType<typeof decodeCsv>;
  try {
    decoded = decodeCsv(bytes);
  } catch {
    throw new ImportFileError({ code: "encoding" });
  }
  let records: string[][];
  try {
    // One record more than allowed (plus the header) is enough to know the file is too long.
    records = parse(decoded.text, { relax_column_count: true, skip_empty_lines: false, to: limits.maxRows + 2, bom: true }) as string[][];
  } catch {
    throw new ImportFileError({ code: "unreadable" });
  }
  const toCells = (record: string[]): RawCell[] => record.map(textCell);
  const [header = [], ...rest] = records;
  const rows = rest.map((record, i) => ({ rowNumber: i + 2, cells: toCells(record) }));
  return finish("csv", "CSV", toCells(header), rows, limits, ["CSV"], decoded.encoding);
}

// ---------------------------------------------------------------------------------------------
// XLSX

function cellOf(cell: ExcelJS.Cell): RawCell {
  const value = cell.value as unknown;
  const percent = typeof cell.numFmt === "string" && cell.numFmt.includes("%");
  const fromPlain = (v: unknown): RawCell => {
    if (v === null || v === undefined) return BLANK;
    if (typeof v === "number") return Number.isFinite(v) ? { kind: "number", value: v, percent } : { kind: "bad", reason: "formulaError", text: String(v) };
    if (typeof v === "string") return textCell(v);
    if (typeof v === "boolean") return { kind: "text", text: v ? "TRUE" : "FALSE" };
    if (v instanceof Date) return Number.isNaN(v.getTime()) ? { kind: "bad", reason: "formulaError", text: "date" } : { kind: "date", value: v };
    if (typeof v === "object") {
      const o = v as Record<string, unknown>;
      if ("error" in o) return { kind: "bad", reason: "formulaError", text: String(o.error) };
      if ("richText" in o && Array.isArray(o.richText)) return fromPlain((o.richText as { text: string }[]).map((r) => r.text).join(""));
      if ("formula" in o || "sharedFormula" in o) {
        // Values only: the result Excel cached when it last saved; formulas are never evaluated.
        if (!("result" in o) || o.result === undefined) return { kind: "bad", reason: "noCachedResult", text: String(o.formula ?? o.sharedFormula) };
        return fromPlain(o.result);
      }
      if ("text" in o) return fromPlain(o.text);
    }
    return textCell(String(v));
  };
  return fromPlain(value);
}

function rowCells(row: ExcelJS.Row): RawCell[] {
  const cells: RawCell[] = [];
  // Only the cells that exist (getCell would create every empty one).
  row.eachCell({ includeEmpty: false }, (cell, column) => {
    while (cells.length < column - 1) cells.push(BLANK);
    cells[column - 1] = cellOf(cell);
  });
  while (cells.length && cells[cells.length - 1]!.kind === "blank") cells.pop();
  return cells;
}

async function readXlsx(buf: Buffer, limits: ReadLimits): Promise<ParsedFile> {
  try {
    checkXlsxArchive(buf, limits.maxInflatedBytes);
  } catch (error) {
    if (error instanceof ZipGuardError) {
      if (error.problem === "notZip" || error.problem === "notXlsx") throw new ImportFileError({ code: "type" });
      throw new ImportFileError({ code: "archive", problem: error.problem, maxMb: Math.round(limits.maxInflatedBytes / 1024 / 1024) });
    }
    throw error;
  }
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(buf as unknown as ArrayBuffer, { ignoreNodes: ["dataValidations", "conditionalFormatting", "hyperlinks", "drawing", "picture", "legacyDrawing"] });
  } catch {
    throw new ImportFileError({ code: "unreadable" });
  }
  const sheets = workbook.worksheets.map((s) => s.name);
  let firstFailure: ImportFileError | null = null;
  for (const sheet of workbook.worksheets) {
    if (sheet.name === INSTRUCTIONS_SHEET || sheet.name === LISTS_SHEET || sheet.state !== "visible") continue;
    // Checked before reading cells: the sheet's rows are already in memory but not yet converted.
    if (sheet.actualRowCount > limits.maxRows + 1) throw new ImportFileError({ code: "tooManyRows", maxRows: limits.maxRows });
    const header = rowCells(sheet.getRow(1));
    const rows: ParsedRow[] = [];
    sheet.eachRow({ includeEmpty: false }, (row, rowNumber) => {
      if (rowNumber > 1) rows.push({ rowNumber, cells: rowCells(row) });
    });
    try {
      return finish("xlsx", sheet.name, header, rows, limits, sheets);
    } catch (error) {
      if (error instanceof ImportFileError && error.problem.code === "layout") {
        firstFailure ??= error;
        continue;
      }
      throw error;
    }
  }
  throw firstFailure ?? new ImportFileError({ code: "layout", missing: [], unknown: [], sheets });
}
