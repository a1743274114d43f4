// PDF evidence previews inside the return page (issue 19): the attachment route lets the app's own
// pages frame an inline image or PDF, and nothing else (docs/decisions/0034); the page's CSP
// allows frames of its own origin, and opening the preview breaks no policy.
import { expect, test } from "@playwright/test";
import { nextDueMonth } from "../lib/domain/reporting-calendar";
import { collectBrowserErrors, query, signIn } from "./fixtures";

// A one-page PDF ("Hello PDF").
const PDF = Buffer.from(`%PDF-1.4
1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj
2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj
3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 300 200]/Contents 4 0 R/Resources<</Font<</F1 5 0 R>>>>>>endobj
4 0 obj<</Length 44>>stream
BT /F1 24 Tf 50 100 Td (Hello PDF) Tj ET
endstream endobj
5 0 obj<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>endobj
trailer<</Root 1 0 R>>
%%EOF
`);

test("a PDF opens in a panel of the return page; only that inline answer may be framed, by the app itself", async ({ page }) => {
  test.setTimeout(90_000);
  const period = nextDueMonth(new Date(), 25);
  const [project] = await query<{ id: string }>(
    `SELECT p.id FROM "Project" p JOIN "Organization" o ON o.id = p."ownerOrgId"
      WHERE o.name = '仁怀市人民政府' AND p.approval = 'ACCEPTED' AND p."lifecycleStage" = 'CONSTRUCTION'
        AND NOT EXISTS (SELECT 1 FROM "MonthlyReturn" r WHERE r."projectId" = p.id AND r.period = $1::date)
      ORDER BY p."planKey" DESC LIMIT 1`,
    [`${period}-01`],
  );
  expect(project).toBeDefined();
  const errors = await collectBrowserErrors(page);
  await signIn(page, "owner.editor");
  const pageResponse = await page.goto(`/projects/${project!.id}/returns/${period}`);
  expect(pageResponse?.headers()["content-security-policy"]).toContain("frame-src 'self'");
  expect(pageResponse?.headers()["content-security-policy"]).toContain("frame-ancestors 'none'");
  expect(pageResponse?.headers()["x-frame-options"]).toBe("DENY");
  await page.getByLabel("本月完成投资（万元）").fill("1");
  await page.locator("input[type=file][name=attachments]").setInputFiles({ name: "批复文件.pdf", mimeType: "application/pdf", buffer: PDF });
  await page.getByRole("button", { name: "保存草稿" }).click();
  await expect(page.getByText("草稿已保存。")).toBeVisible();

  // The download link stays, and its answer is never framed.
  const download = page.getByRole("link", { name: "批复文件.pdf", exact: true });
  const href = (await download.getAttribute("href"))!;
  const attachment = await page.request.get(href);
  expect(attachment.headers()["content-disposition"]).toMatch(/^attachment; /);
  expect(attachment.headers()["x-frame-options"]).toBe("DENY");
  expect(attachment.headers()["content-security-policy"]).toContain("frame-ancestors 'none'");
  // Nor is a refusal of the same route.
  const missing = await page.request.get("/api/attachments/00000000-0000-4000-8000-000000000000?disposition=inline");
  expect(missing.status()).toBe(404);
  expect(missing.headers()["x-frame-options"]).toBe("DENY");
  expect(missing.headers()["content-security-policy"]).toContain("frame-ancestors 'none'");

  // The panel loads the PDF only when opened, inside the page.
  const panel = page.getByTestId("pdf-preview");
  const [preview] = await Promise.all([
    page.waitForResponse((r) => r.url().includes(`${href}?disposition=inline`)),
    panel.getByText("预览", { exact: true }).click(),
  ]);
  expect(preview.status()).toBe(200);
  const headers = await preview.allHeaders();
  expect(headers["content-type"]).toBe("application/pdf");
  expect(headers["content-disposition"]).toMatch(/^inline; /);
  expect(headers["x-frame-options"]).toBe("SAMEORIGIN");
  expect(headers["content-security-policy"]).toContain("frame-ancestors 'self'");
  expect(headers["x-content-type-options"]).toBe("nosniff");
  const frame = panel.getByTitle("预览：批复文件.pdf");
  await expect(frame).toBeVisible();
  await expect.poll(async () => (await frame.elementHandle())?.contentFrame().then((f) => f?.url())).toContain("disposition=inline");
  await page.waitForTimeout(1000); // let the viewer start: a refused frame is reported as a CSP or console error
  await page.screenshot({ path: "test-results/evidence-preview/pdf-panel.png", fullPage: true });
  expect(errors).toEqual([]);
});
