// 督办 reads: the notices the actor may see, and the counts the dashboard and report show.
import "server-only";
import { prisma } from "@/lib/db";
import { READ_NOTICES } from "@/lib/auth/permissions";
import { assertPermission, type CurrentUser } from "@/lib/auth/session";
import { daysBetween } from "@/lib/domain/dates";
import { chinaDay } from "@/lib/domain/reporting-calendar";
import type { Prisma } from "@/lib/generated/prisma/client";
import { noticeWhere } from "@/lib/policy";
import type { SupervisionStatus } from "@/lib/generated/prisma/enums";

/** Where a notice is read and answered: its card on /notices (links, notifications, 我的待办). */
export function noticePagePath(noticeId: string): string {
  return `/notices#notice-${noticeId}`;
}

/** Overdue: still waiting for the owner's answer after the deadline day (China time). */
export function isNoticeOverdue(notice: { status: SupervisionStatus; deadline: Date }, now: Date = new Date()): boolean {
  return notice.status === "OPEN" && daysBetween(notice.deadline, chinaDay(now)) > 0;
}

const noticeSelect = {
  id: true,
  subject: true,
  deadline: true,
  status: true,
  lightAtSending: true,
  sentAt: true,
  answer: true,
  answeredAt: true,
  closingNote: true,
  closedAt: true,
  version: true,
  project: { select: { id: true, name: true, planKey: true } },
  ownerOrg: { select: { id: true, name: true } },
  sentBy: { select: { displayName: true } },
  answeredBy: { select: { displayName: true } },
  closedBy: { select: { displayName: true } },
} satisfies Prisma.SupervisionNoticeSelect;

export type NoticeRow = Prisma.SupervisionNoticeGetPayload<{ select: typeof noticeSelect }> & { overdue: boolean; daysLeft: number };

/** Notices the actor may read: overdue first, then open by deadline, then answered, then closed (newest first). */
/** The county named by /notices?county=, or null when it is not a division of the library. */
export async function noticeCounty(code: string): Promise<{ code: string; name: string } | null> {
  return prisma.adminDivision.findUnique({ where: { code }, select: { code: true, name: true } });
}

/** Notices about projects lying in a county (the dashboard narrowed by the map, and /notices?county=). */
function countyWhere(county: string | undefined) {
  return county ? { project: { locations: { some: { divisionCode: county } } } } : {};
}

export async function listNotices(actor: CurrentUser, options: { status?: SupervisionStatus[]; projectId?: string; take?: number; sentBefore?: Date; county?: string } = {}, now: Date = new Date()): Promise<NoticeRow[]> {
  await assertPermission(actor, ...READ_NOTICES);
  const scope = noticeWhere(actor);
  if (!scope) return [];
  const rows = await prisma.supervisionNotice.findMany({
    where: { AND: [scope, options.status?.length ? { status: { in: options.status } } : {}, options.projectId ? { projectId: options.projectId } : {}, options.sentBefore ? { sentAt: { lt: options.sentBefore } } : {}, countyWhere(options.county)] },
    orderBy: [{ deadline: "asc" }, { sentAt: "asc" }],
    take: Math.min(options.take ?? 500, 2000),
    select: noticeSelect,
  });
  const today = chinaDay(now);
  const rank = (n: NoticeRow) => (n.overdue ? 0 : n.status === "OPEN" ? 1 : n.status === "ANSWERED" ? 2 : 3);
  return rows
    .map((n) => ({ ...n, overdue: isNoticeOverdue(n, now), daysLeft: daysBetween(today, n.deadline) }))
    .sort((a, b) => rank(a) - rank(b) || (rank(a) === 3 ? (b.closedAt?.getTime() ?? 0) - (a.closedAt?.getTime() ?? 0) : 0));
}

/**
 * Counts by status and overdue, for the dashboard and the monthly report; `sentBefore` keeps the
 * notices issued before then (as of a month: lib/domain/reporting-calendar.ts yearToDate).
 */
export async function noticeCounts(actor: CurrentUser, now: Date = new Date(), options: { sentBefore?: Date; county?: string } = {}) {
  await assertPermission(actor, ...READ_NOTICES);
  const scope = {
    AND: [
      noticeWhere(actor) ?? { id: { in: [] } },
      options.sentBefore ? { sentAt: { lt: options.sentBefore } } : {},
      countyWhere(options.county),
    ],
  };
  const [groups, overdue] = await Promise.all([
    prisma.supervisionNotice.groupBy({ by: ["status"], where: scope, _count: { _all: true } }),
    prisma.supervisionNotice.count({ where: { AND: [scope, { status: "OPEN", deadline: { lt: chinaDay(now) } }] } }),
  ]);
  const by = Object.fromEntries(groups.map((g) => [g.status, g._count._all])) as Partial<Record<SupervisionStatus, number>>;
  return { OPEN: by.OPEN ?? 0, ANSWERED: by.ANSWERED ?? 0, CLOSED: by.CLOSED ?? 0, overdue };
}
