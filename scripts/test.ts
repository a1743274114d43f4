// `npm test`: unit tests, integration tests on a real database (TEST_DATABASE_URL's server, or
// throwaway PGlite), then Playwright e2e against a production build in Debian's Chromium.
// `--only unit|integration|e2e [files…]` runs one suite (optionally some of its files). Ends with one line "N passed, N failed".
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import os from "node:os";
import path from "node:path";
import { appRoleUrl, ensureAppLoginRole } from "../tests/helpers/app-role";
import { createTestDatabase } from "../tests/helpers/test-database";
import { buildIfStale } from "./lib/build";
import { bins, repoRoot, runBin } from "./lib/proc";

type Suite = "unit" | "integration" | "e2e";
const onlyIndex = process.argv.indexOf("--only");
const only = onlyIndex > 0 ? (process.argv[onlyIndex + 1] as Suite) : undefined;
const suites: Suite[] = only ? [only] : ["unit", "integration", "e2e"];
/** With --only, what follows the suite name goes to its runner: `npm test -- --only e2e e2e/english.spec.ts`. */
const runnerArgs = only ? process.argv.slice(onlyIndex + 2) : [];
process.env.NEXT_TELEMETRY_DISABLED = "1";

interface Count {
  passed: number;
  failed: number;
  skipped: number;
}

function vitestCounts(file: string): Count {
  if (!existsSync(file)) return { passed: 0, failed: 0, skipped: 0 };
  const report = JSON.parse(readFileSync(file, "utf8")) as { numPassedTests: number; numFailedTests: number; numPendingTests: number; numTodoTests: number };
  return { passed: report.numPassedTests, failed: report.numFailedTests, skipped: report.numPendingTests + report.numTodoTests };
}

function playwrightCounts(file: string): Count {
  if (!existsSync(file)) return { passed: 0, failed: 0, skipped: 0 };
  const report = JSON.parse(readFileSync(file, "utf8")) as { stats: { expected: number; unexpected: number; flaky: number; skipped: number } };
  return { passed: report.stats.expected + report.stats.flaky, failed: report.stats.unexpected, skipped: report.stats.skipped };
}

function chromiumPath(): string {
  const candidate = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
  if (existsSync(candidate)) return candidate;
  const canApt = process.getuid?.() === 0 && existsSync("/usr/bin/apt-get");
  if (!canApt || process.env.CHROMIUM_PATH) {
    throw new Error(
      `找不到 Chromium（${candidate}）。请安装 Debian 的 chromium（sudo apt-get install -y chromium），` +
        `或用环境变量 CHROMIUM_PATH 指向另一个 Chromium/Chrome 可执行文件。`,
    );
  }
  console.log("[test] Chromium not found: installing Debian's chromium with apt-get ...");
  const aptEnv = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  execFileSync("apt-get", ["update"], { stdio: "inherit", env: aptEnv });
  execFileSync("apt-get", ["install", "-y", "--no-install-recommends", "chromium", "fonts-noto-cjk"], { stdio: "inherit", env: aptEnv });
  return candidate;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

/** A private database for the e2e app; returns a cleanup function. */
async function prepareE2eDatabase(): Promise<() => Promise<void>> {
  if (process.env.TEST_DATABASE_URL?.trim()) {
    // A fresh database on the server, as for every integration test file. npm start migrates and
    // seeds it as the owner and serves it as a login role in zunyi_app, as production should
    // (docs/decisions/0009); the fixtures reach behind the app as the owner.
    const database = await createTestDatabase();
    await ensureAppLoginRole(database.url);
    process.env.DATABASE_OWNER_URL = database.url;
    process.env.DATABASE_URL = appRoleUrl(database.url);
    process.env.E2E_DATABASE_URL = database.url;
    return () => database.drop();
  }
  // Embedded mode exactly as `npm start` runs it: the app serves PGlite from a (temporary) folder.
  const dir = mkdtempSync(path.join(os.tmpdir(), "e2e-pglite-"));
  delete process.env.DATABASE_URL;
  delete process.env.DATABASE_OWNER_URL;
  process.env.PGLITE_DIR = path.join(dir, "pglite");
  process.env.PGLITE_PORT = String(await freePort());
  process.env.E2E_DATABASE_URL = `postgresql://postgres:postgres@127.0.0.1:${process.env.PGLITE_PORT}/postgres?sslmode=disable`;
  return async () => rmSync(dir, { recursive: true, force: true });
}

async function runSuite(suite: Suite): Promise<Count> {
  const resultFile = path.join(repoRoot, "test-results", `${suite}.json`);
  rmSync(resultFile, { force: true });
  if (suite !== "e2e") {
    await runBin(bins.vitest, ["run", "--project", suite, "--reporter=default", "--reporter=json", `--outputFile.json=${resultFile}`, ...runnerArgs]).catch(
      (error: unknown) => console.error(`[test] ${suite}: ${error instanceof Error ? error.message : error}`),
    );
    return vitestCounts(resultFile);
  }
  process.env.CHROMIUM_PATH = chromiumPath();
  await buildIfStale(async () => {
    console.log("[test] building the app for e2e (next build) ...");
    await runBin(bins.next, ["build"]);
  });
  process.env.E2E_PORT ??= String(await freePort());
  // The e2e fixtures read administrators' TOTP secrets from the database, so they share the key.
  process.env.AUTH_SECRET ??= randomBytes(48).toString("base64url");
  const cleanup = await prepareE2eDatabase();
  try {
    await runBin(bins.playwright, ["test", ...runnerArgs]).catch((error: unknown) =>
      console.error(`[test] e2e: ${error instanceof Error ? error.message : error}`),
    );
  } finally {
    await cleanup();
  }
  return playwrightCounts(resultFile);
}

async function main() {
  const totals: Count = { passed: 0, failed: 0, skipped: 0 };
  const lines: string[] = [];
  let broken = false;
  for (const suite of suites) {
    try {
      const count = await runSuite(suite);
      if (count.passed + count.failed === 0) {
        broken = true;
        lines.push(`${suite}: no test ran`);
      } else lines.push(`${suite}: ${count.passed} passed, ${count.failed} failed, ${count.skipped} skipped`);
      totals.passed += count.passed;
      totals.failed += count.failed;
      totals.skipped += count.skipped;
    } catch (error) {
      broken = true;
      lines.push(`${suite}: could not run — ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  console.log("\n" + lines.join("\n"));
  console.log(`${totals.passed} passed, ${totals.failed} failed`);
  process.exit(totals.failed > 0 || broken ? 1 : 0);
}

void main();
