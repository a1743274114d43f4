import { describe, expect, it } from "vitest";
import { contentSecurityPolicy, isHttpsRequest, securityHeaders } from "@/lib/security-headers";

describe("security headers", () => {
  it("production CSP forbids eval, framing and plugins", () => {
    const csp = contentSecurityPolicy(true);
    expect(csp).not.toContain("unsafe-eval");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("object-src 'none'");
    expect(csp).toContain("default-src 'self'");
  });

  it("development CSP allows eval for the dev server only", () => {
    expect(contentSecurityPolicy(false)).toContain("'unsafe-eval'");
  });

  it("sends nosniff and a referrer policy", () => {
    const headers = Object.fromEntries(securityHeaders(true).map((h) => [h.key, h.value]));
    expect(headers["X-Content-Type-Options"]).toBe("nosniff");
    expect(headers["Referrer-Policy"]).toBe("strict-origin-when-cross-origin");
  });

  it("recognises https directly or behind a proxy", () => {
    expect(isHttpsRequest("https:", null)).toBe(true);
    expect(isHttpsRequest("http:", "https")).toBe(true);
    expect(isHttpsRequest("http:", "http")).toBe(false);
    expect(isHttpsRequest("http:", null)).toBe(false);
  });
});
