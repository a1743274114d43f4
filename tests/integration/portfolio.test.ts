// The leadership dashboard on a real, seeded database: its totals against hand-written SQL over
// the same rows, its SQL scope (lib/policy projectSql) against the Prisma scope (projectWhere) for every role, and the stored lights
// against the engine run directly (and going stale when a return changes).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditActionsReadBack } from "@/tests/helpers/audit-read-back";
import type { CurrentUser } from "@/lib/auth/session";
import { actor } from "@/tests/helpers/actors";
import { sqlOn } from "@/tests/helpers/sql";
import { seededTestDatabase, type TestDatabase } from "@/tests/helpers/test-database";

const NOW = new Date("2026-11-15T04:00:00Z"); // China 12:00 on 15 November: October's return not yet due
const YEAR = 2026;
// Everything the dashboard sums is as of the latest reporting month, 2026-09: approved returns of
// months before October count, October's (approved ahead of its due day) do not yet.
const MONTH_END = "2026-10-01";

let db: TestDatabase;
const { sql } = sqlOn(() => db.url);
let prisma: typeof import("@/lib/db").prisma;
let portfolio: typeof import("@/lib/portfolio/facts") & typeof import("@/lib/portfolio/lights") & typeof import("@/lib/portfolio/dashboard") & typeof import("@/lib/portfolio/delays");
let projects: typeof import("@/lib/data/projects");
let policy: typeof import("@/lib/policy");
let engine: typeof import("@/lib/domain/traffic-lights");

const num = (v: string | number | null | undefined) => Number(v ?? 0);
const withPortfolio = (a: CurrentUser): CurrentUser => ({ ...a, permissions: new Set([...a.permissions, "portfolio:read:all"]) });

beforeAll(async () => {
  ({ db, prisma } = await seededTestDatabase(new Date("2026-11-15T00:00:00Z")));
  portfolio = { ...(await import("@/lib/portfolio/facts")), ...(await import("@/lib/portfolio/lights")), ...(await import("@/lib/portfolio/dashboard")), ...(await import("@/lib/portfolio/delays")) };
  projects = await import("@/lib/data/projects");
  policy = await import("@/lib/policy");
  engine = await import("@/lib/domain/traffic-lights");
}, 120_000);

afterAll(async () => {
  await prisma?.$disconnect();
  await db?.drop();
});

describe("dashboard totals equal hand-written SQL", () => {
  it("library, this year's plan, completed, funds and trend", async () => {
    const leader = await actor(["LEADERSHIP"]);
    const d = await portfolio.getDashboard(leader, NOW);
    expect(d.year).toBe(YEAR);
    expect(d.reportingPeriod).toBe("2026-09");
    expect(d.metrics.elapsedMonths).toBe(9);

    const [lib] = await sql<{ count: string; planned: string; total: string }>(
      `SELECT count(*) AS count, coalesce(sum("plannedInvestment"), 0)::text AS planned, coalesce(sum("totalInvestment"), 0)::text AS total FROM "Project"`,
    );
    expect(d.projectCount).toBe(num(lib!.count));
    expect(num(d.plannedInvestment)).toBe(num(lib!.planned));
    expect(num(d.totalInvestment)).toBe(num(lib!.total));
    expect(num(d.target)).toBe(45_000_000);

    const [completed] = await sql<{ sum: string }>(`SELECT coalesce(sum("completedInvestment"), 0)::text AS sum FROM "MonthlyReturn" WHERE status = 'APPROVED' AND period < '${MONTH_END}'`);
    expect(num(d.completedInvestment)).toBe(num(completed!.sum));
    expect(num(d.trend.at(-1)!.cumulative)).toBe(num(completed!.sum));
    expect(d.trend[0]!.period).toBe("2021-01");

    // This year's plan and completed investment (January..September) over projects with a positive annual plan (cancelled out).
    const [year] = await sql<{ plan: string; completed: string; funds: string; n: string }>(
      `SELECT coalesce(sum(ap.amount), 0)::text AS plan, count(*) AS n,
              coalesce(sum((SELECT sum(m."completedInvestment") FROM "MonthlyReturn" m WHERE m."projectId" = p.id AND m.status = 'APPROVED'
                                AND m.period >= '2026-01-01' AND m.period < '${MONTH_END}')), 0)::text AS completed,
              coalesce(sum((SELECT sum(f.amount) FROM "ReturnFunding" f JOIN "MonthlyReturn" m ON m.id = f."returnId" WHERE m."projectId" = p.id
                                AND m.status = 'APPROVED' AND m.period >= '2026-01-01' AND m.period < '${MONTH_END}')), 0)::text AS funds
         FROM "Project" p JOIN "AnnualPlan" ap ON ap."projectId" = p.id AND ap.year = 2026
        WHERE ap.amount > 0 AND p."lifecycleStage" <> 'CANCELLED'`,
    );
    expect(num(d.metrics.annualPlan.toString())).toBe(num(year!.plan));
    expect(num(d.metrics.investmentCompletionRate.numerator.toString())).toBe(num(year!.completed));
    expect(num(d.metrics.fundsInPlaceRate.numerator.toString())).toBe(num(year!.funds));
    expect(d.metrics.scheduleTarget.toString()).toBe(d.metrics.annualPlan.times(9).dividedBy(12).toString());
    expect(num(year!.n)).toBeGreaterThan(0);

    // Funds in place this year by source, all projects.
    const funds = await sql<{ code: string; sum: string }>(
      `SELECT f."sourceCode" AS code, sum(f.amount)::text AS sum FROM "ReturnFunding" f JOIN "MonthlyReturn" m ON m.id = f."returnId"
        WHERE m.status = 'APPROVED' AND m.period >= '2026-01-01' AND m.period < '${MONTH_END}' GROUP BY 1`,
    );
    for (const f of funds) expect(num(d.funds.find((x) => x.code === f.code)!.inPlaceThisYear)).toBe(num(f.sum));

    // Counts by stage and light add up to the library.
    expect(Object.values(d.byStage).reduce((a, b) => a + b, 0)).toBe(d.projectCount);
    expect(Object.values(d.byLight).reduce((a, b) => a + b, 0)).toBe(d.projectCount);
    expect(d.byLight.RED + d.byLight.YELLOW).toBeGreaterThan(0);
  });

  it("the 四率 equal SQL counts", async () => {
    const d = await portfolio.getDashboard(await actor(["LEADERSHIP"]), NOW);
    // 开工率: planned start in 2026 up to the 15th of November; started = actual START by then or at/after construction.
    const [start] = await sql<{ due: string; started: string }>(
      `SELECT count(*) AS due,
              count(*) FILTER (WHERE p."lifecycleStage" IN ('CONSTRUCTION', 'COMPLETED')
                 OR EXISTS (SELECT 1 FROM "Milestone" m WHERE m."projectId" = p.id AND m.kind = 'START' AND m."actualDate" <= '2026-11-15')) AS started
         FROM "Project" p WHERE p."lifecycleStage" <> 'CANCELLED' AND p."plannedStart" BETWEEN '2026-01-01' AND '2026-11-15'`,
    );
    expect(d.metrics.startRate.denominator).toBe(num(start!.due));
    expect(d.metrics.startRate.numerator).toBe(num(start!.started));
    const [done] = await sql<{ due: string; ontime: string }>(
      `SELECT count(*) AS due,
              count(*) FILTER (WHERE EXISTS (SELECT 1 FROM "Milestone" m WHERE m."projectId" = p.id AND m.kind = 'ACCEPTANCE'
                 AND m."actualDate" <= '2026-11-15' AND m."actualDate" <= p."plannedCompletion")) AS ontime
         FROM "Project" p WHERE p."lifecycleStage" <> 'CANCELLED' AND p."plannedCompletion" BETWEEN '2026-01-01' AND '2026-11-15'`,
    );
    expect(d.metrics.onTimeCompletionRate.denominator).toBe(num(done!.due));
    expect(d.metrics.onTimeCompletionRate.numerator).toBe(num(done!.ontime));
  });

  it("county and column breakdowns equal SQL sums", async () => {
    const d = await portfolio.getDashboard(await actor(["LEADERSHIP"]), NOW);
    const [renhuai] = await sql<{ count: string; planned: string; completed: string }>(
      `SELECT count(*) AS count, coalesce(sum(p."plannedInvestment"), 0)::text AS planned,
              coalesce(sum((SELECT sum(m."completedInvestment") FROM "MonthlyReturn" m WHERE m."projectId" = p.id AND m.status = 'APPROVED' AND m.period < '${MONTH_END}')), 0)::text AS completed
         FROM "Project" p WHERE EXISTS (SELECT 1 FROM "ProjectLocation" l WHERE l."projectId" = p.id AND l."divisionCode" = '520382')`,
    );
    const county = d.byCounty.find((c) => c.key === "520382")!;
    expect(county.count).toBe(num(renhuai!.count));
    expect(num(county.plannedInvestment)).toBe(num(renhuai!.planned));
    expect(num(county.completedInvestment)).toBe(num(renhuai!.completed));
    const columns = await sql<{ number: number; planned: string }>(
      `SELECT c.number, coalesce(sum(p."plannedInvestment"), 0)::text AS planned FROM "Project" p JOIN "PlanColumn" c ON c.id = p."columnId" GROUP BY c.number`,
    );
    for (const c of columns) expect(num(d.byColumn.find((x) => x.key === String(c.number))!.plannedInvestment)).toBe(num(c.planned));
    expect(d.byColumn.reduce((s, c) => s + c.count, 0)).toBe(d.projectCount);
  });
});

describe("scope and stored lights", () => {
  it("the SQL scope selects the same projects as the Prisma scope for each role", async () => {
    // The dashboard is a leadership page (portfolio:read:all); these users get that permission
    // besides their own scope, so the scope SQL is compared for every kind of scope.
    const cases = [
      await actor(["OWNER_EDITOR"], "仁怀市人民政府"),
      await actor(["COUNTY_REVIEWER"], "仁怀市发展和改革局"),
      await actor(["COUNTY_REVIEWER"], "遵义市发展和改革委员会"),
      await actor(["AUDITOR"]),
    ].map(withPortfolio);
    for (const a of cases) {
      const expected = await prisma.project.count({ where: policy.projectWhere(a)! });
      const d = await portfolio.getDashboard(a, NOW);
      expect(d.projectCount, a.organizationName ?? a.roles[0]).toBe(expected);
      expect(expected).toBeGreaterThan(0);
    }
  });

  it("stored lights equal the engine run on freshly loaded snapshots, and the list is worst first", async () => {
    const asOf = portfolio.reportingDay(NOW);
    await portfolio.refreshTrafficLights(asOf);
    const stored = await prisma.projectLight.findMany({ select: { projectId: true, light: true, severity: true } });
    const snapshots = await portfolio.loadSnapshots(stored.map((s) => s.projectId), YEAR, asOf, 25);
    for (const s of stored) expect(s.light, s.projectId).toBe(engine.evaluateTrafficLight(snapshots.get(s.projectId)!, asOf).light);

    const review = await portfolio.listDelayReview(await actor(["LEADERSHIP"]), {}, NOW);
    expect(review.rows.length).toBeGreaterThan(0);
    const reds = review.rows.filter((r) => r.light === "RED");
    expect(review.rows.slice(0, reds.length).every((r) => r.light === "RED")).toBe(true);
    for (let i = 1; i < reds.length; i++) expect(reds[i - 1]!.severity).toBeGreaterThanOrEqual(reds[i]!.severity);
    expect(review.rows[0]!.reasons[0]!.code).toMatch(/^[A-Z_]+$/);
  });

  it("a change to a return marks the light stale and the next read recomputes it", async () => {
    const asOf = portfolio.reportingDay(NOW);
    await portfolio.refreshTrafficLights(asOf);
    const ret = await prisma.monthlyReturn.findFirstOrThrow({ where: { status: "APPROVED", period: new Date("2026-09-01T00:00:00Z") } });
    // Approved figures change only as an approved correction does it (the approved-return lock).
    await prisma.$transaction(async (tx) => {
      await tx.$executeRaw`SELECT set_config('zunyi.correction', 'on', true)`;
      await tx.monthlyReturn.update({ where: { id: ret.id }, data: { payments: null } });
    });
    const marked = await prisma.projectLight.findUniqueOrThrow({ where: { projectId: ret.projectId } });
    expect(marked.staleAt).not.toBeNull();
    expect(await portfolio.refreshTrafficLights(asOf)).toBe(1);
    expect((await prisma.projectLight.findUniqueOrThrow({ where: { projectId: ret.projectId } })).staleAt).toBeNull();
  });

  it("filters the project table by computed light", async () => {
    const leader = await actor(["LEADERSHIP"]);
    const { parseProjectListParams } = await import("@/lib/validations/project-list");
    const parsed = parseProjectListParams({ light: "RED", perPage: "100" });
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
    const result = await projects.listProjects(leader, parsed.query);
    const [red] = await sql<{ count: string }>(`SELECT count(*) AS count FROM "ProjectLight" WHERE light = 'RED'`);
    expect(result.total).toBe(num(red!.count));
    expect(parseProjectListParams({ light: "PURPLE" }).ok).toBe(false);
  });
});

describe("what the dashboard reads is kept in step with the base tables", () => {
  const liveMonths = () =>
    sql<{ period: string; completed: string; payments: string; returns: string }>(
      `SELECT period::text, sum("completedInvestment")::numeric(20,4)::text AS completed, sum(coalesce(payments, 0))::numeric(20,4)::text AS payments, count(*)::text AS returns
         FROM "MonthlyReturn" WHERE status = 'APPROVED' GROUP BY period ORDER BY period`,
    );
  const rollup = () =>
    sql<{ period: string; completed: string; payments: string; returns: string }>(
      `SELECT period::text, completed::text, payments::text, returns::text FROM "PortfolioMonth" WHERE returns <> 0 OR completed <> 0 OR payments <> 0 ORDER BY period`,
    );

  it("PortfolioMonth equals the live monthly sums after approvals, new returns, corrections and deletions", async () => {
    expect((await rollup()).length).toBeGreaterThan(12);
    expect(await rollup()).toEqual(await liveMonths());
    // An approval, a return inserted already approved, a correction, a return deleted with its project.
    const [submitted] = await sql<{ id: string }>(`SELECT id FROM "MonthlyReturn" WHERE status = 'SUBMITTED' LIMIT 1`);
    expect(submitted).toBeDefined();
    await sql(`UPDATE "MonthlyReturn" SET status = 'APPROVED' WHERE id = $1`, [submitted!.id]);
    await sql(`INSERT INTO "MonthlyReturn" (id, "projectId", period, "completedInvestment", payments, status, "updatedAt")
               SELECT gen_random_uuid(), p.id, DATE '2021-02-01', 123.4567, 100, 'APPROVED', now() FROM "Project" p
                WHERE NOT EXISTS (SELECT 1 FROM "MonthlyReturn" m WHERE m."projectId" = p.id AND m.period = DATE '2021-02-01') LIMIT 3`);
    await sql(`BEGIN; SELECT set_config('zunyi.correction', 'on', true);
               UPDATE "MonthlyReturn" SET "completedInvestment" = "completedInvestment" + 7.5, payments = NULL
                WHERE id = (SELECT id FROM "MonthlyReturn" WHERE status = 'APPROVED' AND payments IS NOT NULL ORDER BY period DESC, id LIMIT 1); COMMIT;`);
    const [victim] = await sql<{ id: string }>(
      `SELECT p.id FROM "Project" p WHERE EXISTS (SELECT 1 FROM "MonthlyReturn" m WHERE m."projectId" = p.id AND m.status = 'APPROVED')
        AND NOT EXISTS (SELECT 1 FROM "SupervisionNotice" n WHERE n."projectId" = p.id) ORDER BY p."planKey" DESC LIMIT 1`,
    );
    // Approved months are deleted only past the lock (a DBA's correction); the rollup follows.
    await sql(`BEGIN; SET LOCAL zunyi.correction = 'on'; DELETE FROM "Project" WHERE id = '${victim!.id}'; COMMIT;`);
    expect(await rollup()).toEqual(await liveMonths());

    // The dashboard's trend (from the rollup) and a county reviewer's (live) agree with SQL.
    const d = await portfolio.getDashboard(await actor(["LEADERSHIP"]), NOW);
    const live = await liveMonths();
    expect(d.trend.map((t) => [t.period, num(t.completed)])).toEqual(live.filter((m) => m.period >= "2021-01-01" && m.period < MONTH_END).map((m) => [m.period.slice(0, 7), num(m.completed)]));
    const reviewer = withPortfolio(await actor(["COUNTY_REVIEWER"], undefined, "520382"));
    const scoped = await portfolio.getDashboard(reviewer, NOW);
    const [mine] = await sql<{ sum: string }>(
      `SELECT coalesce(sum(m."completedInvestment"), 0)::text AS sum FROM "MonthlyReturn" m JOIN "Project" p ON p.id = m."projectId"
        WHERE m.status = 'APPROVED' AND m.period < '${MONTH_END}' AND (p."reviewDivisionCode" = '520382' OR EXISTS (SELECT 1 FROM "ProjectLocation" l WHERE l."projectId" = p.id AND l."divisionCode" = '520382'))`,
    );
    expect(num(scoped.trend.at(-1)?.cumulative)).toBe(num(mine!.sum));
    expect(num(mine!.sum)).toBeGreaterThan(0);
  });

  it("a new project gets a stale placeholder light, and changed amounts or owners reach the dashboard", async () => {
    const template = await prisma.project.findFirstOrThrow({ orderBy: { planKey: "asc" } });
    const created = await prisma.project.create({
      data: {
        planId: template.planId, name: "测试新增项目（仪表盘）", columnId: template.columnId, programmeId: template.programmeId,
        targetStage2025: template.targetStage2025, sourcePhrase: "test", plannedInvestment: "4321.5",
      },
    });
    const placeholder = await prisma.projectLight.findUniqueOrThrow({ where: { projectId: created.id } });
    expect(placeholder.staleAt).not.toBeNull();

    const other = await prisma.organization.findFirstOrThrow({ where: { NOT: { id: template.ownerOrgId ?? undefined } } });
    await sql(`UPDATE "Project" SET "plannedInvestment" = coalesce("plannedInvestment", 0) + 1000, "ownerOrgId" = $2 WHERE id = $1`, [template.id, other.id]);

    const d = await portfolio.getDashboard(await actor(["LEADERSHIP"]), NOW);
    const [lib] = await sql<{ count: string; planned: string }>(`SELECT count(*) AS count, sum("plannedInvestment")::text AS planned FROM "Project"`);
    expect(d.projectCount).toBe(num(lib!.count));
    expect(num(d.plannedInvestment)).toBe(num(lib!.planned));
    const fact = await prisma.portfolioFact.findUniqueOrThrow({ where: { id: template.id } });
    expect(fact.ownerOrgId).toBe(other.id);
    expect((await prisma.projectLight.findUniqueOrThrow({ where: { projectId: created.id } })).staleAt).toBeNull();
    const [owners] = await sql<{ n: string }>(`SELECT count(DISTINCT "ownerOrgId")::text AS n FROM "Project" WHERE "ownerOrgId" IS NOT NULL`);
    expect(d.byOwner.length).toBe(Math.min(20, num(owners!.n) + 1));
  });

  it("the delay review's order and cut equal hand-written SQL, ties at the cut included", async () => {
    const order = `l.light, l.severity DESC, l."redRules" DESC, l."yellowRules" DESC, p."planKey" NULLS LAST, p.id`;
    const [ties] = await sql<{ n: string }>(
      `SELECT count(*)::text AS n FROM (SELECT 1 FROM "ProjectLight" WHERE light IN ('RED', 'YELLOW') GROUP BY light, severity, "redRules", "yellowRules" HAVING count(*) > 1) t`,
    );
    expect(num(ties!.n)).toBeGreaterThan(0); // the data has ties, so the planKey tie-break is exercised
    for (const [who, where] of [
      [await actor(["LEADERSHIP"]), "TRUE"],
      [await actor(["COUNTY_REVIEWER"], undefined, "520382"), `(p."reviewDivisionCode" = '520382' OR EXISTS (SELECT 1 FROM "ProjectLocation" x WHERE x."projectId" = p.id AND x."divisionCode" = '520382'))`],
    ] as const) {
      for (const limit of [1, 3, 10, 40]) {
        const review = await portfolio.listDelayReview(who, { limit }, NOW);
        const expected = await sql<{ id: string }>(
          `SELECT p.id FROM "ProjectLight" l JOIN "Project" p ON p.id = l."projectId" WHERE l.light IN ('RED', 'YELLOW') AND ${where} ORDER BY ${order} LIMIT ${limit}`,
        );
        expect(review.rows.map((r) => r.projectId), `${who.roles[0]} ${limit}`).toEqual(expected.map((r) => r.id));
        const [total] = await sql<{ n: string }>(`SELECT count(*)::text AS n FROM "ProjectLight" l JOIN "Project" p ON p.id = l."projectId" WHERE l.light IN ('RED', 'YELLOW') AND ${where}`);
        expect(review.total).toBe(num(total!.n));
      }
    }
  });
});

describe("督办, indicators and the monthly report", () => {
  it("leadership sends, the owner unit answers, leadership closes; each step audited and notified", async () => {
    const notices = { ...(await import("@/lib/notices/queries")), ...(await import("@/lib/notices/commands")) };
    const leaderUser = await prisma.user.findUniqueOrThrow({ where: { username: "leader" } });
    const ownerUser = await prisma.user.findUniqueOrThrow({ where: { username: "owner.editor" } });
    const leader = { ...(await actor(["LEADERSHIP"])), id: leaderUser.id, organizationId: leaderUser.organizationId };
    const owner = { ...(await actor(["OWNER_EDITOR"], "仁怀市人民政府")), id: ownerUser.id };
    const project = await prisma.project.findFirstOrThrow({ where: { ownerOrgId: owner.organizationId } });
    await expect(notices.sendNotice(owner, { projectId: project.id, subject: "x", deadline: "2026-12-01" }, null)).rejects.toThrow(/permission denied/);
    await expect(notices.sendNotice(leader, { projectId: project.id, subject: "x", deadline: "2020-01-01" }, null)).rejects.toThrow(/validation/);

    const sent = await notices.sendNotice(leader, { projectId: project.id, subject: "请说明滞后原因", deadline: "2099-12-31" }, "127.0.0.1");
    expect(sent.status).toBe("OPEN");
    expect(await prisma.notification.count({ where: { organizationId: owner.organizationId!, kind: "NOTICE_SENT", projectId: project.id } })).toBe(1);

    // Another owner unit cannot see or answer it.
    const other = await actor(["OWNER_EDITOR"], "遵义市发展和改革委员会");
    expect((await notices.listNotices(other)).some((n) => n.id === sent.id)).toBe(false);
    await expect(notices.answerNotice(other, { id: sent.id, version: 1, answer: "x" }, null)).rejects.toThrow(/not found/);

    await notices.answerNotice(owner, { id: sent.id, version: 1, answer: "已协调用地，12 月开工" }, null);
    await expect(notices.answerNotice(owner, { id: sent.id, version: 1, answer: "stale" }, null)).rejects.toThrow(/changed by someone else/);
    await notices.closeNotice(leader, { id: sent.id, version: 2, closingNote: null }, null);
    const closed = await prisma.supervisionNotice.findUniqueOrThrow({ where: { id: sent.id } });
    expect(closed).toMatchObject({ status: "CLOSED", answer: "已协调用地，12 月开工", version: 3, closedById: leaderUser.id });

    const events = await prisma.auditEvent.findMany({ where: { entityType: "SupervisionNotice", entityId: sent.id }, orderBy: { seq: "asc" } });
    expect(events.map((e) => e.action)).toEqual(["notice.send", "notice.answer", "notice.close"]);
    const { verifyAuditChain } = await import("@/lib/audit/log");
    expect((await verifyAuditChain(prisma)).ok).toBe(true);
  });

  it("an overdue notice stands out", async () => {
    const { isNoticeOverdue } = await import("@/lib/notices/queries");
    const deadline = new Date("2026-11-14T00:00:00Z");
    expect(isNoticeOverdue({ status: "OPEN", deadline }, new Date("2026-11-14T15:59:00Z"))).toBe(false); // 23:59 in China
    expect(isNoticeOverdue({ status: "OPEN", deadline }, new Date("2026-11-14T16:00:00Z"))).toBe(true);
    expect(isNoticeOverdue({ status: "ANSWERED", deadline }, new Date("2026-12-01T00:00:00Z"))).toBe(false);
  });

  it("the leadership office enters an indicator value with its source; a stale form is refused", async () => {
    const indicators = await import("@/lib/data/indicators");
    const leader = { ...(await actor(["LEADERSHIP"])), id: (await prisma.user.findUniqueOrThrow({ where: { username: "leader" } })).id };
    const indicator = await prisma.indicator.findFirstOrThrow({ where: { number: 1 } });
    await expect(indicators.saveIndicatorValue(await actor(["AUDITOR"]), { indicatorId: indicator.id, year: 2025, value: "1", sourceNote: "x", expected: "" }, null)).rejects.toThrow(/permission denied/);
    const existing = await prisma.indicatorValue.findUnique({ where: { indicatorId_year: { indicatorId: indicator.id, year: 2025 } } });
    const shown = existing ? String(Number(existing.value)) : "";
    await indicators.saveIndicatorValue(leader, { indicatorId: indicator.id, year: 2025, value: "63.5", sourceNote: "2025 年统计公报", expected: shown }, null);
    await expect(indicators.saveIndicatorValue(leader, { indicatorId: indicator.id, year: 2025, value: "64", sourceNote: "x", expected: shown }, null)).rejects.toThrow(/changed by someone else/);
    const rows = await indicators.listIndicators(leader);
    const row = rows.find((r) => r.id === indicator.id)!;
    expect(row.latest?.year).toBe(2025);
    expect(Number(row.latest?.value)).toBe(63.5);
    expect(await prisma.auditEvent.count({ where: { entityType: "IndicatorValue", action: { startsWith: "indicator.value." } } })).toBeGreaterThan(0);
  });

  it("the monthly report's totals equal SQL and its .xlsx reads back", async () => {
    const report = await import("@/lib/portfolio/report");
    const { reportXlsx } = await import("@/lib/export/report");
    const r = await report.monthlyReport(await actor(["AUDITOR"]), "2026-09", NOW);
    const [x] = await sql<{ month: string; total: string; ytd: string }>(
      `SELECT coalesce(sum("completedInvestment") FILTER (WHERE period = '2026-09-01'), 0)::text AS month,
              coalesce(sum("completedInvestment"), 0)::text AS total
         FROM "MonthlyReturn" WHERE status = 'APPROVED' AND period < '2026-10-01'`,
    );
    expect(num(r.total.completedMonth)).toBe(num(x!.month));
    expect(num(r.total.completedTotal)).toBe(num(x!.total));
    expect(r.byColumn.reduce((s, c) => s + num(c.completedMonth), 0)).toBeCloseTo(num(x!.month), 2);
    expect(r.returns.received).toBeGreaterThan(0);
    const ExcelJS = (await import("exceljs")).default;
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load((await reportXlsx(r, (k) => k)) as unknown as ArrayBuffer);
    expect(workbook.worksheets.map((w) => w.name)).toEqual(["汇总", "按专栏", "按区县", "红黄灯项目", "督办", "主要指标"]);
    expect(workbook.getWorksheet("按专栏")!.rowCount - 1).toBe(r.byColumn.length);
    expect(workbook.getWorksheet("主要指标")!.rowCount - 1).toBe(36);
  });
});

describe("the audit events these commands wrote", () => {
  it("each reads back through its action's schema", async () => {
    expect(await auditActionsReadBack(prisma)).toEqual(expect.arrayContaining(["indicator.value.create", "notice.answer", "notice.close", "notice.send"]));
  });
});
