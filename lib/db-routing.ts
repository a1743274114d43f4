// Which database serves a heavy read: the streaming replica (DATABASE_REPLICA_URL) when it is up
// and close enough behind the primary, otherwise the primary. Pure: the probe (one query on each
// side) and the clock are passed in, so the rule is unit-tested without a database
// (tests/unit/db-routing.test.ts). lib/db-replica.ts wires it to the two Prisma clients. Also which
// database errors are whose: the replica's (retry on the primary) or a cancelled statement (503, 0044).
// docs/decisions/0023-scale-out.md.

/** What one probe of the replica found. */
export interface ReplicaProbe {
  /** false when the replica did not answer, or answered but is not in recovery (promoted / misconfigured). */
  up: boolean;
  /** Seconds behind the primary; 0 when it has replayed everything the primary wrote. */
  lagSeconds: number;
  /** The instant the replica's data is current as of (shown as "数据截至 …"). */
  asOf: Date | null;
  /** Why the replica is not used, for logs and /admin/system. */
  reason?: string;
}

/** Raw facts from the two servers, as the probe queries return them. */
export interface ReplicaFacts {
  /** pg_is_in_recovery() on the replica. */
  inRecovery: boolean;
  /** pg_last_wal_replay_lsn() on the replica, e.g. "0/3000148". */
  replayLsn: string | null;
  /** pg_last_xact_replay_timestamp() on the replica: commit time of the last replayed transaction. */
  lastReplayAt: Date | null;
  /** pg_current_wal_lsn() on the primary; null when the primary could not be asked. */
  primaryLsn: string | null;
  /** now() (the primary's clock, or the replica's when the primary is not asked). */
  now: Date;
}

/** "16/B374D848" → a bigint byte position, comparable across servers of one cluster. */
export function parseLsn(lsn: string): bigint {
  const match = /^([0-9A-Fa-f]{1,8})\/([0-9A-Fa-f]{1,8})$/.exec(lsn.trim());
  if (!match) throw new Error(`not a WAL location: ${lsn}`);
  return (BigInt(`0x${match[1]}`) << 32n) + BigInt(`0x${match[2]}`);
}

/**
 * Lag from the facts. A replica that has replayed up to the primary's current WAL position is
 * current (lag 0, as of now) even when the last transaction is old: an idle primary writes nothing,
 * so pg_last_xact_replay_timestamp() alone would report an ever-growing lag. Otherwise the lag is
 * the age of the last replayed commit.
 */
export function lagFromFacts(facts: ReplicaFacts): ReplicaProbe {
  if (!facts.inRecovery) return { up: false, lagSeconds: Infinity, asOf: null, reason: "not in recovery (not a standby)" };
  if (facts.replayLsn && facts.primaryLsn && parseLsn(facts.replayLsn) >= parseLsn(facts.primaryLsn)) {
    return { up: true, lagSeconds: 0, asOf: facts.now };
  }
  if (!facts.lastReplayAt) return { up: true, lagSeconds: Infinity, asOf: null, reason: "nothing replayed yet" };
  const lagSeconds = Math.max(0, (facts.now.getTime() - facts.lastReplayAt.getTime()) / 1000);
  return { up: true, lagSeconds, asOf: facts.lastReplayAt };
}

/** The response header that says how current a replica-served body is (absent: read from the primary). */
export function dataAsOfHeaders(asOf: Date | null | undefined): Record<string, string> {
  return asOf ? { "X-Data-As-Of": asOf.toISOString() } : {};
}

export type ReadTarget = { target: "replica"; asOf: Date | null } | { target: "primary"; reason: string };

/** The rule: the replica when it is up and at most `maxLagSeconds` behind, else the primary. */
export function chooseTarget(probe: ReplicaProbe, maxLagSeconds: number): ReadTarget {
  if (!probe.up) return { target: "primary", reason: probe.reason ?? "replica down" };
  if (!(probe.lagSeconds <= maxLagSeconds)) {
    return { target: "primary", reason: probe.reason ?? `replica ${Number.isFinite(probe.lagSeconds) ? probe.lagSeconds.toFixed(1) : "∞"} s behind (bound ${maxLagSeconds} s)` };
  }
  return { target: "replica", asOf: probe.asOf };
}

/**
 * Caches the probe for `ttlMs` (default 5 s) so a page does not pay two extra round trips per read,
 * and so a replica that is down is asked again only every `ttlMs`. Concurrent callers share one probe.
 */
export class ReplicaLagMonitor {
  private cached: { probe: ReplicaProbe; at: number } | undefined;
  private inFlight: Promise<ReplicaProbe> | undefined;

  constructor(
    private readonly probeOnce: () => Promise<ReplicaProbe>,
    private readonly options: { ttlMs?: number; clock?: () => number } = {},
  ) {}

  private get ttlMs(): number {
    return this.options.ttlMs ?? 5_000;
  }

  private now(): number {
    return (this.options.clock ?? Date.now)();
  }

  async probe(): Promise<ReplicaProbe> {
    const cached = this.cached;
    if (cached && this.now() - cached.at < this.ttlMs) return cached.probe;
    this.inFlight ??= this.probeOnce()
      .catch((error: unknown): ReplicaProbe => ({ up: false, lagSeconds: Infinity, asOf: null, reason: `replica unreachable: ${error instanceof Error ? error.message : String(error)}` }))
      .then((probe) => {
        this.cached = { probe, at: this.now() };
        return probe;
      })
      .finally(() => {
        this.inFlight = undefined;
      });
    return this.inFlight;
  }

  /** Forget the cached probe (after a read on the replica failed). */
  invalidate(down?: string): void {
    this.cached = down ? { probe: { up: false, lagSeconds: Infinity, asOf: null, reason: down }, at: this.now() } : undefined;
  }
}

/**
 * Whether a failed read is the replica's fault (gone, restarting, cancelled by replay), so that it
 * is retried once on the primary. Anything else — a permission refusal, a bad query — is thrown as
 * it is: retrying it would only run it (and audit a refusal) twice.
 */
const REPLICA_FAILURE =
  /ECONNREFUSED|ECONNRESET|ETIMEDOUT|EHOSTUNREACH|Connection terminated|terminating connection|server closed the connection|database system is (starting up|shutting down|in recovery mode)|conflict with recovery|timeout exceeded when trying to connect|did not answer within|DatabaseNotReachable|Can't reach database|\b(57P0[1-3]|0800[0-6]|08P01|40001|P1001|P1017)\b/i;

export function isReplicaFailure(error: unknown, depth = 0): boolean {
  if (error === null || error === undefined || depth > 5) return false;
  if (typeof error === "string") return REPLICA_FAILURE.test(error);
  if (typeof error !== "object") return false;
  const e = error as { message?: unknown; code?: unknown; kind?: unknown; cause?: unknown; originalCode?: unknown };
  const text = [e.message, e.code, e.kind, e.originalCode].filter((v) => typeof v === "string").join(" ");
  return REPLICA_FAILURE.test(text) || isReplicaFailure(e.cause, depth + 1);
}

/**
 * Whether `error` is a statement the server cancelled (SQLSTATE 57014): its statement_timeout ran
 * out, or an operator cancelled it. Its transaction was rolled back; the request answers 503.
 */
export function isStatementCancelled(error: unknown, depth = 0): boolean {
  if (error === null || typeof error !== "object" || depth > 5) return false;
  const e = error as { code?: unknown; originalCode?: unknown; meta?: { driverAdapterError?: unknown }; cause?: unknown };
  if (e.code === "57014" || e.originalCode === "57014") return true;
  return isStatementCancelled(e.meta?.driverAdapterError, depth + 1) || isStatementCancelled(e.cause, depth + 1);
}

/** Where a read was served, for the page's "数据截至" line: asOf is null when the primary served it. */
export interface Served<T> {
  value: T;
  servedBy: "primary" | "replica";
  asOf: Date | null;
}

/**
 * Runs `fn` on the replica when the rule allows, else on the primary. A read that fails on the
 * replica because the replica went away is retried once on the primary (and the replica is marked
 * down for the cache period), so stopping the replica never shows an error page.
 */
export async function routeRead<C, T>(
  clients: { primary: C; replica: C | null },
  monitor: ReplicaLagMonitor | null,
  maxLagSeconds: number,
  fn: (db: C) => Promise<T>,
  isConnectionError: (error: unknown) => boolean = () => true,
): Promise<Served<T>> {
  if (!clients.replica || !monitor) return { value: await fn(clients.primary), servedBy: "primary", asOf: null };
  const decision = chooseTarget(await monitor.probe(), maxLagSeconds);
  if (decision.target === "primary") return { value: await fn(clients.primary), servedBy: "primary", asOf: null };
  try {
    return { value: await fn(clients.replica), servedBy: "replica", asOf: decision.asOf };
  } catch (error) {
    if (!isConnectionError(error)) throw error;
    monitor.invalidate(`replica read failed: ${error instanceof Error ? error.message : String(error)}`);
    return { value: await fn(clients.primary), servedBy: "primary", asOf: null };
  }
}
