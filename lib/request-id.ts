// A per-request id: proxy.ts gives every request a fresh one (replacing any the client sent) and
// echoes it in the response, so the audit events one request wrote can be found together and a
// user can quote the id from a failed page. Server code reads it with currentRequestId().

export const REQUEST_ID_HEADER = "x-request-id";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function newRequestId(): string {
  return crypto.randomUUID();
}

/** The id proxy.ts set on the request, or null when there is none (or it is not ours). */
export function requestIdFrom(headers: Headers): string | null {
  const value = headers.get(REQUEST_ID_HEADER);
  return value && UUID.test(value) ? value.toLowerCase() : null;
}

let nextHeaders: Promise<typeof import("next/headers") | null> | undefined;

/** The current request's id; null outside a request (scripts, tests, start-up). */
export async function currentRequestId(): Promise<string | null> {
  nextHeaders ??= import("next/headers").catch(() => null);
  const module = await nextHeaders;
  if (!module) return null;
  try {
    return requestIdFrom(await module.headers());
  } catch {
    return null; // outside a request scope
  }
}
