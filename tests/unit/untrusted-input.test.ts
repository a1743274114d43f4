// Untrusted keys never become object keys, and text PostgreSQL cannot store never reaches it
// (issue 14, defect 1 and the 500s of defect 6). Each case here failed on a1d9a68.
import Decimal from "decimal.js";
import { afterEach, describe, expect, it } from "vitest";
import { parseMoneyToWan, MAX_AMOUNT_WAN } from "@/lib/domain/money";
import { isPeriod } from "@/lib/returns/rules";
import { echoValues, formDataObject, nestFormData, parseInput } from "@/lib/validations/form";
import { echoed } from "@/lib/validations/form-state";
import { projectRegistryInput } from "@/lib/validations/project";
import { parseProjectListParams } from "@/lib/validations/project-list";
import { returnFormInput, reviewInput } from "@/lib/returns/schema";
import { sendNoticeInput } from "@/lib/notices/schema";
import { searchParamsObject, untrustedInputProblems } from "@/lib/validations/untrusted";

function form(entries: [string, string][]): FormData {
  const data = new FormData();
  for (const [k, v] of entries) data.append(k, v);
  return data;
}

const PROTOTYPE_KEYS = Object.getOwnPropertyNames(Object.prototype).sort();

afterEach(() => {
  // Whatever a test did, Object.prototype must be as it was.
  expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(PROTOTYPE_KEYS);
  expect(({} as Record<string, unknown>).x).toBeUndefined();
});

describe("nestFormData (the monthly-return form reader)", () => {
  it.each([
    "_1___proto__.x", "__proto__.x", "funds.__proto__.x", "constructor.prototype.x", "problems.0.__proto__.x", "milestones.constructor.prototype.x",
  ])("never reaches Object.prototype through %s, and the strict schema refuses the request", (name) => {
    const input = nestFormData(form([[name, "polluted"], ["completedInvestment", "1"]]));
    expect(({} as Record<string, unknown>).x).toBeUndefined();
    expect(Object.getPrototypeOf(input)).toBeNull();
    const parsed = parseInput(returnFormInput, input);
    expect(parsed.ok).toBe(false);
  });

  it("nests ordinary names as before", () => {
    const input = nestFormData(form([["funds.CENTRAL", "10"], ["problems.1.level", "CITY"], ["milestones.START", "2026-01-02"]]));
    expect(JSON.parse(JSON.stringify(input))).toEqual({ funds: { CENTRAL: "10" }, problems: [{ level: "CITY" }], milestones: { START: "2026-01-02" } });
  });

  it("refuses huge indices instead of building a sparse array of a billion holes", () => {
    const started = Date.now();
    const input = nestFormData(form([["problems.999999999.level", "CITY"]]));
    expect(Date.now() - started).toBeLessThan(1000);
    expect(input.problems).toBeUndefined();
    expect(parseInput(returnFormInput, input).ok).toBe(false);
  });

  it("does not throw when a name nests through a value that is already text", () => {
    expect(() => nestFormData(form([["funds", "x"], ["funds.CENTRAL", "1"]]))).not.toThrow();
    expect(() => nestFormData(form([["problems.0", "x"], ["problems.0.level", "CITY"]]))).not.toThrow();
  });
});

describe("formDataObject and query strings", () => {
  it("gives objects without a prototype and reports forbidden names", () => {
    const input = formDataObject(form([["__proto__", "x"], ["constructor", "y"]]));
    expect(Object.getPrototypeOf(input)).toBeNull();
    expect(untrustedInputProblems(input).map((p) => p.message)).toContain("validation.invalidKey");
  });

  it("refuses NUL and lone surrogates in values and names, naming the field", () => {
    expect(untrustedInputProblems({ subject: "a\u0000b" })).toEqual([{ field: "subject", message: "validation.invalidCharacters" }]);
    expect(untrustedInputProblems({ funds: { CENTRAL: "\ud800" } })).toEqual([{ field: "funds.CENTRAL", message: "validation.invalidCharacters" }]);
    expect(untrustedInputProblems({ ["a\u0000"]: "1" })).toEqual([{ field: "_form", message: "validation.invalidKey" }]);
  });

  it("q=%00 on the project list is a problem with the field named, not a database error", () => {
    const parsed = parseProjectListParams(new URLSearchParams("q=%00"));
    expect(parsed).toEqual({ ok: false, problems: [{ field: "q", message: "validation.invalidCharacters" }] });
    expect(parseProjectListParams(new URLSearchParams("__proto__=1")).ok).toBe(false);
    expect(parseProjectListParams({ constructor: "1" }).ok).toBe(false);
  });

  it("takes the first non-blank value of a repeated parameter", () => {
    expect({ ...searchParamsObject(new URLSearchParams("a=&a=1&a=2")).values }).toEqual({ a: "1" });
  });
});

describe("bounds on numbers and dates", () => {
  it("refuses amounts above the largest allowed, with its own message", () => {
    expect(parseMoneyToWan("1" + "0".repeat(30))).toEqual({ ok: false, error: "tooLarge" });
    expect(parseMoneyToWan("100000000000000000000亿")).toEqual({ ok: false, error: "tooLarge" });
    expect(parseMoneyToWan(MAX_AMOUNT_WAN.toString())).toEqual({ ok: true, wan: new Decimal(MAX_AMOUNT_WAN) });
    const parsed = parseInput(projectRegistryInput, { ...registry(), totalInvestment: "1" + "0".repeat(30) });
    expect(parsed.ok ? null : parsed.fieldErrors.totalInvestment).toEqual(["validation.moneyTooLarge"]);
  });

  it("refuses a version beyond a PostgreSQL integer", () => {
    const parsed = parseInput(reviewInput, { returnId: "7d4c9a1e-3b1f-4f7e-9a51-0c2f3b6d8e10", version: "2147483648", decision: "approve", reason: "" });
    expect(parsed.ok ? null : Object.keys(parsed.fieldErrors)).toEqual(["version"]);
  });

  it("says a field the form does not have is unknown (a stale client's extra field), without making it a key", () => {
    const parsed = parseInput(reviewInput, { returnId: "7d4c9a1e-3b1f-4f7e-9a51-0c2f3b6d8e10", version: "1", decision: "approve", reason: "", back: "/x" });
    expect(parsed.ok).toBe(false);
    expect(parsed.ok ? null : parsed.fieldErrors).toEqual({ _form: ["validation.unknownParameter"] });
  });

  it.each(["0001-01-01", "1800-01-01", "9999-12-31", "1949-09-30", "2101-01-01"])("refuses the implausible date %s", (date) => {
    const parsed = parseInput(projectRegistryInput, { ...registry(), plannedStart: date });
    expect(parsed.ok ? null : parsed.fieldErrors.plannedStart).toEqual(["validation.dateRange"]);
  });

  it("accepts the ends of the range and refuses impossible days", () => {
    expect(parseInput(projectRegistryInput, { ...registry(), plannedStart: "1949-10-01", plannedCompletion: "2100-12-31" }).ok).toBe(true);
    const parsed = parseInput(sendNoticeInput, { projectId: "7d4c9a1e-3b1f-4f7e-9a51-0c2f3b6d8e10", subject: "x", deadline: "2026-02-30" });
    expect(parsed.ok ? null : parsed.fieldErrors.deadline).toEqual(["validation.date"]);
  });

  it("bounds reporting periods too", () => {
    expect(isPeriod("2100-12")).toBe(true);
    expect(isPeriod("2101-01")).toBe(false);
    expect(isPeriod("9999-12")).toBe(false);
  });
});

function registry(): Record<string, string> {
  return {
    projectId: "7d4c9a1e-3b1f-4f7e-9a51-0c2f3b6d8e10", version: "1", projectCode: "", nature: "", projectType: "", lifecycleStage: "CONSTRUCTION",
    plannedStart: "", plannedCompletion: "", totalInvestment: "", plannedInvestment: "",
  };
}

describe("a refused form's echo", () => {
  it("sends back what was typed, including codes that are data (projectCode, divisionCode), and never a secret", () => {
    const values = echoValues({
      projectCode: "2021-520300-48-01-000001", divisionCode: "520382", totalInvestment: "3.5亿",
      password: "x", newPassword: "x", confirmPassword: "x", totp: "123456", code: "123456", recoveryCode: "abcd-efgh", clientSecret: "s",
      ...JSON.parse(`{"__proto__": "polluted"}`), nested: { a: 1 },
    });
    expect(values).toEqual({ projectCode: "2021-520300-48-01-000001", divisionCode: "520382", totalInvestment: "3.5亿" });
  });

  it("is what a field shows after a refusal, and the fallback otherwise", () => {
    const refused = { status: "error", values: { totalInvestment: "3.5亿" } } as const;
    expect(echoed(refused, "totalInvestment", "183361")).toBe("3.5亿");
    expect(echoed(refused, "plannedInvestment", "20000")).toBe("");
    expect(echoed({ status: "ok" }, "totalInvestment", "183361")).toBe("183361");
    expect(echoed({ status: "idle" }, "totalInvestment", null)).toBe("");
  });
});
