// Security headers and HTTP-level limits. proxy.ts sends every request it sees a Content-Security-
// Policy with a fresh nonce (Next.js reads the nonce from the request's CSP and puts it on its own
// scripts); next.config.ts sends the other headers, and a nonce-less CSP that allows no inline
// script at all, with everything else (static files, which proxy.ts does not see). HSTS is added by
// proxy.ts only when the request really came over https, so plain-http intranet installs are not
// locked out.

export const NONCE_HEADER = "x-nonce";

/** 128 random bits, base64: unguessable, and fresh for every request. */
export function newNonce(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return btoa(String.fromCharCode(...bytes));
}

/**
 * With a nonce, only scripts carrying it run, and the scripts they load ('strict-dynamic': the
 * chunks Next.js loads on demand); without one (static files), no inline script runs at all.
 * Never 'unsafe-inline' for scripts; eval only for the dev server (React's debugging aids, HMR).
 */
export function contentSecurityPolicy(production: boolean, nonce?: string, frameAncestors: FrameAncestors = "'none'"): string {
  const directives: Record<string, string[]> = {
    "default-src": ["'self'"],
    "script-src": ["'self'", ...(nonce ? [`'nonce-${nonce}'`, "'strict-dynamic'"] : []), ...(production ? [] : ["'unsafe-eval'"])],
    // Inline style attributes (Radix positioning, chart sizes) cannot carry a nonce.
    "style-src": ["'self'", "'unsafe-inline'"],
    "img-src": ["'self'", "data:", "blob:"],
    "font-src": ["'self'", "data:"],
    "connect-src": ["'self'", ...(production ? [] : ["ws:"])],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    // The return page shows PDF evidence in an <iframe> of the attachment route (same origin only).
    "frame-src": ["'self'"],
    "frame-ancestors": [frameAncestors],
  };
  return Object.entries(directives)
    .map(([name, values]) => `${name} ${values.join(" ")}`)
    .join("; ");
}

/**
 * Who may frame a response: nobody, except an image or PDF the attachment route serves inline to a
 * reader of it (the return page's preview), which its own origin may frame (docs/decisions/0034).
 */
export type FrameAncestors = "'none'" | "'self'";

/** The framing headers of a response: both the CSP directive and the older X-Frame-Options. */
export function framingHeaders(production: boolean, frameAncestors: FrameAncestors): Record<string, string> {
  return {
    "Content-Security-Policy": contentSecurityPolicy(production, undefined, frameAncestors),
    "X-Frame-Options": frameAncestors === "'self'" ? "SAMEORIGIN" : "DENY",
  };
}

/**
 * The one route that sets its own framing headers (on every response it gives): the attachment
 * route. Next.js keeps a header that next.config.ts or proxy.ts already set over the route's own,
 * so both leave these two headers to it (tests/unit/security-headers.test.ts).
 */
export const OWN_FRAMING_PREFIX = "/api/attachments/";

export function setsOwnFramingHeaders(pathname: string): boolean {
  return pathname.startsWith(OWN_FRAMING_PREFIX);
}

/** next.config.ts headers(): everything on every path, the framing headers on all but the attachment route. */
export function securityHeaderRules(production: boolean): { source: string; headers: { key: string; value: string }[] }[] {
  const framing = new Set(["Content-Security-Policy", "X-Frame-Options"]);
  const all = securityHeaders(production);
  return [
    { source: "/:path*", headers: all.filter((h) => !framing.has(h.key)) },
    { source: `/:path((?!${OWN_FRAMING_PREFIX.slice(1)}).*)`, headers: all.filter((h) => framing.has(h.key)) },
  ];
}

export function securityHeaders(production: boolean): { key: string; value: string }[] {
  return [
    { key: "Content-Security-Policy", value: contentSecurityPolicy(production) },
    { key: "X-Content-Type-Options", value: "nosniff" },
    { key: "X-Frame-Options", value: "DENY" },
    { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
    { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=()" },
    { key: "Cross-Origin-Opener-Policy", value: "same-origin" },
  ];
}

export const HSTS_VALUE = "max-age=31536000; includeSubDomains";

export function isHttpsRequest(protocol: string, forwardedProto: string | null): boolean {
  return protocol === "https:" || forwardedProto?.split(",")[0]?.trim() === "https";
}

/**
 * The largest request body the app accepts (next.config.ts: server actions and proxy.ts buffering).
 * It must hold the largest evidence file (ATTACHMENT_MAX_MB, at most 45) plus the rest of the form;
 * the per-file limit itself is checked where the file is stored (lib/returns/attachments.ts).
 */
export const MAX_REQUEST_BODY_MB = 50;

/**
 * Whether a request body is too large to accept, judged from its headers before anything reads it.
 * "too-large": Content-Length over the limit (413). "length-required": a body sent without a length
 * (chunked), which the limit could only be enforced on by reading it (411); browsers always send
 * a length for form posts and uploads.
 */
export function bodySizeProblem(method: string, headers: Headers, limitBytes = MAX_REQUEST_BODY_MB * 1024 * 1024): "too-large" | "length-required" | null {
  if (method === "GET" || method === "HEAD" || method === "OPTIONS") return null;
  const length = headers.get("content-length");
  if (length === null) return headers.has("transfer-encoding") ? "length-required" : null;
  // Node's parser has already refused a malformed length with 400.
  return Number.parseInt(length, 10) > limitBytes ? "too-large" : null;
}
