// Reading the audit log and verifying its hash chain (auditors and the audit administrator).
import "server-only";
import { prisma } from "@/lib/db";
import { verifyAuditChain } from "@/lib/audit/log";
import { assertPermission, type CurrentUser } from "@/lib/auth/session";

export async function listAuditEvents(actor: CurrentUser, options: { page: number; perPage?: number }) {
  await assertPermission(actor, "audit:read:all");
  const perPage = Math.min(options.perPage ?? 50, 200);
  const [rows, total] = await Promise.all([
    prisma.auditEvent.findMany({ orderBy: { seq: "desc" }, skip: (options.page - 1) * perPage, take: perPage }),
    prisma.auditEvent.count(),
  ]);
  return { rows, total, page: options.page, perPage, pageCount: Math.max(1, Math.ceil(total / perPage)) };
}

export async function verifyAuditLog(actor: CurrentUser) {
  await assertPermission(actor, "audit:read:all");
  return verifyAuditChain(prisma);
}
