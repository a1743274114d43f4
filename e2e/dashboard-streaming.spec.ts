// The leadership's pages are cheap to send (issue 21 §2, docs/decisions/0039): the dashboard's
// shell (its heading) is sent before its figures, which stream in behind placeholders; the
// dashboard's and the delay review's HTML stay within a size budget on the demo data.
import { expect, test, type Page } from "@playwright/test";
import { query, signIn } from "./fixtures";

/** Reads `path` as the signed-in page's user, chunk by chunk, noting when each arrived. */
async function streamed(page: Page, path: string): Promise<{ status: number; html: string; arrivalOf: (needle: string) => number }> {
  const cookie = (await page.context().cookies()).map((c) => `${c.name}=${c.value}`).join("; ");
  const started = Date.now();
  const response = await fetch(new URL(path, page.url()), { headers: { cookie } });
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  const chunks: { at: number; end: number }[] = [];
  let html = "";
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    html += decoder.decode(value, { stream: true });
    chunks.push({ at: Date.now() - started, end: html.length });
  }
  const arrivalOf = (needle: string) => {
    const index = html.indexOf(needle);
    expect(index, needle).toBeGreaterThanOrEqual(0);
    return chunks.find((c) => c.end > index)!.at;
  };
  return { status: response.status, html, arrivalOf };
}

test("the dashboard's heading is sent before its figures, which stream in behind placeholders", async ({ page }) => {
  await signIn(page, "leader");
  // A write (through the triggers, as any write) makes the next read recompute the figures.
  await query(`UPDATE "Project" SET "plannedInvestment" = "plannedInvestment" WHERE id = (SELECT id FROM "Project" WHERE approval = 'ACCEPTED' ORDER BY "planKey" LIMIT 1)`);
  const { status, html, arrivalOf } = await streamed(page, "/dashboard");
  expect(status).toBe(200);
  // The placeholders went out in the shell, and the sections came after them.
  const heading = html.indexOf("<h1");
  const placeholder = html.indexOf('data-testid="dashboard-sections-placeholder"');
  const sections = html.indexOf('data-testid="dashboard-sections"');
  expect(heading).toBeGreaterThanOrEqual(0);
  expect(placeholder).toBeGreaterThan(heading);
  expect(sections).toBeGreaterThan(placeholder);
  expect(html.indexOf('data-testid="dashboard-headline-placeholder"')).toBeGreaterThan(heading);
  expect(arrivalOf("<h1")).toBeLessThanOrEqual(arrivalOf('data-testid="dashboard-sections"'));

  // In the browser: the placeholders are replaced by the figures and the map.
  await page.goto("/dashboard");
  await expect(page.getByRole("heading", { level: 1, name: "领导驾驶舱" })).toBeVisible();
  await expect(page.getByTestId("rate-startRate")).toBeVisible();
  await expect(page.locator("#county-map")).toBeVisible();
  await expect(page.getByTestId("dashboard-sections-placeholder")).toHaveCount(0);
});

test("size budget: the dashboard and the delay review's first page on the demo data", async ({ page }) => {
  await signIn(page, "leader");
  // Measured 2026-12-07 (bench/RESULTS.md): /dashboard 340 KB (329 KB before streaming), 300 KB with
  // one short class per table cell (components/ui/table.tsx), 282 KB with relative map paths; /delays 364 KB for its first 50 rows
  // (859 KB for all 108 before paging). A row is ~6 KB: its markup and the same tree again in the RSC payload.
  const budgets = { "/dashboard": 300_000, "/delays": 400_000 } as const;
  for (const [path, budget] of Object.entries(budgets)) {
    const { status, html } = await streamed(page, path);
    expect(status, path).toBe(200);
    expect(Buffer.byteLength(html), path).toBeLessThanOrEqual(budget);
  }
  // The delay review says how many there are and pages through them, worst first.
  await page.goto("/delays");
  const pages = page.getByTestId("delay-pages").first();
  await expect(pages).toContainText(/显示第 1–50 项，共 \d+ 项/);
  await expect(page.getByTestId("delay-row")).toHaveCount(50);
  await pages.getByRole("link", { name: /下 \d+ 项/ }).click();
  await expect(page).toHaveURL(/\/delays\?page=2$/);
  await expect(page.getByTestId("delay-row").first()).toContainText("51.");
});
