// What both import plans share: reading a row's cells by field key, errors that point at a cell
// (row, column letter, header, message key), and matching a row to an existing project by
// 项目代码, else by exact name + county.
import { cellText } from "./cells";
import { columnLetter, type LayoutColumn, type ListName } from "./layouts";
import type { ParsedFile, ParsedRow } from "./read-file";
import type { Lookup } from "./reference";

export interface CellError {
  row: number;
  /** Column letter as Excel shows it, or "" for an error about the whole row. */
  column: string;
  header: string;
  /** A message key (validation.* or import.*) with its parameters. */
  message: string;
  params?: Record<string, string | number>;
}

export type RowAction = "create" | "update" | "unchanged" | "submit" | "approve";

export interface FieldChange {
  from: string | null;
  to: string | null;
}

/** Reads one row: text per field key, with errors for cells that cannot be read. */
export class RowReader {
  readonly errors: CellError[] = [];
  private readonly columns: Map<string, { column: LayoutColumn; index: number }>;
  private readonly failed = new Set<string>();

  constructor(file: ParsedFile, private readonly row: ParsedRow, private readonly lists: Record<ListName, Lookup>) {
    this.columns = new Map(file.columns.map((c) => [c.column.key, c]));
  }

  get rowNumber() {
    return this.row.rowNumber;
  }

  has(key: string): boolean {
    return this.columns.has(key);
  }

  /** The cell's text (lists resolved to their code), or null when blank, absent or unreadable. */
  get(key: string): string | null {
    const c = this.columns.get(key);
    if (!c) return null;
    const result = cellText(this.row.cells[c.index], c.column.type);
    if (!result.ok) {
      this.fail(key, result.message, result.params);
      return null;
    }
    if (result.value === null || !c.column.list) return result.value;
    const code = this.lists[c.column.list].get(result.value);
    if (code === undefined) {
      this.fail(key, "import.error.notInList", { value: result.value });
      return null;
    }
    return code;
  }

  /** Records an error at the field's cell (once per field: the first reason is the one shown). */
  fail(key: string, message: string, params?: Record<string, string | number>) {
    if (this.failed.has(key)) return;
    this.failed.add(key);
    const c = this.columns.get(key);
    this.errors.push({ row: this.row.rowNumber, column: c ? columnLetter(c.index) : "", header: c?.column.header ?? key, message, params });
  }

  failedOn(key: string): boolean {
    return this.failed.has(key);
  }
}

/**
 * The cells that find a row's project, read the same way by both planners: 项目名称 and 县区 are
 * required, 项目代码 is optional and compared in capitals.
 */
export function readProjectKey(r: RowReader): { name: string | null; county: string | null; code: string | null } {
  const name = r.get("name");
  const county = r.get("county");
  const codeText = r.get("projectCode");
  if (!name && !r.failedOn("name")) r.fail("name", "validation.required");
  if (!county && !r.failedOn("county")) r.fail("county", "validation.required");
  return { name, county, code: codeText ? codeText.toUpperCase() : null };
}

/**
 * Repeated (key, value) column pairs such as 资金来源1/金额1 … : each key once, a value for every
 * key. Returns the values by key and, by key, the value's column (for errors found later).
 */
export function readPairs(r: RowReader, prefix: string, count: number, cells: { key: string; value: string }, duplicateMessage: string) {
  const values: Record<string, string | null> = {};
  const valueColumn = new Map<string, string>();
  for (let i = 1; i <= count; i++) {
    const keyField = `${prefix}.${i}.${cells.key}`;
    const valueField = `${prefix}.${i}.${cells.value}`;
    const key = r.get(keyField);
    const value = r.get(valueField);
    if (key === null && value === null) continue;
    if (key === null) {
      if (!r.failedOn(keyField)) r.fail(keyField, "validation.required");
      continue;
    }
    if (valueColumn.has(key)) r.fail(keyField, duplicateMessage);
    if (value === null && !r.failedOn(valueField)) r.fail(valueField, "validation.required");
    values[key] = value;
    valueColumn.set(key, valueField);
  }
  return { values, valueColumn };
}

export interface MatchCandidate {
  id: string;
  projectCode: string | null;
  name: string;
  countyCodes: string[];
}

export type MatchResult<P> = { kind: "match"; project: P; by: "code" | "name" } | { kind: "none" } | { kind: "error"; key: "projectCode" | "name"; message: string; params?: Record<string, string | number> };

export class ProjectMatcher<P extends MatchCandidate> {
  private readonly byCode = new Map<string, P>();
  private readonly byNameCounty = new Map<string, P[]>();

  constructor(projects: P[]) {
    for (const p of projects) {
      if (p.projectCode) this.byCode.set(p.projectCode, p);
      for (const county of p.countyCodes) {
        const key = `${p.name}\u0000${county}`;
        const list = this.byNameCounty.get(key) ?? [];
        list.push(p);
        this.byNameCounty.set(key, list);
      }
    }
  }

  byProjectCode(code: string): P | undefined {
    return this.byCode.get(code);
  }

  match(code: string | null, name: string, county: string): MatchResult<P> {
    if (code) {
      const found = this.byCode.get(code);
      if (found) return { kind: "match", project: found, by: "code" };
    }
    const candidates = this.byNameCounty.get(`${name}\u0000${county}`) ?? [];
    if (candidates.length > 1) return { kind: "error", key: "name", message: "import.error.ambiguous", params: { count: candidates.length } };
    const [project] = candidates;
    if (!project) return { kind: "none" };
    if (code && project.projectCode && project.projectCode !== code) {
      return { kind: "error", key: "projectCode", message: "import.error.codeMismatch", params: { code: project.projectCode } };
    }
    return { kind: "match", project, by: "name" };
  }
}

/** Names and codes a file refers to: what the data layer loads candidates for. */
export function matchKeys(file: ParsedFile, lists: Record<ListName, Lookup>): { codes: string[]; names: string[] } {
  const codes = new Set<string>();
  const names = new Set<string>();
  for (const row of file.rows) {
    const reader = new RowReader(file, row, lists);
    const code = reader.get("projectCode");
    const name = reader.get("name");
    if (code) codes.add(code.trim().toUpperCase());
    if (name) names.add(name);
  }
  return { codes: [...codes], names: [...names] };
}
