import { afterEach, describe, expect, it, vi } from "vitest";
import {
  compareDeliveryConfidence,
  compareWorstFirst,
  evaluateTrafficLight,
  worstFirstKey,
  worstLight,
  type Light,
  type LightReason,
  type ProjectSnapshot,
  type ReasonCode,
  type ReasonParams,
  type RuleId,
  type TrafficLight,
} from "@/lib/domain/traffic-lights";
import { TRAFFIC_LIGHT_RULES, type TrafficLightRules } from "@/lib/domain/traffic-light-rules";
import { createTranslator } from "next-intl";
import { lightReasonText, type Translate } from "@/i18n/format";
import zhMessages from "@/messages/zh-CN.json";
import enMessages from "@/messages/en.json";

const zhT = createTranslator({ locale: "zh-CN", messages: zhMessages }) as unknown as Translate;
const enT = createTranslator({ locale: "en", messages: enMessages }) as unknown as Translate;
/** The reason's Chinese sentence, as every page and export renders it (from messages only). */
const zhOf = (r: LightReason | undefined) => (r ? lightReasonText(zhT, r) : undefined);

const d = (s: string) => new Date(`${s}T00:00:00Z`);

// 26 July: June's return was due on the 25th, so six months have elapsed and 序时进度 is 50%.
const AS_OF = d("2025-07-26");

/** A project under construction that is on track on every rule as of AS_OF. */
function project(overrides: Partial<ProjectSnapshot> = {}): ProjectSnapshot {
  return {
    lifecycleStage: "CONSTRUCTION",
    plannedStart: d("2024-03-01"),
    plannedCompletion: d("2026-12-31"),
    totalInvestment: "10000",
    planYear: 2025,
    annualPlan: "1000",
    completedThisYear: "500",
    completedTotal: "4000",
    fundsInPlaceThisYear: [
      { sourceCode: "LOCAL_FISCAL", amount: "300" },
      { sourceCode: "SPECIAL_BOND", amount: "200" },
    ],
    paymentsThisYear: "450",
    milestones: [
      { kind: "START", baselineDate: d("2024-03-01"), forecastDate: null, actualDate: d("2024-03-10") },
      { kind: "MAIN_WORKS_DONE", baselineDate: d("2026-08-31"), forecastDate: d("2026-08-31"), actualDate: null },
    ],
    latestReturnPeriod: d("2025-06-01"),
    returnsRequiredFrom: d("2024-03-01"),
    deliveryConfidence: "GREEN",
    ...overrides,
  };
}

/** A project in 前期 that has not started; its start date is set per test. */
function notStarted(plannedStart: Date | null, overrides: Partial<ProjectSnapshot> = {}): ProjectSnapshot {
  return project({
    lifecycleStage: "PREPARATION",
    plannedStart,
    milestones: [{ kind: "FEASIBILITY", baselineDate: d("2024-06-01"), forecastDate: null, actualDate: d("2024-06-01") }],
    ...overrides,
  });
}

const ruleOf = (t: TrafficLight, id: RuleId) => t.rules.find((r) => r.rule === id)!;

describe("traffic lights: the whole project", () => {
  it("is GREEN with no reasons when every rule passes", () => {
    const t = evaluateTrafficLight(project(), AS_OF);
    expect(t.light).toBe("GREEN");
    expect(t.reasons).toEqual([]);
    expect(t.missingData).toEqual([]);
    expect(t.rules.map((r) => [r.rule, r.light])).toEqual([
      ["investmentBehindSchedule", "GREEN"],
      ["fundsBelowSchedule", "GREEN"],
      ["startMissed", "NOT_APPLICABLE"],
      ["milestoneSlippage", "GREEN"],
      ["monthlyReturn", "GREEN"],
      ["suspended", "GREEN"],
    ]);
  });

  it("takes the worst rule light and lists red reasons before yellow ones", () => {
    const t = evaluateTrafficLight(project({ completedThisYear: "350", latestReturnPeriod: d("2025-04-01") }), AS_OF);
    expect(t.light).toBe("RED");
    expect(t.reasons.map((r) => [r.code, r.light])).toEqual([
      ["RETURNS_OVERDUE", "RED"],
      ["INVESTMENT_BEHIND_SCHEDULE", "YELLOW"],
    ]);
  });

  it("is NO_DATA, not GREEN, when a rule cannot be evaluated and none fires", () => {
    const t = evaluateTrafficLight(project({ annualPlan: null }), AS_OF);
    expect(t.light).toBe("NO_DATA");
    expect(ruleOf(t, "investmentBehindSchedule").light).toBe("NO_DATA");
    expect(ruleOf(t, "fundsBelowSchedule").light).toBe("NO_DATA");
    // Both annual-plan rules miss the same figure: it is listed once.
    expect(t.reasons.map((r) => r.code)).toEqual(["NO_ANNUAL_PLAN"]);
    expect(zhOf(t.reasons[0])).toBe("未填报 2025 年度计划投资，无法计算序时进度");
  });

  it("still shows a fired rule when other data is missing, and lists what is missing", () => {
    const t = evaluateTrafficLight(project({ annualPlan: null, latestReturnPeriod: d("2025-04-01") }), AS_OF);
    expect(t.light).toBe("RED");
    expect(t.reasons.map((r) => r.code)).toEqual(["RETURNS_OVERDUE"]);
    expect(t.missingData.map((r) => r.code)).toEqual(["NO_ANNUAL_PLAN"]);
  });

  it("does not judge completed or cancelled projects, whatever their figures", () => {
    for (const [stage, code, zh] of [
      ["COMPLETED", "PROJECT_COMPLETED", "项目已建成，不再评价进度"],
      ["CANCELLED", "PROJECT_CANCELLED", "项目已取消，不再评价进度"],
    ] as const) {
      const t = evaluateTrafficLight(project({ lifecycleStage: stage, completedThisYear: "0", latestReturnPeriod: null, annualPlan: null }), AS_OF);
      expect(t.light, stage).toBe("NOT_APPLICABLE");
      expect(t.rules.every((r) => r.light === "NOT_APPLICABLE"), stage).toBe(true);
      expect(t.reasons.map((r) => [r.code, zhOf(r)]), stage).toEqual([[code, zh]]);
      expect(t.confidence, stage).toEqual({ comparable: false, reason: "NO_COMPUTED_LIGHT" });
    }
  });

  it("keeps a suspended project on the list: at least yellow, and its other rules still count", () => {
    const suspended = evaluateTrafficLight(project({ lifecycleStage: "SUSPENDED" }), AS_OF);
    expect(suspended.light).toBe("YELLOW");
    expect(suspended.reasons.map((r) => [r.code, zhOf(r)])).toEqual([["PROJECT_SUSPENDED", "项目处于暂停状态"]]);

    const suspendedAndBehind = evaluateTrafficLight(project({ lifecycleStage: "SUSPENDED", completedThisYear: "100" }), AS_OF);
    expect(suspendedAndBehind.light).toBe("RED");
    expect(suspendedAndBehind.reasons.map((r) => r.code)).toEqual(["INVESTMENT_BEHIND_SCHEDULE", "PROJECT_SUSPENDED"]);

    const strict: TrafficLightRules = { ...TRAFFIC_LIGHT_RULES, suspended: { light: "RED" } };
    expect(evaluateTrafficLight(project({ lifecycleStage: "SUSPENDED" }), AS_OF, strict).light).toBe("RED");
  });

  it("never reads the clock: the same input and asOf give the same light at any system time", () => {
    vi.useFakeTimers();
    vi.setSystemTime(d("2020-01-01"));
    const before = evaluateTrafficLight(project({ completedThisYear: "320" }), AS_OF);
    vi.setSystemTime(d("2031-12-31"));
    const after = evaluateTrafficLight(project({ completedThisYear: "320" }), AS_OF);
    expect(after).toEqual(before);
    expect(after.light).toBe("YELLOW");
  });

  afterEach(() => {
    vi.useRealTimers();
  });

  it("takes thresholds from the config it is given", () => {
    const tight: TrafficLightRules = { ...TRAFFIC_LIGHT_RULES, investmentBehindSchedule: { yellowFromPoints: 5, redAbovePoints: 8 } };
    expect(evaluateTrafficLight(project({ completedThisYear: "450" }), AS_OF, tight).light).toBe("YELLOW"); // 5 points
    expect(evaluateTrafficLight(project({ completedThisYear: "410" }), AS_OF, tight).light).toBe("RED"); // 9 points
    expect(evaluateTrafficLight(project({ completedThisYear: "410" }), AS_OF).light).toBe("GREEN");
  });
});

describe("rule: completed investment behind 序时进度 (yellow 10-30 points, red > 30)", () => {
  // 6 months elapsed: 序时进度 is 50% of the 1000 万元 annual plan.
  it.each([
    ["ahead of schedule", "600", "GREEN"],
    ["exactly on schedule", "500", "GREEN"],
    ["9.99 points behind", "400.1", "GREEN"],
    ["10.00 points behind", "400", "YELLOW"],
    ["30.00 points behind", "200", "YELLOW"],
    ["30.01 points behind", "199.9", "RED"],
    ["nothing done", "0", "RED"],
  ] as const)("%s → %s", (_, completedThisYear, light) => {
    expect(ruleOf(evaluateTrafficLight(project({ completedThisYear }), AS_OF), "investmentBehindSchedule").light).toBe(light);
  });

  // 5 months elapsed (25 July, June not yet due): 序时进度 is 41.666…%, a repeating decimal.
  it.each([
    ["9.99 points behind", "380.12", "GREEN"],
    ["10.00 points behind", "380", "YELLOW"],
    ["30.00 points behind", "140", "YELLOW"],
    ["30.01 points behind", "139.88", "RED"],
  ] as const)("with a repeating 序时 share: %s → %s", (_, completedThisYear, light) => {
    const t = evaluateTrafficLight(project({ annualPlan: "1200", completedThisYear, latestReturnPeriod: d("2025-05-01") }), d("2025-07-25"));
    expect(ruleOf(t, "investmentBehindSchedule").light).toBe(light);
  });

  it("says how far behind in a sentence and carries the numbers", () => {
    const [reason] = ruleOf(evaluateTrafficLight(project({ completedThisYear: "320" }), AS_OF), "investmentBehindSchedule").reasons;
    expect(reason).toEqual({
      code: "INVESTMENT_BEHIND_SCHEDULE",
      light: "YELLOW",
      params: { pointsBehind: 18, completedShare: 32, scheduleShare: 50, elapsedMonths: 6, completedWan: "320", annualPlanWan: "1000" },
    });
    expect(zhOf(reason)).toBe("完成投资落后序时进度 18 个百分点（本年完成年度计划的 32%，序时进度 50%）");
    expect(lightReasonText(enT, reason!)).toBe("Completed investment 18 points behind the time-proportional target (32% of the annual plan done, target 50%)");
  });

  it("is NO_DATA without an annual plan under construction, not applicable in 前期 or with nothing planned", () => {
    expect(ruleOf(evaluateTrafficLight(project({ annualPlan: null }), AS_OF), "investmentBehindSchedule").light).toBe("NO_DATA");
    const prep = ruleOf(evaluateTrafficLight(notStarted(d("2025-03-01"), { annualPlan: null }), AS_OF), "investmentBehindSchedule");
    expect([prep.light, prep.reasons[0]?.code]).toEqual(["NOT_APPLICABLE", "NOTHING_PLANNED_THIS_YEAR"]);
    const zero = ruleOf(evaluateTrafficLight(project({ annualPlan: "0", completedThisYear: "0" }), AS_OF), "investmentBehindSchedule");
    expect([zero.light, zhOf(zero.reasons[0])]).toEqual(["NOT_APPLICABLE", "2025 年无计划投资"]);
  });

  it("applies to a 前期 project with an annual plan once its planned start has passed, not before", () => {
    const planned = { annualPlan: "1000", completedThisYear: "0", fundsInPlaceThisYear: [] };
    const startsToday = evaluateTrafficLight(notStarted(d("2025-07-26"), planned), AS_OF);
    for (const id of ["investmentBehindSchedule", "fundsBelowSchedule"] as const) {
      expect(ruleOf(startsToday, id).light, id).toBe("NOT_APPLICABLE");
      expect(zhOf(ruleOf(startsToday, id).reasons[0]), id).toBe("计划开工日期 2025-07-26 未到，暂不按序时进度评价");
    }
    const startedYesterday = evaluateTrafficLight(notStarted(d("2025-07-25"), planned), AS_OF);
    expect(ruleOf(startedYesterday, "investmentBehindSchedule").light).toBe("RED");
    expect(ruleOf(startedYesterday, "fundsBelowSchedule").light).toBe("RED");
    // Without a planned start there is nothing to wait for.
    expect(ruleOf(evaluateTrafficLight(notStarted(null, planned), AS_OF), "investmentBehindSchedule").light).toBe("RED");
  });
});

describe("rule: funds in place behind 序时进度 (yellow 20-40 points, red > 40)", () => {
  const funds = (...amounts: string[]) => amounts.map((amount, i) => ({ sourceCode: i === 0 ? "LOCAL_FISCAL" : "SPECIAL_BOND", amount }));

  it.each([
    ["19.99 points behind", ["300.1"], "GREEN"],
    ["20.00 points behind", ["300"], "YELLOW"],
    ["20.00 points behind, summed over sources", ["100", "200"], "YELLOW"],
    ["40.00 points behind", ["100"], "YELLOW"],
    ["40.01 points behind", ["99.9"], "RED"],
    ["nothing arrived", [], "RED"],
  ] as const)("%s → %s", (_, amounts, light) => {
    expect(ruleOf(evaluateTrafficLight(project({ fundsInPlaceThisYear: funds(...amounts) }), AS_OF), "fundsBelowSchedule").light).toBe(light);
  });

  it("says how far behind in a sentence", () => {
    const [reason] = ruleOf(evaluateTrafficLight(project({ fundsInPlaceThisYear: funds("250") }), AS_OF), "fundsBelowSchedule").reasons;
    expect(zhOf(reason)).toBe("资金到位落后序时进度 25 个百分点（本年到位资金为年度计划的 25%，序时进度 50%）");
    expect(reason?.params).toMatchObject({ pointsBehind: 25, fundsShare: 25, fundsInPlaceWan: "250" });
  });

  it("is NO_DATA when funds were never reported (unknown is not zero)", () => {
    const rule = ruleOf(evaluateTrafficLight(project({ fundsInPlaceThisYear: null }), AS_OF), "fundsBelowSchedule");
    expect([rule.light, zhOf(rule.reasons[0])]).toEqual(["NO_DATA", "未填报 2025 年到位资金"]);
  });
});

describe("rule: planned start missed (yellow at once, red after 3 months)", () => {
  it.each([
    ["the day before the planned start", "2025-03-14", "GREEN"],
    ["the planned start day itself", "2025-03-15", "GREEN"],
    ["the day after", "2025-03-16", "YELLOW"],
    ["missed by exactly 3 months", "2025-06-15", "YELLOW"],
    ["3 months and a day", "2025-06-16", "RED"],
  ] as const)("planned 2025-03-15, as of %s (%s) → %s", (_, asOf, light) => {
    expect(ruleOf(evaluateTrafficLight(notStarted(d("2025-03-15")), d(asOf)), "startMissed").light).toBe(light);
  });

  it.each([
    ["2025-02-28", "YELLOW"],
    ["2025-03-01", "RED"],
  ] as const)("counts calendar months from a month end: planned 2024-11-30, as of %s → %s", (asOf, light) => {
    expect(ruleOf(evaluateTrafficLight(notStarted(d("2024-11-30")), d(asOf)), "startMissed").light).toBe(light);
  });

  it("says when it should have started", () => {
    const [reason] = ruleOf(evaluateTrafficLight(notStarted(d("2025-06-01")), AS_OF), "startMissed").reasons;
    expect(zhOf(reason)).toBe("计划于 2025-06-01 开工，至今未开工，已逾期 55 天");
    expect(reason?.params).toEqual({ plannedStart: "2025-06-01", daysLate: 55 });
  });

  it("does not apply once started (an actual start date, or construction stage)", () => {
    const withActual = notStarted(d("2025-03-15"), {
      milestones: [{ kind: "START", baselineDate: d("2025-03-15"), forecastDate: null, actualDate: d("2025-04-01") }],
    });
    expect(ruleOf(evaluateTrafficLight(withActual, AS_OF), "startMissed").light).toBe("NOT_APPLICABLE");
    expect(ruleOf(evaluateTrafficLight(project({ plannedStart: d("2025-03-15") }), AS_OF), "startMissed").light).toBe("NOT_APPLICABLE");
  });

  it("still applies to a suspended project that never started", () => {
    const t = evaluateTrafficLight(notStarted(d("2025-01-01"), { lifecycleStage: "SUSPENDED" }), AS_OF);
    expect(ruleOf(t, "startMissed").light).toBe("RED");
  });

  it("is NO_DATA for a 前期 project without a planned start", () => {
    const rule = ruleOf(evaluateTrafficLight(notStarted(null), AS_OF), "startMissed");
    expect([rule.light, rule.reasons[0]?.code]).toEqual(["NO_DATA", "NO_PLANNED_START"]);
  });
});

describe("rule: milestone later than its baseline (yellow > 30 days, red > 90)", () => {
  const withMilestone = (m: { baselineDate: string; forecastDate?: string; actualDate?: string }) =>
    project({
      milestones: [
        {
          kind: "MAIN_WORKS_DONE",
          baselineDate: d(m.baselineDate),
          forecastDate: m.forecastDate ? d(m.forecastDate) : null,
          actualDate: m.actualDate ? d(m.actualDate) : null,
        },
      ],
    });

  it.each([
    ["30 days late", "2025-03-31", "GREEN"],
    ["31 days late", "2025-04-01", "YELLOW"],
    ["90 days late", "2025-05-30", "YELLOW"],
    ["91 days late", "2025-05-31", "RED"],
  ] as const)("met %s (baseline 2025-03-01, actual %s) → %s", (_, actualDate, light) => {
    expect(ruleOf(evaluateTrafficLight(withMilestone({ baselineDate: "2025-03-01", actualDate }), AS_OF), "milestoneSlippage").light).toBe(light);
  });

  it.each([
    ["30 days late", "2025-10-01", "GREEN"],
    ["31 days late", "2025-10-02", "YELLOW"],
    ["90 days late", "2025-11-30", "YELLOW"],
    ["91 days late", "2025-12-01", "RED"],
  ] as const)("forecast %s (baseline 2025-09-01, forecast %s) → %s", (_, forecastDate, light) => {
    expect(ruleOf(evaluateTrafficLight(withMilestone({ baselineDate: "2025-09-01", forecastDate }), AS_OF), "milestoneSlippage").light).toBe(light);
  });

  it.each([
    ["baseline 30 days ago, no forecast", { baselineDate: "2025-06-26" }, "GREEN"],
    ["baseline 31 days ago, no forecast", { baselineDate: "2025-06-25" }, "YELLOW"],
    ["baseline 91 days ago, forecast already passed", { baselineDate: "2025-04-26", forecastDate: "2025-07-01" }, "RED"],
  ] as const)("a milestone not met is at least as late as today: %s → %s", (_, m, light) => {
    expect(ruleOf(evaluateTrafficLight(withMilestone(m), AS_OF), "milestoneSlippage").light).toBe(light);
  });

  it("says which milestone, how late and on what basis", () => {
    const cases = [
      [{ baselineDate: "2025-03-01", actualDate: "2025-05-31" }, "里程碑“主体完工”实际完成晚于基线 91 天（基线 2025-03-01，实际 2025-05-31）"],
      [{ baselineDate: "2025-09-01", forecastDate: "2025-10-02" }, "里程碑“主体完工”预计晚于基线 31 天（基线 2025-09-01，预计 2025-10-02）"],
      [{ baselineDate: "2025-06-25" }, "里程碑“主体完工”已超过基线 31 天仍未完成（基线 2025-06-25）"],
      [{ baselineDate: "2025-06-01", forecastDate: "2025-07-26" }, "里程碑“主体完工”预计晚于基线 55 天（基线 2025-06-01，预计 2025-07-26）"],
    ] as const;
    for (const [m, zh] of cases) {
      expect(ruleOf(evaluateTrafficLight(withMilestone(m), AS_OF), "milestoneSlippage").reasons.map(zhOf)).toEqual([zh]);
    }
  });

  it("lists every late milestone, worst first", () => {
    const t = evaluateTrafficLight(
      project({
        milestones: [
          { kind: "CONSTRUCTION_PERMIT", baselineDate: d("2025-01-01"), forecastDate: null, actualDate: null },
          { kind: "START", baselineDate: d("2025-06-01"), forecastDate: null, actualDate: null },
          { kind: "ACCEPTANCE", baselineDate: d("2026-06-01"), forecastDate: d("2026-07-01"), actualDate: null },
        ],
      }),
      AS_OF,
    );
    const rule = ruleOf(t, "milestoneSlippage");
    expect(rule.light).toBe("RED");
    expect(rule.reasons.map((r) => [r.params, r.light])).toEqual([
      [{ milestone: "CONSTRUCTION_PERMIT", basis: "NOT_DONE", slippageDays: 206, baselineDate: "2025-01-01", referenceDate: "2025-07-26" }, "RED"],
      [{ milestone: "START", basis: "NOT_DONE", slippageDays: 55, baselineDate: "2025-06-01", referenceDate: "2025-07-26" }, "YELLOW"],
    ]);
  });

  it("counts met milestones only through the latest one met (a later on-time one shows recovery); 'all' counts every one", () => {
    const history = project({
      milestones: [
        { kind: "FEASIBILITY", baselineDate: d("2023-01-01"), forecastDate: null, actualDate: d("2023-06-01") }, // 151 days late
        { kind: "START", baselineDate: d("2024-03-01"), forecastDate: null, actualDate: d("2024-03-10") },
        { kind: "MAIN_WORKS_DONE", baselineDate: d("2026-08-31"), forecastDate: null, actualDate: null },
      ],
    });
    expect(ruleOf(evaluateTrafficLight(history, AS_OF), "milestoneSlippage").light).toBe("GREEN");
    const all: TrafficLightRules = { ...TRAFFIC_LIGHT_RULES, milestoneSlippage: { ...TRAFFIC_LIGHT_RULES.milestoneSlippage, metMilestones: "all" } };
    expect(ruleOf(evaluateTrafficLight(history, AS_OF, all), "milestoneSlippage").light).toBe("RED");

    const lateStart = project({
      milestones: [{ kind: "START", baselineDate: d("2024-03-01"), forecastDate: null, actualDate: d("2024-07-01") }],
    });
    expect(ruleOf(evaluateTrafficLight(lateStart, AS_OF), "milestoneSlippage").light).toBe("RED");
  });

  it("is NO_DATA when no milestone has a baseline", () => {
    const none = ruleOf(evaluateTrafficLight(project({ milestones: [] }), AS_OF), "milestoneSlippage");
    expect([none.light, none.reasons[0]?.code]).toEqual(["NO_DATA", "NO_MILESTONE_BASELINE"]);
    const undated = project({ milestones: [{ kind: "START", baselineDate: null, forecastDate: null, actualDate: d("2024-03-10") }] });
    expect(ruleOf(evaluateTrafficLight(undated, AS_OF), "milestoneSlippage").light).toBe("NO_DATA");
  });
});

describe("rule: monthly return late (due on the 25th of the next month; 1 overdue yellow, 2 red)", () => {
  it.each([
    ["May reported, 25 July: June's due day itself", "2025-05-01", "2025-07-25", "GREEN"],
    ["May reported, 26 July: June overdue", "2025-05-01", "2025-07-26", "YELLOW"],
    ["April reported, 25 July: May overdue", "2025-04-01", "2025-07-25", "YELLOW"],
    ["April reported, 26 July: May and June overdue", "2025-04-01", "2025-07-26", "RED"],
    ["November reported, 25 January: December's due day", "2024-11-01", "2025-01-25", "GREEN"],
    ["November reported, 26 January", "2024-11-01", "2025-01-26", "YELLOW"],
  ] as const)("%s → %s", (_, latest, asOf, light) => {
    expect(ruleOf(evaluateTrafficLight(project({ latestReturnPeriod: d(latest) }), d(asOf)), "monthlyReturn").light).toBe(light);
  });

  it("takes the due day from the config", () => {
    const tenth: TrafficLightRules = { ...TRAFFIC_LIGHT_RULES, monthlyReturn: { ...TRAFFIC_LIGHT_RULES.monthlyReturn, dueDay: 10 } };
    const p = project({ latestReturnPeriod: d("2025-05-01") });
    expect(ruleOf(evaluateTrafficLight(p, d("2025-07-10"), tenth), "monthlyReturn").light).toBe("GREEN");
    expect(ruleOf(evaluateTrafficLight(p, d("2025-07-11"), tenth), "monthlyReturn").light).toBe("YELLOW");
  });

  it("says how many returns and since when", () => {
    const [reason] = ruleOf(evaluateTrafficLight(project({ latestReturnPeriod: d("2025-04-01") }), AS_OF), "monthlyReturn").reasons;
    expect(zhOf(reason)).toBe("月报逾期 2 期（最早缺 2025-05 月报，报送截止 2025-06-25，已逾期 31 天）");
    expect(reason?.params).toEqual({ overdueCount: 2, firstMissingPeriod: "2025-05", firstDueDate: "2025-06-25", daysOverdue: 31 });
  });

  it("counts from the first required month when nothing was ever reported, or when that is later", () => {
    const never = project({ latestReturnPeriod: null, returnsRequiredFrom: d("2025-06-01") });
    expect(ruleOf(evaluateTrafficLight(never, d("2025-07-25")), "monthlyReturn").light).toBe("GREEN");
    expect(ruleOf(evaluateTrafficLight(never, AS_OF), "monthlyReturn").light).toBe("YELLOW");
    const rejoined = project({ latestReturnPeriod: d("2024-12-01"), returnsRequiredFrom: d("2025-06-01") });
    expect(ruleOf(evaluateTrafficLight(rejoined, AS_OF), "monthlyReturn").reasons[0]?.params).toMatchObject({ overdueCount: 1, firstMissingPeriod: "2025-06" });
  });

  it("is NO_DATA when nothing was reported and no start month is known", () => {
    const rule = ruleOf(evaluateTrafficLight(project({ latestReturnPeriod: null, returnsRequiredFrom: null }), AS_OF), "monthlyReturn");
    expect([rule.light, rule.reasons[0]?.code]).toEqual(["NO_DATA", "NO_RETURN_START"]);
  });
});

describe("the human delivery-confidence rating beside the computed light", () => {
  // computed GREEN = step 1, YELLOW = 3, RED = 5 on the DCA scale GREEN 1 … RED 5.
  it.each([
    ["GREEN", "GREEN", 0, false],
    ["GREEN", "AMBER_GREEN", 1, false],
    ["GREEN", "AMBER", 2, true],
    ["GREEN", "AMBER_RED", 3, true],
    ["GREEN", "RED", 4, true],
    ["YELLOW", "GREEN", -2, true],
    ["YELLOW", "AMBER_GREEN", -1, false],
    ["YELLOW", "AMBER", 0, false],
    ["YELLOW", "AMBER_RED", 1, false],
    ["YELLOW", "RED", 2, true],
    ["RED", "GREEN", -4, true],
    ["RED", "AMBER_GREEN", -3, true],
    ["RED", "AMBER", -2, true],
    ["RED", "AMBER_RED", -1, false],
    ["RED", "RED", 0, false],
  ] as const)("computed %s vs human %s: %i steps, flagged %s", (light, rating, difference, flagged) => {
    const c = compareDeliveryConfidence(light, rating);
    expect(c.comparable && [c.difference, c.flagged]).toEqual([difference, flagged]);
  });

  it("says who is more optimistic", () => {
    const optimistic = compareDeliveryConfidence("RED", "AMBER_GREEN");
    expect(optimistic).toMatchObject({ direction: "HUMAN_MORE_OPTIMISTIC", difference: -3 });
    expect(compareDeliveryConfidence("GREEN", "AMBER")).toMatchObject({ direction: "HUMAN_MORE_PESSIMISTIC", difference: 2 });
    expect(compareDeliveryConfidence("YELLOW", "AMBER")).toMatchObject({ direction: "AGREE", difference: 0 });
  });

  it("is not comparable without a rating or without a computed colour", () => {
    expect(compareDeliveryConfidence("RED", null)).toEqual({ comparable: false, reason: "NOT_RATED" });
    expect(compareDeliveryConfidence("NO_DATA", "GREEN")).toEqual({ comparable: false, reason: "NO_COMPUTED_LIGHT" });
    expect(compareDeliveryConfidence("NOT_APPLICABLE", "GREEN")).toEqual({ comparable: false, reason: "NO_COMPUTED_LIGHT" });
  });

  it("comes with every project light", () => {
    const t = evaluateTrafficLight(project({ completedThisYear: "100", deliveryConfidence: "AMBER_GREEN" }), AS_OF);
    expect(t.light).toBe("RED");
    expect(t.confidence).toMatchObject({ comparable: true, flagged: true, humanStep: 2, computedStep: 5 });
  });
});

describe("worst first, for the delay-review list", () => {
  it("orders red before yellow before missing data before green before not applicable, then by severity", () => {
    const lights = {
      redSevere: evaluateTrafficLight(project({ completedThisYear: "0" }), AS_OF), // 50 points: 50/30
      redJustOver: evaluateTrafficLight(project({ completedThisYear: "199.9" }), AS_OF), // 30.01 points
      redMilestone: evaluateTrafficLight(project({ milestones: [{ kind: "START", baselineDate: d("2025-01-01"), forecastDate: null, actualDate: null }] }), AS_OF), // 206/90 days
      yellowNearRed: evaluateTrafficLight(project({ completedThisYear: "200" }), AS_OF),
      yellowJustIn: evaluateTrafficLight(project({ completedThisYear: "400" }), AS_OF),
      noData: evaluateTrafficLight(project({ annualPlan: null }), AS_OF),
      green: evaluateTrafficLight(project(), AS_OF),
      completed: evaluateTrafficLight(project({ lifecycleStage: "COMPLETED" }), AS_OF),
    };
    const shuffled = [lights.green, lights.yellowJustIn, lights.completed, lights.redJustOver, lights.noData, lights.redSevere, lights.yellowNearRed, lights.redMilestone];
    const sorted = [...shuffled].sort(compareWorstFirst);
    expect(sorted).toEqual([lights.redMilestone, lights.redSevere, lights.redJustOver, lights.yellowNearRed, lights.yellowJustIn, lights.noData, lights.green, lights.completed]);
  });

  it("breaks a severity tie by the number of red, then yellow rules", () => {
    const rules = (...ls: Light[]) => ls.map((light) => ({ rule: "suspended" as const, light, severity: 1.5, reasons: [] }));
    const twoRed = { light: "RED" as const, severity: 1.5, rules: rules("RED", "RED") };
    const oneRedTwoYellow = { light: "RED" as const, severity: 1.5, rules: rules("RED", "YELLOW", "YELLOW") };
    const oneRedOneYellow = { light: "RED" as const, severity: 1.5, rules: rules("RED", "YELLOW") };
    expect([oneRedOneYellow, twoRed, oneRedTwoYellow].sort(compareWorstFirst)).toEqual([twoRed, oneRedTwoYellow, oneRedOneYellow]);
    expect(worstFirstKey(twoRed)).toEqual([0, -1.5, -2, -0]);
  });

  it("takes the worst of any set of lights", () => {
    expect(worstLight(["GREEN", "NOT_APPLICABLE", "YELLOW"])).toBe("YELLOW");
    expect(worstLight(["GREEN", "NO_DATA"])).toBe("NO_DATA");
    expect(worstLight(["NOT_APPLICABLE"])).toBe("NOT_APPLICABLE");
    expect(worstLight([])).toBe("NOT_APPLICABLE");
  });
});

describe("reason sentences come from messages only", () => {
  // One sample per reason code: the compiler makes this list complete when a code is added.
  const SAMPLES: { [C in ReasonCode]: ReasonParams[C] } = {
    INVESTMENT_BEHIND_SCHEDULE: { pointsBehind: 20, completedShare: 30, scheduleShare: 50, elapsedMonths: 6, completedWan: "300", annualPlanWan: "1000" },
    FUNDS_BELOW_SCHEDULE: { pointsBehind: 25, fundsShare: 25, scheduleShare: 50, elapsedMonths: 6, fundsInPlaceWan: "250", annualPlanWan: "1000" },
    START_MISSED: { plannedStart: "2025-06-01", daysLate: 55 },
    MILESTONE_LATE: { milestone: "CONSTRUCTION_PERMIT", basis: "FORECAST", slippageDays: 40, baselineDate: "2025-05-01", referenceDate: "2025-06-10" },
    RETURNS_OVERDUE: { overdueCount: 2, firstMissingPeriod: "2025-05", firstDueDate: "2025-06-25", daysOverdue: 31 },
    PROJECT_SUSPENDED: {},
    NO_ANNUAL_PLAN: { year: 2025 },
    NO_FUNDS_DATA: { year: 2025 },
    NO_PLANNED_START: {},
    NO_MILESTONE_BASELINE: {},
    NO_RETURN_START: {},
    NOTHING_PLANNED_THIS_YEAR: { year: 2025 },
    START_NOT_YET_DUE: { plannedStart: "2025-07-26" },
    ALREADY_STARTED: {},
    PROJECT_COMPLETED: {},
    PROJECT_CANCELLED: {},
  };
  const CJK = /[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]/;

  it.each(Object.keys(SAMPLES) as ReasonCode[])("%s reads in Chinese and in English, every figure filled in", (code) => {
    const reason = { code, light: "RED", params: SAMPLES[code] } as LightReason;
    const zh = lightReasonText(zhT, reason);
    const en = lightReasonText(enT, reason);
    for (const sentence of [zh, en]) expect(sentence).not.toMatch(/[{}]|lightReasons\./);
    expect(zh).toMatch(CJK);
    expect(en).not.toMatch(CJK);
    // Dates and months are shown as given.
    for (const value of Object.values(SAMPLES[code])) if (/^\d{4}-\d{2}/.test(String(value))) expect([zh, en].every((x) => x.includes(String(value)))).toBe(true);
  });

  it("MILESTONE_LATE says actual, forecast or not done, with the milestone's name", () => {
    const base = SAMPLES.MILESTONE_LATE;
    const zhOfBasis = (basis: ReasonParams["MILESTONE_LATE"]["basis"]) => zhOf({ code: "MILESTONE_LATE", light: "RED", params: { ...base, basis } });
    expect(zhOfBasis("ACTUAL")).toContain("实际完成晚于基线 40 天");
    expect(zhOfBasis("FORECAST")).toContain("预计晚于基线 40 天");
    expect(zhOfBasis("NOT_DONE")).toBe(`里程碑“${zhMessages.enums.MilestoneKind[base.milestone]}”已超过基线 40 天仍未完成（基线 2025-05-01）`);
  });

  it("the engine writes no sentence of its own", async () => {
    const { readFileSync } = await import("node:fs");
    const source = readFileSync("lib/domain/traffic-lights.ts", "utf8").replace(/\/\/.*$|\/\*[\s\S]*?\*\//gm, "");
    expect(source).not.toMatch(CJK);
  });
});
