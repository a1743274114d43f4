// HTTP as a browser would speak it, for `npm run test:cluster`: a cookie jar, Auth.js's credentials
// sign-in (csrf token, then the callback), and a server action called the way the React client
// calls it (Next-Action header, arguments encoded by the encodeReply of the React build Next.js
// ships, so the wire format cannot drift from the server's decoder). Every response says which app
// instance served it (nginx's X-Upstream).
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";

export class Jar {
  private readonly cookies = new Map<string, string>();
  store(response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(";");
      const eq = pair!.indexOf("=");
      const name = pair!.slice(0, eq).trim();
      const value = pair!.slice(eq + 1);
      if (/max-age=0|expires=thu, 01 jan 1970/i.test(line) || value === "") this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }
  header(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
  }
  has(prefix: string): boolean {
    return [...this.cookies.keys()].some((k) => k.includes(prefix));
  }
}

export interface Hit {
  status: number;
  location: string | null;
  upstream: string | null;
  /** A server action's redirect(): Next.js answers 200 with this header, not a 3xx. */
  actionRedirect: string | null;
  /** X-Data-As-Of: set when the body was read from the replica (lib/db-routing.ts dataAsOfHeaders). */
  dataAsOf: string | null;
  body: string;
}

export async function request(base: string, pathname: string, jar: Jar, init: { method?: string; body?: BodyInit; headers?: Record<string, string>; userAgent?: string } = {}): Promise<Hit> {
  const response = await fetch(`${base}${pathname}`, {
    method: init.method ?? "GET",
    redirect: "manual",
    body: init.body,
    headers: { cookie: jar.header(), "user-agent": init.userAgent ?? "zunyi-cluster-test", origin: base, ...init.headers },
    signal: AbortSignal.timeout(60_000),
  });
  jar.store(response);
  return {
    status: response.status,
    location: response.headers.get("location"),
    upstream: response.headers.get("x-upstream"),
    actionRedirect: response.headers.get("x-action-redirect"),
    dataAsOf: response.headers.get("x-data-as-of"),
    body: await response.text(),
  };
}

/** Auth.js credentials sign-in; ok when a session cookie came back and the redirect is no error. */
export async function signIn(base: string, jar: Jar, username: string, password: string, userAgent?: string): Promise<{ ok: boolean; location: string | null; upstreams: (string | null)[] }> {
  const csrf = await request(base, "/api/auth/csrf", jar, { userAgent });
  const { csrfToken } = JSON.parse(csrf.body) as { csrfToken: string };
  const posted = await request(base, "/api/auth/callback/credentials", jar, {
    method: "POST",
    userAgent,
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ csrfToken, username, password, callbackUrl: "/" }).toString(),
  });
  const ok = posted.status >= 300 && posted.status < 400 && jar.has("session-token") && !/error|code=/.test(posted.location ?? "");
  return { ok, location: posted.location, upstreams: [csrf.upstream, posted.upstream] };
}

/** The id of a server action in the production build (.next/server/server-reference-manifest.json). */
export function actionId(repoRoot: string, file: string, exportedName: string): string {
  const manifest = JSON.parse(readFileSync(path.join(repoRoot, ".next", "server", "server-reference-manifest.json"), "utf8")) as {
    node: Record<string, { exportedName?: string; filename?: string; workers: Record<string, unknown> }>;
  };
  for (const [id, entry] of Object.entries(manifest.node)) {
    if (entry.exportedName === exportedName && (entry.filename === file || entry.filename?.endsWith(file))) return id;
  }
  throw new Error(`server action ${file}#${exportedName} not in the build's manifest`);
}

/** A file input's value: what the browser sends for an <input type="file">. */
export interface UploadFile {
  name: string;
  type: string;
  bytes: Uint8Array<ArrayBuffer>;
}

/** React's client-side argument encoder, from the React build inside Next.js (the one its server decodes with). */
type EncodeReply = (value: unknown) => Promise<string | FormData>;
const encodeReply = (
  createRequire(import.meta.url)("next/dist/compiled/react-server-dom-turbopack/client.node") as { encodeReply: EncodeReply }
).encodeReply;

/**
 * Calls `action(prevState, formData)` on `page` as the React client does (files as multipart parts).
 * The arguments go through React's own encodeReply: a hand-written encoding once used React's older
 * FormData key prefix ("1_field" where React 19.3 sends "_1_field"), so the server saw an empty form
 * and the action answered 200 with a validation error.
 */
export async function callAction(base: string, page: string, jar: Jar, id: string, fields: Record<string, string>, files: Record<string, UploadFile[]> = {}): Promise<Hit> {
  const form = new FormData();
  for (const [key, value] of Object.entries(fields)) form.append(key, value);
  for (const [key, list] of Object.entries(files)) for (const file of list) form.append(key, new Blob([file.bytes], { type: file.type }), file.name);
  const encoded = await encodeReply([{ status: "idle" }, form]);
  return request(base, page, jar, { method: "POST", body: encoded, headers: { "next-action": id, accept: "text/x-component" } });
}

/**
 * What a server action answered. It answers HTTP 200 whether it worked or refused: success here is
 * redirect() (the x-action-redirect header); a refusal is the returned form state in the RSC
 * payload ({"status":"error","formError":…,"fieldErrors":…}), which is quoted so a failure says why.
 */
export function actionOutcome(hit: Hit): { redirect: string | null; refusal: string | null } {
  if (hit.actionRedirect) return { redirect: hit.actionRedirect.split(";")[0]!, refusal: null };
  for (const line of hit.body.split("\n")) {
    const json = line.slice(line.indexOf(":") + 1);
    try {
      const value = JSON.parse(json) as { status?: string; formError?: unknown; fieldErrors?: unknown };
      if (value && value.status === "error") return { redirect: null, refusal: JSON.stringify({ formError: value.formError, fieldErrors: value.fieldErrors }) };
    } catch {
      /* not a JSON row of the payload */
    }
  }
  return { redirect: null, refusal: `HTTP ${hit.status}, no redirect and no form state: ${hit.body.slice(0, 300)}` };
}
