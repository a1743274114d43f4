// HTTP load with autocannon, shared by `npm run test:cluster` (its /projects and /dashboard bench)
// and `npm run bench:http`: one run at a number of connections, latency percentiles from every
// response (autocannon's own summary has p97.5 but no p95), errors, timeouts and non-2xx.
import { readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";

/** The part of autocannon's programmatic API used here (the package ships no types). */
type Autocannon = (
  opts: { url: string; connections: number; duration: number; headers: Record<string, string>; timeout: number },
  done: (error: Error | null, result: { errors: number; timeouts: number; non2xx: number }) => void,
) => { on(event: "response", listener: (client: unknown, status: number, bytes: number, ms: number) => void): void; stop(): void };

export interface LoadResult {
  connections: number;
  seconds: number;
  requests: number;
  reqPerSec: number;
  p50: number | null;
  p95: number | null;
  p99: number | null;
  errors: number;
  timeouts: number;
  non2xx: number;
  /** Mean response body size in bytes. */
  bytes: number | null;
}

let current: { stop(): void } | null = null;

/** Stops the run in progress (on SIGINT), so its sockets do not keep the process alive. */
export function stopLoad(): void {
  current?.stop();
}

/** autocannon GET `url` with `connections` connections for `seconds` s (60 s request timeout). */
export function runLoad(url: string, connections: number, seconds: number, headers: Record<string, string>): Promise<LoadResult> {
  const autocannon = createRequire(import.meta.url)("autocannon") as Autocannon;
  const samples: number[] = [];
  let bytes = 0;
  return new Promise((resolve, reject) => {
    const run = autocannon({ url, connections, duration: seconds, headers, timeout: 60 }, (error, out) => {
      current = null;
      if (error) return reject(error);
      samples.sort((x, y) => x - y);
      const at = (p: number) => (samples.length ? samples[Math.min(samples.length - 1, Math.ceil((p / 100) * samples.length) - 1)]! : null);
      resolve({
        connections, seconds, requests: samples.length, reqPerSec: samples.length / seconds, p50: at(50), p95: at(95), p99: at(99),
        errors: out.errors, timeouts: out.timeouts, non2xx: out.non2xx, bytes: samples.length ? Math.round(bytes / samples.length) : null,
      });
    });
    current = run;
    run.on("response", (_client, _status, size, ms) => {
      samples.push(ms);
      bytes += size;
    });
  });
}

export const loadAverage = (): string => os.loadavg().map((l) => l.toFixed(2)).join(" ");

/** The process `pid` and all its descendants (from /proc/<pid>/stat; Linux only, else just `pid`). */
export function processTree(pid: number): number[] {
  const children = new Map<number, number[]>();
  try {
    for (const entry of readdirSync("/proc")) {
      if (!/^\d+$/.test(entry)) continue;
      try {
        const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
        const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
        children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
      } catch {
        /* the process ended meanwhile */
      }
    }
  } catch {
    return [pid];
  }
  const tree: number[] = [];
  const queue = [pid];
  while (queue.length) {
    const next = queue.shift()!;
    tree.push(next);
    queue.push(...(children.get(next) ?? []));
  }
  return tree;
}

/** The summed VmRSS of `pid`'s process tree in MB (null when /proc cannot tell). */
export function treeRssMb(pid: number): number | null {
  let kb = 0;
  let seen = false;
  for (const p of processTree(pid)) {
    try {
      const match = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${p}/status`, "utf8"));
      if (match) {
        kb += Number(match[1]);
        seen = true;
      }
    } catch {
      /* gone */
    }
  }
  return seen ? Math.round(kb / 1024) : null;
}

/** CPU seconds (user + system) used so far by `pid`'s process tree (/proc/<pid>/stat, 100 ticks a second). */
function treeCpuSeconds(pid: number): number {
  let ticks = 0;
  for (const p of processTree(pid)) {
    try {
      const stat = readFileSync(`/proc/${p}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      ticks += Number(fields[11]) + Number(fields[12]); // utime, stime
    } catch {
      /* gone */
    }
  }
  return ticks / 100;
}

/**
 * Waits until the server has finished what a run left behind: a request whose client went away at
 * the end of a run is still rendered to the end, and would slow the next run. Idle is under 10 % of
 * one core for a second; at most `maxMs`. Without a pid (a server elsewhere): a fixed pause.
 */
export async function waitIdle(pid: number | null, maxMs = 120_000): Promise<number> {
  const started = Date.now();
  if (pid === null) {
    await new Promise((r) => setTimeout(r, 5_000));
    return Date.now() - started;
  }
  let last = treeCpuSeconds(pid);
  while (Date.now() - started < maxMs) {
    await new Promise((r) => setTimeout(r, 1_000));
    const now = treeCpuSeconds(pid);
    if (now - last < 0.1) break;
    last = now;
  }
  return Date.now() - started;
}

/** Samples treeRssMb(pid) every `everyMs` until the returned function is called; that returns the peak. */
export function sampleRss(pid: number | null, everyMs = 250): () => number | null {
  if (pid === null) return () => null;
  let peak: number | null = treeRssMb(pid);
  const timer = setInterval(() => {
    const now = treeRssMb(pid);
    if (now !== null && (peak === null || now > peak)) peak = now;
  }, everyMs);
  return () => {
    clearInterval(timer);
    return peak;
  };
}
