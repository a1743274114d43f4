// Figure history (issue 8 §3): for each figure of a project, every value it had, with who, when,
// why, on which evidence and who approved it. Registry fields come from the audit log's
// project.update events; completed investment and funds in place from the approved monthly
// returns (each month with its submitter, approver and evidence) and approved corrections;
// milestone dates from the approvals that set them. Values set by the seed (the plan, or demo
// figures) appear as the first entry, marked.
import "server-only";
import Decimal from "decimal.js";
import { z } from "zod";
import { prisma } from "@/lib/db";
import { withDetails } from "@/lib/audit/events";
import { READ_PROJECTS } from "@/lib/auth/permissions";
import { assertPermission, type CurrentUser } from "@/lib/auth/session";
import { periodOf } from "@/lib/returns/rules";
import { projectWhere } from "@/lib/policy";
import { REGISTRY_FIELDS } from "@/lib/validations/project";

export interface FigureEntry {
  at: Date | null;
  /** The value after this entry (万元 for money, YYYY-MM-DD for dates, enum names otherwise). */
  value: string | null;
  previous: string | null;
  /** For monthly figures: the month's own amount that moved the cumulative. */
  delta?: string;
  period?: string;
  source: "seed" | "edit" | "return" | "correction";
  actor: string | null;
  approver: string | null;
  reason: string | null;
  evidence: { id: string; fileName: string; sha256: string }[];
  auditSeq: string | null;
  isDemo: boolean;
}

export interface FigureHistory {
  key: string;
  /** What the figure is; `name` carries the funding source's names. */
  label: { kind: "field" | "funds" | "milestone" | "completed"; code?: string; name?: { zh: string; en: string } };
  entries: FigureEntry[];
}

const str = (v: { toString(): string } | null | undefined) => (v === null || v === undefined ? null : new Decimal(v.toString()).toString());
/** A stored before/after value as the history shows it (registry values are strings or null). */
const text = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));
const day = (d: Date | null | undefined) => (d ? d.toISOString().slice(0, 10) : null);

export async function projectFigureHistory(actor: CurrentUser, projectId: string): Promise<{ project: { id: string; name: string }; figures: FigureHistory[] } | null> {
  await assertPermission(actor, ...READ_PROJECTS);
  const scope = projectWhere(actor);
  if (!scope || !z.uuid().safeParse(projectId).success) return null;
  const project = await prisma.project.findFirst({
    where: { AND: [{ id: projectId }, scope] },
    include: { milestones: true, fundingPlans: { include: { source: true } } },
  });
  if (!project) return null;

  const [edits, returns, users, sources] = await Promise.all([
    prisma.auditEvent.findMany({ where: { entityType: "Project", entityId: projectId, action: "project.update" }, orderBy: { seq: "asc" } }).then((rows) => rows.map((e) => withDetails(e, "project.update"))),
    prisma.monthlyReturn.findMany({
      where: { projectId, status: "APPROVED" },
      orderBy: { period: "asc" },
      include: {
        funds: true,
        attachments: { select: { id: true, fileName: true, sha256: true } },
        corrections: { where: { status: "APPROVED" }, orderBy: { decidedAt: "asc" } },
      },
    }),
    prisma.user.findMany({ select: { id: true, displayName: true } }),
    prisma.fundingSource.findMany({ select: { code: true, nameZh: true, nameEn: true } }),
  ]);
  const sourceName = new Map(sources.map((s) => [s.code, { zh: s.nameZh, en: s.nameEn }]));
  const name = new Map(users.map((u) => [u.id, u.displayName]));
  const who = (id: string | null | undefined) => (id ? (name.get(id) ?? id) : null);
  const approvals = (
    await prisma.auditEvent.findMany({
      where: { entityType: "MonthlyReturn", entityId: { in: returns.map((r) => r.id) }, action: { in: ["return.approve", "return.correction.approve"] } },
      orderBy: { seq: "asc" },
    })
  ).map((e) => withDetails(e, "return.approve", "return.correction.approve"));
  const approvalOf = new Map<string, (typeof approvals)[number]>();
  for (const a of approvals) if (a.action === "return.approve") approvalOf.set(a.entityId!, a);

  const figures: FigureHistory[] = [];

  // 1. Registry fields: the seeded value, then every edit.
  for (const field of REGISTRY_FIELDS) {
    const changes = edits.filter((e) => e.details.fields.includes(field));
    const firstBefore = changes.length ? text(changes[0]!.details.before[field]) : null;
    const current = (() => {
      const v = (project as unknown as Record<string, unknown>)[field];
      if (v instanceof Date) return day(v);
      if (v && typeof v === "object" && "toString" in v) return str(v);
      return (v as string | null) ?? null;
    })();
    const entries: FigureEntry[] = [
      { at: null, value: changes.length ? firstBefore : current, previous: null, source: "seed", actor: null, approver: null, reason: null, evidence: [], auditSeq: null, isDemo: project.demoFields.includes(field) || (changes.length > 0 && changes[0]!.details.demoBefore?.includes(field) === true) },
      ...changes.map((e): FigureEntry => {
        return { at: e.at, value: text(e.details.after[field]), previous: text(e.details.before[field]), source: "edit", actor: e.actorName, approver: null, reason: e.reason, evidence: [], auditSeq: e.seq.toString(), isDemo: false };
      }),
    ];
    figures.push({ key: field, label: { kind: "field", code: field }, entries });
  }

  // 2. Completed investment: each approved month moves the cumulative; approved corrections too.
  const completed: FigureEntry[] = [];
  const funds = new Map<string, FigureEntry[]>();
  let cumulative = new Decimal(0);
  const fundTotals = new Map<string, Decimal>();
  for (const r of returns) {
    const period = periodOf(r.period);
    // The month's figure as first approved: the current value minus later approved corrections.
    let monthValue = new Decimal(r.completedInvestment.toString());
    for (const c of r.corrections) monthValue = monthValue.minus(new Decimal((c.proposed as { completedInvestment: string }).completedInvestment).minus((c.previous as { completedInvestment: string }).completedInvestment));
    const approval = approvalOf.get(r.id);
    const evidence = r.attachments.map((a) => ({ id: a.id, fileName: a.fileName, sha256: a.sha256 }));
    const before = cumulative;
    cumulative = cumulative.plus(monthValue);
    completed.push({
      at: r.reviewedAt ?? approval?.at ?? null, value: cumulative.toString(), previous: before.toString(), delta: monthValue.toString(), period,
      source: r.isDemo && !approval ? "seed" : "return", actor: who(r.submittedById), approver: who(r.reviewedById), reason: null, evidence,
      auditSeq: approval?.seq.toString() ?? null, isDemo: r.isDemo,
    });
    for (const c of r.corrections) {
      const prev = new Decimal((c.previous as { completedInvestment: string }).completedInvestment);
      const next = new Decimal((c.proposed as { completedInvestment: string }).completedInvestment);
      if (prev.equals(next)) continue;
      const after = cumulative.plus(next.minus(prev));
      const event = approvals.find((a) => a.action === "return.correction.approve" && a.details.correctionId === c.id);
      completed.push({
        at: c.decidedAt, value: after.toString(), previous: cumulative.toString(), delta: next.minus(prev).toString(), period,
        source: "correction", actor: who(c.requestedById), approver: who(c.decidedById), reason: c.reason, evidence, auditSeq: event?.seq.toString() ?? null, isDemo: false,
      });
      cumulative = after;
    }
    for (const f of r.funds) {
      const list = funds.get(f.sourceCode) ?? [];
      const prev = fundTotals.get(f.sourceCode) ?? new Decimal(0);
      const next = prev.plus(f.amount.toString());
      fundTotals.set(f.sourceCode, next);
      list.push({ at: r.reviewedAt ?? approval?.at ?? null, value: next.toString(), previous: prev.toString(), delta: str(f.amount)!, period, source: r.isDemo && !approval ? "seed" : "return", actor: who(r.submittedById), approver: who(r.reviewedById), reason: null, evidence, auditSeq: approval?.seq.toString() ?? null, isDemo: r.isDemo });
      funds.set(f.sourceCode, list);
    }
  }
  figures.push({ key: "completedInvestment", label: { kind: "completed" }, entries: completed });
  for (const [code, entries] of funds) figures.push({ key: `funds.${code}`, label: { kind: "funds", code, name: sourceName.get(code) }, entries });

  // 3. Milestone dates: the seeded (or demo) date, then each approval that set it.
  for (const m of project.milestones) {
    const setBy = approvals.flatMap((a) => (a.action === "return.approve" && a.details.milestonesApplied[m.kind] ? [{ ...a, applied: a.details.milestonesApplied[m.kind]! }] : []));
    const entries: FigureEntry[] = [];
    const first = setBy[0] ? setBy[0].applied.from : day(m.actualDate);
    entries.push({ at: null, value: first, previous: null, source: "seed", actor: null, approver: null, reason: null, evidence: [], auditSeq: null, isDemo: m.isDemo || setBy.length > 0 });
    for (const a of setBy) {
      const applied = a.applied;
      const r = returns.find((x) => x.id === a.entityId);
      entries.push({
        at: a.at, value: applied.to, previous: applied.from, period: r ? periodOf(r.period) : undefined, source: "return",
        actor: who(r?.submittedById), approver: a.actorName, reason: null, evidence: r?.attachments.map((x) => ({ id: x.id, fileName: x.fileName, sha256: x.sha256 })) ?? [], auditSeq: a.seq.toString(), isDemo: false,
      });
    }
    figures.push({ key: `milestones.${m.kind}`, label: { kind: "milestone", code: m.kind }, entries });
  }

  return { project: { id: project.id, name: project.name }, figures };
}
