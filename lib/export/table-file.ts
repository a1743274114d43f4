// Tables as files users open in Excel: .xlsx (exceljs; bold frozen header row, numbers as numbers)
// and .csv (UTF-8 with BOM so Excel reads Chinese). Text that Excel would run as a formula
// (starting with = + - @ or a control character) is prefixed with ' (CSV/formula injection).
import { createHash } from "node:crypto";
import { PassThrough, Readable } from "node:stream";
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

/** The workbooks' author (Excel shows it in the file's properties). */
const WORKBOOK_CREATOR = "城镇化重点项目库";

/** A workbook of several tables, one per sheet: bold frozen header row, numbers as numbers. */
export async function toXlsxSheets(sheets: readonly FileSheet[]): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = WORKBOOK_CREATOR;
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

/** What a streamed file reports once its last byte is written: rows written and the body's SHA-256. */
export interface StreamedFile {
  rows: number;
  sha256: string;
}

/**
 * One sheet of rows as a streamed .xlsx (exceljs' streaming WorkbookWriter), the same layout as
 * toXlsx (bold frozen header row, numbers as numbers in the column's format). Rows come a page at a
 * time and are committed as written; the next page is read only when the recipient has taken what
 * is waiting (backpressure), so memory holds a page and the zip's buffers whatever the file's size
 * and the recipient's speed. `onComplete` runs before the last bytes are released (the audit event,
 * as docs/decisions/0035): if it fails, the stream errors and the recipient has no complete file.
 */
export function streamXlsx<Row>(sheetName: string, columns: FileColumn<Row>[], pages: AsyncIterable<Row[]>, onComplete?: (file: StreamedFile) => Promise<void>): ReadableStream<Uint8Array> {
  const zip = new PassThrough({ highWaterMark: STREAM_BUFFER });
  const hash = createHash("sha256");
  const held: Buffer[] = [];
  const out = new PassThrough({ highWaterMark: STREAM_BUFFER });
  // Everything but the zip's final bytes goes straight on; the last chunk is held until onComplete has run.
  zip.on("data", (chunk: Buffer) => {
    hash.update(chunk);
    held.push(chunk);
    if (held.length > 1 && !out.write(held.shift())) zip.pause();
  });
  out.on("drain", () => zip.resume());
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: zip, useStyles: true, useSharedStrings: false });
  workbook.creator = WORKBOOK_CREATOR;
  const sheet = workbook.addWorksheet(sheetName, { views: [{ state: "frozen", ySplit: 1 }] });
  sheet.columns = columns.map((c) => ({ header: c.header, width: c.width, ...(c.numFmt ? { style: { numFmt: c.numFmt } } : {}) }));
  const iterator = pages[Symbol.asyncIterator]();
  const waitForRoom = () =>
    new Promise<void>((resolve) => {
      if (!zip.isPaused() && !out.writableNeedDrain) return resolve();
      const done = () => {
        out.off("drain", done);
        out.off("close", done);
        resolve();
      };
      out.once("drain", done);
      out.once("close", done);
    });
  const produce = async () => {
    let rows = 0;
    const header = sheet.getRow(1);
    header.font = { bold: true };
    header.commit();
    for (;;) {
      // Let the zip take what was written, then wait while the recipient has not taken it.
      await new Promise((resolve) => setImmediate(resolve));
      await waitForRoom();
      if (out.destroyed) {
        await iterator.return?.();
        return;
      }
      const next = await iterator.next();
      if (next.done) break;
      for (const row of next.value) sheet.addRow(columns.map((c) => safeText(c.value(row)))).commit();
      rows += next.value.length;
    }
    sheet.commit();
    await workbook.commit();
    await new Promise<void>((resolve) => (zip.readableEnded ? resolve() : zip.once("end", resolve)));
    await onComplete?.({ rows, sha256: hash.digest("hex") });
    for (const chunk of held.splice(0)) out.write(chunk);
    out.end();
  };
  produce().catch((error: unknown) => out.destroy(error instanceof Error ? error : new Error(String(error))));
  return Readable.toWeb(out) as ReadableStream<Uint8Array>;
}

/** What a streamed file buffers between the zip and the recipient before the producer waits. */
const STREAM_BUFFER = 64 * 1024;

/**
 * Rows as a streamed .csv (UTF-8 with BOM, as toCsv), pull-based: a page is read only when the
 * recipient asks for more. The last page is held until `onComplete` has run, as streamXlsx.
 */
export function streamCsv<Row>(columns: FileColumn<Row>[], pages: AsyncIterable<Row[]>, onComplete?: (file: StreamedFile) => Promise<void>): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  const hash = createHash("sha256");
  const iterator = pages[Symbol.asyncIterator]();
  let rows = 0;
  let held: Uint8Array | null = null;
  const bytes = (text: string) => {
    const chunk = encoder.encode(text);
    hash.update(chunk);
    return chunk;
  };
  return new ReadableStream<Uint8Array>(
    {
      start() {
        held = bytes(`\uFEFF${columns.map((c) => csvCell(c.header)).join(",")}\r\n`);
      },
      async pull(controller) {
        try {
          const next = await iterator.next();
          if (!next.done) {
            const chunk = bytes(next.value.map((row) => `${columns.map((c) => csvCell(c.value(row))).join(",")}\r\n`).join(""));
            rows += next.value.length;
            if (held) controller.enqueue(held);
            held = chunk;
            return;
          }
          await onComplete?.({ rows, sha256: hash.digest("hex") });
          if (held) controller.enqueue(held);
          controller.close();
        } catch (error) {
          controller.error(error);
        }
      },
      async cancel() {
        await iterator.return?.();
      },
    },
    { highWaterMark: 0 },
  );
}

/** An array in pages of `size` (a file streamed from rows already read). */
export async function* pagesOf<Row>(rows: readonly Row[], size: number): AsyncGenerator<Row[]> {
  for (let i = 0; i < rows.length; i += size) yield rows.slice(i, i + size);
}
