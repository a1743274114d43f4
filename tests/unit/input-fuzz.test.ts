// Property-based fuzzing of every server action's input layer (issue 14): the form reader the
// action uses, then parseInput with the action's schema, on generated form data full of what
// attackers and careless users send — NUL, lone surrogates, RTL marks, 10,000-character values,
// "__proto__"-style names, huge and negative numbers, impossible dates. Properties:
// - nothing throws (an exception escaping an action is a 500);
// - Object.prototype is unchanged afterwards;
// - whatever is accepted can be stored: text without NUL or lone surrogates, amounts within
//   MAX_AMOUNT_WAN, days within the plausible range, integers within a PostgreSQL INTEGER.
// The raw parsers (money, days, periods, query strings, CSV cells) get the same treatment.
// tests/integration/input-fuzz.test.ts drives the same inputs through the real data functions.
import { fc, test } from "@fast-check/vitest";
import Decimal from "decimal.js";
import { describe, expect, it } from "vitest";
import type { z } from "zod";
import { ACTION_ACCESS } from "@/lib/auth/route-access";
import { isPlausibleDay } from "@/lib/domain/dates";
import { MAX_AMOUNT_WAN, parseMoneyToWan } from "@/lib/domain/money";
import { isPeriod } from "@/lib/returns/rules";
import { ImportFileError, readImportFile } from "@/lib/imports/read-file";
import { formDataObject, nestFormData, parseInput } from "@/lib/validations/form";
import { parseProjectListParams } from "@/lib/validations/project-list";
import { isStorableText, searchParamsObject } from "@/lib/validations/untrusted";
import { ACTION_INPUTS, DATE_FIELDS, MONEY_FIELDS, nastyFormEntries, nastyString } from "@/tests/helpers/input-fuzz";

/** Generated cases per action (issue 14 asks for at least 2,000 in CI). */
const RUNS = Number(process.env.FUZZ_RUNS ?? 2000);
const PROTOTYPE = Object.getOwnPropertyNames(Object.prototype).sort().join(",");

function prototypeUntouched() {
  expect(Object.getOwnPropertyNames(Object.prototype).sort().join(",")).toBe(PROTOTYPE);
  expect(({} as Record<string, unknown>).x).toBeUndefined();
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
}

/** Every leaf of an accepted input is storable. */
function assertStorable(value: unknown, path: string[] = []): void {
  const field = path.join(".");
  if (typeof value === "string") {
    expect(isStorableText(value), field).toBe(true);
    if (DATE_FIELDS.test(field)) expect(isPlausibleDay(value), `${field}=${value}`).toBe(true);
    if (MONEY_FIELDS.test(field) && /^-?\d+(\.\d+)?$/.test(value)) expect(new Decimal(value).abs().lte(MAX_AMOUNT_WAN), `${field}=${value}`).toBe(true);
    return;
  }
  if (typeof value === "number") {
    expect(Number.isFinite(value) && Math.abs(value) <= 2_147_483_647, `${field}=${value}`).toBe(true);
    return;
  }
  if (value && typeof value === "object" && !(value instanceof Date) && !(typeof File !== "undefined" && value instanceof File)) {
    for (const [key, inner] of Object.entries(value)) assertStorable(inner, [...path, key]);
  }
}

function toFormData(entries: [string, string][]): FormData {
  const data = new FormData();
  for (const [key, value] of entries) data.append(key, value);
  return data;
}

describe("every server action has a fuzzing recipe", () => {
  it("lists exactly the actions of the authorization matrix", () => {
    expect(Object.keys(ACTION_INPUTS).sort()).toEqual(Object.keys(ACTION_ACCESS).sort());
  });
});

describe.each(Object.entries(ACTION_INPUTS).filter(([, recipe]) => recipe.schema))("%s", (_name, recipe) => {
  test.prop([nastyFormEntries(recipe.fields)], { numRuns: RUNS })("never throws, never pollutes, accepts only storable input", (entries) => {
    const data = toFormData(entries);
    const input = recipe.reader === "nested" ? nestFormData(data, recipe.arrays) : formDataObject(data, recipe.arrays);
    const parsed = parseInput(recipe.schema as z.ZodType, input);
    prototypeUntouched();
    if (parsed.ok) assertStorable(parsed.data);
    else expect(Object.keys(parsed.fieldErrors).length + (parsed.formError ? 1 : 0)).toBeGreaterThan(0);
  });
});

describe("raw parsers", () => {
  test.prop([nastyString()], { numRuns: RUNS })("money as users write it", (text) => {
    const parsed = parseMoneyToWan(text);
    if (parsed.ok) expect(parsed.wan.abs().lte(MAX_AMOUNT_WAN)).toBe(true);
  });

  test.prop([fc.oneof(nastyString(), fc.date({ noInvalidDate: false }).map((d) => (Number.isNaN(d.getTime()) ? "x" : d.toISOString().slice(0, 7))))], { numRuns: RUNS })(
    "periods",
    (text) => {
      if (isPeriod(text)) expect(text >= "2021-01" && text <= "2100-12").toBe(true);
    },
  );

  test.prop([fc.array(fc.tuple(nastyString(), nastyString()), { maxLength: 8 })], { numRuns: RUNS })("query strings of the project list", (pairs) => {
    const params = new URLSearchParams();
    for (const [k, v] of pairs) params.append(k, v);
    const parsed = parseProjectListParams(params);
    prototypeUntouched();
    if (parsed.ok) assertStorable(parsed.query);
    const { values } = searchParamsObject(params);
    expect(Object.getPrototypeOf(values)).toBeNull();
    for (const value of Object.values(values)) expect(isStorableText(value)).toBe(true);
  });

  test.prop([fc.array(fc.array(nastyString(), { maxLength: 6 }), { minLength: 1, maxLength: 5 })], { numRuns: Math.ceil(RUNS / 4) })(
    "CSV files: refused with a reason or read into storable cells",
    async (records) => {
      const header = "项目名称,所在区县,项目代码\n";
      const csv = header + records.map((r) => r.map((c) => `"${c.replace(/"/g, '""')}"`).join(",")).join("\n");
      try {
        const file = await readImportFile("fuzz.csv", new TextEncoder().encode(csv), { maxBytes: 10 * 1024 * 1024, maxRows: 1000, maxInflatedBytes: 50 * 1024 * 1024 });
        for (const row of file.rows) for (const cell of row.cells) if (cell.kind === "text") expect(isStorableText(cell.text)).toBe(true);
      } catch (error) {
        expect(error).toBeInstanceOf(ImportFileError);
      }
      prototypeUntouched();
    },
  );
});
