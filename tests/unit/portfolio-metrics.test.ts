import { createTranslator } from "next-intl";
import zhMessages from "@/messages/zh-CN.json";
import enMessages from "@/messages/en.json";
import { describe, expect, it } from "vitest";
import { Decimal } from "@/lib/domain/money";
import {
  METRIC_DEFINITION_KEYS,
  earnedValue,
  elapsedMonths,
  percentOf,
  portfolioMetrics,
  projectMetrics,
  scheduleShare,
  scheduleTarget,
  type ProjectSnapshot,
} from "@/lib/domain/portfolio-metrics";
import { TRAFFIC_LIGHT_RULES } from "@/lib/domain/traffic-light-rules";
import { addCalendarMonths } from "@/lib/domain/dates";
import { dueDate, lastDuePeriod } from "@/lib/returns/rules";

const d = (s: string) => new Date(`${s}T00:00:00Z`);
const AS_OF = d("2025-07-26"); // six months of 2025 elapsed
const dec = (value: Decimal | null | undefined) => value?.toDecimalPlaces(4).toString() ?? null;

/** A bare 2025 project: no dates, no plan, nothing reported; each test adds what it needs. */
function snapshot(overrides: Partial<ProjectSnapshot> = {}): ProjectSnapshot {
  return {
    lifecycleStage: "PREPARATION",
    plannedStart: null,
    plannedCompletion: null,
    totalInvestment: null,
    planYear: 2025,
    annualPlan: null,
    completedThisYear: "0",
    completedTotal: "0",
    fundsInPlaceThisYear: null,
    paymentsThisYear: null,
    milestones: [],
    latestReturnPeriod: null,
    returnsRequiredFrom: null,
    deliveryConfidence: null,
    ...overrides,
  };
}

describe("the reporting calendar", () => {
  it.each([
    ["2025-07-25", "2025-05"], // June's return is due today: still May
    ["2025-07-26", "2025-06"],
    ["2025-07-01", "2025-05"],
    ["2025-01-25", "2024-11"],
    ["2025-01-26", "2024-12"],
    ["2025-02-01", "2024-12"],
  ] as const)("as of %s the latest month past its return deadline is %s", (asOf, period) => {
    expect(lastDuePeriod(d(asOf), 25)).toBe(period);
  });

  it("takes the due day as a parameter and clamps it to the month's end", () => {
    expect(lastDuePeriod(d("2025-07-10"), 10)).toBe("2025-05");
    expect(lastDuePeriod(d("2025-07-11"), 10)).toBe("2025-06");
    expect(dueDate("2025-01", 31)).toEqual(d("2025-02-28"));
    expect(lastDuePeriod(d("2025-02-28"), 31)).toBe("2024-12");
    expect(lastDuePeriod(d("2025-03-01"), 31)).toBe("2025-01");
    expect(dueDate("2025-12", 25)).toEqual(d("2026-01-25"));
  });

  it.each([
    [2025, "2025-07-25", 5],
    [2025, "2025-07-26", 6],
    [2025, "2025-02-25", 0], // January not yet due
    [2025, "2025-02-26", 1],
    [2025, "2026-01-10", 11], // December 2025 is due on 25 January 2026
    [2025, "2026-01-26", 12],
    [2024, "2026-01-10", 12],
    [2026, "2025-12-31", 0],
  ] as const)("elapsed months of %i as of %s: %i", (year, asOf, months) => {
    expect(elapsedMonths(year, d(asOf))).toBe(months);
  });

  it("adds calendar months, clamped to the end of shorter months", () => {
    expect(addCalendarMonths(d("2025-01-31"), 1)).toEqual(d("2025-02-28"));
    expect(addCalendarMonths(d("2024-01-31"), 1)).toEqual(d("2024-02-29"));
    expect(addCalendarMonths(d("2024-11-30"), 3)).toEqual(d("2025-02-28"));
    expect(addCalendarMonths(d("2025-03-15"), 3)).toEqual(d("2025-06-15"));
    expect(addCalendarMonths(d("2025-03-31"), -1)).toEqual(d("2025-02-28"));
    expect(addCalendarMonths(d("2025-12-01"), 1)).toEqual(d("2026-01-01"));
  });
});

describe("序时进度", () => {
  it("is the annual plan × elapsed months / 12, exactly", () => {
    expect(scheduleTarget("1200", 5).toString()).toBe("500");
    expect(scheduleTarget("1000", 5).toDecimalPlaces(4).toString()).toBe("416.6667");
    expect(scheduleTarget("1000", 0).toString()).toBe("0");
    expect(scheduleTarget("1000", 12).toString()).toBe("1000");
    expect(scheduleShare(6).toString()).toBe("50");
    expect(scheduleShare(5).toDecimalPlaces(2).toString()).toBe("41.67");
  });

  it("has no share of a missing or zero plan", () => {
    expect(percentOf("10", "40")?.toString()).toBe("25");
    expect(percentOf("10", "0")).toBeNull();
    expect(percentOf("10", null)).toBeNull();
  });
});

describe("earned value (PV = 序时进度 amount, EV = completed this year, AC = payments this year)", () => {
  it("computes SPI and CPI", () => {
    const ev = earnedValue({ annualPlan: "1200", completedThisYear: "400", paymentsThisYear: "320" }, 6);
    expect(ev && [dec(ev.plannedValue), dec(ev.earnedValue), dec(ev.actualCost), dec(ev.spi), dec(ev.cpi)]).toEqual(["600", "400", "320", "0.6667", "1.25"]);
  });

  it("leaves out what the data does not allow", () => {
    expect(earnedValue({ annualPlan: null, completedThisYear: "400", paymentsThisYear: "320" }, 6)).toBeNull();
    expect(earnedValue({ annualPlan: "1200", completedThisYear: "400", paymentsThisYear: null }, 6)).toMatchObject({ actualCost: null, cpi: null });
    expect(earnedValue({ annualPlan: "1200", completedThisYear: "400", paymentsThisYear: "0" }, 6)?.cpi).toBeNull();
    expect(earnedValue({ annualPlan: "1200", completedThisYear: "0", paymentsThisYear: "0" }, 0)?.spi).toBeNull();
  });
});

describe("one project's figures", () => {
  it("shows the shares beside the light", () => {
    const m = projectMetrics(
      snapshot({
        lifecycleStage: "CONSTRUCTION",
        annualPlan: "1000",
        completedThisYear: "320",
        totalInvestment: "8000",
        completedTotal: "2000",
        fundsInPlaceThisYear: [
          { sourceCode: "LOCAL_FISCAL", amount: "150.5" },
          { sourceCode: "SPECIAL_BOND", amount: "100" },
        ],
        paymentsThisYear: "256",
      }),
      AS_OF,
    );
    expect(m.reportingPeriod).toBe("2025-06");
    expect(m.elapsedMonths).toBe(6);
    expect([dec(m.scheduleShare), dec(m.scheduleTarget), dec(m.completedShare), dec(m.fundsInPlace), dec(m.fundsShare), dec(m.totalProgressShare)]).toEqual([
      "50", "500", "32", "250.5", "25.05", "25",
    ]);
    expect([dec(m.earnedValue?.spi), dec(m.earnedValue?.cpi)]).toEqual(["0.64", "1.25"]);
  });

  it("has no shares where the figures are missing", () => {
    const m = projectMetrics(snapshot(), AS_OF);
    expect([m.scheduleTarget, m.completedShare, m.fundsInPlace, m.fundsShare, m.totalProgressShare, m.earnedValue]).toEqual([null, null, null, null, null, null]);
  });
});

describe("四率 of the portfolio", () => {
  const started = { kind: "START" as const, baselineDate: null, forecastDate: null };
  const accepted = (actual: string) => ({ kind: "ACCEPTANCE" as const, baselineDate: null, forecastDate: null, actualDate: d(actual) });
  const projects: ProjectSnapshot[] = [
    // 开工率: due to start between 1 January and asOf (inclusive), cancelled excluded.
    snapshot({ plannedStart: d("2025-07-26"), milestones: [{ ...started, actualDate: d("2025-07-20") }] }), // due today, started early
    snapshot({ plannedStart: d("2025-07-27") }), // not yet due
    snapshot({ plannedStart: d("2025-02-01"), lifecycleStage: "CONSTRUCTION", annualPlan: "1000", completedThisYear: "400", fundsInPlaceThisYear: [{ sourceCode: "LOCAL_FISCAL", amount: "300" }], paymentsThisYear: "200" }),
    snapshot({ plannedStart: d("2025-03-01"), annualPlan: "0" }), // due, not started; a zero plan is not counted
    snapshot({ plannedStart: d("2024-12-31") }), // last year's
    snapshot({ plannedStart: d("2025-03-01"), lifecycleStage: "CANCELLED", annualPlan: "500" }),
    // 按期竣工率: due to complete between 1 January and asOf; on time = 竣工验收 on or before the plan.
    snapshot({ plannedCompletion: d("2025-06-30"), lifecycleStage: "COMPLETED", milestones: [accepted("2025-06-30")], annualPlan: "200", completedThisYear: "200" }),
    snapshot({ plannedCompletion: d("2025-05-31"), lifecycleStage: "COMPLETED", milestones: [accepted("2025-06-01")] }),
    snapshot({ plannedCompletion: d("2025-04-30"), lifecycleStage: "COMPLETED" }), // no 竣工验收 date
    snapshot({ plannedCompletion: d("2025-07-26"), lifecycleStage: "CONSTRUCTION" }), // due today, not done
    snapshot({ plannedCompletion: d("2025-07-27"), lifecycleStage: "CONSTRUCTION" }), // not yet due
  ];

  it("counts the rates by their definitions", () => {
    const m = portfolioMetrics(projects, 2025, AS_OF);
    expect(m.elapsedMonths).toBe(6);
    expect([m.startRate.numerator, m.startRate.denominator, dec(m.startRate.percent)]).toEqual([2, 3, "66.6667"]);
    expect([m.onTimeCompletionRate.numerator, m.onTimeCompletionRate.denominator, dec(m.onTimeCompletionRate.percent)]).toEqual([1, 4, "25"]);
    expect(m.onTimeCompletionRate.completionDateUnknown).toBe(1);
    expect([dec(m.annualPlan), dec(m.scheduleTarget), dec(m.scheduleShare)]).toEqual(["1200", "600", "50"]);
    expect([dec(m.investmentCompletionRate.numerator), dec(m.investmentCompletionRate.percent)]).toEqual(["600", "50"]);
    expect([dec(m.fundsInPlaceRate.numerator), dec(m.fundsInPlaceRate.percent), m.fundsInPlaceRate.projectsWithoutFundsData]).toEqual(["300", "25", 1]);
    // SPI over every planned project; CPI only where payments are reported (400 / 200).
    expect([dec(m.spi), dec(m.cpi)]).toEqual(["1", "2"]);
  });

  it("has no rate where nothing was due", () => {
    const m = portfolioMetrics([], 2025, AS_OF);
    expect([m.startRate.percent, m.onTimeCompletionRate.percent, m.investmentCompletionRate.percent, m.fundsInPlaceRate.percent, m.spi, m.cpi]).toEqual([
      null, null, null, null, null, null,
    ]);
  });

  it("refuses a snapshot of another year", () => {
    expect(() => portfolioMetrics([snapshot({ planYear: 2024 })], 2025, AS_OF)).toThrow(RangeError);
  });
});

describe("definitions shown one click away", () => {
  const zhT = createTranslator({ locale: "zh-CN", messages: zhMessages });
  const enT = createTranslator({ locale: "en", messages: enMessages });
  const due = TRAFFIC_LIGHT_RULES.monthlyReturn.dueDay;

  it("gives each figure a name and a definition in Chinese and English, from messages", () => {
    for (const key of METRIC_DEFINITION_KEYS) {
      for (const t of [zhT, enT]) {
        expect(t(`metricDefinitions.${key}.name`), key).not.toMatch(/metricDefinitions|^$/);
        expect(t(`metricDefinitions.${key}.definition`, { due, dueNext: due + 1 }), key).not.toMatch(/metricDefinitions|[{}]/);
      }
    }
    for (const key of ["startRate", "investmentCompletionRate", "fundsInPlaceRate", "onTimeCompletionRate", "scheduleTarget"] as const) {
      expect(zhT(`metricDefinitions.${key}.definition`, { due, dueNext: due + 1 }).startsWith(`${zhT(`metricDefinitions.${key}.name`)} =`), key).toBe(true);
    }
  });

  it("states the return due day the deployment uses", () => {
    for (const day of [due, 10]) {
      expect(zhT("metricDefinitions.scheduleTarget.definition", { due: day, dueNext: day + 1 })).toContain(`次月 ${day} 日`);
      expect(zhT("metricDefinitions.scheduleTarget.definition", { due: day, dueNext: day + 1 })).toContain(`7 月 ${day + 1} 日起`);
      expect(enT("metricDefinitions.scheduleTarget.definition", { due: day, dueNext: day + 1 })).toContain(`day ${day} of the following month`);
    }
  });
});
