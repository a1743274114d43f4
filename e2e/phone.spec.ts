// Owner units in townships report from phones (issue 19): at 390×844 the header collapses behind a
// menu button, forms are one column, controls are at least 44 px tall and tables scroll inside
// their own box, never the page. Runs in the "phone" project of playwright.config.ts.
import { expect, test, type Locator, type Page } from "@playwright/test";
import { query, signIn } from "./fixtures";

/** The page itself never scrolls sideways (a wide table scrolls in its own box). */
async function expectNoSidewaysScroll(page: Page): Promise<void> {
  const { scroll, width } = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, width: window.innerWidth }));
  expect(scroll, `page ${page.url()} is ${scroll} px wide on a ${width} px screen`).toBeLessThanOrEqual(width);
}

/** Every visible control in the locator is at least 44 px tall (a thumb's tap target). */
async function expectTapTargets(controls: Locator): Promise<void> {
  const heights = await controls.evaluateAll((els) =>
    els.filter((e) => (e as HTMLElement).offsetParent !== null).map((e) => [e.outerHTML.slice(0, 80), Math.round(e.getBoundingClientRect().height)] as const),
  );
  expect(heights.length).toBeGreaterThan(0);
  expect(heights.filter(([, h]) => h < 44)).toEqual([]);
}

test("an owner unit on a phone: menu button, 我的待办 on landing, a return saved one-handed, the project page", async ({ page }) => {
  test.setTimeout(180_000);
  expect(page.viewportSize()).toEqual({ width: 390, height: 844 });
  await signIn(page, "owner.editor");
  await expect(page).toHaveURL(/\/my-work$/);
  await expect(page.getByRole("heading", { level: 1, name: "我的待办" })).toBeVisible();

  // The navigation is behind a menu button; opened, its links are big enough to tap.
  const nav = page.getByRole("navigation", { name: "主导航" });
  await expect(nav.getByRole("link", { name: "项目库" })).toBeHidden();
  const menu = page.getByRole("button", { name: "菜单" });
  await expectTapTargets(menu);
  await menu.click();
  await expect(menu).toHaveAttribute("aria-expanded", "true");
  await expectTapTargets(nav.getByRole("link"));
  await expectTapTargets(page.getByRole("button", { name: "退出登录" }));
  await expectNoSidewaysScroll(page);
  await menu.click();
  await expect(nav.getByRole("link", { name: "项目库" })).toBeHidden();

  // A return from 我的待办: one column, 44 px controls, saved as a draft.
  const due = page.getByTestId("overdue").or(page.getByTestId("due")).getByRole("link").first();
  await due.click();
  await expect(page).toHaveURL(/\/returns\/\d{4}-\d{2}$/);
  const [, projectId, period] = new URL(page.url()).pathname.match(/^\/projects\/([^/]+)\/returns\/(\d{4}-\d{2})$/)!;
  const amount = page.getByLabel("本月完成投资（万元）");
  const progress = page.getByLabel("形象进度（%）");
  const [a, b] = [await amount.boundingBox(), await progress.boundingBox()];
  expect(b!.y, "one column: the fields are stacked").toBeGreaterThan(a!.y + a!.height - 1);
  expect(a!.width).toBeGreaterThan(300);
  await expectTapTargets(page.locator("main").getByRole("button"));
  await expectTapTargets(page.locator("main input[type=text], main input[type=number], main input:not([type]), main select, main textarea"));
  await expectNoSidewaysScroll(page);
  await amount.fill("1.5");
  await page.getByRole("button", { name: "保存草稿" }).click();
  await expect.poll(async () => (await query<{ n: string }>(`SELECT count(*)::text AS n FROM "MonthlyReturn" WHERE "projectId" = $1 AND period = $2::date`, [projectId, `${period}-01`]))[0]!.n).toBe("1");

  // The project page: readable without sideways scrolling of the page.
  await page.goto(`/projects/${projectId}`);
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  await expectNoSidewaysScroll(page);
  // Its actions are links drawn as buttons (数据溯源, 编辑登记信息, 填报): each a thumb's size too.
  await expectTapTargets(page.locator("main").getByRole("button").or(page.locator("main").getByRole("link", { name: /数据溯源|编辑登记信息|填报/ })));
});

test("a 督办 answered on a phone", async ({ browser }) => {
  test.setTimeout(180_000);
  const [project] = await query<{ id: string; name: string }>(
    `SELECT p.id, p.name FROM "Project" p JOIN "Organization" o ON o.id = p."ownerOrgId" WHERE o.name = '仁怀市人民政府' AND p.approval = 'ACCEPTED' ORDER BY p."planKey" DESC LIMIT 1`,
  );
  await query(`UPDATE "Milestone" SET "actualDate" = NULL, status = 'SCHEDULED' WHERE "projectId" = $1 AND kind = 'START'`, [project!.id]);
  await query(`UPDATE "Project" SET "lifecycleStage" = 'PREPARATION', "plannedStart" = current_date - 200 WHERE id = $1`, [project!.id]);
  const subject = `手机督办 ${Date.now()}：请说明进度`;

  const leader = await (await browser.newContext()).newPage();
  await signIn(leader, "leader");
  await leader.goto("/delays?light=red");
  const row = leader.getByTestId("delay-row").filter({ hasText: project!.name });
  await row.getByText(`对“${project!.name}”发出督办`).click();
  await row.getByLabel("督办事项").fill(subject);
  await row.getByLabel("办理期限").fill("2099-12-31");
  await row.getByRole("button", { name: "发出督办" }).click();
  await expect(row.getByText("督办已发出，业主单位已收到消息。")).toBeVisible();

  const owner = await (await browser.newContext()).newPage();
  await signIn(owner, "owner.editor");
  await owner.getByRole("button", { name: "菜单" }).click();
  await owner.getByRole("navigation", { name: "主导航" }).getByRole("link", { name: "督办事项" }).click();
  const notice = owner.getByTestId("notice").filter({ hasText: subject });
  await expect(notice).toContainText("待答复");
  await expectNoSidewaysScroll(owner);
  const answer = notice.getByLabel("办理情况");
  expect((await answer.boundingBox())!.width).toBeGreaterThan(300);
  await expectTapTargets(notice.getByRole("button"));
  await answer.fill("已协调，下月开工。");
  await notice.getByRole("button", { name: "提交办理情况" }).click();
  await expect(notice.getByText("办理情况已提交。")).toBeVisible();
});
