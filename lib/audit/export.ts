// The audit trail as a file for auditors: filtered by project, user, period and action, written
// as .xlsx or .csv. The export is itself an audit event (filters, row count, the file's SHA-256).
import "server-only";
import { createHash } from "node:crypto";
import { z } from "zod";
import { prisma } from "@/lib/db";
import { recordAuditEvent } from "@/lib/audit/log";
import { assertPermission, type CurrentUser } from "@/lib/auth/session";
import { EXPORT_AUDIT, can } from "@/lib/auth/permissions";
import { ADMINISTRATIVE_AUDIT_ACTIONS } from "@/lib/audit/events";
import { formatChinaTime } from "@/lib/domain/dates";
import type { Prisma } from "@/lib/generated/prisma/client";
import { toCsv, toXlsx, type FileColumn } from "@/lib/export/table-file";
import { isoDay } from "@/lib/validations/form";
import { createTranslator } from "next-intl";
import zhCN from "@/messages/zh-CN.json";
import { uiText, type Translate } from "@/i18n/format";
import { administrativeOnly, describeAuditEvent } from "@/lib/audit/describe";
import { auditNameBook } from "@/lib/audit/names";

/** At most this many events per file; narrow the filters for more. */
export const AUDIT_EXPORT_LIMIT = 100_000;

/**
 * The filters of the audit log, on screen (/audit) and in the export: a project by its name, 规划编号
 * or 项目代码 (or its id), the user (username or display name), the actor's organization, the
 * action (a prefix such as "return."), and a period of Beijing calendar days.
 */
export const auditFilterQuery = z
  .object({
    project: z.string().trim().min(1).max(200).optional(),
    user: z.string().trim().min(1).max(50).optional(),
    org: z.string().trim().min(1).max(200).optional(),
    from: isoDay.optional(),
    to: isoDay.optional(),
    action: z.string().regex(/^[a-z][a-z0-9._]*$/, "letters, digits, . and _").max(80).optional(),
  })
  .strict();
export type AuditFilters = z.infer<typeof auditFilterQuery>;

export const auditExportQuery = auditFilterQuery.extend({ format: z.enum(["xlsx", "csv"]).default("xlsx") }).strict();
export type AuditExportQuery = z.infer<typeof auditExportQuery>;

/** Projects a filter names: the id itself, or those whose name, 规划编号 or 项目代码 contains the text (at most 50). */
async function projectsNamed(text: string): Promise<string[]> {
  if (z.uuid().safeParse(text).success) return [text];
  const rows = await prisma.project.findMany({
    where: { OR: [{ name: { contains: text, mode: "insensitive" } }, { planKey: { contains: text, mode: "insensitive" } }, { projectCode: { contains: text } }] },
    select: { id: true },
    take: 50,
  });
  return rows.map((r) => r.id);
}

/** Whether the actor reads every event (auditors) or only the administrative and security ones (the audit administrator). */
function readsAllAudit(actor: CurrentUser): boolean {
  return can(actor, "audit:read:all") || can(actor, "audit:export:all");
}

/** The events the actor may read: all (auditors), or the administrative and security ones (the audit administrator). */
export function auditVisibility(actor: CurrentUser): Prisma.AuditEventWhereInput {
  return readsAllAudit(actor) ? {} : { action: { in: [...ADMINISTRATIVE_AUDIT_ACTIONS] } };
}

/** The same rule per action, for what describes an event (describeAuditEvent's mayRead). */
export function auditActionVisibility(actor: CurrentUser): (action: string) => boolean {
  return readsAllAudit(actor) ? () => true : administrativeOnly;
}

/** The events matching the filters (a project's own events, its returns' and any naming it). */
export async function auditExportWhere(query: AuditFilters): Promise<Prisma.AuditEventWhereInput> {
  const and: Prisma.AuditEventWhereInput[] = [];
  if (query.project) {
    const projects = await projectsNamed(query.project);
    const returns = await prisma.monthlyReturn.findMany({ where: { projectId: { in: projects } }, select: { id: true } });
    and.push({
      OR: [
        { entityType: "Project", entityId: { in: projects } },
        { entityType: "MonthlyReturn", entityId: { in: returns.map((r) => r.id) } },
        ...projects.map((id) => ({ details: { path: ["projectId"], equals: id } })),
      ],
    });
  }
  if (query.user) {
    const users = await prisma.user.findMany({ where: { OR: [{ username: query.user }, { displayName: query.user }] }, select: { username: true } });
    and.push({ actorName: { in: [query.user, ...users.map((u) => u.username)] } });
  }
  if (query.org) and.push({ actorOrganizationName: { contains: query.org, mode: "insensitive" } });
  // Days are Beijing calendar days.
  if (query.from) and.push({ at: { gte: new Date(`${query.from}T00:00:00+08:00`) } });
  if (query.to) and.push({ at: { lt: new Date(new Date(`${query.to}T00:00:00+08:00`).getTime() + 86_400_000) } });
  if (query.action) and.push({ action: { startsWith: query.action } });
  return and.length ? { AND: and } : {};
}

type Row = Prisma.AuditEventGetPayload<object> & { sentence: string };

const COLUMNS: FileColumn<Row>[] = [
  { header: "序号", width: 10, value: (r) => Number(r.seq) },
  { header: "时间（北京时间）", width: 18, value: (r) => formatChinaTime(r.at) },
  { header: "时间（UTC）", width: 26, value: (r) => r.at.toISOString() },
  { header: "操作人", width: 16, value: (r) => r.actorName },
  { header: "操作", width: 26, value: (r) => r.action },
  { header: "说明", width: 80, value: (r) => r.sentence },
  { header: "对象类型", width: 16, value: (r) => r.entityType },
  { header: "对象ID", width: 38, value: (r) => r.entityId },
  { header: "IP", width: 16, value: (r) => r.ip },
  { header: "详情（JSON）", width: 80, value: (r) => JSON.stringify(r.details) },
  { header: "前一条哈希", width: 66, value: (r) => r.prevHash },
  { header: "本条哈希", width: 66, value: (r) => r.hash },
];

export async function exportAuditTrail(actor: CurrentUser, query: AuditExportQuery, ip: string | null) {
  await assertPermission(actor, ...EXPORT_AUDIT);
  const events = await prisma.auditEvent.findMany({ where: { AND: [auditVisibility(actor), await auditExportWhere(query)] }, orderBy: { seq: "asc" }, take: AUDIT_EXPORT_LIMIT });
  // The file's headers are Chinese (the government's forms), and so is its 说明 column: the same sentence /audit shows.
  const t = createTranslator({ locale: "zh-CN", messages: zhCN }) as unknown as Translate;
  const context = { t, fmt: uiText(t), names: await auditNameBook(events, "zh-CN"), mayRead: auditActionVisibility(actor) };
  const rows: Row[] = events.map((e) => ({ ...e, sentence: describeAuditEvent(e, context) }));
  const body = query.format === "xlsx" ? await toXlsx("审计日志", COLUMNS, rows) : Buffer.from(toCsv(COLUMNS, rows), "utf8");
  const sha256 = createHash("sha256").update(body).digest("hex");
  const { format, ...filters } = query;
  await recordAuditEvent(prisma, {
    actorId: actor.id, actorName: actor.username, action: "export.audit", ip,
    details: { format, filters, rows: rows.length, truncated: rows.length === AUDIT_EXPORT_LIMIT, sha256 },
  });
  return { body, sha256, rows: rows.length };
}
