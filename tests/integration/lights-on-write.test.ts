// Lights kept fresh by the writes and the job queue, not by the pages (docs/decisions/0032): an
// approval commits its project's new light, and with a job worker in the process no read
// recomputes a light other than its own project's. Without a worker, readers fall back to
// bringing every stale light up to date (tests, e2e with JOBS_WORKER=0).
import Decimal from "decimal.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CurrentUser } from "@/lib/auth/session";
import { actor, userActor } from "@/tests/helpers/actors";
import { seededTestDatabase, type TestDatabase } from "@/tests/helpers/test-database";

let db: TestDatabase;
let prisma: typeof import("@/lib/db").prisma;
let lights: typeof import("@/lib/portfolio/lights");
let dashboard: typeof import("@/lib/portfolio/dashboard");
let delays: typeof import("@/lib/portfolio/delays");
let projects: typeof import("@/lib/data/projects");
let commands: typeof import("@/lib/returns/commands");
let validations: typeof import("@/lib/validations/project-list");
let leader: CurrentUser;
let reviewer: CurrentUser;
// The commands judge as of today, so the reads do too.
const now = () => new Date();

type Candidate = { id: string };

/** 仁怀 projects (the reviewer's county) under construction with this year's positive annual plan and no return for `period`. */
async function candidates(period: Date, year: number, limit: number): Promise<Candidate[]> {
  return prisma.$queryRaw<Candidate[]>`
    SELECT p.id FROM "Project" p JOIN "Organization" o ON o.id = p."ownerOrgId" JOIN "AnnualPlan" ap ON ap."projectId" = p.id AND ap.year = ${year} AND ap.amount > 0
     WHERE p."lifecycleStage" = 'CONSTRUCTION' AND p."totalInvestment" > p."completedInvestment" + 10000 AND p.approval = 'ACCEPTED'
       AND o.name = '仁怀市人民政府' AND p."reviewDivisionCode" = '520382'
       AND NOT EXISTS (SELECT 1 FROM "MonthlyReturn" r WHERE r."projectId" = p.id AND r.period >= ${period})
     ORDER BY p."planKey" LIMIT ${limit}`;
}

async function stored(projectId: string) {
  const [row] = await prisma.$queryRaw<{ staleAt: Date | null; computedAt: Date; completedThisYear: string | null; annualPlan: string | null }[]>`
    SELECT l."staleAt", l."computedAt", f."completedThisYear"::text AS "completedThisYear", f."annualPlan"::text AS "annualPlan"
      FROM "ProjectLight" l JOIN "PortfolioFact" f ON f.id = l."projectId" WHERE l."projectId" = ${projectId}::uuid`;
  return row!;
}

let period: Date;
let year: number;
let picked: Candidate[];

beforeAll(async () => {
  ({ db, prisma } = await seededTestDatabase(new Date("2026-11-15T00:00:00Z")));
  lights = await import("@/lib/portfolio/lights");
  dashboard = await import("@/lib/portfolio/dashboard");
  delays = await import("@/lib/portfolio/delays");
  projects = await import("@/lib/data/projects");
  commands = await import("@/lib/returns/commands");
  validations = await import("@/lib/validations/project-list");
  const calendar = await import("@/lib/domain/reporting-calendar");
  const { env } = await import("@/lib/env");
  leader = await actor(["LEADERSHIP"]);
  reviewer = await userActor("reviewer");
  // The latest reporting month: an approval of it counts in this year's figures at once.
  const month = calendar.latestReportingMonth(lights.reportingDay(now()), env.RETURN_DUE_DAY);
  period = calendar.periodStart(month);
  year = lights.planYearOf(lights.reportingDay(now()));
  const approvable = await candidates(period, year, 1);
  expect(approvable.length).toBe(1);
  // Two more projects with this year's plan, changed by hand below.
  const more = await prisma.$queryRaw<Candidate[]>`
    SELECT p.id FROM "Project" p JOIN "AnnualPlan" ap ON ap."projectId" = p.id AND ap.year = ${year} AND ap.amount > 0
     WHERE p.approval = 'ACCEPTED' AND p."lifecycleStage" <> 'CANCELLED' AND p.id <> ${approvable[0]!.id}::uuid ORDER BY p."planKey" LIMIT 2`;
  expect(more.length).toBe(2);
  picked = [...approvable, ...more];
  // The day's job has run: every light is today's.
  await lights.refreshTrafficLights(lights.reportingDay(now()));
}, 120_000);

afterAll(async () => {
  lights?.setLightsKeptByJobs(false);
  await prisma?.$disconnect();
  await db?.drop();
});

describe("with a job worker in the process", () => {
  beforeAll(() => lights.setLightsKeptByJobs(true));

  it("an approval commits the project's new light: the dashboard right after shows it, with no recomputation on read", async () => {
    const project = picked[0]!.id;
    const before = await dashboard.getDashboard(leader, now());
    const light = await stored(project);
    expect(light.staleAt).toBeNull();
    const row = await prisma.monthlyReturn.create({ data: { projectId: project, period, status: "SUBMITTED", completedInvestment: "1234.5", submittedAt: new Date() } });
    // The insert marked the light stale (trigger); the approval recomputes it in its own transaction.
    expect((await stored(project)).staleAt).not.toBeNull();
    await commands.reviewReturn(reviewer, { returnId: row.id, version: row.version, decision: "approve", reason: null }, "127.0.0.1");
    const after = await stored(project);
    expect(after.staleAt).toBeNull();
    expect(after.computedAt.getTime()).toBeGreaterThan(light.computedAt.getTime());
    expect(new Decimal(after.completedThisYear!).minus(light.completedThisYear ?? "0").toString()).toBe("1234.5");
    const d = await dashboard.getDashboard(leader, now());
    expect(d.metrics.investmentCompletionRate.numerator.minus(before.metrics.investmentCompletionRate.numerator).toString()).toBe("1234.5");
  });

  it("no read recomputes another project's light; a project's own light may be", async () => {
    const [a, b] = [picked[1]!.id, picked[2]!.id];
    const beforeA = await stored(a);
    const beforeB = await stored(b);
    // Changes by hand (no command): the triggers mark both lights stale.
    await prisma.$executeRaw`UPDATE "AnnualPlan" SET amount = amount + 1000 WHERE "projectId" = ANY(${[a, b]}::uuid[]) AND year = ${year}`;
    const plan = (await dashboard.getDashboard(leader, now())).metrics.annualPlan;
    await delays.listDelayReview(leader, {}, now());
    const query = validations.parseProjectListParams({ light: "RED" });
    if (!query.ok) throw new Error("bad query");
    await projects.listProjects(leader, query.query);
    for (const [id, before] of [[a, beforeA], [b, beforeB]] as const) {
      const after = await stored(id);
      expect(after.staleAt).not.toBeNull();
      expect(after.computedAt.getTime()).toBe(before.computedAt.getTime());
      expect(after.annualPlan).toBe(before.annualPlan);
    }
    // The project's own light: recomputed by its reader, the other one left as it was.
    expect(await lights.getProjectLight(leader, a, now())).not.toBeNull();
    expect((await stored(a)).staleAt).toBeNull();
    expect(new Decimal((await stored(a)).annualPlan!).minus(beforeA.annualPlan!).toString()).toBe("1000");
    expect((await stored(b)).staleAt).not.toBeNull();
    // The dashboard still sums the stored facts (b's old plan) until the job runs.
    const plan2 = (await dashboard.getDashboard(leader, now())).metrics.annualPlan;
    expect(plan2.minus(plan).toString()).toBe("1000");
    // The job (lights_refresh, scope "changed") brings b up to date.
    expect(await lights.refreshTrafficLights(lights.reportingDay(now()), { onlyChanged: true })).toBe(1);
    expect((await stored(b)).staleAt).toBeNull();
    expect((await dashboard.getDashboard(leader, now())).metrics.annualPlan.minus(plan).toString()).toBe("2000");
  });
});

describe("without a job worker (tests, e2e, scripts)", () => {
  beforeAll(() => lights.setLightsKeptByJobs(false));

  it("the reader falls back to recomputing the stale lights", async () => {
    const id = picked[2]!.id;
    await prisma.$executeRaw`UPDATE "AnnualPlan" SET amount = amount + 1 WHERE "projectId" = ${id}::uuid AND year = ${year}`;
    expect((await stored(id)).staleAt).not.toBeNull();
    await dashboard.getDashboard(leader, now());
    expect((await stored(id)).staleAt).toBeNull();
  });
});
