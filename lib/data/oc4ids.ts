// The OC4IDS export of the projects the caller may see (GET /api/oc4ids): read in batches,
// mapped by lib/export/oc4ids.ts, and recorded in the audit log before anything is handed out.
import "server-only";
import { createHash } from "node:crypto";
import { prisma } from "@/lib/db";
import { readReplica } from "@/lib/db-replica";
import { recordAuditEvent } from "@/lib/audit/log";
import { READ_PROJECTS } from "@/lib/auth/permissions";
import { assertPermission, type CurrentUser } from "@/lib/auth/session";
import { oc4idsPackage, oc4idsProject, type Oc4idsPackage, type Oc4idsProject } from "@/lib/export/oc4ids";
import type { Prisma } from "@/lib/generated/prisma/client";
import { projectScopeLabel, projectWhere } from "@/lib/policy";

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
  programme: { select: { name: true } },
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

export async function exportOc4idsPackage(actor: CurrentUser, options: { uri: string; ip: string | null; now?: Date }): Promise<Oc4idsExport> {
  await assertPermission(actor, ...READ_PROJECTS);
  const scope = projectWhere(actor);
  const now = options.now ?? new Date();

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
        const [rows, events] = await Promise.all([
          db.project.findMany({ where: { AND: [{ id: { in: ids } }, scope] }, select: projectSelect }),
          db.auditEvent.findMany({
            where: { entityType: "Project", entityId: { in: ids } },
            orderBy: { seq: "asc" },
            select: { seq: true, at: true, action: true, details: true, entityId: true },
          }),
        ]);
        const byId = new Map(rows.map((row) => [row.id, row]));
        const history = new Map<string, typeof events>();
        for (const event of events) history.set(event.entityId!, [...(history.get(event.entityId!) ?? []), event]);
        for (const id of ids) {
          const row = byId.get(id);
          if (row) projects.push(oc4idsProject({ ...row, auditEvents: history.get(id) ?? [] }));
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
      projects: projects.length,
      ...(pkg ? { uri: pkg.uri, publishedDate: pkg.publishedDate, sha256 } : {}),
    },
  });
  return { package: pkg, body, sha256, projectCount: projects.length, asOf };
}
