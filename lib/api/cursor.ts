// Cursors for the read API's lists: an opaque string that carries the position and a fingerprint
// of the filters, sort and page size it was issued for, so a cursor is refused (400 naming
// `cursor`) with any other query instead of silently paging another list. Pure.
import { createHash } from "node:crypto";

interface Position {
  /** Items already returned before this page. */
  offset: number;
}

function fingerprint(query: Record<string, unknown>): string {
  const canonical = JSON.stringify(
    Object.keys(query)
      .filter((k) => k !== "cursor" && query[k] !== undefined)
      .sort()
      .map((k) => [k, query[k]]),
  );
  return createHash("sha256").update(canonical).digest("base64url").slice(0, 16);
}

export function encodeCursor(query: Record<string, unknown>, position: Position): string {
  return Buffer.from(JSON.stringify({ o: position.offset, f: fingerprint(query) }), "utf8").toString("base64url");
}

/** The position a cursor stands for under this query, or null when it is not one of ours for it. */
export function decodeCursor(query: Record<string, unknown>, cursor: string): Position | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
  } catch {
    return null;
  }
  if (typeof parsed !== "object" || parsed === null) return null;
  const { o, f } = parsed as { o?: unknown; f?: unknown };
  if (typeof o !== "number" || !Number.isSafeInteger(o) || o < 0 || o > 10_000_000 || f !== fingerprint(query)) return null;
  return { offset: o };
}
