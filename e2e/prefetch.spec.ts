// Links do not prefetch (docs/decisions/0037): every page is dynamic, so each prefetch was a
// server render for a link the user would most likely not follow (29 per view of the list).
import { expect, test } from "@playwright/test";
import { signIn } from "./fixtures";

test("viewing the list and the dashboard sends no prefetch request", async ({ page }) => {
  await signIn(page, "leader");
  const prefetches: string[] = [];
  page.on("request", (request) => {
    const headers = request.headers();
    if (headers["next-router-prefetch"] || headers["rsc"]) prefetches.push(`${request.method()} ${new URL(request.url()).pathname}`);
  });
  for (const path of ["/projects", "/dashboard"]) {
    await page.goto(path);
    await page.waitForLoadState("networkidle");
  }
  expect(prefetches).toEqual([]);
  // A click is still a client-side navigation (an RSC request), not a full page load.
  await page.goto("/projects");
  const first = page.getByRole("table").locator('a[href^="/projects/"]').first();
  const href = (await first.getAttribute("href"))!;
  await first.click();
  await expect(page).toHaveURL(new RegExp(`${href}$`));
  expect(prefetches.some((r) => r.endsWith(href))).toBe(true);
});
