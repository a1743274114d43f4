// The error workbook of a refused upload: the uploaded sheet (values only: nothing the user's file
// computed or linked is carried over) at the same rows and columns, each erroneous cell filled red
// with the reason as its note, and an extra "错误" column naming every error of the row by cell
// (C5 所在区县：…). The import ignores that column, so the corrected file can be uploaded as it is.
import ExcelJS from "exceljs";
import { ERRORS_HEADER, LAYOUTS } from "./layouts";
import type { CellError } from "./plan-common";
import type { ParsedFile, RawCell } from "./read-file";

/** Translates a message key (validation.*, import.*) with its parameters. */
export type Translate = (key: string, params?: Record<string, string | number>) => string;

const ERROR_FILL: ExcelJS.Fill = { type: "pattern", pattern: "solid", fgColor: { argb: "FFFECACA" } };

function cellValue(cell: RawCell): ExcelJS.CellValue {
  switch (cell.kind) {
    case "blank":
      return null;
    case "text":
      return cell.text;
    case "number":
      return cell.value;
    case "date":
      return cell.value;
    case "bad":
      return cell.text;
  }
}

/** The sheet's name in the error workbook (a CSV has none: the layout's). */
export function errorSheetName(file: ParsedFile): string {
  return file.format === "csv" ? LAYOUTS[file.kind].sheet : file.sheet;
}

/** The download's name: the uploaded file's, marked as the error list. */
export function errorWorkbookName(uploadName: string): { name: string; ascii: string } {
  const base = uploadName.replace(/\.(xlsx|csv)$/i, "");
  return { name: `${base}-错误.xlsx`, ascii: "import-errors.xlsx" };
}

export async function buildErrorWorkbook(file: ParsedFile, errors: readonly CellError[], translate: Translate): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = "城镇化重点项目库";
  const sheet = workbook.addWorksheet(errorSheetName(file), { views: [{ state: "frozen", ySplit: 1 }] });

  // The header as the layout names the columns, at the columns the upload had them.
  const width = Math.max(...file.columns.map((c) => c.index + 1), ...file.rows.map((r) => r.cells.length));
  const header = sheet.getRow(1);
  for (const { column, index } of file.columns) {
    header.getCell(index + 1).value = column.header;
    sheet.getColumn(index + 1).width = column.width;
    // Text, so a corrected 2026-10 or project code stays as typed (as in the template).
    if (column.type === "period" || column.key === "projectCode") sheet.getColumn(index + 1).numFmt = "@";
    if (column.type === "date") sheet.getColumn(index + 1).numFmt = "yyyy-mm-dd";
  }
  header.font = { bold: true };

  for (const row of file.rows) {
    const target = sheet.getRow(row.rowNumber);
    row.cells.forEach((cell, i) => {
      const value = cellValue(cell);
      if (value === null) return;
      const out = target.getCell(i + 1);
      out.value = value;
      if (cell.kind === "number" && cell.percent) out.numFmt = "0.00%";
    });
  }

  const errorColumn = width + 1;
  const errorHeader = header.getCell(errorColumn);
  errorHeader.value = ERRORS_HEADER;
  errorHeader.font = { bold: true, color: { argb: "FFB91C1C" } };
  sheet.getColumn(errorColumn).width = 60;

  const byRow = new Map<number, string[]>();
  const notes = new Map<string, string[]>();
  for (const e of errors) {
    const message = translate(e.message, e.params);
    const address = e.column ? `${e.column}${e.row}` : "";
    const lines = byRow.get(e.row) ?? [];
    lines.push(address ? `${address} ${e.header}：${message}` : message);
    byRow.set(e.row, lines);
    if (address) notes.set(address, [...(notes.get(address) ?? []), message]);
  }
  for (const [address, messages] of notes) {
    const cell = sheet.getCell(address);
    cell.fill = ERROR_FILL;
    cell.note = messages.join("\n");
  }
  for (const [rowNumber, lines] of byRow) {
    const cell = sheet.getRow(rowNumber).getCell(errorColumn);
    cell.value = lines.join("\n");
    cell.font = { color: { argb: "FFB91C1C" } };
    cell.alignment = { wrapText: true, vertical: "top" };
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
