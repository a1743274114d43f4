// The one wrapper every route handler in app/api goes through (after dub's withWorkspace): it reads
// the handler's row of the authorization matrix (ROUTE_HANDLER_ACCESS), resolves the user, refuses
// and audits callers the row does not admit, parses the query against the handler's schema, and
// maps the errors lib/data throws to JSON answers. A handler states only its query and its work.
import "server-only";
import { NextResponse, type NextRequest } from "next/server";
import { z } from "zod";
import { clientIp } from "@/lib/auth/client-ip";
import { ForbiddenError, NotFoundError } from "@/lib/auth/permissions";
import { ROUTE_HANDLER_ACCESS, accessDecision, type Access, type RouteHandlerPath } from "@/lib/auth/route-access";
import { getCurrentUser, recordDenied, type CurrentUser } from "@/lib/auth/session";
import { ValidationError } from "@/lib/data/users";
import { API_PATH_PREFIX, bearerToken } from "@/lib/api/bearer";
import { auditApiCall } from "@/lib/api/calls";
import { consumeRateLimit, resolveApiToken } from "@/lib/api/tokens";
import { searchParamsObject, zodProblems, type InputProblem } from "@/lib/validations/untrusted";
import { framingHeaders, setsOwnFramingHeaders } from "@/lib/security-headers";
import { isStatementCancelled } from "@/lib/db-routing";
import { BULK_RETRY_AFTER_SECONDS, BULK_ROUTES, busyMessage, downloadSlots, releasedAfterBody } from "@/lib/http/bulk-slots";

/** The dynamic segments of a route path: "/api/attachments/[id]" → { id: string }. */
type ParamsOf<P extends string> = P extends `${string}[...${infer Name}]${infer Rest}`
  ? { [K in Name]: string[] } & ParamsOf<Rest>
  : P extends `${string}[${infer Name}]${infer Rest}`
    ? { [K in Name]: string } & ParamsOf<Rest>
    : unknown;

/** A public route may have a signed-in caller or none; every other route has one. */
type RouteUser<P extends RouteHandlerPath> = (typeof ROUTE_HANDLER_ACCESS)[P] extends "public" ? CurrentUser | null : CurrentUser;

export interface RouteContext<P extends RouteHandlerPath, Q> {
  user: RouteUser<P>;
  request: NextRequest;
  params: ParamsOf<P>;
  /** The query string parsed with the handler's schema (undefined when it declares none). */
  query: Q;
  ip: string;
}

export interface RouteOptions<Q extends z.ZodType> {
  /** A strict zod object for the search params; unknown or malformed parameters are a 400. */
  query?: Q;
}

type Handler<P extends RouteHandlerPath, Q> = (context: RouteContext<P, Q>) => Promise<Response>;
type NextHandler<P extends string> = (request: NextRequest, context: { params: Promise<ParamsOf<P>> }) => Promise<Response>;

function json(status: number, body: Record<string, unknown>, headers?: Record<string, string>): NextResponse {
  return NextResponse.json(body, { status, headers });
}

/** zod issues as problems by field: zodProblems (lib/validations/untrusted.ts), also used by parseProjectListParams. */
export const queryProblems: (error: z.ZodError) => InputProblem[] = zodProblems;

const TIMEOUT_RETRY_AFTER_SECONDS = 30;

/** The answer for an error a handler's work threw, or undefined for a bug (rethrown). */
function errorResponse(error: unknown): NextResponse | undefined {
  // The data function that threw it has recorded the denial already.
  if (error instanceof ForbiddenError) return json(403, { error: "forbidden" });
  if (error instanceof NotFoundError) return json(404, { error: "not found" });
  if (error instanceof ValidationError) {
    const problems = Object.entries(error.fieldErrors).flatMap(([field, messages]) => messages.map((message) => ({ field, message })));
    return json(400, { error: "invalid input", problems });
  }
  if (error instanceof z.ZodError) return json(400, { error: "invalid input", problems: zodProblems(error) });
  // Past DATABASE_STATEMENT_TIMEOUT_MS the server cancelled the statement (docs/decisions/0044).
  if (isStatementCancelled(error)) return json(503, { error: "timeout" }, { "Retry-After": String(TIMEOUT_RETRY_AFTER_SECONDS) });
  return undefined;
}

export function withRoute<P extends RouteHandlerPath>(path: P, handler: Handler<P, undefined>): NextHandler<P>;
export function withRoute<P extends RouteHandlerPath, Q extends z.ZodType>(path: P, options: RouteOptions<Q>, handler: Handler<P, z.infer<Q>>): NextHandler<P>;
export function withRoute<P extends RouteHandlerPath>(
  path: P,
  optionsOrHandler: RouteOptions<z.ZodType> | Handler<P, never>,
  maybeHandler?: Handler<P, never>,
): NextHandler<P> {
  const options = typeof optionsOrHandler === "function" ? {} : optionsOrHandler;
  const handler = (typeof optionsOrHandler === "function" ? optionsOrHandler : maybeHandler)!;
  const access: Access = ROUTE_HANDLER_ACCESS[path];
  const api = path.startsWith(API_PATH_PREFIX);
  if (setsOwnFramingHeaders(path)) {
    // This route's framing headers are its own (lib/security-headers.ts): any answer that does not
    // set them (refusals, errors, a handler that did not decide) is never framed.
    const answer = route(path, options, handler, access, api);
    return async (request, context) => {
      const response = await answer(request, context);
      if (!response.headers.has("X-Frame-Options")) {
        for (const [key, value] of Object.entries(framingHeaders(process.env.NODE_ENV === "production", "'none'"))) response.headers.set(key, value);
      }
      return response;
    };
  }
  return route(path, options, handler, access, api);
}

function route<P extends RouteHandlerPath>(path: P, options: RouteOptions<z.ZodType>, handler: Handler<P, never>, access: Access, api: boolean): NextHandler<P> {
  return async (request, context) => {
    // The read API also takes a bearer token instead of the session cookie (docs/decisions/0025):
    // the one place a caller is resolved from a token.
    const token = api ? bearerToken(request.headers) : null;
    let user: CurrentUser | null;
    let apiTokenId: string | null = null;
    if (token !== null) {
      const caller = await resolveApiToken(token);
      if (!caller) return json(401, { error: "invalid or expired token" }, { "WWW-Authenticate": 'Bearer error="invalid_token"' });
      user = caller;
      apiTokenId = caller.apiTokenId;
    } else {
      // A public route answers even when the session store cannot be read (the health probe).
      user = access === "public" ? await getCurrentUser().catch(() => null) : await getCurrentUser();
    }
    const decision = accessDecision(access, user);
    if (decision === "sign-in") return json(401, { error: "sign-in required" });
    if (decision === "deny") {
      await recordDenied(user, (access as readonly string[]).join("|"));
      return json(403, { error: "forbidden" });
    }
    if (apiTokenId) {
      const rate = await consumeRateLimit(apiTokenId);
      if (!rate.ok) {
        return json(429, { error: "rate limit exceeded", retryAfterSeconds: rate.retryAfterSeconds }, { "Retry-After": String(rate.retryAfterSeconds), "RateLimit-Limit": String(rate.limit) });
      }
    }
    // The query is checked before a download slot is taken: a refused query never waits for one.
    let query: never = undefined as never;
    let refusedQuery: Response | undefined;
    if (options.query) {
      const { values, problems } = searchParamsObject(request.nextUrl.searchParams);
      const parsed = problems.length ? undefined : options.query.safeParse(values);
      if (!parsed) refusedQuery = json(400, { error: "invalid query", problems });
      else if (!parsed.success) refusedQuery = json(400, { error: "invalid query", problems: zodProblems(parsed.error) });
      else query = parsed.data as never;
    }
    if (refusedQuery) {
      if (api && user) await auditApiCall(user, apiTokenId, path, refusedQuery, clientIp(request.headers));
      return refusedQuery;
    }
    // A bulk download holds one of the instance's slots until its last byte has left (lib/http/bulk-slots.ts).
    // Beyond the caller's own share the answer is 429 (their doing); beyond the instance's, 503.
    const release = BULK_ROUTES.has(path) ? downloadSlots.acquire(user?.id ?? clientIp(request.headers)) : undefined;
    if (release === "user" || release === "instance") {
      return json(
        release === "user" ? 429 : 503,
        { error: release === "user" ? "too many downloads" : "busy", message: await busyMessage(request, release), retryAfterSeconds: BULK_RETRY_AFTER_SECONDS },
        { "Retry-After": String(BULK_RETRY_AFTER_SECONDS) },
      );
    }
    try {
      const served = await serve();
      if (api && user) await auditApiCall(user, apiTokenId, path, served, clientIp(request.headers));
      return release ? releasedAfterBody(served, release) : served;
    } catch (error) {
      release?.();
      throw error;
    }

    async function serve(): Promise<Response> {
      try {
        const params = (await context?.params) ?? ({} as ParamsOf<P>);
        return await handler({ user: user as RouteUser<P>, request, params, query, ip: clientIp(request.headers) });
      } catch (error) {
        const response = errorResponse(error);
        if (response) return response;
        throw error;
      }
    }
  };
}
