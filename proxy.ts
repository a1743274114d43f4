// Runs before every request: refuses cross-origin mutations, sends signed-out users to the
// sign-in page early (pages and lib/data still check for themselves), adds HSTS over https, and
// gives the request its id (x-request-id, recorded with every audit event the request writes).
import NextAuth from "next-auth";
import { NextResponse } from "next/server";
import { authConfig, isPublicPath } from "@/lib/auth/auth.config";
import { isSameOriginMutation } from "@/lib/auth/origin";
import { REQUEST_ID_HEADER, newRequestId } from "@/lib/request-id";
import { HSTS_VALUE, isHttpsRequest } from "@/lib/security-headers";

const { auth } = NextAuth(authConfig);

export const proxy = auth((request) => {
  const https = isHttpsRequest(request.nextUrl.protocol, request.headers.get("x-forwarded-proto"));
  const origin = `${https ? "https" : request.nextUrl.protocol.replace(":", "")}://${request.headers.get("host") ?? request.nextUrl.host}`;
  const requestId = newRequestId();
  let response: NextResponse;
  if (!isSameOriginMutation(request.method, request.headers, origin)) {
    response = NextResponse.json({ error: "cross-origin request refused" }, { status: 403 });
  } else if (!request.auth && !isPublicPath(request.nextUrl.pathname)) {
    if (request.nextUrl.pathname.startsWith("/api/")) {
      response = NextResponse.json({ error: "sign-in required" }, { status: 401 });
    } else {
      const login = new URL("/login", request.nextUrl);
      login.searchParams.set("next", request.nextUrl.pathname + request.nextUrl.search);
      response = NextResponse.redirect(login);
    }
  } else {
    // Replaces any id the client sent: only ours reach the audit log.
    const requestHeaders = new Headers(request.headers);
    requestHeaders.set(REQUEST_ID_HEADER, requestId);
    response = NextResponse.next({ request: { headers: requestHeaders } });
  }
  response.headers.set(REQUEST_ID_HEADER, requestId);
  if (https) response.headers.set("Strict-Transport-Security", HSTS_VALUE);
  return response;
});

export const config = { matcher: ["/((?!_next/static|_next/image|favicon.ico).*)"] };
