// The reporting calendar, exhaustively over days around month ends, every due day and year
// boundaries, against the definitions written out plainly here.
import { describe, expect, it } from "vitest";
import {
  FIRST_PERIOD,
  addMonths,
  chinaDay,
  currentPeriod,
  daysOverdue,
  dueDate,
  isAsOfMonth,
  isOverdue,
  latestReportingMonth,
  monthsBehind,
  monthsOfYearAsOf,
  nextDueMonth,
  owesReturnFor,
  periodOf,
  returnsOwedFrom,
  yearToDate,
} from "@/lib/domain/reporting-calendar";
import { lastDuePeriod } from "@/lib/returns/rules";

const DAY_MS = 86_400_000;
const day = (iso: string) => new Date(`${iso}T00:00:00Z`);
const iso = (d: Date) => d.toISOString().slice(0, 10);
/** The instant of hh:mm on a China calendar day. */
const chinaTime = (isoDay: string, hh: number, mm = 0) => new Date(day(isoDay).getTime() + (hh - 8) * 3_600_000 + mm * 60_000);

/** Every China calendar day from `from` to `to` inclusive ("YYYY-MM-DD"). */
function* days(from: string, to: string) {
  for (let t = day(from).getTime(); t <= day(to).getTime(); t += DAY_MS) yield iso(new Date(t));
}

describe("due dates", () => {
  it("month M is due on day dueDay of M+1, clamped to that month's length", () => {
    expect(iso(dueDate("2026-10", 25))).toBe("2026-11-25");
    expect(iso(dueDate("2026-12", 25))).toBe("2027-01-25"); // across the year boundary
    expect(iso(dueDate("2027-01", 31))).toBe("2027-02-28");
    expect(iso(dueDate("2028-01", 31))).toBe("2028-02-29"); // leap year
    expect(iso(dueDate("2028-01", 30))).toBe("2028-02-29");
    expect(iso(dueDate("2026-03", 31))).toBe("2026-04-30");
    expect(iso(dueDate("2026-03", 1))).toBe("2026-04-01");
  });

  it("is overdue from the day after the due day in China, counting days", () => {
    for (const dueDayOf of [1, 10, 25, 28, 31]) {
      for (let m = 0; m < 36; m++) {
        const period = addMonths("2025-11", m);
        const due = dueDate(period, dueDayOf);
        const dueIso = iso(due);
        const nextIso = iso(new Date(due.getTime() + DAY_MS));
        // 23:59 on the due day in China is still on time; 00:00 the next day is one day late.
        expect(isOverdue(period, chinaTime(dueIso, 23, 59), dueDayOf)).toBe(false);
        expect(daysOverdue(period, chinaTime(dueIso, 23, 59), dueDayOf)).toBe(0);
        expect(isOverdue(period, chinaTime(nextIso, 0, 0), dueDayOf)).toBe(true);
        expect(daysOverdue(period, chinaTime(nextIso, 0, 0), dueDayOf)).toBe(1);
        expect(daysOverdue(period, chinaTime(iso(new Date(due.getTime() + 40 * DAY_MS)), 12), dueDayOf)).toBe(40);
        expect(daysOverdue(period, chinaTime(iso(new Date(due.getTime() - 40 * DAY_MS)), 12), dueDayOf)).toBe(0);
      }
    }
  });
});

describe("the latest reporting month", () => {
  // Written out plainly: walk back from the current China month to the first month past its due day.
  const reference = (asOf: Date, dueDayOf: number) => {
    let period = periodOf(chinaDay(asOf));
    while (!(chinaDay(asOf).getTime() > dueDate(period, dueDayOf).getTime())) period = addMonths(period, -1);
    return period;
  };

  it("is the latest month past its due day, for every day 2020-12..2029-03, every due day, both sides of China midnight", () => {
    let checked = 0;
    const wrong: string[] = [];
    for (const d of days("2020-12-01", "2029-03-31")) {
      for (let dueDayOf = 1; dueDayOf <= 31; dueDayOf++) {
        for (const instant of [chinaTime(d, 0, 0), chinaTime(d, 23, 59)]) {
          const got = latestReportingMonth(instant, dueDayOf);
          if (got !== reference(instant, dueDayOf)) wrong.push(`${instant.toISOString()} due ${dueDayOf}: ${got}`);
          checked++;
        }
      }
    }
    expect(wrong.slice(0, 5)).toEqual([]);
    expect(checked).toBeGreaterThan(180_000);
  }, 60_000);

  it("reads the China day: 16:00 UTC on the due day is already the next day in China", () => {
    expect(latestReportingMonth(new Date("2026-11-25T15:59:00Z"), 25)).toBe("2026-09");
    expect(latestReportingMonth(new Date("2026-11-25T16:00:00Z"), 25)).toBe("2026-10");
    // New Year: on 1 January (China) December is not due yet, and November was due on 25 December.
    expect(latestReportingMonth(new Date("2026-12-31T16:00:00Z"), 25)).toBe("2026-11");
    expect(latestReportingMonth(new Date("2027-01-26T00:00:00Z"), 25)).toBe("2026-12");
  });

  it("is the example of issue 17: on 4 December the dashboard and report are as of October", () => {
    const now = new Date("2026-12-04T08:42:00Z");
    expect(latestReportingMonth(now, 25)).toBe("2026-10");
    expect(nextDueMonth(now, 25)).toBe("2026-11");
    expect(currentPeriod(now)).toBe("2026-12");
  });

  it("is what lastDuePeriod (lib/returns/rules) answers", () => {
    for (const d of days("2026-01-20", "2026-03-05")) expect(lastDuePeriod(chinaTime(d, 9), 25)).toBe(latestReportingMonth(chinaTime(d, 9), 25));
  });
});

describe("which months a project owes", () => {
  const base = { lifecycleStage: "CONSTRUCTION", actualStart: null, plannedStart: null, createdAt: day("2023-06-10") };

  it("projects under construction owe from the actual start, else the planned start, else joining; never before 2021-01", () => {
    expect(returnsOwedFrom({ ...base, actualStart: day("2024-03-20"), plannedStart: day("2024-01-01") })).toBe("2024-03");
    expect(returnsOwedFrom({ ...base, plannedStart: day("2024-01-31") })).toBe("2024-01");
    expect(returnsOwedFrom(base)).toBe("2023-06");
    expect(returnsOwedFrom({ ...base, actualStart: day("2019-05-01") })).toBe(FIRST_PERIOD);
  });

  it("no other stage owes a return", () => {
    for (const lifecycleStage of ["PREPARATION", "SUSPENDED", "COMPLETED", "CANCELLED"]) {
      expect(returnsOwedFrom({ ...base, lifecycleStage, actualStart: day("2022-01-01") })).toBeNull();
      expect(owesReturnFor({ ...base, lifecycleStage }, "2026-10")).toBe(false);
    }
    expect(owesReturnFor(base, "2023-05")).toBe(false);
    expect(owesReturnFor(base, "2023-06")).toBe(true);
  });

  it("is behind from the month after its latest reported return (not before it owes) through the latest reporting month", () => {
    const now = new Date("2026-12-04T04:00:00Z"); // latest reporting month 2026-10
    expect(monthsBehind("2024-01", "2026-10", now, 25)).toEqual([]);
    expect(monthsBehind("2024-01", "2026-11", now, 25)).toEqual([]); // reported ahead
    expect(monthsBehind("2024-01", "2026-08", now, 25)).toEqual(["2026-09", "2026-10"]);
    expect(monthsBehind("2026-09", null, now, 25)).toEqual(["2026-09", "2026-10"]);
    expect(monthsBehind("2026-09", "2021-05", now, 25)).toEqual(["2026-09", "2026-10"]); // a return before it owed counts for nothing
    expect(monthsBehind("2026-11", null, now, 25)).toEqual([]); // its first month is not due yet
    expect(monthsBehind(null, null, now, 25)).toEqual([]);
    expect(monthsBehind("2025-11", "2025-12", new Date("2026-02-26T04:00:00Z"), 25)).toEqual(["2026-01"]); // across the year
  });
});

describe("year to date as of month M", () => {
  it("covers January..M of M's year, returns of months before M+1, and 督办 issued before M ends in China", () => {
    const oct = yearToDate("2026-10");
    expect(oct).toMatchObject({ month: "2026-10", year: 2026, from: "2026-01", months: 10 });
    expect(iso(oct.start)).toBe("2026-01-01");
    expect(iso(oct.end)).toBe("2026-11-01");
    expect(oct.issuedBefore.toISOString()).toBe("2026-10-31T16:00:00.000Z"); // 1 November 00:00 in China
    const dec = yearToDate("2026-12");
    expect(dec.months).toBe(12);
    expect(iso(dec.end)).toBe("2027-01-01");
    const jan = yearToDate("2027-01");
    expect([jan.year, jan.months, iso(jan.start), iso(jan.end)]).toEqual([2027, 1, "2027-01-01", "2027-02-01"]);
  });

  it("counts the months of a year as of M: none before it, all after it", () => {
    for (let m = 0; m < 36; m++) {
      const month = addMonths("2025-01", m);
      const y = Number(month.slice(0, 4));
      expect(monthsOfYearAsOf(2026, month)).toBe(y < 2026 ? 0 : y > 2026 ? 12 : Number(month.slice(5)));
    }
  });

  it("a report or dashboard can be as of any month from 2021-01 to the current one", () => {
    const now = new Date("2026-12-04T04:00:00Z");
    expect(isAsOfMonth("2026-12", now)).toBe(true);
    expect(isAsOfMonth("2027-01", now)).toBe(false);
    expect(isAsOfMonth("2020-12", now)).toBe(false);
    expect(isAsOfMonth("2026-13", now)).toBe(false);
    expect(isAsOfMonth(FIRST_PERIOD, now)).toBe(true);
  });
});

describe("the light counts the months the calendar says a project is behind", () => {
  it("RETURNS_OVERDUE's count is monthsBehind's length, for every latest return and start around a year end", async () => {
    const { evaluateTrafficLight } = await import("@/lib/domain/traffic-lights");
    const { TRAFFIC_LIGHT_RULES } = await import("@/lib/domain/traffic-light-rules");
    const asOf = day("2026-01-26"); // December's return is due on the 25th: latest reporting month 2025-12
    const rules = { ...TRAFFIC_LIGHT_RULES, monthlyReturn: { ...TRAFFIC_LIGHT_RULES.monthlyReturn, dueDay: 25 } };
    for (let s = -14; s <= 2; s++) {
      for (let l = -16; l <= 2; l++) {
        const owedFrom = addMonths("2025-12", s);
        const latest = l === -16 ? null : addMonths("2025-12", l);
        const snapshot = {
          lifecycleStage: "CONSTRUCTION" as const, plannedStart: null, plannedCompletion: null, totalInvestment: null, planYear: 2025, annualPlan: null,
          completedThisYear: "0", completedTotal: "0", fundsInPlaceThisYear: null, paymentsThisYear: null, milestones: [], deliveryConfidence: null,
          latestReturnPeriod: latest ? day(`${latest}-01`) : null, returnsRequiredFrom: day(`${owedFrom}-01`),
        };
        const reason = evaluateTrafficLight(snapshot, asOf, rules).reasons.find((r) => r.code === "RETURNS_OVERDUE");
        const behind = monthsBehind(owedFrom, latest, asOf, 25);
        expect(reason ? (reason.params as { overdueCount: number }).overdueCount : 0, `${owedFrom} ${latest}`).toBe(behind.length);
      }
    }
  });
});

describe("in the annual plan", () => {
  it("a positive annual plan of a project that has not left the plan", async () => {
    const { isInAnnualPlan, STAGES_OUTSIDE_ANNUAL_PLAN } = await import("@/lib/domain/portfolio-metrics");
    expect(STAGES_OUTSIDE_ANNUAL_PLAN).toEqual(["CANCELLED"]);
    for (const stage of ["PREPARATION", "CONSTRUCTION", "COMPLETED", "SUSPENDED"] as const) {
      expect(isInAnnualPlan("0.01", stage)).toBe(true);
      expect(isInAnnualPlan("0", stage)).toBe(false);
      expect(isInAnnualPlan(null, stage)).toBe(false);
    }
    expect(isInAnnualPlan("1000", "CANCELLED")).toBe(false);
  });
});
