// The 36 main indicators of 专栏1: their recorded annual values with progress toward the 2025
// target (lib/domain/indicators.ts), and the leadership office's entry of a year's value with its
// source, audited in the same transaction.
import "server-only";
import { prisma } from "@/lib/db";
import { appendAuditEvent } from "@/lib/audit/log";
import { NotFoundError } from "@/lib/auth/permissions";
import { assertPermission, type CurrentUser } from "@/lib/auth/session";
import { Decimal } from "@/lib/domain/money";
import { indicatorProgress } from "@/lib/domain/indicators";
import type { IndicatorValueInput } from "@/lib/validations/indicator";
import { ConflictError } from "./users";
import { resolvePlan } from "@/lib/plans/plans";

/** The indicators of plan `planId` (default: the current plan by date; docs/decisions/0028). */
export async function listIndicators(actor: CurrentUser, planId?: string, now: Date = new Date()) {
  await assertPermission(actor, "indicator:read:all");
  const resolved = await resolvePlan(planId, now);
  const rows = await prisma.indicator.findMany({
    where: resolved ? { planId: resolved.plan.id } : {},
    orderBy: { number: "asc" },
    include: { values: { orderBy: { year: "asc" }, include: { enteredBy: { select: { displayName: true } } } } },
  });
  return rows.map((indicator) => ({
    ...indicator,
    latest: indicator.values.at(-1) ?? null,
    progress: indicatorProgress({ ...indicator, values: indicator.values.map((v) => ({ year: v.year, value: v.value.toString() })) }),
  }));
}

export type IndicatorRow = Awaited<ReturnType<typeof listIndicators>>[number];

/** Creates or replaces the value of one year. `expected` is what the form showed: anything else stored now is a conflict. */
export async function saveIndicatorValue(actor: CurrentUser, input: IndicatorValueInput, ip: string | null) {
  await assertPermission(actor, "indicator:update:all");
  const value = new Decimal(input.value);
  return prisma.$transaction(async (tx) => {
    const indicator = await tx.indicator.findUnique({ where: { id: input.indicatorId }, select: { id: true, number: true, name: true, unit: true } });
    if (!indicator) throw new NotFoundError("Indicator");
    const existing = await tx.indicatorValue.findUnique({ where: { indicatorId_year: { indicatorId: indicator.id, year: input.year } } });
    const shown = existing ? new Decimal(existing.value.toString()).toString() : "";
    const expected = input.expected === "" ? "" : new Decimal(input.expected).toString();
    if (shown !== expected) throw new ConflictError("IndicatorValue");
    const data = { value: value.toString(), sourceNote: input.sourceNote, isDemo: false, enteredById: actor.id };
    const saved = existing
      ? await tx.indicatorValue.update({ where: { id: existing.id }, data })
      : await tx.indicatorValue.create({ data: { ...data, indicatorId: indicator.id, year: input.year } });
    await appendAuditEvent(tx, {
      actorId: actor.id,
      actorName: actor.username,
      action: existing ? "indicator.value.update" : "indicator.value.create",
      entityType: "IndicatorValue",
      entityId: saved.id,
      ip,
      details: {
        indicator: `${indicator.number} ${indicator.name}`,
        unit: indicator.unit,
        year: input.year,
        before: existing ? { value: shown, sourceNote: existing.sourceNote, isDemo: existing.isDemo } : null,
        after: { value: value.toString(), sourceNote: input.sourceNote },
      },
    });
    return saved;
  });
}
