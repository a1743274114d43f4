// The Content-Security-Policy as a browser meets it: every page gets a fresh nonce, no inline
// script runs without it, and the pages people use load and work with no CSP violation, no
// hydration mismatch and no other console error.
import http from "node:http";
import { expect, test, type Page } from "@playwright/test";
import { MAX_REQUEST_BODY_MB } from "../lib/security-headers";
import { collectBrowserErrors, query, signIn } from "./fixtures";

function scriptSrc(csp: string | undefined): string {
  return csp?.split(";").map((d) => d.trim()).find((d) => d.startsWith("script-src ")) ?? "";
}

test("a page's CSP carries a fresh nonce, no 'unsafe-inline' for scripts, and every script tag carries that nonce", async ({ request }) => {
  const first = await request.get("/login");
  const second = await request.get("/login");
  const src = scriptSrc(first.headers()["content-security-policy"]);
  const nonce = /'nonce-([A-Za-z0-9+/=]+)'/.exec(src)?.[1];
  expect(nonce, src).toBeTruthy();
  expect(src).toContain("'strict-dynamic'");
  expect(src).not.toContain("'unsafe-inline'");
  expect(scriptSrc(second.headers()["content-security-policy"]), "a new nonce per request").not.toContain(nonce);

  const scripts = (await first.text()).match(/<script\b[^>]*>/g) ?? [];
  expect(scripts.length).toBeGreaterThan(3);
  for (const tag of scripts) expect(tag, "script tag carries the response's nonce").toContain(`nonce="${nonce}"`);
});

test("every kind of response has a CSP: redirects, proxy refusals, route handlers and static files", async ({ request }) => {
  const login = await request.get("/login");
  const asset = /<script src="(\/_next\/static\/[^"]+\.js)"/.exec(await login.text())![1]!;
  const responses = {
    redirect: await request.get("/projects", { maxRedirects: 0 }),
    refused: await request.get("/api/projects/export"),
    health: await request.get("/api/health"),
    asset: await request.get(asset),
    notFound: await request.get("/_next/static/nothing-here.js"),
  };
  expect(responses.redirect.status()).toBe(307);
  expect(responses.refused.status()).toBe(401);
  for (const [kind, response] of Object.entries(responses)) {
    const src = scriptSrc(response.headers()["content-security-policy"]);
    expect(src, `${kind} has a CSP`).toMatch(/^script-src 'self'/);
    expect(src, kind).not.toContain("'unsafe-inline'");
  }
});

async function visit(page: Page, path: string, heading?: RegExp | string) {
  await page.goto(path);
  await expect(heading ? page.getByRole("heading", { level: 1, name: heading }) : page.locator("main h1").first()).toBeVisible();
  await page.waitForLoadState("networkidle");
}

test("sign-in and the leadership's pages run under the CSP with no console error or hydration mismatch", async ({ page }) => {
  const errors = await collectBrowserErrors(page);
  await visit(page, "/login", "登录");
  expect(errors, "/login").toEqual([]);
  // The sign-in form is a server action: it only works when React has hydrated under the CSP.
  await signIn(page, "leader");
  const [project] = await query<{ id: string; name: string }>(`SELECT id, name FROM "Project" WHERE approval = 'ACCEPTED' ORDER BY "planKey" LIMIT 1`);
  for (const path of ["/dashboard", "/projects", `/projects/${project!.id}`]) {
    await visit(page, path);
    expect(errors, path).toEqual([]);
  }
  // Client-side interactivity: the search box updates the table through the URL.
  await visit(page, "/projects");
  await page.getByLabel("按名称或项目代码搜索").fill(project!.name);
  await page.getByRole("button", { name: "搜索" }).click();
  await expect(page).toHaveURL(/[?&]q=/);
  await expect(page.getByRole("link", { name: project!.name })).toBeVisible();
  expect(errors, "after searching").toEqual([]);
});

test("an owner unit's monthly return form loads under the CSP with no console error", async ({ page }) => {
  const errors = await collectBrowserErrors(page);
  await signIn(page, "owner.editor");
  const [owned] = await query<{ id: string }>(
    `SELECT p.id FROM "Project" p JOIN "Organization" o ON o.id = p."ownerOrgId" WHERE o.name = '仁怀市人民政府' AND p.approval = 'ACCEPTED' ORDER BY p."planKey" LIMIT 1`,
  );
  await visit(page, `/projects/${owned!.id}/returns/2025-06`);
  await visit(page, "/my-work");
  expect(errors).toEqual([]);
});

/** A raw POST (Playwright's client would not send a body without a length, nor keep a 51 MB one cheap). */
function rawPost(baseURL: string, headers: Record<string, string>, body: Buffer): Promise<{ status: number; body: string }> {
  const url = new URL("/projects", baseURL);
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      { method: "POST", headers: { Origin: url.origin, "Next-Action": "0".repeat(42), "Content-Type": "application/octet-stream", ...headers } },
      (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => (text += chunk));
        res.on("end", () => resolve({ status: res.statusCode!, body: text }));
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

test("an upload over the body limit is refused with 413 naming the limit, not a 500", async ({ baseURL }) => {
  test.setTimeout(120_000);
  const tooLarge = Buffer.alloc(MAX_REQUEST_BODY_MB * 1024 * 1024 + 1024);
  const refused = await rawPost(baseURL!, { "Content-Length": String(tooLarge.length) }, tooLarge);
  expect(refused.status).toBe(413);
  expect(JSON.parse(refused.body).error).toBe(`上传内容超过 ${MAX_REQUEST_BODY_MB} MB 上限 / upload exceeds the ${MAX_REQUEST_BODY_MB} MB limit`);

  const chunked = await rawPost(baseURL!, { "Transfer-Encoding": "chunked" }, Buffer.from("x".repeat(1000)));
  expect(chunked.status).toBe(411);
});
