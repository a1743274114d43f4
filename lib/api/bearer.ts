// Which requests carry an API token (edge-safe: the proxy imports this). Only the read API accepts
// one; everywhere else a request is signed in by its session cookie alone.
export const API_PATH_PREFIX = "/api/v1/";

/** The token of an `Authorization: Bearer …` header, or null when there is none. */
export function bearerToken(headers: Headers): string | null {
  const value = headers.get("authorization");
  if (!value) return null;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(value);
  return match ? match[1]! : "";
}

/** A read-API request with a bearer header: the proxy lets it through, the route checks the token. */
export function carriesApiToken(pathname: string, headers: Headers): boolean {
  return pathname.startsWith(API_PATH_PREFIX) && headers.get("authorization") !== null;
}
