// The client address chain the app sees, written by our own HTTP server (scripts/server.ts) before
// Next.js reads the request. Next.js fills X-Forwarded-For from the socket only when the request
// has none, so without this a client chose its own address (issue 14). Pure and Node-only: no env.
import type { IncomingMessage, ServerResponse } from "node:http";

/**
 * X-Forwarded-For as the app should see it. With no trusted proxy it is exactly the socket address
 * (whatever the client sent is dropped); behind `trustedProxyHops` proxies the socket address is
 * appended to the chain received, and clientIp (lib/auth/client-ip.ts) takes the entry that many
 * places from the right: the address the outermost trusted proxy saw.
 */
export function forwardedFor(received: string | string[] | undefined, socketAddress: string | undefined, trustedProxyHops: number): string {
  const socket = normalizeAddress(socketAddress);
  if (trustedProxyHops <= 0) return socket;
  const chain = [received ?? []]
    .flat()
    .flatMap((value) => value.split(","))
    .map((part) => part.trim())
    .filter(Boolean);
  return [...chain, socket].join(", ");
}

/** "::ffff:10.0.0.1" (an IPv4 client on a dual-stack socket) is 10.0.0.1; no socket address is "unknown". */
export function normalizeAddress(address: string | undefined): string {
  if (!address) return "unknown";
  return address.startsWith("::ffff:") && address.includes(".") ? address.slice("::ffff:".length) : address;
}

/** Rewrites X-Forwarded-For and drops X-Real-IP (which nothing sets for us), then calls `handler`. */
export function withForwardedFor<R>(handler: (req: IncomingMessage, res: ServerResponse) => R, trustedProxyHops: number): (req: IncomingMessage, res: ServerResponse) => R {
  return (req, res) => {
    req.headers["x-forwarded-for"] = forwardedFor(req.headers["x-forwarded-for"], req.socket.remoteAddress, trustedProxyHops);
    delete req.headers["x-real-ip"];
    return handler(req, res);
  };
}
