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

/**
 * The stored types a browser may show in the page (<img>) or open in its own viewer (PDF): served
 * inline on request, always with their stored Content-Type and nosniff. Everything else (Office
 * files, TIFF, legacy OLE) is only ever a download.
 */
export const PREVIEW_TYPES: ReadonlySet<string> = new Set(["image/png", "image/jpeg", "image/gif", "image/webp", "application/pdf"]);

export function isPreviewable(mimeType: string): boolean {
  return PREVIEW_TYPES.has(mimeType);
}

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
 * Content-Disposition: an attachment (a download) unless the caller asks for inline (a preview of a
 * PREVIEW_TYPES file), UTF-8 name (RFC 6266/5987).
 * `asciiFallback` names the file for clients that ignore filename* (an English name reads better
 * than the underscores that replace Chinese characters by default).
 */
export function contentDisposition(fileName: string, asciiFallback: string = fileName, disposition: "attachment" | "inline" = "attachment"): string {
  const ascii = asciiFallback.replace(/[^\x20-\x7e]/g, "_").replace(/["\\]/g, "_");
  // RFC 5987 attr-char excludes ' ( ) * which encodeURIComponent leaves as they are.
  const encoded = encodeURIComponent(fileName).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `${disposition}; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}
