// Project.completedInvestment, the approved cumulative, is maintained in one place
// (lib/returns/cumulative.ts, called by the approval and the approved correction; issue 17 item 4).
// A property test: random sequences of submit, approve, return, correction approved and correction
// rejected on three projects, through the same commands the forms use, leave every project's stored
// figure equal to the sum of its APPROVED returns after every step, whether the step succeeded or
// was refused.
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CurrentUser } from "@/lib/auth/session";
import { userActor } from "@/tests/helpers/actors";
import { seededTestDatabase, type TestDatabase } from "@/tests/helpers/test-database";

let db: TestDatabase;
let prisma: typeof import("@/lib/db").prisma;
let returns: typeof import("@/lib/returns/commands");
let owner: CurrentUser;
let reviewer: CurrentUser;
let projects: { id: string; source: string }[] = [];
const PERIOD = "2026-11";
const AS_OF = new Date("2026-11-29T04:00:00Z");
const IP = "127.0.0.1";

beforeAll(async () => {
  ({ db, prisma } = await seededTestDatabase(new Date("2026-11-15T00:00:00Z")));
  returns = await import("@/lib/returns/commands");
  owner = await userActor("owner.editor");
  reviewer = await userActor("reviewer");
  // 仁怀 projects under construction with room below their total investment, no November return yet.
  projects = await prisma.$queryRaw<{ id: string; source: string }[]>`
    SELECT p.id, min(f."sourceCode") AS source
      FROM "Project" p JOIN "Organization" o ON o.id = p."ownerOrgId" JOIN "ProjectFunding" f ON f."projectId" = p.id
     WHERE o.name = '仁怀市人民政府' AND p."lifecycleStage" = 'CONSTRUCTION' AND p."reviewDivisionCode" = '520382'
       AND p."totalInvestment" > p."completedInvestment" + 20000
       AND NOT EXISTS (SELECT 1 FROM "MonthlyReturn" m WHERE m."projectId" = p.id AND m.period >= '2026-11-01')
     GROUP BY p.id ORDER BY p."planKey" LIMIT 3`;
  expect(projects.length).toBe(3);
}, 600_000);

afterAll(async () => {
  await prisma?.$disconnect();
  await db?.drop();
});

/** Projects whose stored cumulative differs from the sum of their approved returns. */
async function mismatches(): Promise<{ id: string; stored: string; approved: string }[]> {
  return prisma.$queryRaw`
    SELECT p.id, p."completedInvestment"::text AS stored, coalesce(sum(m."completedInvestment") FILTER (WHERE m.status = 'APPROVED'), 0)::text AS approved
      FROM "Project" p LEFT JOIN "MonthlyReturn" m ON m."projectId" = p.id
     WHERE p.id = ANY(${projects.map((p) => p.id)}::uuid[])
     GROUP BY p.id HAVING p."completedInvestment" <> coalesce(sum(m."completedInvestment") FILTER (WHERE m.status = 'APPROVED'), 0)`;
}

type Step = { project: number; op: "submit" | "approve" | "return" | "correct-approve" | "correct-reject"; amount: number };

const figures = (p: { id: string; source: string }, amount: number) => ({
  completedInvestment: String(amount), payments: String(amount), progressPercent: "99", progressText: "主体施工",
  funds: { [p.source]: "1" }, milestones: {}, overrunNote: null, fundsNote: "按进度拨付", progressNote: null,
});

describe("the stored cumulative completed investment", () => {
  it("equals the sum of the approved returns after any sequence of approvals and corrections", async () => {
    const done: Record<string, number> = {};
    const step = async (s: Step) => {
      const p = projects[s.project]!;
      const row = await prisma.monthlyReturn.findUnique({ where: { projectId_period: { projectId: p.id, period: new Date(`${PERIOD}-01T00:00:00Z`) } } });
      if (s.op === "submit") {
        const form = { projectId: p.id, period: PERIOD, version: row?.version ?? 0, intent: "submit" as const, problems: [], resolveProblems: [], ...figures(p, s.amount) };
        await returns.saveReturn(owner, form, [], IP, AS_OF);
      } else if (s.op === "approve" || s.op === "return") {
        if (!row) throw new Error("no return yet");
        await returns.reviewReturn(reviewer, { returnId: row.id, version: row.version, decision: s.op, reason: s.op === "return" ? "请补充" : null }, IP);
      } else {
        if (!row) throw new Error("no return yet");
        const { correctionId } = await returns.requestCorrection(owner, { returnId: row.id, reason: "统计口径调整", ...figures(p, s.amount) }, IP);
        const decision = s.op === "correct-approve" ? "approve" : "reject";
        await returns.decideCorrection(reviewer, { correctionId, decision, note: decision === "reject" ? "不同意" : null }, IP);
      }
      done[s.op] = (done[s.op] ?? 0) + 1;
    };
    const stepArb = fc.record({
      project: fc.integer({ min: 0, max: 2 }),
      op: fc.constantFrom("submit", "approve", "return", "correct-approve", "correct-reject"),
      amount: fc.integer({ min: 1, max: 5000 }),
    }) as fc.Arbitrary<Step>;
    await fc.assert(
      fc.asyncProperty(fc.array(stepArb, { minLength: 1, maxLength: 8 }), async (steps) => {
        for (const s of steps) {
          await step(s).catch(() => undefined); // a refused step must leave the figure right too
          expect(await mismatches(), JSON.stringify(s)).toEqual([]);
        }
      }),
      { numRuns: Number(process.env.FUZZ_DB_RUNS ?? 15), seed: 20261205 },
    );
    // The sequences exercised every path that moves the figure.
    expect(done.approve ?? 0).toBeGreaterThan(0);
    expect(done["correct-approve"] ?? 0).toBeGreaterThan(0);
    const [sum] = await prisma.$queryRaw<{ n: bigint }[]>`SELECT count(*) AS n FROM "MonthlyReturn" WHERE status = 'APPROVED' AND period = '2026-11-01' AND "projectId" = ANY(${projects.map((p) => p.id)}::uuid[])`;
    expect(Number(sum!.n)).toBeGreaterThan(0);
  }, 600_000);
});
