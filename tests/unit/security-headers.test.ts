import { describe, expect, it } from "vitest";
import {
  MAX_REQUEST_BODY_MB,
  bodySizeProblem,
  contentSecurityPolicy,
  framingHeaders,
  isHttpsRequest,
  newNonce,
  securityHeaderRules,
  securityHeaders,
  setsOwnFramingHeaders,
} from "@/lib/security-headers";

const scriptSrc = (csp: string) => csp.split("; ").find((d) => d.startsWith("script-src "))!;

describe("security headers", () => {
  it("production CSP forbids eval, inline scripts, framing and plugins", () => {
    for (const csp of [contentSecurityPolicy(true), contentSecurityPolicy(true, "abc")]) {
      expect(csp).not.toContain("unsafe-eval");
      expect(scriptSrc(csp)).not.toContain("unsafe-inline");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).toContain("object-src 'none'");
      expect(csp).toContain("default-src 'self'");
    }
  });

  it("a page's CSP allows only scripts carrying its nonce, and what they load", () => {
    expect(scriptSrc(contentSecurityPolicy(true, "n0nce"))).toBe("script-src 'self' 'nonce-n0nce' 'strict-dynamic'");
  });

  it("without a nonce (static files) no inline script is allowed at all", () => {
    expect(scriptSrc(contentSecurityPolicy(true))).toBe("script-src 'self'");
  });

  it("development CSP allows eval for the dev server only, never inline scripts", () => {
    expect(contentSecurityPolicy(false, "n")).toContain("'unsafe-eval'");
    expect(scriptSrc(contentSecurityPolicy(false, "n"))).not.toContain("unsafe-inline");
  });

  it("nonces are fresh, base64 and carry 128 bits", () => {
    const nonces = new Set(Array.from({ length: 100 }, newNonce));
    expect(nonces.size).toBe(100);
    for (const nonce of nonces) {
      expect(nonce).toMatch(/^[A-Za-z0-9+/]{22}==$/);
      expect(Buffer.from(nonce, "base64")).toHaveLength(16);
    }
  });

  it("sends nosniff, a referrer policy and a CSP with every response", () => {
    const headers = Object.fromEntries(securityHeaders(true).map((h) => [h.key, h.value]));
    expect(headers["X-Content-Type-Options"]).toBe("nosniff");
    expect(headers["Referrer-Policy"]).toBe("strict-origin-when-cross-origin");
    expect(headers["Content-Security-Policy"]).toBe(contentSecurityPolicy(true));
  });

  it("pages may frame only their own origin (the PDF preview), and are framed by nobody", () => {
    const csp = contentSecurityPolicy(true, "n");
    expect(csp).toContain("frame-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain("frame-ancestors 'self'");
  });

  it("an inline preview may be framed by the app's own pages only; every other answer by nobody", () => {
    expect(framingHeaders(true, "'self'")).toEqual({ "Content-Security-Policy": contentSecurityPolicy(true, undefined, "'self'"), "X-Frame-Options": "SAMEORIGIN" });
    expect(framingHeaders(true, "'self'")["Content-Security-Policy"]).toContain("frame-ancestors 'self'");
    expect(framingHeaders(true, "'none'")).toEqual({ "Content-Security-Policy": contentSecurityPolicy(true), "X-Frame-Options": "DENY" });
    // Never a wildcard or another origin.
    expect(framingHeaders(true, "'self'")["Content-Security-Policy"]).not.toMatch(/frame-ancestors [^;]*(\*|https?:)/);
  });

  it("next.config.ts sends the framing headers everywhere but the attachment route, which sets its own", () => {
    const rules = securityHeaderRules(true);
    const keysFor = (pathname: string) =>
      rules.filter((r) => new RegExp(`^${r.source.replace("/:path*", "/.*").replace(/^\/:path\((.*)\)$/, "/$1")}$`).test(pathname)).flatMap((r) => r.headers.map((h) => h.key));
    for (const pathname of ["/", "/report", "/projects/x/returns/2026-10", "/api/report", "/api/attachmentsx"]) {
      expect(keysFor(pathname), pathname).toEqual(expect.arrayContaining(["Content-Security-Policy", "X-Frame-Options", "X-Content-Type-Options"]));
    }
    const attachment = keysFor("/api/attachments/0b4e6f0c-0000-4000-8000-000000000000");
    expect(attachment).toContain("X-Content-Type-Options");
    expect(attachment).not.toContain("X-Frame-Options");
    expect(attachment).not.toContain("Content-Security-Policy");
    expect(setsOwnFramingHeaders("/api/attachments/x")).toBe(true);
    expect(setsOwnFramingHeaders("/api/report")).toBe(false);
    // The rules together send every header securityHeaders() lists, once.
    expect(rules.flatMap((r) => r.headers).map((h) => h.key).sort()).toEqual(securityHeaders(true).map((h) => h.key).sort());
  });

  it("recognises https directly or behind a proxy", () => {
    expect(isHttpsRequest("https:", null)).toBe(true);
    expect(isHttpsRequest("http:", "https")).toBe(true);
    expect(isHttpsRequest("http:", "http")).toBe(false);
    expect(isHttpsRequest("http:", null)).toBe(false);
  });
});

describe("request body limit", () => {
  const limit = MAX_REQUEST_BODY_MB * 1024 * 1024;
  const headers = (h: Record<string, string>) => new Headers(h);

  it("refuses a declared length over the limit, accepts one at it", () => {
    expect(bodySizeProblem("POST", headers({ "content-length": String(limit + 1) }))).toBe("too-large");
    expect(bodySizeProblem("POST", headers({ "content-length": String(limit) }))).toBeNull();
    expect(bodySizeProblem("POST", headers({ "content-length": "99999999999999999999" }))).toBe("too-large");
  });

  it("asks for a length when a body comes chunked", () => {
    expect(bodySizeProblem("POST", headers({ "transfer-encoding": "chunked" }))).toBe("length-required");
    expect(bodySizeProblem("PUT", headers({ "transfer-encoding": "chunked" }))).toBe("length-required");
  });

  it("leaves bodiless requests alone", () => {
    expect(bodySizeProblem("POST", headers({}))).toBeNull();
    expect(bodySizeProblem("GET", headers({ "content-length": String(limit + 1) }))).toBeNull();
  });
});
