import { describe, expect, it, vi } from "vitest";
import { chooseTarget, isReplicaFailure, isStatementCancelled, lagFromFacts, parseLsn, ReplicaLagMonitor, routeRead, type ReplicaProbe } from "@/lib/db-routing";

const NOW = new Date("2026-12-05T04:00:00Z");
const secondsAgo = (s: number) => new Date(NOW.getTime() - s * 1000);

describe("parseLsn", () => {
  it("orders WAL locations across the 32-bit boundary", () => {
    expect(parseLsn("0/3000148")).toBe(0x3000148n);
    expect(parseLsn("1/0") > parseLsn("0/FFFFFFFF")).toBe(true);
    expect(() => parseLsn("nonsense")).toThrow(/WAL location/);
  });
});

describe("lagFromFacts", () => {
  it("a standby that replayed up to the primary's position is current, however old its last commit", () => {
    const probe = lagFromFacts({ inRecovery: true, replayLsn: "0/5000000", primaryLsn: "0/5000000", lastReplayAt: secondsAgo(3600), now: NOW });
    expect(probe).toEqual({ up: true, lagSeconds: 0, asOf: NOW });
  });

  it("a standby behind the primary lags by the age of its last replayed commit", () => {
    const probe = lagFromFacts({ inRecovery: true, replayLsn: "0/4000000", primaryLsn: "0/5000000", lastReplayAt: secondsAgo(12), now: NOW });
    expect(probe.up).toBe(true);
    expect(probe.lagSeconds).toBe(12);
    expect(probe.asOf).toEqual(secondsAgo(12));
  });

  it("a server that is not in recovery is not a replica", () => {
    expect(lagFromFacts({ inRecovery: false, replayLsn: null, primaryLsn: "0/1", lastReplayAt: null, now: NOW }).up).toBe(false);
  });

  it("a standby that has replayed nothing has unknown (infinite) lag", () => {
    expect(lagFromFacts({ inRecovery: true, replayLsn: "0/1", primaryLsn: "0/2", lastReplayAt: null, now: NOW }).lagSeconds).toBe(Infinity);
  });
});

describe("chooseTarget", () => {
  const up = (lagSeconds: number): ReplicaProbe => ({ up: true, lagSeconds, asOf: secondsAgo(lagSeconds) });

  it("uses the replica up to the bound and the primary beyond it", () => {
    expect(chooseTarget(up(0), 30)).toEqual({ target: "replica", asOf: NOW });
    expect(chooseTarget(up(30), 30).target).toBe("replica");
    const beyond = chooseTarget(up(30.5), 30);
    expect(beyond.target).toBe("primary");
    expect(beyond.target === "primary" && beyond.reason).toMatch(/30\.5 s behind/);
  });

  it("uses the primary when the replica is down or its lag unknown", () => {
    expect(chooseTarget({ up: false, lagSeconds: Infinity, asOf: null, reason: "replica unreachable" }, 30)).toEqual({ target: "primary", reason: "replica unreachable" });
    expect(chooseTarget(up(Infinity), 30).target).toBe("primary");
    expect(chooseTarget({ up: true, lagSeconds: NaN, asOf: null }, 30).target).toBe("primary");
  });
});

describe("ReplicaLagMonitor", () => {
  it("probes at most once per period, shares a probe in flight, and probes again after it", async () => {
    let clock = 0;
    const probe = vi.fn(async (): Promise<ReplicaProbe> => ({ up: true, lagSeconds: 1, asOf: NOW }));
    const monitor = new ReplicaLagMonitor(probe, { ttlMs: 5_000, clock: () => clock });
    await Promise.all([monitor.probe(), monitor.probe(), monitor.probe()]);
    expect(probe).toHaveBeenCalledTimes(1);
    clock = 4_999;
    await monitor.probe();
    expect(probe).toHaveBeenCalledTimes(1);
    clock = 5_000;
    await monitor.probe();
    expect(probe).toHaveBeenCalledTimes(2);
  });

  it("reports a probe that throws as a replica that is down", async () => {
    const monitor = new ReplicaLagMonitor(() => Promise.reject(new Error("connect ECONNREFUSED 127.0.0.1:5433")));
    const result = await monitor.probe();
    expect(result.up).toBe(false);
    expect(result.reason).toMatch(/ECONNREFUSED/);
  });
});

describe("routeRead", () => {
  const primary = { name: "primary" };
  const replica = { name: "replica" };
  const monitorWith = (probe: ReplicaProbe) => new ReplicaLagMonitor(async () => probe);

  it("without a replica every read goes to the primary", async () => {
    const served = await routeRead({ primary, replica: null }, null, 30, async (db) => db.name);
    expect(served).toEqual({ value: "primary", servedBy: "primary", asOf: null });
  });

  it("a current replica serves the read and says as of when", async () => {
    const served = await routeRead({ primary, replica }, monitorWith({ up: true, lagSeconds: 2, asOf: secondsAgo(2) }), 30, async (db) => db.name);
    expect(served).toEqual({ value: "replica", servedBy: "replica", asOf: secondsAgo(2) });
  });

  it("a replica beyond the bound is skipped", async () => {
    const served = await routeRead({ primary, replica }, monitorWith({ up: true, lagSeconds: 31, asOf: secondsAgo(31) }), 30, async (db) => db.name);
    expect(served.servedBy).toBe("primary");
    expect(served.asOf).toBeNull();
  });

  it("a read that fails on the replica is served by the primary, and the replica is skipped until the next probe", async () => {
    let clock = 0;
    const probe = vi.fn(async (): Promise<ReplicaProbe> => ({ up: true, lagSeconds: 0, asOf: NOW }));
    const monitor = new ReplicaLagMonitor(probe, { clock: () => clock });
    const fn = vi.fn(async (db: { name: string }) => {
      if (db === replica) throw new Error("terminating connection due to administrator command");
      return db.name;
    });
    expect((await routeRead({ primary, replica }, monitor, 30, fn)).servedBy).toBe("primary");
    expect(fn).toHaveBeenCalledTimes(2);
    expect((await routeRead({ primary, replica }, monitor, 30, fn)).servedBy).toBe("primary");
    expect(fn).toHaveBeenCalledTimes(3);
    clock = 5_000;
    fn.mockImplementation(async (db) => db.name);
    expect((await routeRead({ primary, replica }, monitor, 30, fn)).servedBy).toBe("replica");
  });

  it("an error the caller does not count as the replica's fault is thrown, not retried", async () => {
    const fn = vi.fn(async () => {
      throw new Error("bad query");
    });
    await expect(routeRead({ primary, replica }, monitorWith({ up: true, lagSeconds: 0, asOf: NOW }), 30, fn, () => false)).rejects.toThrow("bad query");
    expect(fn).toHaveBeenCalledTimes(1);
  });
});

describe("isReplicaFailure", () => {
  it("counts the replica going away or cancelling a query on replay, also when wrapped as a cause", () => {
    expect(isReplicaFailure(new Error("connect ECONNREFUSED 127.0.0.1:5433"))).toBe(true);
    expect(isReplicaFailure(Object.assign(new Error("terminating connection due to administrator command"), { code: "57P01" }))).toBe(true);
    expect(isReplicaFailure(new Error("driver error", { cause: { kind: "postgres", code: "40001", message: "canceling statement due to conflict with recovery" } }))).toBe(true);
    expect(isReplicaFailure(new Error("the replica did not answer within 2000 ms"))).toBe(true);
  });

  it("does not count a refusal or a bad query, so they are not run twice", () => {
    expect(isReplicaFailure(new Error("permission denied: portfolio:read:all"))).toBe(false);
    expect(isReplicaFailure(Object.assign(new Error('column "x" does not exist'), { code: "42703" }))).toBe(false);
    expect(isReplicaFailure(null)).toBe(false);
    expect(isReplicaFailure(42)).toBe(false);
  });
});

describe("isStatementCancelled", () => {
  it("finds SQLSTATE 57014 in Prisma's driver-adapter error, in a pg error and in a cause; nothing else", () => {
    const prismaShape = { code: "P2010", meta: { driverAdapterError: { name: "DriverAdapterError", cause: { originalCode: "57014", kind: "postgres", code: "57014" } } } };
    expect(isStatementCancelled(prismaShape)).toBe(true);
    expect(isStatementCancelled({ code: "57014", message: "canceling statement due to statement timeout" })).toBe(true);
    expect(isStatementCancelled(new Error("wrapped", { cause: { code: "57014" } }))).toBe(true);
    expect(isStatementCancelled({ code: "P2010", meta: { driverAdapterError: { cause: { originalCode: "23505" } } } })).toBe(false);
    expect(isStatementCancelled({ code: "57P01" })).toBe(false);
    expect(isStatementCancelled(new Error("canceling statement due to statement timeout"))).toBe(false);
    expect(isStatementCancelled(null)).toBe(false);
    expect(isStatementCancelled("57014")).toBe(false);
  });
});
