// Reading untrusted input into plain objects: form data, query strings, JSON bodies, spreadsheet
// headers. The one place that decides which keys and which strings may go further.
//
// Two rules, both learnt the hard way (issue 14):
// - A key from outside never becomes a property of an ordinary object. "__proto__",
//   "constructor" and "prototype" are refused, and the objects built here have no prototype, so
//   even a key we forgot to refuse cannot reach Object.prototype for the whole process.
// - A string PostgreSQL cannot store (a NUL character) or that is not Unicode (a lone surrogate)
//   is refused here with a message naming the field, instead of failing in the database as a 500.

import type { z } from "zod";

/** Keys that would reach an object's prototype chain. */
const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(["__proto__", "constructor", "prototype"]);

export function isForbiddenKey(key: string): boolean {
  return FORBIDDEN_KEYS.has(key);
}

/** `table[key]` for a key from outside (a URL, a file, a stored detail): own entries only, never Object.prototype's. */
export function ownEntry<T>(table: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(table, key) ? table[key] : undefined;
}

/** An object with no prototype: a dictionary for untrusted keys. */
export function dictionary<T = unknown>(): Record<string, T> {
  return Object.create(null) as Record<string, T>;
}

/** Text a person could have typed and PostgreSQL can store: no NUL, no lone surrogate. */
export function isStorableText(value: string): boolean {
  return !value.includes("\u0000") && value.isWellFormed();
}

/** The highest index a form may use for a repeated row ("problems.3.level"). */
export const MAX_FORM_INDEX = 99;

export interface InputProblem {
  /** The field path as the form names it ("funds.CENTRAL"), or "_form" for the request as a whole. */
  field: string;
  /** A message key under `validation.`. */
  message: string;
}

/**
 * A schema's refusal as problems by field, the one mapping for query strings and request bodies:
 * unknown keys are named and reported as `validation.unknownParameter`; a message that is not one
 * of ours (zod's own English) becomes `validation.invalid`.
 */
export function zodProblems(error: z.ZodError): InputProblem[] {
  return error.issues.map((issue) => ({
    field: issue.code === "unrecognized_keys" ? issue.keys.join(",") : issue.path.join(".") || "query",
    message: issue.code === "unrecognized_keys" ? "validation.unknownParameter" : issue.message.startsWith("validation.") ? issue.message : "validation.invalid",
  }));
}

/**
 * The problems with an input object built from untrusted data: forbidden keys anywhere, and
 * strings that cannot be stored. Empty when the input may be handed to its schema.
 */
export function untrustedInputProblems(input: unknown, maxDepth = 8): InputProblem[] {
  const problems: InputProblem[] = [];
  const seen = new Set<unknown>();
  const walk = (value: unknown, path: string[], depth: number) => {
    if (typeof value === "string") {
      if (!isStorableText(value)) problems.push({ field: path.join(".") || "_form", message: "validation.invalidCharacters" });
      return;
    }
    if (value === null || typeof value !== "object" || seen.has(value)) return;
    // A file's name is made safe where it is kept (cleanFileName), like every file name.
    if (typeof Blob !== "undefined" && value instanceof Blob) return;
    seen.add(value);
    if (depth > maxDepth) {
      problems.push({ field: path.join(".") || "_form", message: "validation.invalid" });
      return;
    }
    for (const key of Object.keys(value)) {
      if (isForbiddenKey(key) || !isStorableText(key)) {
        problems.push({ field: "_form", message: "validation.invalidKey" });
        continue;
      }
      walk((value as Record<string, unknown>)[key], [...path, key], depth + 1);
    }
  };
  walk(input, [], 0);
  return problems;
}

/** Problems as the `fieldErrors` of a form state: message keys by field. */
export function problemsByField(problems: readonly InputProblem[]): Record<string, string[]> {
  const out = dictionary<string[]>();
  for (const { field, message } of problems) {
    const list = (out[field] ??= []);
    if (!list.includes(message)) list.push(message);
  }
  return { ...out };
}

/**
 * Reads form data into a plain object: each name's first text value, or all of them for names in
 * `arrays` (checkbox groups). Files are left out (actions read them themselves).
 */
export function formDataObject(formData: FormData, arrays: readonly string[] = []): Record<string, unknown> {
  const out = dictionary();
  for (const key of new Set(formData.keys())) {
    if (key.startsWith("$ACTION")) continue;
    const values = formData.getAll(key).filter((v): v is string => typeof v === "string");
    out[key] = arrays.includes(key) ? values : values[0];
  }
  for (const key of arrays) out[key] ??= [];
  return out;
}

/**
 * Turns flat form names into the nested input: "funds.CENTRAL" → funds.CENTRAL,
 * "problems.0.level" → problems[0].level. Repeated names listed in `arrays` become arrays.
 *
 * Every object made here has no prototype. A name that cannot be nested (a forbidden segment, an
 * index above MAX_FORM_INDEX, a path through a value that is already text) is kept whole at the
 * top level, where the action's strict schema refuses it as an unknown field.
 */
export function nestFormData(formData: FormData, arrays: readonly string[] = []): Record<string, unknown> {
  const out = dictionary();
  for (const key of new Set(formData.keys())) {
    if (key.startsWith("$ACTION")) continue;
    const values = formData.getAll(key).filter((v): v is string => typeof v === "string");
    if (arrays.includes(key)) {
      out[key] = values;
      continue;
    }
    if (!placeNested(out, key.split("."), values[0])) out[key] = values[0];
  }
  for (const key of arrays) out[key] ??= [];
  // Drop the holes sparse problem rows would leave.
  if (Array.isArray(out.problems)) out.problems = (out.problems as unknown[]).filter(Boolean);
  return out;
}

function placeNested(root: Record<string, unknown>, path: string[], value: unknown): boolean {
  if (path.some((part) => part === "" || isForbiddenKey(part))) return false;
  if (path.some((part) => /^\d+$/.test(part) && Number(part) > MAX_FORM_INDEX)) return false;
  let node: Record<string, unknown> | unknown[] = root;
  for (let i = 0; i < path.length - 1; i++) {
    const part = path[i]!;
    const nextIsIndex = /^\d+$/.test(path[i + 1]!);
    const slot = (node as Record<string, unknown>)[part];
    if (slot === undefined) {
      const created: Record<string, unknown> | unknown[] = nextIsIndex ? [] : dictionary();
      (node as Record<string, unknown>)[part] = created;
      node = created;
    } else if (slot !== null && typeof slot === "object" && Array.isArray(slot) === nextIsIndex) {
      node = slot as Record<string, unknown> | unknown[];
    } else {
      return false;
    }
  }
  const last = path.at(-1)!;
  if (Array.isArray(node) && !/^\d+$/.test(last)) return false;
  if ((node as Record<string, unknown>)[last] !== undefined) return false;
  (node as Record<string, unknown>)[last] = value;
  return true;
}

export type SearchParamsInput = URLSearchParams | Record<string, string | string[] | undefined>;

/**
 * Query parameters as a dictionary of their first non-blank values (blank means "any"), with the
 * problems of the raw parameters: forbidden names and text that cannot be stored.
 */
export function searchParamsObject(params: SearchParamsInput): { values: Record<string, string>; problems: InputProblem[] } {
  const entries = params instanceof URLSearchParams ? [...params.entries()] : Object.entries(params);
  const values = dictionary<string>();
  const problems: InputProblem[] = [];
  for (const [key, value] of entries) {
    const first = Array.isArray(value) ? value[0] : value;
    if (isForbiddenKey(key) || !isStorableText(key)) {
      problems.push({ field: "query", message: "validation.invalidKey" });
      continue;
    }
    if (first === undefined || first.trim() === "" || key in values) continue;
    if (!isStorableText(first)) {
      problems.push({ field: key, message: "validation.invalidCharacters" });
      continue;
    }
    values[key] = first;
  }
  return { values, problems };
}
