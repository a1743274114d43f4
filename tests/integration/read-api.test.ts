// The read API (/api/v1, issue 18 §3) on the seeded library, called through its real route
// handlers with real tokens: every role sees exactly the projects the UI's data functions show it,
// every answer fits the OpenAPI document the API serves, bad parameters are a 400 naming the
// parameter, generated queries never get a 5xx, and tokens are scoped, revocable, expiring,
// rate-limited and audited per call.
import { fc } from "@fast-check/vitest";
import { NextRequest } from "next/server";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { CurrentUser } from "@/lib/auth/session";
import type { Permission } from "@/lib/auth/permissions";
import { userActor } from "@/tests/helpers/actors";
import { nastyString } from "@/tests/helpers/input-fuzz";
import { openApiValidator } from "@/tests/helpers/openapi-validate";
import { seededTestDatabase, type TestDatabase } from "@/tests/helpers/test-database";

const session = vi.hoisted(() => ({ user: null as CurrentUser | null }));
vi.mock("@/lib/auth/session", async (importOriginal) => ({
  ...(await importOriginal<typeof import("@/lib/auth/session")>()),
  getCurrentUser: async () => session.user,
}));
vi.mock("next/headers", () => ({ headers: async () => new Headers(), cookies: async () => ({ get: () => undefined, set: () => undefined }) }));

let db: TestDatabase;
let prisma: typeof import("@/lib/db").prisma;
let tokens: typeof import("@/lib/api/tokens");
let projects: typeof import("@/lib/data/projects");
let validate: ReturnType<typeof openApiValidator>;
let document: { paths: Record<string, unknown> };

const ROUTES = {
  "/api/v1/projects": () => import("@/app/api/v1/projects/route"),
  "/api/v1/projects/[id]": () => import("@/app/api/v1/projects/[id]/route"),
  "/api/v1/openapi.json": () => import("@/app/api/v1/openapi.json/route"),
  "/api/v1/projects/[id]/returns": () => import("@/app/api/v1/projects/[id]/returns/route"),
  "/api/v1/portfolio": () => import("@/app/api/v1/portfolio/route"),
  "/api/v1/indicators": () => import("@/app/api/v1/indicators/route"),
  "/api/v1/lights": () => import("@/app/api/v1/lights/route"),
} as const;
type Route = keyof typeof ROUTES;

/** Calls the real handler of `route` with a bearer token (or, with token null, the mocked session). */
async function get(route: Route, token: string | null, query = "", id = ""): Promise<{ status: number; body: unknown; headers: Headers }> {
  const mod = await ROUTES[route]();
  const url = `http://localhost${route.replace("[id]", id)}${query ? `?${query}` : ""}`;
  const request = new NextRequest(url, { headers: token === null ? {} : { authorization: `Bearer ${token}` } });
  const response = await mod.GET(request, { params: Promise.resolve({ id }) } as never);
  return { status: response.status, body: await response.json(), headers: response.headers };
}

/** The OpenAPI path template of a route ("/api/v1/projects/[id]" → "/projects/{id}"). */
const template = (route: Route) => route.replace("/api/v1", "").replace("[id]", "{id}");

function expectFits(route: Route, answer: { status: number; body: unknown }) {
  expect(validate(template(route), answer.status, answer.body), `${route} ${answer.status}`).toEqual([]);
}

const BUSINESS_USERS = ["owner.editor", "owner.viewer", "reviewer", "city.reviewer", "leader", "auditor"];
const issued = new Map<string, string>();

async function tokenFor(username: string): Promise<string> {
  const existing = issued.get(username);
  if (existing) return existing;
  const actor = await userActor(username);
  const created = await tokens.createApiToken(actor, { name: `test ${username}`, permissions: tokens.grantablePermissions(actor.permissions), expiresInDays: 90 }, "10.0.0.1");
  issued.set(username, created.token);
  return created.token;
}

/** Every page of /api/v1/projects for the query, following nextCursor. */
async function allPages(token: string, query: string): Promise<{ ids: string[]; totals: unknown; total: number }> {
  const ids: string[] = [];
  let cursor: string | null = null;
  let first: { totals: unknown; total: number } | null = null;
  do {
    const q: string = [query, "limit=100", cursor ? `cursor=${cursor}` : ""].filter(Boolean).join("&");
    const answer = await get("/api/v1/projects", token, q);
    expect(answer.status, q).toBe(200);
    expectFits("/api/v1/projects", answer);
    const body = answer.body as { data: { id: string }[]; nextCursor: string | null; totals: unknown; total: number };
    first ??= body;
    ids.push(...body.data.map((p) => p.id));
    cursor = body.nextCursor;
  } while (cursor);
  return { ids, totals: first.totals, total: first.total };
}

beforeAll(async () => {
  ({ db, prisma } = await seededTestDatabase(new Date("2026-11-15T00:00:00Z")));
  tokens = await import("@/lib/api/tokens");
  projects = await import("@/lib/data/projects");
  document = (await import("@/lib/api/openapi")).openApiDocument() as never;
  validate = openApiValidator(document as never);
}, 180_000);

afterAll(async () => {
  await prisma?.$disconnect();
  await db?.drop();
});

describe("project scope exactly as in the UI", () => {
  const FILTERS = ["", "stage=CONSTRUCTION", "county=520382&sort=plannedInvestment.desc", "q=%E5%8C%BB%E9%99%A2", "light=RED,YELLOW"];

  it("every business role pages through the same projects, in the same order, as the table's data function", async () => {
    const { parseProjectListParams } = await import("@/lib/validations/project-list");
    let compared = 0;
    for (const username of BUSINESS_USERS) {
      const actor = await userActor(username);
      const token = await tokenFor(username);
      for (const filter of FILTERS) {
        const parsed = parseProjectListParams(new URLSearchParams(filter));
        if (!parsed.ok) throw new Error(filter);
        const ui = await projects.exportProjects(actor, parsed.query);
        const uiPage = await projects.listProjects(actor, parsed.query);
        const api = await allPages(token, filter);
        expect(api.ids, `${username} ${filter}`).toEqual(ui.map((r) => r.id));
        expect(api.total, `${username} ${filter}`).toBe(uiPage.total);
        expect(api.totals, `${username} ${filter}`).toEqual(uiPage.totals);
        compared += ui.length;
      }
    }
    // The library is seen: leader and auditor alone see all 300-odd projects five ways.
    expect(compared).toBeGreaterThan(600);
  });

  it("one project: in scope answered and fitting the document, out of scope 404 like a missing one", async () => {
    const editor = await userActor("owner.editor");
    const own = await prisma.project.findFirstOrThrow({ where: { ownerOrgId: editor.organizationId }, select: { id: true } });
    const other = await prisma.project.findFirstOrThrow({ where: { NOT: { ownerOrgId: editor.organizationId } }, select: { id: true } });
    const token = await tokenFor("owner.editor");
    const answer = await get("/api/v1/projects/[id]", token, "", own.id);
    expect(answer.status).toBe(200);
    expectFits("/api/v1/projects/[id]", answer);
    const body = answer.body as { unit: string; data: { id: string; milestones: unknown[]; funds: { amount: string }[] } };
    expect(body.unit).toBe("万元");
    expect(body.data.id).toBe(own.id);
    const outside = await get("/api/v1/projects/[id]", token, "", other.id);
    expect(outside.status).toBe(404);
    expectFits("/api/v1/projects/[id]", outside);
    const missing = await get("/api/v1/projects/[id]", token, "", "7d4c9a1e-3b1f-4f7e-9a51-0c2f3b6d8e10");
    expect(missing).toMatchObject({ status: 404 });
  });
});

describe("the contract", () => {
  it("the document is OpenAPI 3.1 and lists every /api/v1 route but itself", async () => {
    const answer = await get("/api/v1/openapi.json", await tokenFor("leader"));
    expect(answer.status).toBe(200);
    const served = answer.body as { openapi: string; paths: Record<string, unknown> };
    expect(served.openapi).toBe("3.1.0");
    const { ROUTE_HANDLER_ACCESS } = await import("@/lib/auth/route-access");
    const apiRoutes = Object.keys(ROUTE_HANDLER_ACCESS).filter((r) => r.startsWith("/api/v1/") && r !== "/api/v1/openapi.json") as Route[];
    expect(Object.keys(served.paths).sort()).toEqual(apiRoutes.map(template).sort());
  });

  it("amounts are decimal strings in 万元 and dates ISO days", async () => {
    const answer = await get("/api/v1/projects", await tokenFor("leader"), "budget=has&limit=5");
    const body = answer.body as { unit: string; data: { plannedInvestment: string; plannedStart: string | null }[] };
    expect(body.unit).toBe("万元");
    expect(body.data.length).toBe(5);
    for (const p of body.data) {
      expect(p.plannedInvestment).toMatch(/^\d+(\.\d+)?$/);
      if (p.plannedStart) expect(p.plannedStart).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    }
  });

  it("a bad parameter is a 400 naming it", async () => {
    const token = await tokenFor("leader");
    const other = (await get("/api/v1/projects", token, "stage=CONSTRUCTION&limit=2")).body as { nextCursor: string };
    const cases: [string, string][] = [
      ["stage=BOGUS", "stage"],
      ["limit=0", "limit"],
      ["limit=abc", "limit"],
      ["sort=name.sideways", "sort"],
      ["bogus=1", "bogus"],
      ["page=2", "page"],
      ["cursor=%21%21", "cursor"],
      ["cursor=eyJvIjoxMCwiZiI6Inh4In0", "cursor"],
      // A cursor issued for another filter does not page this list.
      [`stage=COMPLETED&limit=2&cursor=${other.nextCursor}`, "cursor"],
    ];
    for (const [query, field] of cases) {
      const answer = await get("/api/v1/projects", token, query);
      expect(answer.status, query).toBe(400);
      expectFits("/api/v1/projects", answer);
      // A list parameter's bad item is named with its index ("stage.0").
      expect((answer.body as { problems: { field: string }[] }).problems.map((p) => p.field.split(".")[0]), query).toContain(field);
    }
    const badId = await get("/api/v1/projects/[id]", token, "", "not-a-uuid");
    expect(badId.status).toBe(404);
    const extra = await get("/api/v1/projects/[id]", token, "x=1", "7d4c9a1e-3b1f-4f7e-9a51-0c2f3b6d8e10");
    expect(extra.status).toBe(400);
    expect((extra.body as { problems: { field: string }[] }).problems[0]!.field).toBe("x");
  });

  it("generated queries never get a 5xx, and every answer fits the document", async () => {
    const token = await tokenFor("auditor");
    const names = ["q", "stage", "target", "county", "column", "programme", "sector", "owner", "funding", "budget", "demo", "light", "sort", "limit", "cursor", "__proto__", "constructor", "x"];
    // The rate limit is not what this test is about.
    await prisma.apiToken.updateMany({ data: { rateLimitPerMinute: 100_000 } });
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(fc.constantFrom(...names), fc.oneof(nastyString(), fc.string())), { maxLength: 4 }), async (pairs) => {
        const query = new URLSearchParams(pairs).toString();
        const route: Route = pairs.length % 2 ? "/api/v1/projects" : "/api/v1/projects/[id]";
        const answer = await get(route, token, query, pairs[0]?.[1] ?? "");
        expect(answer.status, query).toBeLessThan(500);
        if (answer.status === 400) expect((answer.body as { problems: { field: string }[] }).problems.length).toBeGreaterThan(0);
        if (answer.status === 200 || answer.status === 400) expectFits(route, answer);
      }),
      { numRuns: Number(process.env.FUZZ_DB_RUNS ?? 150) },
    );
  });
});

describe("returns, portfolio, indicators and lights equal the UI's data functions for every role", () => {
  it("approved returns by project and period: in scope as the return pages list them, out of scope 404", async () => {
    const { listProjectReturns, readableProject } = await import("@/lib/returns/queries");
    const withReturns = await prisma.$queryRaw<{ projectId: string }[]>`
      SELECT DISTINCT ON (p."ownerOrgId") r."projectId" FROM "MonthlyReturn" r JOIN "Project" p ON p.id = r."projectId"
       WHERE r.status = 'APPROVED' ORDER BY p."ownerOrgId", r."projectId" LIMIT 4`;
    expect(withReturns.length).toBeGreaterThan(1);
    // And a project with both approved and unapproved returns, whose unapproved months must not show.
    const [mixed] = await prisma.$queryRaw<{ projectId: string }[]>`
      SELECT r."projectId" FROM "MonthlyReturn" r GROUP BY r."projectId"
      HAVING bool_or(r.status = 'APPROVED') AND bool_or(r.status <> 'APPROVED') ORDER BY r."projectId" LIMIT 1`;
    expect(mixed).toBeDefined();
    withReturns.push(mixed!);
    const unapproved = await prisma.monthlyReturn.findMany({ where: { projectId: mixed!.projectId, NOT: { status: "APPROVED" } }, select: { period: true } });
    const leaderAnswer = await get("/api/v1/projects/[id]/returns", await tokenFor("leader"), "", mixed!.projectId);
    const leaderPeriods = (leaderAnswer.body as { data: { period: string }[] }).data.map((r) => r.period);
    expect(leaderPeriods.length).toBeGreaterThan(0);
    for (const r of unapproved) expect(leaderPeriods).not.toContain(r.period.toISOString().slice(0, 7));
    const seen = { ok: 0, notFound: 0, nonEmpty: 0 };
    for (const username of BUSINESS_USERS) {
      const actor = await userActor(username);
      const token = await tokenFor(username);
      for (const { projectId } of withReturns) {
        const answer = await get("/api/v1/projects/[id]/returns", token, "", projectId);
        expectFits("/api/v1/projects/[id]/returns", answer);
        if (!(await readableProject(actor, projectId))) {
          expect(answer.status, `${username} ${projectId}`).toBe(404);
          seen.notFound++;
          continue;
        }
        expect(answer.status, `${username} ${projectId}`).toBe(200);
        seen.ok++;
        const ui = (await listProjectReturns(actor, projectId)).filter((r) => r.status === "APPROVED");
        const body = answer.body as { unit: string; data: { period: string; completedInvestment: string; approvedCumulative: string }[] };
        expect(body.unit).toBe("万元");
        expect(body.data.map((r) => [r.period, r.completedInvestment, r.approvedCumulative])).toEqual(ui.map((r) => [r.period, r.completedInvestment.toString(), r.approvedCumulative]));
        if (ui.length > 0) {
          seen.nonEmpty++;
          const one = ui[Math.floor(ui.length / 2)]!;
          const single = await get("/api/v1/projects/[id]/returns", token, `period=${one.period}`, projectId);
          expectFits("/api/v1/projects/[id]/returns", single);
          expect((single.body as { data: { period: string }[] }).data.map((r) => r.period)).toEqual([one.period]);
          const range = await get("/api/v1/projects/[id]/returns", token, `from=${one.period}`, projectId);
          expect((range.body as { data: { period: string }[] }).data.map((r) => r.period)).toEqual(ui.filter((r) => r.period >= one.period).map((r) => r.period));
        }
      }
    }
    expect(seen.ok).toBeGreaterThan(0);
    expect(seen.notFound).toBeGreaterThan(0);
    expect(seen.nonEmpty).toBeGreaterThan(0);
  });

  it("portfolio totals against the plan target are the dashboard's, for every role that sees the dashboard", async () => {
    const { getDashboard } = await import("@/lib/portfolio/dashboard");
    const { planTarget } = await import("@/lib/portfolio/facts");
    let served = 0;
    for (const username of BUSINESS_USERS) {
      const actor = await userActor(username);
      const answer = await get("/api/v1/portfolio", await tokenFor(username));
      expectFits("/api/v1/portfolio", answer);
      if (!actor.permissions.has("portfolio:read:all")) {
        expect(answer.status, username).toBe(403);
        continue;
      }
      expect(answer.status, username).toBe(200);
      served++;
      const ui = await getDashboard(actor);
      const body = answer.body as Record<string, unknown> & { metrics: Record<string, unknown> };
      expect(body).toMatchObject({
        unit: "万元",
        reportingPeriod: ui.reportingPeriod,
        projectCount: ui.projectCount,
        target: ui.target,
        completedInPlanPeriod: ui.completedInPlanPeriod,
        plannedInvestment: ui.plannedInvestment,
        completedInvestment: ui.completedInvestment,
        byLight: ui.byLight,
      });
      expect(body.target).toBe(await planTarget());
      expect(body.metrics.scheduleTarget).toBe(ui.metrics.scheduleTarget.toString());
      expect(body.metrics.startRate).toEqual({ ...ui.metrics.startRate, percent: ui.metrics.startRate.percent?.toString() ?? null });
      // As of an earlier month, the dashboard's figures for that month.
      const earlier = await get("/api/v1/portfolio", await tokenFor(username), "month=2025-12");
      expect(earlier.status).toBe(200);
      expectFits("/api/v1/portfolio", earlier);
      expect((earlier.body as { completedInvestment: string }).completedInvestment).toBe((await getDashboard(actor, new Date(), "2025-12")).completedInvestment);
    }
    expect(served).toBeGreaterThan(0);
  });

  it("indicators and lights with reasons are the indicators page's and the delay review's", async () => {
    const { listIndicators } = await import("@/lib/data/indicators");
    const { listDelayReview } = await import("@/lib/portfolio/delays");
    let lightsServed = 0;
    let indicatorsServed = 0;
    for (const username of BUSINESS_USERS) {
      const actor = await userActor(username);
      const token = await tokenFor(username);
      const indicators = await get("/api/v1/indicators", token);
      expectFits("/api/v1/indicators", indicators);
      if (actor.permissions.has("indicator:read:all")) {
        indicatorsServed++;
        expect(indicators.status).toBe(200);
        const ui = await listIndicators(actor);
        expect((indicators.body as { data: { number: number; values: { value: string }[] }[] }).data.map((i) => [i.number, i.values.map((v) => v.value)])).toEqual(
          ui.map((i) => [i.number, i.values.map((v) => v.value.toString())]),
        );
      } else expect(indicators.status, username).toBe(403);
      const lights = await get("/api/v1/lights", token, "limit=2000");
      expectFits("/api/v1/lights", lights);
      if (actor.permissions.has("portfolio:read:all")) {
        lightsServed++;
        expect(lights.status).toBe(200);
        const ui = await listDelayReview(actor, { limit: 2000 });
        const body = lights.body as { total: number; data: { projectId: string; reasons: { code: string }[] }[] };
        expect(body.total).toBe(ui.total);
        expect(body.data.map((r) => [r.projectId, r.reasons.map((x) => x.code)])).toEqual(ui.rows.map((r) => [r.projectId, r.reasons.map((x) => x.code)]));
        expect(body.data.length).toBeGreaterThan(0);
        const red = await get("/api/v1/lights", token, "light=RED");
        expect((red.body as { data: { light: string }[] }).data.every((r) => r.light === "RED")).toBe(true);
      } else expect(lights.status, username).toBe(403);
    }
    expect(lightsServed).toBeGreaterThan(0);
    expect(indicatorsServed).toBeGreaterThan(0);
  });

  it("a bad parameter is a 400 naming it, on every new route", async () => {
    const token = await tokenFor("leader");
    const project = await prisma.project.findFirstOrThrow({ select: { id: true } });
    const cases: [Route, string, string][] = [
      ["/api/v1/projects/[id]/returns", "period=2025-13", "period"],
      ["/api/v1/projects/[id]/returns", "period=2019-01", "period"],
      ["/api/v1/projects/[id]/returns", "from=2025-06&to=2025-01", "to"],
      ["/api/v1/projects/[id]/returns", "period=2025-01&from=2024-01", "period"],
      ["/api/v1/projects/[id]/returns", "status=DRAFT", "status"],
      ["/api/v1/portfolio", "month=2099-01", "month"],
      ["/api/v1/portfolio", "month=yesterday", "month"],
      ["/api/v1/indicators", "year=2024", "year"],
      ["/api/v1/lights", "light=GREEN", "light"],
      ["/api/v1/lights", "limit=0", "limit"],
    ];
    for (const [route, query, field] of cases) {
      const answer = await get(route, token, query, project.id);
      expect(answer.status, `${route}?${query}`).toBe(400);
      expectFits(route, answer);
      expect((answer.body as { problems: { field: string }[] }).problems.map((p) => p.field), `${route}?${query}`).toContain(field);
    }
  });

  it("generated queries on the new routes never get a 5xx, and every answer fits the document", async () => {
    const token = await tokenFor("auditor");
    await prisma.apiToken.updateMany({ data: { rateLimitPerMinute: 100_000 } });
    const project = await prisma.project.findFirstOrThrow({ select: { id: true } });
    const routes: Route[] = ["/api/v1/projects/[id]/returns", "/api/v1/portfolio", "/api/v1/indicators", "/api/v1/lights"];
    const names = ["period", "from", "to", "month", "light", "limit", "__proto__", "x"];
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...routes), fc.array(fc.tuple(fc.constantFrom(...names), fc.oneof(nastyString(), fc.string(), fc.constantFrom("2025-06", "RED", "10"))), { maxLength: 3 }), async (route, pairs) => {
        const query = new URLSearchParams(pairs).toString();
        const answer = await get(route, token, query, project.id);
        expect(answer.status, `${route}?${query}`).toBeLessThan(500);
        if (answer.status === 400) expect((answer.body as { problems: { field: string }[] }).problems.length).toBeGreaterThan(0);
        expectFits(route, answer);
      }),
      { numRuns: Number(process.env.FUZZ_DB_RUNS ?? 60) },
    );
  });
});

describe("tokens", () => {
  it("are stored hashed, shown once, and name their owner in each call's audit event", async () => {
    const token = await tokenFor("reviewer");
    const row = await prisma.apiToken.findFirstOrThrow({ where: { name: "test reviewer" } });
    expect(row.tokenHash).toBe(tokens.hashToken(token));
    expect(JSON.stringify(row)).not.toContain(token);
    const answer = await get("/api/v1/projects", token, "limit=3");
    const event = await prisma.auditEvent.findFirstOrThrow({ where: { action: "api.call" }, orderBy: { seq: "desc" } });
    expect(event.details).toEqual({ tokenId: row.id, route: "/api/v1/projects", status: 200, count: (answer.body as { data: unknown[] }).data.length });
    expect(event.actorName).toBe("reviewer");
  });

  it("a scope beyond the owner's permissions is refused; a narrower scope narrows the API", async () => {
    const editor = await userActor("owner.editor");
    await expect(tokens.createApiToken(editor, { name: "too wide", permissions: ["project:read:all"], expiresInDays: 30 }, null)).rejects.toThrow("validation failed");
    const admin = await userActor("sysadmin");
    expect(tokens.grantablePermissions(admin.permissions)).toEqual([]);
    const leader = await userActor("leader");
    const narrow = await tokens.createApiToken(leader, { name: "indicators only", permissions: ["indicator:read:all"], expiresInDays: 30 }, null);
    expect((await get("/api/v1/projects", narrow.token)).status).toBe(403);
  });

  it("revoked, expired, unknown or malformed tokens get a 401", async () => {
    const leader = await userActor("leader");
    const a = await tokens.createApiToken(leader, { name: "to revoke", permissions: ["project:read:all"], expiresInDays: 30 }, null);
    expect((await get("/api/v1/projects", a.token, "limit=1")).status).toBe(200);
    await tokens.revokeApiToken(leader, a.id, null);
    const revoked = await get("/api/v1/projects", a.token, "limit=1");
    expect(revoked.status).toBe(401);
    expect(revoked.headers.get("www-authenticate")).toContain("invalid_token");
    const b = await tokens.createApiToken(leader, { name: "to expire", permissions: ["project:read:all"], expiresInDays: 30 }, null);
    await prisma.apiToken.update({ where: { id: b.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect((await get("/api/v1/projects", b.token)).status).toBe(401);
    expect((await get("/api/v1/projects", `${b.token}x`)).status).toBe(401);
    expect((await get("/api/v1/projects", "")).status).toBe(401);
    // Only its owner or the security administrator may revoke a token.
    const c = await tokens.createApiToken(leader, { name: "not yours", permissions: ["project:read:all"], expiresInDays: 30 }, null);
    await expect(tokens.revokeApiToken(await userActor("auditor"), c.id, null)).rejects.toThrow("not found");
    await tokens.revokeApiToken(await userActor("secadmin"), c.id, null);
    expect((await get("/api/v1/projects", c.token)).status).toBe(401);
  });

  it("are rate-limited per token with a 429 and Retry-After", async () => {
    const leader = await userActor("leader");
    const t = await tokens.createApiToken(leader, { name: "limited", permissions: ["project:read:all"], expiresInDays: 30 }, null);
    await prisma.apiToken.update({ where: { id: t.id }, data: { rateLimitPerMinute: 2 } });
    const statuses: number[] = [];
    let retryAfter: string | null = null;
    for (let i = 0; i < 3; i++) {
      const answer = await get("/api/v1/projects", t.token, "limit=1");
      statuses.push(answer.status);
      if (answer.status === 429) {
        retryAfter = answer.headers.get("retry-after");
        expectFits("/api/v1/projects", answer);
      }
    }
    // Unless the minute turned between the calls, the third is refused.
    if (statuses[2] === 200) expect(statuses).toEqual([200, 200, 200]);
    else {
      expect(statuses).toEqual([200, 200, 429]);
      expect(Number(retryAfter)).toBeGreaterThanOrEqual(1);
      expect(Number(retryAfter)).toBeLessThanOrEqual(60);
    }
    // Another token of the same owner has its own budget.
    expect((await get("/api/v1/projects", await tokenFor("leader"), "limit=1")).status).toBe(200);
  });

  it("the security administrator issues tokens for a system account, which cannot sign in", async () => {
    const system = await prisma.user.create({
      data: { username: "stats.bureau", displayName: "stats bureau", passwordHash: "x", isSystemAccount: true, roles: { create: [{ role: "AUDITOR" }] } },
    });
    const secadmin = await userActor("secadmin");
    const permissions: Permission[] = ["project:read:all"];
    const created = await tokens.createApiToken(secadmin, { name: "stats", permissions, expiresInDays: 365, ownerId: system.id }, null);
    const answer = await get("/api/v1/projects", created.token, "limit=1");
    expect(answer.status).toBe(200);
    expect((answer.body as { total: number }).total).toBeGreaterThan(300);
    // Nobody else may issue one for it, nor for an ordinary user.
    await expect(tokens.createApiToken(await userActor("leader"), { name: "x", permissions, expiresInDays: 30, ownerId: system.id }, null)).rejects.toThrow("permission denied");
    const leaderRow = await prisma.user.findUniqueOrThrow({ where: { username: "leader" } });
    await expect(tokens.createApiToken(secadmin, { name: "x", permissions, expiresInDays: 30, ownerId: leaderRow.id }, null)).rejects.toThrow("validation failed");
    const { attemptLogin } = await import("@/lib/auth/login");
    const { hashPassword } = await import("@/lib/auth/password");
    await prisma.user.update({ where: { id: system.id }, data: { passwordHash: await hashPassword("Correct-Horse-9-battery") } });
    expect(await attemptLogin({ username: "stats.bureau", password: "Correct-Horse-9-battery", ip: "10.0.0.9" })).toEqual({ ok: false, error: "invalid" });
  });
});
