import { NextResponse, type NextRequest } from "next/server";
import { HSTS_VALUE, isHttpsRequest } from "@/lib/security-headers";

export function proxy(request: NextRequest) {
  const response = NextResponse.next();
  if (isHttpsRequest(request.nextUrl.protocol, request.headers.get("x-forwarded-proto"))) {
    response.headers.set("Strict-Transport-Security", HSTS_VALUE);
  }
  return response;
}

export const config = { matcher: ["/((?!_next/static|_next/image|favicon.ico).*)"] };
