// The schedule math of lib/jobs/schedule.ts: Beijing slots, when each job is due, and the
// reminder steps around a return's due day.
import { describe, expect, it } from "vitest";
import { daySlot, dueRuns, eventsSlot, hourSlot, nextDueAt, reminderRecipients, reminderStep } from "@/lib/jobs/schedule";

/** An instant given in Beijing time. */
const bj = (text: string) => new Date(`${text}+08:00`);
const day = (text: string) => new Date(`${text}T00:00:00Z`);

describe("slots", () => {
  it("are Beijing hours and days, also across the UTC date line", () => {
    expect(hourSlot(bj("2026-12-05T09:59:59"))).toBe("2026-12-05T09");
    expect(hourSlot(new Date("2026-12-04T16:00:00Z"))).toBe("2026-12-05T00");
    expect(daySlot(new Date("2026-12-04T15:59:59Z"))).toBe("2026-12-04");
    expect(daySlot(new Date("2026-12-04T16:00:00Z"))).toBe("2026-12-05");
    expect(eventsSlot(null)).toBe("after-0");
    expect(eventsSlot(1234n)).toBe("after-1234");
  });
});

describe("dueRuns", () => {
  const jobsAt = (text: string, purge = false) => dueRuns(bj(text), { purge }).map((r) => `${r.job}@${r.slot}`);

  it("has the hourly checkpoint every minute of the hour, one slot per hour", () => {
    expect(jobsAt("2026-12-05T00:00")).toEqual(["audit.checkpoint@2026-12-05T00"]);
    expect(jobsAt("2026-12-05T00:04")).toEqual(["audit.checkpoint@2026-12-05T00"]);
  });

  it("makes each daily job due from its Beijing time to the end of the day", () => {
    expect(jobsAt("2026-12-05T00:05")).toEqual(["audit.checkpoint@2026-12-05T00", "lights.recompute@2026-12-05"]);
    expect(jobsAt("2026-12-05T02:29")).not.toContain("audit.verify@2026-12-05");
    expect(jobsAt("2026-12-05T02:30")).toContain("audit.verify@2026-12-05");
    expect(jobsAt("2026-12-05T08:59")).not.toContain("returns.reminders@2026-12-05");
    expect(jobsAt("2026-12-05T09:00")).toContain("returns.reminders@2026-12-05");
    expect(jobsAt("2026-12-05T23:59")).toEqual([
      "audit.checkpoint@2026-12-05T23", "audit.verify@2026-12-05", "lights.recompute@2026-12-05", "returns.reminders@2026-12-05",
    ]);
  });

  it("has the purge only when it is switched on", () => {
    expect(jobsAt("2026-12-05T04:00")).not.toContain("audit.purge@2026-12-05");
    expect(jobsAt("2026-12-05T04:00", true)).toContain("audit.purge@2026-12-05");
    expect(jobsAt("2026-12-05T03:29", true)).not.toContain("audit.purge@2026-12-05");
  });

  it("gives each job one slot over a simulated day of minutes", () => {
    const slots = new Map<string, Set<string>>();
    for (let minute = 0; minute < 24 * 60; minute++) {
      for (const run of dueRuns(new Date(bj("2026-12-05T00:00").getTime() + minute * 60_000), { purge: true })) {
        slots.set(run.job, (slots.get(run.job) ?? new Set()).add(run.slot));
      }
    }
    expect(slots.get("audit.checkpoint")?.size).toBe(24);
    for (const job of ["audit.verify", "lights.recompute", "returns.reminders", "audit.purge"]) expect([...slots.get(job)!]).toEqual(["2026-12-05"]);
  });

  it("tells when each job is next due", () => {
    expect(nextDueAt("audit.checkpoint", bj("2026-12-05T09:10"))).toEqual(bj("2026-12-05T10:00"));
    expect(nextDueAt("audit.verify", bj("2026-12-05T01:00"))).toEqual(bj("2026-12-05T02:30"));
    expect(nextDueAt("audit.verify", bj("2026-12-05T02:30"))).toEqual(bj("2026-12-06T02:30"));
    expect(nextDueAt("audit.checkpoint.events", bj("2026-12-05T02:30"))).toBeNull();
  });
});

describe("reminderStep", () => {
  const due = day("2026-12-25");
  it("follows the due day: 5 days before, the due day, then every 7 days up to the cap", () => {
    expect(reminderStep(due, day("2026-12-19"), 8)).toBeNull();
    expect(reminderStep(due, day("2026-12-20"), 8)).toBe("before");
    expect(reminderStep(due, day("2026-12-24"), 8)).toBe("before");
    expect(reminderStep(due, day("2026-12-25"), 8)).toBe("due");
    expect(reminderStep(due, day("2026-12-31"), 8)).toBe("due");
    expect(reminderStep(due, day("2027-01-01"), 8)).toBe("after-1");
    expect(reminderStep(due, day("2027-01-07"), 8)).toBe("after-1");
    expect(reminderStep(due, day("2027-01-08"), 8)).toBe("after-2");
    expect(reminderStep(due, day("2027-02-19"), 8)).toBe("after-8");
    expect(reminderStep(due, day("2027-02-26"), 8)).toBeNull();
    expect(reminderStep(due, day("2027-02-26"), 9)).toBe("after-9");
  });

  it("sends the owner unit the first step, the reviewer the due day, both after", () => {
    expect(reminderRecipients("before")).toEqual({ owner: true, reviewer: false });
    expect(reminderRecipients("due")).toEqual({ owner: false, reviewer: true });
    expect(reminderRecipients("after-3")).toEqual({ owner: true, reviewer: true });
  });
});
