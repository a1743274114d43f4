// The client's address (issue 14): our server rewrites X-Forwarded-For from the socket before
// Next.js sees the request, and clientIp reads the one trusted entry; forged headers change nothing.
import { createServer, request } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { clientIp } from "@/lib/auth/client-ip";
import { forwardedFor, withForwardedFor } from "@/lib/auth/forwarded-for";

/** What the app ends up using: our rewrite, then clientIp over the rewritten header. */
function seenAs(received: string | undefined, socket: string, hops: number, realIp?: string): string {
  const headers = new Headers({ "x-forwarded-for": forwardedFor(received, socket, hops) });
  if (realIp) headers.set("x-real-ip", realIp);
  return clientIp(headers, hops);
}

describe("X-Forwarded-For rewrite and clientIp", () => {
  it("with no trusted proxy, is the socket address whatever the client sent", () => {
    expect(forwardedFor("6.6.6.6", "192.0.2.7", 0)).toBe("192.0.2.7");
    expect(seenAs(undefined, "192.0.2.7", 0)).toBe("192.0.2.7");
    expect(seenAs("6.6.6.6", "192.0.2.7", 0)).toBe("192.0.2.7");
    expect(seenAs("1.1.1.1, 6.6.6.6", "192.0.2.7", 0, "7.7.7.7")).toBe("192.0.2.7");
  });

  it("behind one trusted proxy, is the address that proxy appended, not what the client wrote", () => {
    // The client sent "6.6.6.6"; the proxy (10.0.0.5) appended the client's real address.
    expect(forwardedFor("6.6.6.6, 203.0.113.9", "10.0.0.5", 1)).toBe("6.6.6.6, 203.0.113.9, 10.0.0.5");
    expect(seenAs("6.6.6.6, 203.0.113.9", "10.0.0.5", 1)).toBe("203.0.113.9");
    expect(seenAs("203.0.113.9", "10.0.0.5", 1)).toBe("203.0.113.9");
    expect(seenAs(["6.6.6.6", "203.0.113.9"] as unknown as string, "10.0.0.5", 1)).toBe("203.0.113.9");
  });

  it("reads an IPv4 client on a dual-stack socket as IPv4", () => {
    expect(forwardedFor(undefined, "::ffff:192.0.2.7", 0)).toBe("192.0.2.7");
    expect(forwardedFor(undefined, "2001:db8::1", 0)).toBe("2001:db8::1");
  });

  it("never reads X-Real-IP", () => {
    expect(clientIp(new Headers({ "x-real-ip": "6.6.6.6" }), 0)).toBe("unknown");
    expect(clientIp(new Headers(), 0)).toBe("unknown");
  });

  it("rewrites the headers of a real request before the handler runs", async () => {
    const server = createServer(
      withForwardedFor((req, res) => {
        res.end(JSON.stringify({ xff: req.headers["x-forwarded-for"], realIp: req.headers["x-real-ip"] ?? null }));
      }, 0),
    );
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const port = (server.address() as AddressInfo).port;
      const body = await new Promise<string>((resolve, reject) => {
        const req = request({ host: "127.0.0.1", port, localAddress: "127.0.0.9", headers: { "x-forwarded-for": "6.6.6.6", "x-real-ip": "7.7.7.7" } }, (res) => {
          let text = "";
          res.on("data", (chunk: Buffer) => (text += chunk.toString()));
          res.on("end", () => resolve(text));
        });
        req.on("error", reject);
        req.end();
      });
      expect(JSON.parse(body)).toEqual({ xff: "127.0.0.9", realIp: null });
    } finally {
      server.close();
    }
  });
});
