// CSRF defence for every mutation: a non-GET request must come from the app's own origin.
// Browsers send Origin on cross-site POSTs (and Sec-Fetch-Site); Auth.js adds its own token.

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

export function isSameOriginMutation(method: string, headers: Headers, requestOrigin: string): boolean {
  if (SAFE_METHODS.has(method.toUpperCase())) return true;
  const origin = headers.get("origin");
  if (origin) return origin === requestOrigin;
  const fetchSite = headers.get("sec-fetch-site");
  if (fetchSite) return fetchSite === "same-origin" || fetchSite === "none";
  // Neither header: not a browser (curl, scripts). They carry no ambient cookies of our users' browsers.
  return true;
}
