// Hostile input at the HTTP level: every page and route handler of the authorization matrix
// (lib/auth/route-access.ts, read at run time) gets NUL bytes, lone surrogates, RTL marks, 10,000-
// character values, prototype names, huge and negative numbers, impossible dates, unknown
// parameters and bad ids, from a user who may open it and from a signed-out visitor. Whatever the
// answer (400, 404, a page saying the filter is invalid, a redirect), it must never be a 5xx.
// A route added to the matrix without a recipe here fails the suite, so it cannot go untested.
import { randomUUID } from "node:crypto";
import { expect, test, type APIRequestContext, type Browser } from "@playwright/test";
import { PAGE_ACCESS, ROUTE_HANDLER_ACCESS } from "../lib/auth/route-access";
import { BULK_ROUTES } from "../lib/http/bulk-routes";
import { lightsQuery, portfolioQuery, projectsQuery, returnsQuery } from "../lib/api/schemas";
import { projectListQuery } from "../lib/validations/project-list";
import { query, signIn } from "./fixtures";

type Tester = "leader" | "auditor" | "owner.editor" | "sysadmin" | "secadmin" | "anonymous";

interface Recipe {
  /** Who reads it: a user the matrix lets in, so bad input reaches the code behind the check. */
  as: Tester;
  /** Query parameters the route reads. */
  params: readonly string[];
  /** A valid value for each dynamic segment, from the seeded database. */
  segments?: (ids: SampleIds) => Record<string, string>;
}

interface SampleIds {
  project: string; // any project (the leader sees all)
  ownProject: string; // one of owner.editor's organization
  user: string;
  attachment: string;
}

const PROJECT_LIST_PARAMS = Object.keys(projectListQuery.shape);

const RECIPES: Record<string, Recipe> = {
  "/": { as: "leader", params: [] },
  "/login": { as: "anonymous", params: ["next"] },
  "/setup": { as: "anonymous", params: [] },
  "/account": { as: "leader", params: ["mustChange"] },
  "/account/mfa": { as: "leader", params: [] },
  "/account/tokens": { as: "leader", params: [] },
  "/api-reference": { as: "leader", params: [] },
  "/projects": { as: "leader", params: PROJECT_LIST_PARAMS },
  "/projects/[id]": { as: "leader", params: [], segments: (ids) => ({ id: ids.project }) },
  "/projects/[id]/edit": { as: "owner.editor", params: [], segments: (ids) => ({ id: ids.ownProject }) },
  "/projects/[id]/returns/[period]": { as: "owner.editor", params: ["done"], segments: (ids) => ({ id: ids.ownProject, period: "2025-06" }) },
  "/projects/[id]/figures": { as: "leader", params: ["figure"], segments: (ids) => ({ id: ids.project }) },
  "/returns": { as: "owner.editor", params: [] },
  "/my-work": { as: "owner.editor", params: [] },
  "/import": { as: "owner.editor", params: [] },
  "/notifications": { as: "owner.editor", params: [] },
  "/plan": { as: "leader", params: [] },
  "/indicators": { as: "leader", params: [] },
  "/dashboard": { as: "leader", params: ["plan", "measure", "county"] },
  "/delays": { as: "leader", params: ["light"] },
  "/notices": { as: "leader", params: ["county"] },
  "/report": { as: "leader", params: ["month", "plan"] },
  "/evaluation": { as: "auditor", params: ["basis", "cutoff", "column", "programme", "county", "owner", "met"] },
  "/audit": { as: "auditor", params: ["page", "project", "user", "org", "action", "from", "to"] },
  "/reconciliation": { as: "leader", params: ["plan"] },
  "/admin/users": { as: "sysadmin", params: [] },
  "/admin/users/[id]": { as: "sysadmin", params: [], segments: (ids) => ({ id: ids.user }) },
  "/admin/organizations": { as: "sysadmin", params: ["edit"] },
  "/admin/security": { as: "secadmin", params: [] },
  "/admin/system": { as: "sysadmin", params: [] },
  "/api/health": { as: "anonymous", params: [] },
  "/api/auth/[...nextauth]": { as: "anonymous", params: ["callbackUrl", "error", "csrf"], segments: () => ({ nextauth: "session" }) },
  "/api/projects/export": { as: "leader", params: [...PROJECT_LIST_PARAMS, "format"] },
  "/api/projects/filter-options": { as: "leader", params: ["locale", "plan"] },
  "/api/attachments/[id]": { as: "leader", params: ["disposition"], segments: (ids) => ({ id: ids.attachment }) },
  "/api/oc4ids": { as: "leader", params: ["plan"] },
  "/api/import/template": { as: "owner.editor", params: ["kind", "scope"] },
  "/api/import/errors/[id]": { as: "owner.editor", params: [], segments: () => ({ id: randomUUID() }) },
  "/api/audit/export": { as: "auditor", params: ["format", "project", "user", "org", "from", "to", "action"] },
  "/api/report": { as: "leader", params: ["month", "plan"] },
  "/api/evaluation": { as: "auditor", params: ["basis", "cutoff", "column", "programme", "county", "owner", "met"] },
  "/api/reconciliation/export": { as: "auditor", params: ["format", "plan"] },
  "/api/v1/openapi.json": { as: "leader", params: [] },
  "/api/v1/projects": { as: "leader", params: Object.keys(projectsQuery.shape) },
  "/api/v1/projects/[id]": { as: "leader", params: [], segments: (ids) => ({ id: ids.project }) },
  "/api/v1/projects/[id]/returns": { as: "leader", params: Object.keys(returnsQuery.shape), segments: (ids) => ({ id: ids.project }) },
  "/api/v1/portfolio": { as: "leader", params: Object.keys(portfolioQuery.shape) },
  "/api/v1/indicators": { as: "leader", params: [] },
  "/api/v1/lights": { as: "leader", params: Object.keys(lightsQuery.shape) },
};

const TEN_THOUSAND = "x".repeat(10_000);

/** Query values, already percent-encoded as a hostile client would send them. */
const BAD_VALUES = [
  "%00", // NUL
  "a%00b",
  "%ED%A0%80", // a lone surrogate (U+D800 as "UTF-8")
  "%E2%80%8F%E2%80%AEabc", // RLM + RLO
  "%EF%BF%BF", // a noncharacter
  "%E0%A4%A", // a truncated escape
  TEN_THOUSAND,
  "99999999999999999999999",
  "-1",
  "-99999999999",
  "1e309",
  "NaN",
  "0",
  "2026-13-01",
  "9999-99-99",
  "2026-02-30",
  "2026-13",
  "__proto__",
  "constructor",
  "toString",
  "%5B%5D", // []
  "%7B%22a%22%3A1%7D", // {"a":1}
  "'%20OR%201%3D1--",
];

/** Parameter names nobody reads: prototype keys and strangers. */
const BAD_NAMES = ["__proto__", "constructor", "prototype", "__proto__%5Bpolluted%5D", "constructor.prototype", "unknownParam", "%00", TEN_THOUSAND];

/** Values for a dynamic segment: malformed, unknown and hostile ids. */
const BAD_SEGMENTS = [
  "not-a-uuid",
  "00000000-0000-0000-0000-000000000000",
  randomUUID(),
  `${randomUUID()}x`,
  "%00",
  "%ED%A0%80",
  "%E2%80%8F1",
  TEN_THOUSAND.slice(0, 2000),
  "__proto__",
  "constructor",
  "-1",
  "99999999999999999999",
  "2026-13",
  "9999-99",
  "0000-00",
  "..%2F..%2Fetc",
  "%25",
];

const ALL_ROUTES = [...Object.keys(PAGE_ACCESS), ...Object.keys(ROUTE_HANDLER_ACCESS)];

test("every page and route handler in the matrix has a bad-input recipe", () => {
  const missing = ALL_ROUTES.filter((route) => !(route in RECIPES));
  const stale = Object.keys(RECIPES).filter((route) => !ALL_ROUTES.includes(route));
  expect(missing, "routes without a recipe in e2e/bad-input.spec.ts").toEqual([]);
  expect(stale, "recipes for routes no longer in the matrix").toEqual([]);
});

function fill(route: string, values: Record<string, string>): string {
  return route.replace(/\[(?:\.\.\.)?(\w+)\]/g, (_, name: string) => values[name] ?? "missing");
}

/** Every bad URL for a route: each parameter × each bad value, bad names, and each bad segment. */
function badUrls(route: string, recipe: Recipe, ids: SampleIds): string[] {
  const valid = recipe.segments?.(ids) ?? {};
  const base = fill(route, valid);
  const urls = [base, `${base}?unknownParam=1`];
  for (const param of recipe.params) {
    for (const value of BAD_VALUES) urls.push(`${base}?${param}=${value}`);
    urls.push(`${base}?${param}=1&${param}=2`); // repeated
    urls.push(`${base}?${param}`); // no value at all
  }
  for (const name of BAD_NAMES) urls.push(`${base}?${name}=1`, `${base}?${name}=%00`);
  for (const segment of Object.keys(valid)) {
    for (const bad of BAD_SEGMENTS) urls.push(fill(route, { ...valid, [segment]: bad }));
  }
  if (route === "/api/auth/[...nextauth]") {
    for (const action of ["csrf", "providers", "signin", "signout", "error", "callback/credentials", "callback/%00", "unknown", "session/%00/x"]) {
      urls.push(`/api/auth/${action}`, `/api/auth/${action}?error=%00&callbackUrl=javascript:alert(1)`);
    }
  }
  return urls;
}

interface Finding {
  route: string;
  as: string;
  url: string;
  status: number;
  body: string;
}

/**
 * GETs every URL (a few at a time: the server is busy enough), keeping each 5xx answer. A bulk
 * download one at a time: one user's third concurrent download is refused with 429 before its
 * input is read (lib/http/bulk-slots.ts), and each URL here must reach the code behind it.
 */
async function probe(request: APIRequestContext, route: string, as: string, urls: string[]): Promise<Finding[]> {
  const findings: Finding[] = [];
  const queue = [...urls];
  const worker = async () => {
    for (let url = queue.shift(); url !== undefined; url = queue.shift()) {
      const response = await request.get(url, { maxRedirects: 0, failOnStatusCode: false });
      if (response.status() >= 500) {
        const body = (await response.text()).replace(/\s+/g, " ").slice(0, 200);
        findings.push({ route, as, url: url.length > 160 ? `${url.slice(0, 160)}…(${url.length} chars)` : url, status: response.status(), body });
      }
    }
  };
  await Promise.all(Array.from({ length: BULK_ROUTES.has(route) ? 1 : 3 }, worker));
  return findings;
}

async function sampleIds(): Promise<SampleIds> {
  const [project] = await query<{ id: string }>(`SELECT id FROM "Project" WHERE approval = 'ACCEPTED' ORDER BY "planKey" LIMIT 1`);
  const [ownProject] = await query<{ id: string }>(
    `SELECT p.id FROM "Project" p JOIN "Organization" o ON o.id = p."ownerOrgId" WHERE o.name = '仁怀市人民政府' AND p.approval = 'ACCEPTED' ORDER BY p."planKey" LIMIT 1`,
  );
  const [user] = await query<{ id: string }>(`SELECT id FROM "User" WHERE username = 'leader'`);
  const [attachment] = await query<{ id: string }>(`SELECT id FROM "Attachment" LIMIT 1`);
  return { project: project!.id, ownProject: ownProject!.id, user: user!.id, attachment: attachment?.id ?? randomUUID() };
}

/** One signed-in browser context per tester, shared by that tester's routes. */
const contexts = new Map<Tester, Promise<APIRequestContext>>();

function requestAs(browser: Browser, tester: Tester): Promise<APIRequestContext> {
  let context = contexts.get(tester);
  if (!context) {
    context = (async () => {
      const browserContext = await browser.newContext({ baseURL: test.info().project.use.baseURL });
      const page = await browserContext.newPage();
      if (tester !== "anonymous") await signIn(page, tester);
      return page.request;
    })();
    contexts.set(tester, context);
  }
  return context;
}

test.describe("no bad input makes the server fail (5xx)", () => {
  let ids: SampleIds;

  test.beforeAll(async () => {
    ids = await sampleIds();
  });

  for (const route of ALL_ROUTES) {
    test(`${route}`, async ({ browser }) => {
      const recipe = RECIPES[route];
      // A route without a recipe fails here too, not only in the coverage test above.
      expect(recipe, `${route} has no bad-input recipe`).toBeDefined();
      test.setTimeout(300_000);
      const urls = badUrls(route, recipe!, ids);
      const findings = await probe(await requestAs(browser, recipe!.as), route, recipe!.as, urls);
      // Signed out, the same URLs meet proxy.ts (401/redirect) or the public route itself.
      if (recipe!.as !== "anonymous") findings.push(...(await probe(await requestAs(browser, "anonymous"), route, "anonymous", urls)));
      for (const f of findings) console.log(`[bad-input] ${f.status} ${f.as} ${f.url} → ${f.body}`);
      expect(findings.map((f) => `${f.status} ${f.as} ${f.url}`), `${route}: answers 5xx to bad input`).toEqual([]);
    });
  }
});
