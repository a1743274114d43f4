// The names behind the ids a page (or file) of audit events refers to, for describeAuditEvent
// (lib/audit/describe.ts): projects, users, organizations, actors' display names, funding sources.
// Called only with events the viewer may read (auditVisibility has already narrowed the rows).
import "server-only";
import { prisma } from "@/lib/db";
import { localName } from "@/i18n/format";
import type { AuditNameBook } from "@/lib/audit/describe";

const CHUNK = 5_000;

function strings(values: Iterable<unknown>): string[] {
  return [...new Set([...values].filter((v): v is string => typeof v === "string" && v.length > 0))];
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

async function byChunks<T>(ids: string[], read: (part: string[]) => Promise<T[]>): Promise<T[]> {
  const out: T[] = [];
  for (let i = 0; i < ids.length; i += CHUNK) out.push(...(await read(ids.slice(i, i + CHUNK))));
  return out;
}

export async function auditNameBook(rows: readonly { actorName: string | null; entityType: string | null; entityId: string | null; details: unknown }[], locale: string): Promise<AuditNameBook> {
  const detail = (r: { details: unknown }, key: string): unknown => (r.details && typeof r.details === "object" ? (r.details as Record<string, unknown>)[key] : undefined);
  const facts = (r: { details: unknown }, half: "before" | "after", key: string) => {
    const side = detail(r, half);
    return side && typeof side === "object" ? (side as Record<string, unknown>)[key] : undefined;
  };
  const projectIds = strings(rows.flatMap((r) => [detail(r, "projectId"), r.entityType === "Project" ? r.entityId : null])).filter((id) => UUID.test(id));
  const userIds = strings(rows.map((r) => (r.entityType === "User" || r.entityType === "Session" ? r.entityId : null))).filter((id) => UUID.test(id));
  const orgIds = strings(rows.flatMap((r) => [detail(r, "organizationId"), facts(r, "before", "organizationId"), facts(r, "after", "organizationId"), facts(r, "before", "parentId"), facts(r, "after", "parentId")])).filter((id) => UUID.test(id));
  const usernames = strings(rows.map((r) => r.actorName));
  const [projects, users, sessions, organizations, actors, sources] = await Promise.all([
    byChunks(projectIds, (ids) => prisma.project.findMany({ where: { id: { in: ids } }, select: { id: true, name: true } })),
    byChunks(userIds, (ids) => prisma.user.findMany({ where: { id: { in: ids } }, select: { id: true, displayName: true } })),
    // A revoked session names its user through the session row (kept after sign-out).
    byChunks(userIds, (ids) => prisma.session.findMany({ where: { id: { in: ids } }, select: { id: true, user: { select: { displayName: true } } } })),
    byChunks(orgIds, (ids) => prisma.organization.findMany({ where: { id: { in: ids } }, select: { id: true, name: true } })),
    byChunks(usernames, (names) => prisma.user.findMany({ where: { username: { in: names } }, select: { username: true, displayName: true } })),
    prisma.fundingSource.findMany({ select: { code: true, nameZh: true, nameEn: true } }),
  ]);
  return {
    projects: new Map(projects.map((p) => [p.id, p.name])),
    users: new Map([...users.map((u) => [u.id, u.displayName] as const), ...sessions.map((s) => [s.id, s.user.displayName] as const)]),
    organizations: new Map(organizations.map((o) => [o.id, o.name])),
    actors: new Map(actors.map((u) => [u.username, u.displayName])),
    sources: new Map(sources.map((s) => [s.code, localName(s, locale)])),
  };
}
