// 督办 (supervision notices): the leadership office sends one to a project's owner unit with a
// deadline, the owner unit answers, the leadership office closes it. Each step checks the
// permission and the notice's version, writes its audit event and notifies the other side in
// one transaction.
import "server-only";
import { prisma } from "@/lib/db";
import { appendAuditEvent } from "@/lib/audit/log";
import { NotFoundError } from "@/lib/auth/permissions";
import { assertPermission, type CurrentUser } from "@/lib/auth/session";
import { daysBetween, isoDay } from "@/lib/domain/dates";
import { chinaDay } from "@/lib/domain/reporting-calendar";
import type { Prisma } from "@/lib/generated/prisma/client";
import { mayOnNotice } from "@/lib/policy";
import type { AnswerNoticeInput, CloseNoticeInput, SendNoticeInput } from "./schema";
import { ConflictError, ValidationError } from "@/lib/data/users";
import { notify } from "@/lib/notifications/notify";
import { isNoticeOverdue, noticePagePath } from "./queries";

export async function sendNotice(actor: CurrentUser, input: SendNoticeInput, ip: string | null, now: Date = new Date()) {
  await assertPermission(actor, "notice:send:all");
  const deadline = new Date(`${input.deadline}T00:00:00Z`);
  if (Number.isNaN(deadline.getTime())) throw new ValidationError({ deadline: ["validation.date"] });
  if (daysBetween(chinaDay(now), deadline) < 0) throw new ValidationError({ deadline: ["validation.notice.deadlinePast"] });
  return prisma.$transaction(async (tx) => {
    const project = await tx.project.findUnique({
      where: { id: input.projectId },
      select: { id: true, name: true, ownerOrgId: true, trafficLight: { select: { light: true, reasons: true } } },
    });
    if (!project) throw new NotFoundError("Project");
    if (!project.ownerOrgId) throw new ValidationError({ _form: ["validation.notice.noOwner"] });
    const notice = await tx.supervisionNotice.create({
      data: {
        projectId: project.id,
        ownerOrgId: project.ownerOrgId,
        subject: input.subject,
        deadline,
        lightAtSending: project.trafficLight?.light ?? null,
        sentById: actor.id,
      },
    });
    await appendAuditEvent(tx, {
      actorId: actor.id,
      actorName: actor.username,
      action: "notice.send",
      entityType: "SupervisionNotice",
      entityId: notice.id,
      ip,
      details: { projectId: project.id, project: project.name, ownerOrgId: project.ownerOrgId, subject: input.subject, deadline: input.deadline, light: project.trafficLight?.light ?? null, reasons: project.trafficLight?.reasons ?? null },
    });
    await notify(tx, [{ organizationId: project.ownerOrgId, kind: "NOTICE_SENT", projectId: project.id, params: { project: project.name, deadline: input.deadline, subject: input.subject.slice(0, 200) }, link: noticePagePath(notice.id) }]);
    return notice;
  });
}

async function loadForChange(tx: Prisma.TransactionClient, id: string) {
  const notice = await tx.supervisionNotice.findUnique({ where: { id }, include: { project: { select: { id: true, name: true } }, sentBy: { select: { organizationId: true } } } });
  if (!notice) throw new NotFoundError("SupervisionNotice");
  return notice;
}

export async function answerNotice(actor: CurrentUser, input: AnswerNoticeInput, ip: string | null) {
  await assertPermission(actor, "notice:respond:own-org");
  return prisma.$transaction(async (tx) => {
    const notice = await loadForChange(tx, input.id);
    // Another organization's notice is reported as missing, like another organization's project.
    if (!mayOnNotice(actor, "answer", notice)) throw new NotFoundError("SupervisionNotice");
    if (notice.status === "CLOSED") throw new ValidationError({ _form: ["validation.notice.closed"] });
    const now = new Date();
    const changed = await tx.supervisionNotice.updateMany({
      where: { id: notice.id, version: input.version, status: { in: ["OPEN", "ANSWERED"] } },
      data: { status: "ANSWERED", answer: input.answer, answeredById: actor.id, answeredAt: now, version: { increment: 1 } },
    });
    if (changed.count === 0) throw new ConflictError("SupervisionNotice");
    await appendAuditEvent(tx, {
      actorId: actor.id,
      actorName: actor.username,
      action: "notice.answer",
      entityType: "SupervisionNotice",
      entityId: notice.id,
      ip,
      details: { projectId: notice.projectId, before: { status: notice.status, answer: notice.answer }, after: { status: "ANSWERED", answer: input.answer }, answeredAfterDeadline: isNoticeOverdue(notice, now) },
    });
    if (notice.sentBy.organizationId) {
      await notify(tx, [{ organizationId: notice.sentBy.organizationId, kind: "NOTICE_ANSWERED", projectId: notice.projectId, params: { project: notice.project.name, subject: notice.subject.slice(0, 200) }, link: noticePagePath(notice.id) }]);
    }
  });
}

export async function closeNotice(actor: CurrentUser, input: CloseNoticeInput, ip: string | null) {
  await assertPermission(actor, "notice:send:all");
  return prisma.$transaction(async (tx) => {
    const notice = await loadForChange(tx, input.id);
    if (notice.status === "CLOSED") throw new ValidationError({ _form: ["validation.notice.closed"] });
    const changed = await tx.supervisionNotice.updateMany({
      where: { id: notice.id, version: input.version, status: { in: ["OPEN", "ANSWERED"] } },
      data: { status: "CLOSED", closingNote: input.closingNote, closedById: actor.id, closedAt: new Date(), version: { increment: 1 } },
    });
    if (changed.count === 0) throw new ConflictError("SupervisionNotice");
    await appendAuditEvent(tx, {
      actorId: actor.id,
      actorName: actor.username,
      action: "notice.close",
      entityType: "SupervisionNotice",
      entityId: notice.id,
      ip,
      details: { projectId: notice.projectId, before: { status: notice.status }, after: { status: "CLOSED" }, closingNote: input.closingNote, closedWithoutAnswer: notice.status === "OPEN", deadline: isoDay(notice.deadline) },
    });
    await notify(tx, [{ organizationId: notice.ownerOrgId, kind: "NOTICE_CLOSED", projectId: notice.projectId, params: { project: notice.project.name, note: input.closingNote ?? "" }, link: noticePagePath(notice.id) }]);
  });
}
