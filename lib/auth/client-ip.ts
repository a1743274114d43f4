import { env } from "@/lib/env";

// The client's address for throttling and the audit log. Next.js fills X-Forwarded-For from the
// socket when the request has none; behind N trusted reverse proxies set TRUSTED_PROXY_HOPS=N so
// the address the outermost trusted proxy saw is used (entries further left can be forged).
export function clientIp(headers: Headers, trustedProxyHops = env.TRUSTED_PROXY_HOPS): string {
  const chain = (headers.get("x-forwarded-for") ?? "")
    .split(",")
    .map((part) => part.trim())
    .filter(Boolean);
  const index = chain.length - 1 - Math.max(0, trustedProxyHops);
  return chain[Math.max(0, index)] ?? headers.get("x-real-ip") ?? "unknown";
}
