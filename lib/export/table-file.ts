// Tables as files users open in Excel: .xlsx (exceljs; bold frozen header row, numbers as numbers)
// and .csv (UTF-8 with BOM so Excel reads Chinese). Text that Excel would run as a formula
// (starting with = + - @ or a control character) is prefixed with ' (CSV/formula injection).
import ExcelJS from "exceljs";

export interface FileColumn<Row> {
  header: string;
  width: number;
  value: (row: Row) => string | number | null;
  /** Excel number format for numeric columns, e.g. "#,##0.0000". */
  numFmt?: string;
}

export function safeText(value: string | number | null): string | number | null {
  return typeof value === "string" && /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

/** One sheet of a workbook: a name, its column layout and its rows' cell values (fileSheet). */
export interface FileSheet {
  name: string;
  columns: Omit<FileColumn<never>, "value">[];
  values: Iterable<(string | number | null)[]>;
}

/** A sheet of rows laid out by `columns`. */
export function fileSheet<Row>(name: string, columns: FileColumn<Row>[], rows: Iterable<Row>): FileSheet {
  return {
    name,
    columns: columns.map(({ header, width, numFmt }) => ({ header, width, numFmt })),
    values: { *[Symbol.iterator]() { for (const row of rows) yield columns.map((c) => c.value(row)); } },
  };
}

/** A workbook of several tables, one per sheet: bold frozen header row, numbers as numbers. */
export async function toXlsxSheets(sheets: readonly FileSheet[]): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = "城镇化重点项目库";
  for (const { name, columns, values } of sheets) {
    const sheet = workbook.addWorksheet(name, { views: [{ state: "frozen", ySplit: 1 }] });
    sheet.columns = columns.map((c) => ({ header: c.header, width: c.width }));
    sheet.getRow(1).font = { bold: true };
    for (const row of values) sheet.addRow(row.map(safeText));
    columns.forEach((c, i) => {
      if (c.numFmt) sheet.getColumn(i + 1).numFmt = c.numFmt;
    });
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

export async function toXlsx<Row>(sheetName: string, columns: FileColumn<Row>[], rows: Iterable<Row>): Promise<Buffer> {
  return toXlsxSheets([fileSheet(sheetName, columns, rows)]);
}

function csvCell(value: string | number | null): string {
  if (value === null) return "";
  const text = String(safeText(value));
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function toCsv<Row>(columns: FileColumn<Row>[], rows: Iterable<Row>): string {
  const lines = [columns.map((c) => csvCell(c.header)).join(",")];
  for (const row of rows) lines.push(columns.map((c) => csvCell(c.value(row))).join(","));
  return `\uFEFF${lines.join("\r\n")}\r\n`;
}
