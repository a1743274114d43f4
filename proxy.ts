// Runs before every request: refuses cross-origin mutations and bodies over the size limit, sends
// signed-out users to the sign-in page early (pages and lib/data still check for themselves), sets
// the Content-Security-Policy with a fresh nonce, adds HSTS over https, and gives the request its
// id (x-request-id, recorded with every audit event the request writes).
import NextAuth from "next-auth";
import { NextResponse } from "next/server";
import { carriesApiToken } from "@/lib/api/bearer";
import { authConfig, isPublicPath } from "@/lib/auth/auth.config";
import { isSameOriginMutation } from "@/lib/auth/origin";
import { REQUEST_ID_HEADER, newRequestId } from "@/lib/request-id";
import {
  HSTS_VALUE,
  MAX_REQUEST_BODY_MB,
  NONCE_HEADER,
  bodySizeProblem,
  contentSecurityPolicy,
  setsOwnFramingHeaders,
  isHttpsRequest,
  newNonce,
} from "@/lib/security-headers";

const { auth } = NextAuth(authConfig);
const production = process.env.NODE_ENV === "production";

/** Percent-escapes that are not UTF-8 (a lone surrogate, %ED%A0%80) make Next.js's router throw. */
function decodablePath(pathname: string): boolean {
  try {
    decodeURIComponent(pathname);
    return true;
  } catch {
    return false;
  }
}

const CALLBACK_URL_COOKIES = ["authjs.callback-url", "__Secure-authjs.callback-url"];

/** Auth.js's own rule (an http(s) URL, or a path): it answers anything else with a 500. */
function validCallbackUrl(value: string, origin: string): boolean {
  try {
    return /^https?:$/.test(new URL(value, value.startsWith("/") ? origin : undefined).protocol);
  } catch {
    return false;
  }
}

export const proxy = auth((request) => {
  const https = isHttpsRequest(request.nextUrl.protocol, request.headers.get("x-forwarded-proto"));
  const origin = `${https ? "https" : request.nextUrl.protocol.replace(":", "")}://${request.headers.get("host") ?? request.nextUrl.host}`;
  const requestId = newRequestId();
  const nonce = newNonce();
  const csp = contentSecurityPolicy(production, nonce);
  // Refused here, before Next.js's server-action parser would fail on it with a 500.
  const bodyProblem = bodySizeProblem(request.method, request.headers);
  // A callbackUrl that Auth.js would refuse with a 500 ("server configuration") is the client's
  // mistake: refuse it here with a 400, and drop a bad callback cookie so the next try works.
  const authRoute = request.nextUrl.pathname.startsWith("/api/auth/");
  const callbackUrl = authRoute ? request.nextUrl.searchParams.get("callbackUrl") : null;
  const badCallbackCookies = authRoute
    ? CALLBACK_URL_COOKIES.filter((name) => {
        const value = request.cookies.get(name)?.value;
        return !!value && !validCallbackUrl(value, origin);
      })
    : [];
  let response: NextResponse;
  let passedOn = false;
  if (!decodablePath(request.nextUrl.pathname)) {
    response = NextResponse.json({ error: "malformed URL" }, { status: 400 });
  } else if (!isSameOriginMutation(request.method, request.headers, origin)) {
    response = NextResponse.json({ error: "cross-origin request refused" }, { status: 403 });
  } else if ((callbackUrl && !validCallbackUrl(callbackUrl, origin)) || badCallbackCookies.length) {
    response = NextResponse.json({ error: "invalid callbackUrl" }, { status: 400 });
    for (const name of badCallbackCookies) response.cookies.delete(name);
  } else if (bodyProblem === "too-large") {
    response = NextResponse.json(
      // eslint-disable-next-line no-restricted-syntax -- the proxy runs before the locale is known: both languages
      { error: `上传内容超过 ${MAX_REQUEST_BODY_MB} MB 上限 / upload exceeds the ${MAX_REQUEST_BODY_MB} MB limit`, limitMb: MAX_REQUEST_BODY_MB },
      { status: 413, headers: { Connection: "close" } },
    );
  } else if (bodyProblem === "length-required") {
    // eslint-disable-next-line no-restricted-syntax -- the proxy runs before the locale is known: both languages
    response = NextResponse.json({ error: "请求须带 Content-Length / a request body needs a Content-Length" }, { status: 411, headers: { Connection: "close" } });
  } else if (!request.auth && !isPublicPath(request.nextUrl.pathname) && !carriesApiToken(request.nextUrl.pathname, request.headers)) {
    if (request.nextUrl.pathname.startsWith("/api/")) {
      response = NextResponse.json({ error: "sign-in required" }, { status: 401 });
    } else {
      const login = new URL("/login", request.nextUrl);
      login.searchParams.set("next", request.nextUrl.pathname + request.nextUrl.search);
      response = NextResponse.redirect(login);
    }
  } else {
    // Replaces any id or nonce the client sent: only ours reach the audit log and the page.
    const requestHeaders = new Headers(request.headers);
    requestHeaders.set(REQUEST_ID_HEADER, requestId);
    // Next.js takes the nonce for its own scripts from the request's CSP; our code reads x-nonce.
    requestHeaders.set("Content-Security-Policy", csp);
    requestHeaders.set(NONCE_HEADER, nonce);
    response = NextResponse.next({ request: { headers: requestHeaders } });
    passedOn = true;
  }
  // The attachment route answers with its own framing headers (a header set here would win over
  // them); what the proxy answers in its place is never framed (next.config.ts leaves that path out).
  const ownFraming = setsOwnFramingHeaders(request.nextUrl.pathname);
  if (!(passedOn && ownFraming)) response.headers.set("Content-Security-Policy", csp);
  if (!passedOn && ownFraming) response.headers.set("X-Frame-Options", "DENY");
  response.headers.set(REQUEST_ID_HEADER, requestId);
  if (https) response.headers.set("Strict-Transport-Security", HSTS_VALUE);
  return response;
});

// Static build files are not matched (nothing to nonce); next.config.ts gives them a CSP too.
export const config = { matcher: ["/((?!_next/static|_next/image|favicon.ico).*)"] };
