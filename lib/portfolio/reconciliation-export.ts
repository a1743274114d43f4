// 对账 export (issue 19, auditors): every row of every check as .xlsx or .csv, recorded in the audit
// log (export.reconciliation, with the file's SHA-256) before the file is handed out.
import "server-only";
import { createHash } from "node:crypto";
import { z } from "zod";
import { prisma } from "@/lib/db";
import { readReplica } from "@/lib/db-replica";
import { recordAuditEvent } from "@/lib/audit/log";
import type { CurrentUser } from "@/lib/auth/session";
import { reconciliationCsv, reconciliationXlsx } from "@/lib/export/reconciliation";
import { RECONCILIATION_EXPORT_LIMIT, reconciliationReport } from "./reconciliation";
import { planParam } from "@/lib/validations/project-list";

export const reconciliationExportQuery = z.object({ format: z.enum(["xlsx", "csv"]).default("xlsx"), plan: planParam.optional() }).strict();

export async function exportReconciliation(actor: CurrentUser, format: "xlsx" | "csv", t: (key: string, values?: Record<string, string | number>) => string, ip: string | null, planId?: string) {
  // Read from the replica when there is one (docs/decisions/0023); the audit event goes to the primary.
  const { value: report, asOf: dataAsOf } = await readReplica.read((db) => reconciliationReport(actor, { limit: RECONCILIATION_EXPORT_LIMIT, planId, db }));
  const body = format === "xlsx" ? await reconciliationXlsx(report, t) : Buffer.from(reconciliationCsv(report, t), "utf8");
  const sha256 = createHash("sha256").update(body).digest("hex");
  // Every check's rows, as the files list them (counted, not built a second time).
  const findings = report.cumulativeMismatch.length + report.noBudget.rows.length + report.fundsAboveTotal.length + report.jumps.length + report.selfApproved.length;
  await recordAuditEvent(prisma, { actorId: actor.id, actorName: actor.username, action: "export.reconciliation", ip, details: { format, findings, plan: report.plan?.id ?? null, sha256 } });
  return { body, sha256, findings, dataAsOf };
}
