import { defineConfig, devices } from "@playwright/test";

// e2e runs against a production build served by scripts/start.ts on its own database, which
// scripts/test.ts prepares (a fresh database on TEST_DATABASE_URL's server, or a temporary PGlite).
const port = Number(process.env.E2E_PORT ?? 3100);
const baseURL = `http://127.0.0.1:${port}`;

export default defineConfig({
  testDir: "e2e",
  outputDir: "test-results/e2e",
  fullyParallel: false,
  workers: 1,
  retries: 0,
  forbidOnly: true,
  // Generous: several specs sign in two or three people; a busy 2-core machine doubles their time.
  timeout: 60_000,
  // In CI the whole e2e run stops at 40 minutes and reports what did not run, rather than CI's own
  // 90-minute limit cutting it off without a result (docs/decisions/0029-ci-time-budget.md).
  globalTimeout: process.env.CI ? 40 * 60_000 : undefined,
  reporter: [["list"], ["json", { outputFile: "test-results/e2e.json" }]],
  use: {
    baseURL,
    locale: "zh-CN",
    timezoneId: "Asia/Shanghai",
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
  },
  projects: [
    {
      name: "chromium",
      testIgnore: /phone\.spec\.ts$/,
      use: {
        ...devices["Desktop Chrome"],
        launchOptions: {
          executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
          args: [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
          ],
        },
      },
    },
    {
      // Owner units report from phones (issue 19): the phone flows on a 390×844 touch screen.
      name: "phone",
      testMatch: /phone\.spec\.ts$/,
      use: {
        ...devices["Desktop Chrome"],
        viewport: { width: 390, height: 844 },
        isMobile: true,
        hasTouch: true,
        deviceScaleFactor: 2,
        launchOptions: { executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium", args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run"] },
      },
    },
  ],
  webServer: {
    command: "node node_modules/tsx/dist/cli.mjs scripts/start.ts",
    url: `${baseURL}/api/health`,
    // The e2e specs count notifications and audit events exactly; the scheduled jobs (which add
    // both on their own clock) are proven by tests/integration/jobs.test.ts instead.
    env: { PORT: String(port), NEXT_TELEMETRY_DISABLED: "1", JOBS_WORKER: "0" },
    // E2E_REUSE_SERVER=1 runs specs against an app already started on E2E_PORT (local debugging).
    reuseExistingServer: process.env.E2E_REUSE_SERVER === "1",
    timeout: 300_000,
    stdout: "pipe",
    stderr: "pipe",
  },
});
