// Streamed .xlsx/.csv (lib/export/table-file.ts, docs/decisions/0039): a slow recipient keeps the
// producer a bounded number of pages ahead, whatever the file's size; the completion hook runs
// before the last bytes and sees every row and the SHA-256 of exactly the bytes sent.
import { createHash, randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { streamCsv, streamXlsx, type FileColumn, type StreamedFile } from "@/lib/export/table-file";

interface Row {
  name: string;
  amount: number;
}
const columns: FileColumn<Row>[] = [
  { header: "name", width: 40, value: (r) => r.name },
  { header: "amount", width: 12, value: (r) => r.amount, numFmt: "#,##0.0000" },
];

/** `count` pages of 200 incompressible rows, counting the pages the producer has asked for. */
function pages(count: number) {
  const read = { pages: 0 };
  async function* generate() {
    for (let p = 0; p < count; p++) {
      read.pages++;
      yield Array.from({ length: 200 }, (_, i) => ({ name: randomBytes(48).toString("base64"), amount: p * 200 + i }));
    }
  }
  return { read, iterable: generate() };
}

async function readAll(body: ReadableStream<Uint8Array>): Promise<Buffer> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of body as unknown as AsyncIterable<Uint8Array>) chunks.push(chunk);
  return Buffer.concat(chunks);
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// How far ahead the producer may be: the pull-based CSV one page; the .xlsx what the zip's buffers
// hold (exceljs, archiver, deflate, 2 × 64 KB here): 25–50 pages of 14 KB of rows measured, of a
// 1,000-page file, whatever its size.
describe.each([
  ["xlsx", streamXlsx.bind(null, "sheet"), 100],
  ["csv", streamCsv, 2],
] as const)("streamed %s", (_format, stream, maxAhead) => {
  it("a recipient that stops reading stops the producer within a bounded number of pages of a 1,000-page file", async () => {
    const { read, iterable } = pages(1000);
    const body = (stream as (c: FileColumn<Row>[], p: AsyncIterable<Row[]>) => ReadableStream<Uint8Array>)(columns, iterable);
    const reader = body.getReader();
    expect((await reader.read()).done).toBe(false);
    await pause(600);
    const ahead = read.pages;
    // A loop that ignored the recipient would have read all 1,000 pages (~14 MB of rows) by now.
    expect(ahead).toBeLessThanOrEqual(maxAhead);
    await pause(600);
    expect(read.pages).toBeLessThanOrEqual(maxAhead); // still waiting
    await reader.cancel();
  });

  it("reports every row and the SHA-256 of the bytes sent, before the last of them", async () => {
    const { iterable } = pages(5);
    let reported: StreamedFile | null = null;
    const body = (stream as (c: FileColumn<Row>[], p: AsyncIterable<Row[]>, done: (f: StreamedFile) => Promise<void>) => ReadableStream<Uint8Array>)(columns, iterable, async (file) => {
      reported = file;
    });
    const bytes = await readAll(body);
    expect(reported).toEqual({ rows: 1000, sha256: createHash("sha256").update(bytes).digest("hex") });
  });

  it("a failing completion hook (the audit write) leaves the recipient without a complete file", async () => {
    const { iterable } = pages(2);
    const body = (stream as (c: FileColumn<Row>[], p: AsyncIterable<Row[]>, done: (f: StreamedFile) => Promise<void>) => ReadableStream<Uint8Array>)(columns, iterable, () => Promise.reject(new Error("audit down")));
    await expect(readAll(body)).rejects.toThrow("audit down");
  });
});
