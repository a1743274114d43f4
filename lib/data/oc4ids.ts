// The OC4IDS export of the projects the caller may see (GET /api/oc4ids), streamed: read in
// keyset-paged batches, mapped by lib/export/oc4ids.ts, written a batch at a time, and recorded in
// the audit log (with the SHA-256 of every byte) before its last bytes are handed out
// (docs/decisions/0035-streamed-exports.md).
import "server-only";
import { createHash } from "node:crypto";
import { prisma } from "@/lib/db";
import { readReplica } from "@/lib/db-replica";
import { recordAuditEvent } from "@/lib/audit/log";
import type { AuditDetailsInput } from "@/lib/audit/events";
import { READ_PROJECTS } from "@/lib/auth/permissions";
import { assertPermission, type CurrentUser } from "@/lib/auth/session";
import {
  oc4idsPackageFrame, oc4idsProject, oc4idsUpdated, type Oc4idsEvidenceSource, type Oc4idsProject,
} from "@/lib/export/oc4ids";
import type { Prisma, PrismaClient } from "@/lib/generated/prisma/client";
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

/** The keyset order of the export: plan key (projects added later, without one, last), then id. */
const ORDER = [{ planKey: { sort: "asc", nulls: "last" } }, { id: "asc" }] satisfies Prisma.ProjectOrderByWithRelationInput[];

/** The projects after `last` in ORDER (planKey compares with the column's collation, as ORDER BY does). */
function after(last: { planKey: string | null; id: string }): Prisma.ProjectWhereInput {
  if (last.planKey === null) return { planKey: null, id: { gt: last.id } };
  return { OR: [{ planKey: { gt: last.planKey } }, { planKey: last.planKey, id: { gt: last.id } }, { planKey: null }] };
}

/** Pages of `size` rows in ORDER: `page(where)` reads the rows of the scope that match `where`. */
async function* keysetPages<T extends { id: string; planKey: string | null }>(size: number, page: (where: Prisma.ProjectWhereInput) => Promise<T[]>): AsyncGenerator<T[]> {
  let where: Prisma.ProjectWhereInput = {};
  for (;;) {
    const rows = await page(where);
    if (rows.length) yield rows;
    if (rows.length < size) return;
    where = after(rows.at(-1)!);
  }
}

/** A page of projects mapped to OC4IDS, with their audit history and the evidence of approved returns. */
async function mappedPage(db: PrismaClient, rows: Prisma.ProjectGetPayload<{ select: typeof projectSelect }>[], uri: string): Promise<Oc4idsProject[]> {
  const ids = rows.map((row) => row.id);
  const [events, files] = await Promise.all([
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
      period: file.monthlyReturn!.period, approvedAt: file.monthlyReturn!.reviewedAt, url: new URL(`/api/attachments/${file.id}`, uri).toString(),
    };
    evidence.set(file.projectId, [...(evidence.get(file.projectId) ?? []), entry]);
  }
  const history = new Map<string, typeof events>();
  for (const event of events) history.set(event.entityId!, [...(history.get(event.entityId!) ?? []), event]);
  return rows.map((row) => oc4idsProject({ ...row, auditEvents: history.get(row.id) ?? [], evidence: evidence.get(row.id) ?? [] }));
}

export interface Oc4idsStream {
  /** The package as UTF-8 JSON, a batch of projects per chunk; null when the caller's scope holds no project (a package needs one). */
  body: ReadableStream<Uint8Array> | null;
  /** The package's publishedDate (ISO), for the file name; null without a package. */
  publishedDate: string | null;
  /** Projects in scope when the export began (the audit event records how many were written). */
  projectCount: number;
  /** When the read replica serves the projects: the instant its data is current as of; null from the primary. */
  asOf: Date | null;
}

/**
 * Records a streamed export on the audit chain (docs/decisions/0035): called by the stream before
 * its last bytes are released, with what was written and the body's SHA-256; if it fails, the
 * stream errors and the recipient has no complete file. The OC4IDS package and the project list's
 * files (app/api/projects/export) both record through it.
 */
export function recordExport<A extends "export.oc4ids" | "export.projects">(actor: CurrentUser, ip: string | null, event: { action: A; details: AuditDetailsInput<A> }): Promise<void> {
  return recordAuditEvent(prisma, { actorId: actor.id, actorName: actor.username, ip, ...event });
}

/**
 * The projects of plan `options.plan` (default: the current plan by date; docs/decisions/0028) the
 * caller may see, as a stream. Two passes over the scope in keyset order: the first reads each
 * project's `updated` (the package's publishedDate comes before its projects), the second maps and
 * writes `batchSize` projects at a time, so memory stays flat whatever the library's size.
 * The audit event (projects written, SHA-256 of the whole body) is committed before the closing
 * bytes are sent; if that write fails the stream errors and the recipient never has a complete file.
 */
export async function streamOc4idsPackage(
  actor: CurrentUser,
  options: { uri: string; ip: string | null; now?: Date; plan?: string; batchSize?: number },
): Promise<Oc4idsStream> {
  await assertPermission(actor, ...READ_PROJECTS);
  const now = options.now ?? new Date();
  const size = options.batchSize ?? BATCH;
  const resolved = await resolvePlan(options.plan, now);
  // Published data counts only accepted projects (a new one waits for its review office, docs/decisions/0031).
  const callerScope = projectWhere(actor, "count");
  // With several plans loaded, one plan's projects: those it named and those continuing in it.
  const scope =
    callerScope && resolved?.several
      ? { AND: [callerScope, { OR: [{ planId: resolved.plan.id }, { continuations: { some: { planId: resolved.plan.id } } }] }] }
      : callerScope;
  const audit = (details: { projects: number; uri?: string; publishedDate?: string; sha256?: string }) =>
    recordExport(actor, options.ip, {
      action: OC4IDS_EXPORT_ACTION,
      details: {
        format: "oc4ids-0.9-project-package",
        scope: projectScopeLabel(actor),
        ...(resolved ? { plan: resolved.plan.id } : {}),
        ...details,
      },
    });

  // Plain reads, not one snapshot transaction: Prisma loads nested relations concurrently, which
  // a transaction's single connection only queues (pg deprecates that). A registry edit landing
  // mid-export shows up in one batch or not at all, as in any two consecutive page loads.
  // The reads may be served by the read replica (docs/decisions/0023), chosen once by the first
  // pass and kept for the second; the permission check above and the audit event are on the primary.
  const { value: first, asOf } = await readReplica.read(async (db) => {
    const office = await db.organization.findFirst({ where: { kind: "LEADERSHIP_OFFICE" }, orderBy: { createdAt: "asc" }, select: { name: true } });
    // eslint-disable-next-line no-restricted-syntax -- export data: the publisher's name when no office exists
    const publisher = office?.name ?? "遵义市城镇化重点项目库";
    let count = 0;
    let published: Date | null = null;
    if (scope) {
      const pages = keysetPages(size, (where) =>
        db.project.findMany({ where: { AND: [scope, where] }, orderBy: ORDER, take: size, select: { id: true, planKey: true, updatedAt: true, milestones: { select: { updatedAt: true } } } }),
      );
      for await (const rows of pages) {
        const latestEvents = await db.auditEvent.groupBy({
          by: ["entityId"],
          where: { entityType: "Project", entityId: { in: rows.map((r) => r.id) } },
          _max: { at: true },
        });
        const eventAt = new Map(latestEvents.map((e) => [e.entityId, e._max.at]));
        for (const row of rows) {
          const at = eventAt.get(row.id);
          const updated = oc4idsUpdated({ ...row, auditEvents: at ? [{ at }] : [] });
          if (!published || updated > published) published = updated;
        }
        count += rows.length;
      }
    }
    return { db, publisher, count, published };
  });
  const { db, publisher, count, published } = first;
  if (!scope || !published) {
    await audit({ projects: 0 });
    return { body: null, publishedDate: null, projectCount: 0, asOf };
  }

  const frame = oc4idsPackageFrame({ uri: options.uri, publisher: { name: publisher, uri: new URL("/", options.uri).toString() }, publishedDate: published });
  const encoder = new TextEncoder();
  const hash = createHash("sha256");
  const pages = keysetPages(size, (where) => db.project.findMany({ where: { AND: [scope, where] }, orderBy: ORDER, take: size, select: projectSelect }));
  let written = 0;
  const bytes = (text: string) => {
    const chunk = encoder.encode(text);
    hash.update(chunk);
    return chunk;
  };
  const body = new ReadableStream<Uint8Array>(
    {
      start(controller) {
        controller.enqueue(bytes(frame.head));
      },
      // One batch per pull: the next page is read only when the recipient has taken the last one.
      async pull(controller) {
        try {
          const next = await pages.next();
          if (!next.done) {
            const projects = await mappedPage(db, next.value, options.uri);
            controller.enqueue(bytes((written ? frame.separator : "") + projects.map((p) => JSON.stringify(p)).join(frame.separator)));
            written += projects.length;
            return;
          }
          const tail = bytes(frame.tail);
          // On record before the file is complete: if the audit write fails, so does the export.
          await audit({ projects: written, uri: options.uri, publishedDate: published.toISOString(), sha256: hash.digest("hex") });
          controller.enqueue(tail);
          controller.close();
        } catch (error) {
          controller.error(error);
        }
      },
      async cancel() {
        await pages.return(undefined);
      },
    },
    { highWaterMark: 0 },
  );
  return { body, publishedDate: published.toISOString(), projectCount: count, asOf };
}
