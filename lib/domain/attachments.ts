// Evidence files: which types are accepted, judged by the bytes (magic numbers, via file-type),
// never by the name or the browser's claim. PDF, images and Office documents.
import { fileTypeFromBuffer } from "file-type";

/** Detected extension → MIME type stored and served. */
export const ACCEPTED_TYPES: Record<string, string> = {
  pdf: "application/pdf",
  png: "image/png",
  jpg: "image/jpeg",
  gif: "image/gif",
  webp: "image/webp",
  tif: "image/tiff",
  docx: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
  xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
  pptx: "application/vnd.openxmlformats-officedocument.presentationml.presentation",
  // Legacy .doc/.xls/.ppt are OLE compound files; file-type reports them as "cfb".
  cfb: "application/x-cfb",
};

export type AttachmentCheck =
  | { ok: true; mimeType: string; extension: string }
  | { ok: false; error: "empty" | "tooLarge" | "type" };

export async function checkAttachment(bytes: Uint8Array, maxBytes: number): Promise<AttachmentCheck> {
  if (bytes.byteLength === 0) return { ok: false, error: "empty" };
  if (bytes.byteLength > maxBytes) return { ok: false, error: "tooLarge" };
  const detected = await fileTypeFromBuffer(bytes);
  const mimeType = detected ? ACCEPTED_TYPES[detected.ext] : undefined;
  return detected && mimeType ? { ok: true, mimeType, extension: detected.ext } : { ok: false, error: "type" };
}

/** A file name safe to keep and to send back: no path, no control characters, bounded length. */
export function cleanFileName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? "";
  // Control characters (NUL cannot be stored at all) and characters Windows forbids become "_";
  // cutting to 200 characters must not leave half a surrogate pair.
  const cleaned = base.replace(/[\u0000-\u001f\u007f"<>|:*?]/g, "_").trim().slice(-200).toWellFormed();
  return cleaned || "attachment";
}

/**
 * Content-Disposition for a download: always an attachment, UTF-8 name (RFC 6266/5987).
 * `asciiFallback` names the file for clients that ignore filename* (an English name reads better
 * than the underscores that replace Chinese characters by default).
 */
export function contentDisposition(fileName: string, asciiFallback: string = fileName): string {
  const ascii = asciiFallback.replace(/[^\x20-\x7e]/g, "_").replace(/["\\]/g, "_");
  // RFC 5987 attr-char excludes ' ( ) * which encodeURIComponent leaves as they are.
  const encoded = encodeURIComponent(fileName).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}
