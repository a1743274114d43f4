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

export async function toXlsx<Row>(sheetName: string, columns: FileColumn<Row>[], rows: Iterable<Row>): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = "城镇化重点项目库";
  const sheet = workbook.addWorksheet(sheetName, { views: [{ state: "frozen", ySplit: 1 }] });
  sheet.columns = columns.map((c) => ({ header: c.header, width: c.width }));
  sheet.getRow(1).font = { bold: true };
  for (const row of rows) sheet.addRow(columns.map((c) => safeText(c.value(row))));
  columns.forEach((c, i) => {
    if (c.numFmt) sheet.getColumn(i + 1).numFmt = c.numFmt;
  });
  return Buffer.from(await workbook.xlsx.writeBuffer());
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
