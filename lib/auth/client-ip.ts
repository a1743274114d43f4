import { env } from "@/lib/env";

// The client's address for the sign-in throttle, lockouts, sessions and the audit log: the one place
// it is read. Our HTTP server (scripts/server.ts, lib/auth/forwarded-for.ts) sets X-Forwarded-For
// to the socket address, with the chain from TRUSTED_PROXY_HOPS trusted reverse proxies in front of
// it; the entry that many places from the right is the address the outermost trusted proxy saw
// (entries further left are the client's own words). X-Real-IP is never read.
export function clientIp(headers: Headers, trustedProxyHops = env.TRUSTED_PROXY_HOPS): string {
  const chain = (headers.get("x-forwarded-for") ?? "")
    .split(",")
    .map((part) => part.trim())
    .filter(Boolean);
  const index = chain.length - 1 - Math.max(0, trustedProxyHops);
  return chain[Math.max(0, index)] ?? "unknown";
}
