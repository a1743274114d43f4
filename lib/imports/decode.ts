// Text of an uploaded CSV: UTF-8 with or without BOM, else GBK (GB18030, what Chinese Excel
// writes by default), detected by UTF-8 failing to decode. Node's TextDecoder (full ICU) does GBK.
export type CsvEncoding = "utf-8" | "utf-8-bom" | "gbk";

export function decodeCsv(bytes: Uint8Array): { text: string; encoding: CsvEncoding } {
  if (bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    return { text: new TextDecoder("utf-8", { fatal: true }).decode(bytes.subarray(3)), encoding: "utf-8-bom" };
  }
  try {
    return { text: new TextDecoder("utf-8", { fatal: true }).decode(bytes), encoding: "utf-8" };
  } catch {
    // WHATWG's "gbk" label decodes with the GB18030 decoder, a superset of GBK.
    return { text: new TextDecoder("gbk", { fatal: true }).decode(bytes), encoding: "gbk" };
  }
}
