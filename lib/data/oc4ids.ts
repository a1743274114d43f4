// The OC4IDS export of the projects the caller may see (GET /api/oc4ids): read in batches,
// mapped by lib/export/oc4ids.ts, and recorded in the audit log before anything is handed out.
import "server-only";
import { createHash } from "node:crypto";
import { prisma } from "@/lib/db";
import { readReplica } from "@/lib/db-replica";
import { recordAuditEvent } from "@/lib/audit/log";
import { READ_PROJECTS } from "@/lib/auth/permissions";
import { assertPermission, type CurrentUser } from "@/lib/auth/session";
import { oc4idsPackage, oc4idsProject, type Oc4idsEvidenceSource, type Oc4idsPackage, type Oc4idsProject } from "@/lib/export/oc4ids";
import type { Prisma } from "@/lib/generated/prisma/client";
import { projectScopeLabel, projectWhere } from "@/lib/policy";
import { resolvePlan } from "@/lib/plans/plans";

export const OC4IDS_EXPORT_ACTION = "export.oc4ids";

/** Projects are read this many at a time, so no single query or IN list grows with the library. */
const BATCH = 500;

const division = { select: { code: true, gbCode: true, name: true, kind: true } } as const;

const projectSelect = {
  id: true,
  planKey: true,
  projectCode: true,
  name: true,
  sourcePhrase: true,
  sectorCode: true,
  projectType: true,
  lifecycleStage: true,
  plannedStart: true,
  plannedCompletion: true,
  totalInvestment: true,
  plannedInvestment: true,
  demoFields: true,
  updatedAt: true,
  plan: { select: { title: true } },
  column: { select: { number: true, title: true } },
  programme: { select: { name: true, key: true } },
  ownerOrg: { select: { id: true, name: true, isDemo: true, division } },
  locations: { select: { division }, orderBy: { division: { sortOrder: "asc" } } },
  fundingPlans: { select: { sourceCode: true, amount: true, isDemo: true, source: { select: { nameZh: true, nameEn: true, sortOrder: true } } } },
  annualPlans: { select: { year: true, amount: true, isDemo: true } },
  milestones: { select: { kind: true, baselineDate: true, forecastDate: true, actualDate: true, status: true, isDemo: true, updatedAt: true } },
} satisfies Prisma.ProjectSelect;

export interface Oc4idsExport {
  /** null when the caller's scope holds no project (a package needs at least one). */
  package: Oc4idsPackage | null;
  /** The package serialized exactly as it is sent; its SHA-256 is in the audit event. */
  body: string;
  sha256: string;
  projectCount: number;
  /** When the read replica served the projects: the instant its data is current as of; null from the primary. */
  asOf: Date | null;
}

/** The projects of plan `options.plan` (default: the current plan by date; docs/decisions/0028) the caller may see. */
export async function exportOc4idsPackage(actor: CurrentUser, options: { uri: string; ip: string | null; now?: Date; plan?: string }): Promise<Oc4idsExport> {
  await assertPermission(actor, ...READ_PROJECTS);
  const now = options.now ?? new Date();
  const resolved = await resolvePlan(options.plan, now);
  // Published data counts only accepted projects (a new one waits for its review office, docs/decisions/0031).
  const callerScope = projectWhere(actor, "count");
  // With several plans loaded, one plan's projects: those it named and those continuing in it.
  const scope =
    callerScope && resolved?.several
      ? { AND: [callerScope, { OR: [{ planId: resolved.plan.id }, { continuations: { some: { planId: resolved.plan.id } } }] }] }
      : callerScope;

  // Plain reads, not one snapshot transaction: Prisma loads nested relations concurrently, which
  // a transaction's single connection only queues (pg deprecates that). A registry edit landing
  // mid-export shows up in one batch or not at all, as in any two consecutive page loads.
  // The reads may be served by the read replica (docs/decisions/0023); the permission check above
  // and the audit event below are on the primary.
  const { value: read, asOf } = await readReplica.read(async (db) => {
    const office = await db.organization.findFirst({ where: { kind: "LEADERSHIP_OFFICE" }, orderBy: { createdAt: "asc" }, select: { name: true } });
    // eslint-disable-next-line no-restricted-syntax -- export data: the publisher's name when no office exists
    const publisher = office?.name ?? "遵义市城镇化重点项目库";
    const projects: Oc4idsProject[] = [];
    if (scope) {
      const order = await db.project.findMany({
        where: scope,
        orderBy: [{ planKey: { sort: "asc", nulls: "last" } }, { id: "asc" }],
        select: { id: true },
      });
      for (let i = 0; i < order.length; i += BATCH) {
        const ids = order.slice(i, i + BATCH).map((p) => p.id);
        const [rows, events, files] = await Promise.all([
          db.project.findMany({ where: { AND: [{ id: { in: ids } }, scope] }, select: projectSelect }),
          db.auditEvent.findMany({
            where: { entityType: "Project", entityId: { in: ids } },
            orderBy: { seq: "asc" },
            select: { seq: true, at: true, action: true, details: true, entityId: true },
          }),
          // Evidence of approved returns only: a draft's or a rejected return's files are not published.
          db.attachment.findMany({
            where: { projectId: { in: ids }, monthlyReturn: { status: "APPROVED" } },
            select: { id: true, projectId: true, fileName: true, mimeType: true, sha256: true, createdAt: true, monthlyReturn: { select: { period: true, reviewedAt: true } } },
          }),
        ]);
        const evidence = new Map<string, Oc4idsEvidenceSource[]>();
        for (const file of files) {
          const entry: Oc4idsEvidenceSource = {
            id: file.id, fileName: file.fileName, mimeType: file.mimeType, sha256: file.sha256, createdAt: file.createdAt,
            period: file.monthlyReturn!.period, approvedAt: file.monthlyReturn!.reviewedAt, url: new URL(`/api/attachments/${file.id}`, options.uri).toString(),
          };
          evidence.set(file.projectId, [...(evidence.get(file.projectId) ?? []), entry]);
        }
        const byId = new Map(rows.map((row) => [row.id, row]));
        const history = new Map<string, typeof events>();
        for (const event of events) history.set(event.entityId!, [...(history.get(event.entityId!) ?? []), event]);
        for (const id of ids) {
          const row = byId.get(id);
          if (row) projects.push(oc4idsProject({ ...row, auditEvents: history.get(id) ?? [], evidence: evidence.get(id) ?? [] }));
        }
      }
    }
    return { publisher, projects };
  });
  const { publisher, projects } = read;

  const pkg = projects.length ? oc4idsPackage({ uri: options.uri, publisher: { name: publisher, uri: new URL("/", options.uri).toString() }, now }, projects) : null;
  const body = pkg ? JSON.stringify(pkg) : "";
  const sha256 = createHash("sha256").update(body).digest("hex");

  // The export is on record before the caller gets it; if the audit write fails, so does the export.
  await recordAuditEvent(prisma, {
    actorId: actor.id,
    actorName: actor.username,
    action: OC4IDS_EXPORT_ACTION,
    ip: options.ip,
    details: {
      format: "oc4ids-0.9-project-package",
      scope: projectScopeLabel(actor),
      ...(resolved ? { plan: resolved.plan.id } : {}),
      projects: projects.length,
      ...(pkg ? { uri: pkg.uri, publishedDate: pkg.publishedDate, sha256 } : {}),
    },
  });
  return { package: pkg, body, sha256, projectCount: projects.length, asOf };
}
