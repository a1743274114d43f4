// `npm run bench:weight`: how heavy the pages are to send (issue 21 item 2). Against a running
// production server (`npm start`, or scripts/server.ts; --url, default http://127.0.0.1:3000), it
// signs in as the leader and as the owner editor in Chromium and, for /login, /projects, a project
// page and /dashboard, records: the HTML's bytes (raw and gzip), the message-catalogue namespaces
// the HTML carries to the browser, the first-load JS (the <script src> chunks in the HTML, gzip,
// without the noModule polyfill) and all JS the browser has loaded once the page is idle (lazy
// chunks included). Sizes are deterministic; the machine's load does not change them.
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { chromium, type BrowserContext } from "@playwright/test";
import zhCN from "../messages/zh-CN.json";
import { DEMO_PASSWORD } from "../prisma/seed/demo-users";

const argUrl = process.argv.indexOf("--url");
const base = (argUrl > 0 ? process.argv[argUrl + 1] : process.env.BENCH_URL) ?? "http://127.0.0.1:3000";
// --save DIR keeps each page's HTML there, to see what it is made of.
const argSave = process.argv.indexOf("--save");
const saveDir = argSave > 0 ? process.argv[argSave + 1] : undefined;

type Row = { user: string; path: string; status: number; html: number; htmlGzip: number; namespaces: string[]; firstLoadJs: number; firstLoadChunks: number; allJs: number };

const gzip = (bytes: Buffer | string) => gzipSync(bytes).length;
const kb = (bytes: number) => (bytes / 1024).toFixed(1);

/** The catalogue's top-level namespaces whose serialized form appears in the HTML (the RSC payload escapes quotes). */
function namespacesIn(html: string): string[] {
  return Object.keys(zhCN).filter((ns) => {
    const first = Object.keys((zhCN as Record<string, Record<string, unknown>>)[ns]!)[0];
    return html.includes(`\\"${ns}\\":{\\"${first}\\"`) || html.includes(`"${ns}":{"${first}"`);
  });
}

function scriptSources(html: string): string[] {
  const out = new Set<string>();
  for (const match of html.matchAll(/<script\b([^>]*)>/g)) {
    const attrs = match[1]!;
    if (/\bnoModule\b/i.test(attrs)) continue;
    const src = /\bsrc="([^"]+)"/.exec(attrs)?.[1];
    if (src) out.add(new URL(src.replaceAll("&amp;", "&"), base).toString());
  }
  return [...out];
}

async function signedIn(username: string | null): Promise<BrowserContext> {
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium", args: ["--no-sandbox", "--disable-gpu"] });
  const context = await browser.newContext({ baseURL: base, locale: "zh-CN" });
  if (!username) return context;
  const page = await context.newPage();
  await page.goto("/login");
  await page.locator('input[name="username"]').fill(username);
  await page.locator('input[name="password"]').fill(DEMO_PASSWORD);
  await page.locator('form button[type="submit"]').click();
  await page.waitForURL((url) => !url.pathname.startsWith("/login"), { timeout: 60_000 });
  await page.close();
  return context;
}

async function measure(context: BrowserContext, user: string, pathName: string, jsCache: Map<string, number>): Promise<Row> {
  const response = await context.request.get(pathName, { maxRedirects: 0 });
  const html = await response.text();
  if (saveDir) {
    mkdirSync(saveDir, { recursive: true });
    writeFileSync(path.join(saveDir, `${user}${pathName.replaceAll("/", "_")}.html`), html);
  }
  const sources = scriptSources(html);
  let firstLoadJs = 0;
  for (const src of sources) {
    if (!jsCache.has(src)) jsCache.set(src, gzip(await (await context.request.get(src)).body()));
    firstLoadJs += jsCache.get(src)!;
  }
  // Everything the browser loads until the network is idle: the first-load chunks and lazy ones.
  const page = await context.newPage();
  const loaded = new Set<string>();
  page.on("response", (r) => {
    if (r.request().resourceType() === "script") loaded.add(r.url());
  });
  await page.goto(pathName, { waitUntil: "networkidle" });
  await page.close();
  let allJs = 0;
  for (const src of loaded) {
    if (!jsCache.has(src)) jsCache.set(src, gzip(await (await context.request.get(src)).body()));
    allJs += jsCache.get(src)!;
  }
  return { user, path: pathName, status: response.status(), html: Buffer.byteLength(html), htmlGzip: gzip(html), namespaces: namespacesIn(html), firstLoadJs, firstLoadChunks: sources.length, allJs };
}

async function main() {
  const jsCache = new Map<string, number>();
  const rows: Row[] = [];
  const anonymous = await signedIn(null);
  rows.push(await measure(anonymous, "-", "/login", jsCache));
  await anonymous.browser()!.close();
  for (const username of ["leader", "owner.editor"]) {
    const context = await signedIn(username);
    const list = await (await context.request.get("/projects")).text();
    const projectId = /href="\/projects\/([0-9a-f-]{36})"/.exec(list)?.[1];
    const paths = ["/projects", ...(projectId ? [`/projects/${projectId}`] : []), ...(username === "leader" ? ["/dashboard"] : [])];
    for (const pagePath of paths) rows.push(await measure(context, username, pagePath, jsCache));
    await context.browser()!.close();
  }
  const header = ["page", "user", "status", "HTML KB", "HTML gzip KB", "catalogue namespaces in HTML", "first-load JS gzip KB (chunks)", "all JS gzip KB"];
  console.log(`| ${header.join(" | ")} |\n|${header.map(() => "---").join("|")}|`);
  for (const r of rows) {
    const shown = r.path.replace(/\/projects\/[0-9a-f-]{36}/, "/projects/[id]");
    console.log(
      `| ${shown} | ${r.user} | ${r.status} | ${kb(r.html)} | ${kb(r.htmlGzip)} | ${r.namespaces.length} of ${Object.keys(zhCN).length} | ${kb(r.firstLoadJs)} (${r.firstLoadChunks}) | ${kb(r.allJs)} |`,
    );
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
