// Checks an .xlsx (a ZIP archive) before exceljs inflates it: reads the central directory
// ourselves, refuses encrypted entries, unknown compression, macros, too many entries and a
// declared total beyond the limit, then inflates every entry with zlib capped at its declared
// size, so an archive that lies about its sizes is caught too (a zip bomb never reaches exceljs).
import { inflateRawSync } from "node:zlib";

export type ZipProblem = "notZip" | "tooManyEntries" | "inflatesTooMuch" | "sizeMismatch" | "encrypted" | "unsupportedCompression" | "macros" | "notXlsx";

export class ZipGuardError extends Error {
  constructor(public readonly problem: ZipProblem, message?: string) {
    super(message ?? problem);
    this.name = "ZipGuardError";
  }
}

export interface ZipEntry {
  name: string;
  method: number;
  flags: number;
  compressedSize: number;
  uncompressedSize: number;
  localHeaderOffset: number;
}

const EOCD = 0x06054b50;
const ZIP64_LOCATOR = 0x07064b50;
const ZIP64_EOCD = 0x06064b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
const MAX32 = 0xffffffff;

function u64(buf: Buffer, at: number): number {
  const value = buf.readBigUInt64LE(at);
  if (value > BigInt(Number.MAX_SAFE_INTEGER)) throw new ZipGuardError("inflatesTooMuch");
  return Number(value);
}

/** The entries listed in the archive's central directory (ZIP64 included). */
export function readCentralDirectory(buf: Buffer, maxEntries = 5000): ZipEntry[] {
  if (buf.length < 22 || buf.readUInt32LE(0) !== LOCAL) throw new ZipGuardError("notZip");
  let eocd = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 22 - 0xffff); i--) {
    if (buf.readUInt32LE(i) === EOCD) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new ZipGuardError("notZip");
  let total = buf.readUInt16LE(eocd + 10);
  let cdSize = buf.readUInt32LE(eocd + 12);
  let cdOffset = buf.readUInt32LE(eocd + 16);
  if ((total === 0xffff || cdSize === MAX32 || cdOffset === MAX32) && eocd >= 20 && buf.readUInt32LE(eocd - 20) === ZIP64_LOCATOR) {
    const at = u64(buf, eocd - 20 + 8);
    if (at + 56 > buf.length || buf.readUInt32LE(at) !== ZIP64_EOCD) throw new ZipGuardError("notZip");
    total = u64(buf, at + 32);
    cdSize = u64(buf, at + 40);
    cdOffset = u64(buf, at + 48);
  }
  if (total > maxEntries) throw new ZipGuardError("tooManyEntries");
  if (cdOffset + cdSize > buf.length) throw new ZipGuardError("notZip");
  const entries: ZipEntry[] = [];
  let p = cdOffset;
  for (let n = 0; n < total; n++) {
    if (p + 46 > buf.length || buf.readUInt32LE(p) !== CENTRAL) throw new ZipGuardError("notZip");
    const flags = buf.readUInt16LE(p + 8);
    const method = buf.readUInt16LE(p + 10);
    let compressedSize = buf.readUInt32LE(p + 20);
    let uncompressedSize = buf.readUInt32LE(p + 24);
    const nameLength = buf.readUInt16LE(p + 28);
    const extraLength = buf.readUInt16LE(p + 30);
    const commentLength = buf.readUInt16LE(p + 32);
    let localHeaderOffset = buf.readUInt32LE(p + 42);
    const name = buf.toString("utf8", p + 46, p + 46 + nameLength);
    // ZIP64 extra field: only the fields saturated in the header are present, in this order.
    let e = p + 46 + nameLength;
    const extraEnd = e + extraLength;
    while (e + 4 <= extraEnd) {
      const id = buf.readUInt16LE(e);
      const size = buf.readUInt16LE(e + 2);
      if (id === 0x0001) {
        let q = e + 4;
        if (uncompressedSize === MAX32) (uncompressedSize = u64(buf, q)), (q += 8);
        if (compressedSize === MAX32) (compressedSize = u64(buf, q)), (q += 8);
        if (localHeaderOffset === MAX32) localHeaderOffset = u64(buf, q);
      }
      e += 4 + size;
    }
    entries.push({ name, method, flags, compressedSize, uncompressedSize, localHeaderOffset });
    p = extraEnd + commentLength;
  }
  return entries;
}

/**
 * Refuses the archive unless every entry is plain (stored or deflated, not encrypted), the
 * declared sizes add up to at most `maxInflatedBytes`, each entry really inflates to its declared
 * size (capped: a lie stops at the cap) and it is an .xlsx without macros.
 */
export function checkXlsxArchive(buf: Buffer, maxInflatedBytes: number, maxEntries = 5000): { entries: number; inflatedBytes: number } {
  const entries = readCentralDirectory(buf, maxEntries);
  const declared = entries.reduce((sum, entry) => sum + entry.uncompressedSize, 0);
  if (declared > maxInflatedBytes) throw new ZipGuardError("inflatesTooMuch");
  const names = new Set(entries.map((entry) => entry.name.toLowerCase()));
  if ([...names].some((name) => name.endsWith("vbaproject.bin"))) throw new ZipGuardError("macros");
  if (!names.has("[content_types].xml") || !names.has("xl/workbook.xml")) throw new ZipGuardError("notXlsx");
  for (const entry of entries) {
    if (entry.flags & 0x1) throw new ZipGuardError("encrypted");
    if (entry.name.endsWith("/") && entry.uncompressedSize === 0) continue;
    const at = entry.localHeaderOffset;
    if (at + 30 > buf.length || buf.readUInt32LE(at) !== LOCAL) throw new ZipGuardError("notZip");
    const start = at + 30 + buf.readUInt16LE(at + 26) + buf.readUInt16LE(at + 28);
    const data = buf.subarray(start, start + entry.compressedSize);
    if (data.length !== entry.compressedSize) throw new ZipGuardError("notZip");
    if (entry.method === 0) {
      if (entry.compressedSize !== entry.uncompressedSize) throw new ZipGuardError("sizeMismatch");
      continue;
    }
    if (entry.method !== 8) throw new ZipGuardError("unsupportedCompression");
    let inflated: Buffer;
    try {
      // One byte of headroom: an entry that inflates past its declared size fails here.
      inflated = inflateRawSync(data, { maxOutputLength: Math.max(1, entry.uncompressedSize + 1) });
    } catch (error) {
      if (error instanceof RangeError || (error as { code?: string }).code === "ERR_BUFFER_TOO_LARGE") throw new ZipGuardError("sizeMismatch");
      throw new ZipGuardError("notZip");
    }
    if (inflated.length !== entry.uncompressedSize) throw new ZipGuardError("sizeMismatch");
  }
  return { entries: entries.length, inflatedBytes: declared };
}
