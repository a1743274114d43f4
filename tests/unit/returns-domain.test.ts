import Decimal from "decimal.js";
import { describe, expect, it } from "vitest";
import {
  RETURN_TRANSITIONS,
  addMonths,
  checkReturnFigures,
  dueDate,
  isEditable,
  isLocked,
  isOverdue,
  lastDuePeriod,
  monthsBetween,
  nextStatus,
  reviewDivisionOf,
  type ReturnAction,
  type ReturnContext,
  type FigureValues,
  type ReturnStatus,
} from "@/lib/returns/rules";
import { safeText, toCsv } from "@/lib/export/table-file";
import { nestFormData } from "@/lib/validations/form";
import { returnFormInput } from "@/lib/returns/schema";

const STATUSES: (ReturnStatus | null)[] = [null, "DRAFT", "SUBMITTED", "APPROVED", "RETURNED"];
const ACTIONS: ReturnAction[] = ["save", "submit", "approve", "return"];

describe("the return workflow", () => {
  // Every (status, action) pair: the expected result, written out so a change to the rules shows here.
  const expected: Record<string, ReturnStatus | null> = {
    "null:save": "DRAFT", "null:submit": "SUBMITTED", "null:approve": null, "null:return": null,
    "DRAFT:save": "DRAFT", "DRAFT:submit": "SUBMITTED", "DRAFT:approve": null, "DRAFT:return": null,
    "SUBMITTED:save": null, "SUBMITTED:submit": null, "SUBMITTED:approve": "APPROVED", "SUBMITTED:return": "RETURNED",
    "APPROVED:save": null, "APPROVED:submit": null, "APPROVED:approve": null, "APPROVED:return": null,
    "RETURNED:save": "RETURNED", "RETURNED:submit": "SUBMITTED", "RETURNED:approve": null, "RETURNED:return": null,
  };
  for (const status of STATUSES) {
    for (const action of ACTIONS) {
      const key = `${status}:${action}`;
      it(`${key} → ${expected[key]}`, () => {
        expect(nextStatus(status, action)).toBe(expected[key]);
      });
    }
  }
  it("covers every action in the transition table", () => {
    expect(Object.keys(RETURN_TRANSITIONS).sort()).toEqual([...ACTIONS].sort());
  });
  it("locks approved months and lets owners edit only drafts and returned ones", () => {
    expect(STATUSES.filter(isEditable)).toEqual([null, "DRAFT", "RETURNED"]);
    expect(STATUSES.filter(isLocked)).toEqual(["APPROVED"]);
  });
});

describe("periods and due dates", () => {
  it("is due on the 25th of the next month and overdue from the 26th (China time)", () => {
    expect(dueDate("2026-10", 25).toISOString().slice(0, 10)).toBe("2026-11-25");
    expect(dueDate("2026-12", 25).toISOString().slice(0, 10)).toBe("2027-01-25");
    // 2026-11-25 23:59 in Beijing is 15:59 UTC: still on time.
    expect(isOverdue("2026-10", new Date("2026-11-25T15:59:00Z"), 25)).toBe(false);
    expect(isOverdue("2026-10", new Date("2026-11-25T16:00:00Z"), 25)).toBe(true);
  });
  it("clamps the due day to the month's length", () => {
    expect(dueDate("2027-01", 28).toISOString().slice(0, 10)).toBe("2027-02-28");
  });
  it("finds the latest month already due", () => {
    expect(lastDuePeriod(new Date("2026-11-29T04:00:00Z"), 25)).toBe("2026-10");
    expect(lastDuePeriod(new Date("2026-11-20T04:00:00Z"), 25)).toBe("2026-09");
  });
  it("counts months across years", () => {
    expect(addMonths("2026-11", 3)).toBe("2027-02");
    expect(addMonths("2021-01", -1)).toBe("2020-12");
    expect(monthsBetween("2025-11", "2026-02")).toBe(3);
  });
  it("sends single-county projects to the county and the rest to the city", () => {
    expect(reviewDivisionOf(["520382"])).toBe("520382");
    expect(reviewDivisionOf(["520382", "520382"])).toBe("520382");
    expect(reviewDivisionOf(["520382", "520381"])).toBe("520300");
    expect(reviewDivisionOf(["520300"])).toBe("520300");
  });
});

const d = (v: string | number) => new Decimal(v);
/** A return's figures as stored (strings), as every caller passes them. */
const figures = (over: Partial<FigureValues> = {}): FigureValues => ({
  completedInvestment: "100", payments: null, progressPercent: "50", progressText: null, funds: {}, milestones: {}, overrunNote: null, fundsNote: null, progressNote: null, ...over,
});
const context = (over: Partial<ReturnContext> = {}): ReturnContext => ({
  period: "2026-10", totalInvestment: d(1000), completedBefore: d(800), plannedFunding: { CENTRAL: d(300) }, fundsBefore: { CENTRAL: d(250) },
  previousProgress: d(40), milestonesOnRecord: [], ...over,
});

describe("checks on a return's figures", () => {
  it("accepts figures within every limit", () => {
    expect(checkReturnFigures(figures(), context())).toEqual({});
  });
  it("asks for an explanation when the cumulative would pass 总投资, and not at exactly 总投资", () => {
    expect(checkReturnFigures(figures({ completedInvestment: "200" }), context())).toEqual({});
    const errors = checkReturnFigures(figures({ completedInvestment: "200.0001" }), context());
    expect(errors.completedInvestment).toEqual(["validation.return.aboveTotal"]);
    expect(errors.overrunNote).toEqual(["validation.return.noteRequired"]);
    expect(checkReturnFigures(figures({ completedInvestment: "300", overrunNote: "设计变更增加投资" }), context())).toEqual({});
  });
  it("asks for an explanation when a source's funds would pass its plan, naming the source", () => {
    expect(checkReturnFigures(figures({ funds: { CENTRAL: "50" } }), context())).toEqual({});
    const errors = checkReturnFigures(figures({ funds: { CENTRAL: "51", LOCAL: "1" } }), context());
    expect(errors["funds.CENTRAL"]).toEqual(["validation.return.fundsAbovePlan"]);
    expect(errors["funds.LOCAL"]).toEqual(["validation.return.fundsAbovePlan"]); // no plan for LOCAL
    expect(errors.fundsNote).toEqual(["validation.return.noteRequired"]);
    expect(checkReturnFigures(figures({ funds: { CENTRAL: "51" }, fundsNote: "提前下达" }), context())).toEqual({});
  });
  it("asks for an explanation when progress goes down", () => {
    expect(checkReturnFigures(figures({ progressPercent: "40" }), context())).toEqual({});
    expect(checkReturnFigures(figures({ progressPercent: "39.99" }), context()).progressNote).toEqual(["validation.return.noteRequired"]);
    expect(checkReturnFigures(figures({ progressPercent: "30", progressNote: "返工" }), context())).toEqual({});
  });
  it("refuses milestone dates after the month or out of order", () => {
    expect(checkReturnFigures(figures({ milestones: { START: "2026-10-31" } }), context())).toEqual({});
    expect(checkReturnFigures(figures({ milestones: { START: "2026-11-01" } }), context())["milestones.START"]).toEqual(["validation.return.milestoneAfterPeriod"]);
    const onRecord = context({ milestonesOnRecord: [{ kind: "CONSTRUCTION_PERMIT", actualDate: new Date("2026-09-10T00:00:00Z") }] });
    expect(checkReturnFigures(figures({ milestones: { START: "2026-09-09" } }), onRecord)["milestones.START"]).toEqual(["validation.return.milestoneOrder"]);
    expect(checkReturnFigures(figures({ milestones: { START: "2026-09-10" } }), onRecord)).toEqual({});
    expect(checkReturnFigures(figures({ milestones: { EIA_APPROVAL: "2026-10-02", START: "2026-10-01" } }), context())["milestones.EIA_APPROVAL"]).toEqual(["validation.return.milestoneOrder"]);
  });
});

describe("the return form schema", () => {
  const form = (entries: Record<string, string>) => {
    const data = new FormData();
    for (const [k, v] of Object.entries(entries)) data.append(k, v);
    return returnFormInput.safeParse(nestFormData(data, ["resolveProblems"]));
  };
  const base = { projectId: "7d3b7c2e-6a3f-4f7e-9a40-6f1f2b7a1c11", period: "2026-10", version: "0", intent: "save", completedInvestment: "120.5" };
  it("reads nested names and amounts as users write them", () => {
    const parsed = form({ ...base, "funds.CENTRAL": "1.2亿", "milestones.START": "2026-10-08", "problems.0.category": "LAND", "problems.0.level": "CITY", "problems.0.description": "用地指标未落实" });
    expect(parsed.success).toBe(true);
    if (!parsed.success) return;
    expect(parsed.data.funds).toEqual({ CENTRAL: "12000" });
    expect(parsed.data.milestones).toEqual({ START: "2026-10-08" });
    expect(parsed.data.problems).toEqual([{ category: "LAND", level: "CITY", description: "用地指标未落实" }]);
  });
  it("names the field of every bad value", () => {
    const parsed = form({ ...base, completedInvestment: "-5", progressPercent: "101", "funds.CENTRAL": "abc", "problems.1.category": "LAND", period: "2020-12" });
    expect(parsed.success).toBe(false);
    if (parsed.success) return;
    const paths = Object.fromEntries(parsed.error.issues.map((i) => [i.path.join("."), i.message]));
    expect(paths).toMatchObject({
      completedInvestment: "validation.negative",
      progressPercent: "validation.return.percent",
      "funds.CENTRAL": "validation.money",
      "problems.0.level": "validation.required",
      period: "validation.return.period",
    });
  });
  it("requires this month's completed investment", () => {
    const parsed = form({ ...base, completedInvestment: "" });
    expect(parsed.success).toBe(false);
  });
});

describe("files for Excel", () => {
  it("keeps text that Excel would run as a formula inert", () => {
    expect(safeText("=HYPERLINK(\"http://x\")")).toBe("'=HYPERLINK(\"http://x\")");
    expect(safeText("-1+2")).toBe("'-1+2");
    expect(safeText(-5)).toBe(-5);
    expect(safeText("正常文本")).toBe("正常文本");
    expect(toCsv([{ header: "理由", width: 1, value: (r: string) => r }], ["@SUM(A1)", "a,b"])).toBe("\uFEFF理由\r\n'@SUM(A1)\r\n\"a,b\"\r\n");
  });
});
