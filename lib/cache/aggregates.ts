// Computed aggregates kept in memory per (what, the reader's scope, parameters) and valid for one
// data version (docs/decisions/0039). The dashboard and the monthly report use it; any other
// read-only total (the project list's) can: pass a key with the scope in it (scopeKey) and read
// the version first (dataVersion).
import "server-only";
import { policyScopeKey, type PolicyActor } from "@/lib/policy/definition";

interface Entry {
  version: string;
  value: Promise<unknown>;
  /** Epoch ms after which the entry is not served (figures read from a lagging replica); Infinity otherwise. */
  expires: number;
}

/** Bounded: a dashboard is a few KB, the report a few hundred; least recently used goes first. */
export const AGGREGATE_CACHE_MAX_ENTRIES = 200;

const holder = globalThis as typeof globalThis & { __zunyiAggregates?: Map<string, Entry> };
const entries = (holder.__zunyiAggregates ??= new Map<string, Entry>());

/** The reader's scope in a cache key: what the access policy reads of it (lib/policy), never the user. */
export const scopeKey = (actor: PolicyActor): string => policyScopeKey(actor);

export interface Computed<T> {
  value: T;
  /** Keep the value at most this long (ms); omit to keep it until the data version changes. 0 = do not keep. */
  maxAgeMs?: number;
}

/**
 * The value cached under `key` for `version`, else `compute()`'s (concurrent callers with the same
 * key and version share one computation). A failed computation is not kept.
 */
export function cachedAggregate<T>(key: string, version: string, compute: () => Promise<Computed<T>>, now: () => number = Date.now): Promise<T> {
  const hit = entries.get(key);
  if (hit && hit.version === version && hit.expires > now()) {
    entries.delete(key);
    entries.set(key, hit); // most recently used last
    return hit.value as Promise<T>;
  }
  const entry: Entry = { version, expires: Number.POSITIVE_INFINITY, value: Promise.resolve() };
  entry.value = compute().then(
    (computed) => {
      if (computed.maxAgeMs !== undefined) entry.expires = now() + computed.maxAgeMs;
      if (computed.maxAgeMs === 0 && entries.get(key) === entry) entries.delete(key);
      return computed.value;
    },
    (error: unknown) => {
      if (entries.get(key) === entry) entries.delete(key);
      throw error;
    },
  );
  entries.delete(key);
  entries.set(key, entry);
  while (entries.size > AGGREGATE_CACHE_MAX_ENTRIES) entries.delete(entries.keys().next().value!);
  return entry.value as Promise<T>;
}

/** Tests: forget everything. */
export function clearAggregateCache(): void {
  entries.clear();
}
