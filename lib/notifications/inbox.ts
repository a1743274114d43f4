// An organization's inbox: the notifications notify() wrote for it, the unread count in the
// header, marking read.
import "server-only";
import { prisma } from "@/lib/db";
import { READ_RETURNS, canAny } from "@/lib/auth/permissions";
import { assertPermission, type CurrentUser } from "@/lib/auth/session";

export async function listNotifications(actor: CurrentUser, take = 100) {
  if (!actor.organizationId) return [];
  return prisma.notification.findMany({ where: { organizationId: actor.organizationId }, orderBy: { createdAt: "desc" }, take });
}

export async function unreadNotificationCount(actor: CurrentUser): Promise<number> {
  if (!actor.organizationId || !canAny(actor, READ_RETURNS)) return 0;
  return prisma.notification.count({ where: { organizationId: actor.organizationId, readAt: null } });
}

export async function markNotificationsRead(actor: CurrentUser, ids: string[] | "all") {
  await assertPermission(actor, ...READ_RETURNS);
  if (!actor.organizationId) return 0;
  const result = await prisma.notification.updateMany({
    where: { organizationId: actor.organizationId, readAt: null, ...(ids === "all" ? {} : { id: { in: ids } }) },
    data: { readAt: new Date() },
  });
  return result.count;
}
