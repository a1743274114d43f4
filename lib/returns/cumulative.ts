// Project.completedInvestment, the approved cumulative (万元, docs/decisions/0006): the sum of the
// project's APPROVED monthly returns, stored so that list totals are one aggregate over Project.
// This function is its one writer: the approval and the approved correction (./commands.ts, also
// reached by a reviewer's Excel import) and the demo seed move it through here, in the
// transaction that approves. It moves by what changed, never recomputes from the returns: two
// approvals of one project at once both count (the row lock orders them), and a return changed
// behind the application's back stays visible to the reconciliation (stored ≠ approved).
// tests/unit/completed-investment-writer.test.ts fails on any other writer;
// tests/integration/completed-investment.test.ts checks the invariant on random workflows.
import Decimal from "decimal.js";
import type { Prisma } from "@/lib/generated/prisma/client";

type Writer = Pick<Prisma.TransactionClient, "$executeRaw">;

/**
 * Adds each amount (万元; negative when an approved figure went down) to its project's stored
 * cumulative, in one statement. Zero amounts are skipped.
 */
export async function addToCompletedInvestment(tx: Writer, amounts: ReadonlyMap<string, Decimal.Value>): Promise<void> {
  const ids: string[] = [];
  const deltas: string[] = [];
  for (const [projectId, amount] of amounts) {
    const delta = new Decimal(amount);
    if (delta.isZero()) continue;
    ids.push(projectId);
    deltas.push(delta.toString());
  }
  if (ids.length === 0) return;
  await tx.$executeRaw`
    UPDATE "Project" p SET "completedInvestment" = p."completedInvestment" + d.delta, "updatedAt" = now()
      FROM unnest(${ids}::uuid[], ${deltas}::numeric[]) AS d(id, delta)
     WHERE p.id = d.id`;
}

/** Completed investment (万元) before a month and with the month's own figure added. */
export interface CumulativeFigure {
  before: Decimal;
  withMonth: Decimal;
}

/**
 * The cumulative completed investment a reviewer judges a month against (本年累计 and 自开工累计):
 * the sum of the project's APPROVED months before `period` (its year only, and all of them), and
 * that sum with the month's own figure added. Read-only; the stored total moves only above.
 */
export function cumulativeAsOf(
  approved: readonly { period: string; completedInvestment: Decimal.Value }[],
  period: string,
  month: Decimal.Value,
): { yearToDate: CumulativeFigure; sinceStart: CumulativeFigure } {
  const yearStart = `${period.slice(0, 4)}-01`;
  let year = new Decimal(0);
  let total = new Decimal(0);
  for (const r of approved) {
    if (r.period >= period) continue;
    total = total.plus(r.completedInvestment);
    if (r.period >= yearStart) year = year.plus(r.completedInvestment);
  }
  return {
    yearToDate: { before: year, withMonth: year.plus(month) },
    sinceStart: { before: total, withMonth: total.plus(month) },
  };
}
