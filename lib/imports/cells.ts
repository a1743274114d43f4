// Turns a raw cell into the text the shared zod schemas expect, per column type. Numbers are
// read at Excel's 15 significant digits (so 0.1+0.2 typed as a formula is 0.3, not
// 0.30000000000000004), dates as calendar days (exceljs gives UTC midnight), lists by label.
import Decimal from "decimal.js";
import type { ColumnType } from "./layouts";
import type { RawCell } from "./read-file";

export type CellResult = { ok: true; value: string | null } | { ok: false; message: string; params?: Record<string, string | number> };

const ok = (value: string | null): CellResult => ({ ok: true, value });
const fail = (message: string, params?: Record<string, string | number>): CellResult => ({ ok: false, message, params });

/** A number as Excel shows it at full precision, in plain notation. */
export function excelNumberText(value: number): string {
  return new Decimal(value.toPrecision(15)).toFixed();
}

const pad = (n: number | string) => String(n).padStart(2, "0");
const isoDay = (d: Date) => `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;

/** 2025-3-1, 2025/03/01, 2025.3.1, 2025年3月1日 → 2025-03-01 (validity is the schema's job). */
export function normalizeDayText(text: string): string {
  const m = /^\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?\s*$/.exec(text);
  return m ? `${m[1]}-${pad(m[2]!)}-${pad(m[3]!)}` : text.trim();
}

/** 2026-10, 2026/10, 2026.10, 2026年10月 → 2026-10. */
export function normalizePeriodText(text: string): string {
  const m = /^\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*月?\s*$/.exec(text);
  return m ? `${m[1]}-${pad(m[2]!)}` : text.trim();
}

export function cellText(cell: RawCell | undefined, type: ColumnType): CellResult {
  if (!cell || cell.kind === "blank") return ok(null);
  if (cell.kind === "bad") return fail(`import.error.${cell.reason}`, { value: cell.text });
  switch (type) {
    case "text":
    case "list":
      if (cell.kind === "date") return ok(isoDay(cell.value));
      return ok(cell.kind === "number" ? excelNumberText(cell.value) : cell.text.trim());
    case "money":
      if (cell.kind === "date") return fail("validation.money");
      return ok(cell.kind === "number" ? excelNumberText(cell.value) : cell.text.trim());
    case "percent":
      if (cell.kind === "date") return fail("validation.return.percent");
      if (cell.kind === "number") return ok(excelNumberText(cell.percent ? cell.value * 100 : cell.value));
      return ok(cell.text.trim().replace(/[%％]$/, "").trim());
    case "year": {
      const text = cell.kind === "number" ? excelNumberText(cell.value) : cell.kind === "date" ? String(cell.value.getUTCFullYear()) : cell.text.trim().replace(/年$/, "");
      return /^\d{4}$/.test(text) ? ok(text) : fail("import.error.year");
    }
    case "date":
      if (cell.kind === "date") return ok(isoDay(cell.value));
      if (cell.kind === "number") return fail("validation.date");
      return ok(normalizeDayText(cell.text));
    case "period":
      if (cell.kind === "date") return ok(isoDay(cell.value).slice(0, 7));
      if (cell.kind === "number") return fail("validation.return.period");
      return ok(normalizePeriodText(cell.text));
  }
}
