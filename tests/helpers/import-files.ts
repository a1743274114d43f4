// Builds import files for tests: an .xlsx with the given headers and rows (values as a user
// would type them), or a CSV in UTF-8.
import ExcelJS from "exceljs";

export type Cell = string | number | Date | null | { formula: string; result?: string | number };

export async function xlsxFile(sheetName: string, headers: string[], rows: Cell[][]): Promise<Uint8Array> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet(sheetName);
  sheet.addRow(headers);
  for (const row of rows) sheet.addRow(row);
  return new Uint8Array(await workbook.xlsx.writeBuffer());
}

export function csvText(headers: string[], rows: (string | number | null)[][]): string {
  const cell = (v: string | number | null) => {
    const text = v === null ? "" : String(v);
    return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  };
  return [headers, ...rows].map((r) => r.map(cell).join(",")).join("\r\n") + "\r\n";
}
