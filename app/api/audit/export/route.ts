// GET /api/audit/export?format=xlsx|csv&project=&user=&from=&to=&action= — the audit trail as a file.
// A filter form sends empty fields for filters left blank: they mean "any" (withRoute drops them).
import { NextResponse } from "next/server";
import { auditExportQuery, exportAuditTrail } from "@/lib/audit/export";
import { contentDisposition } from "@/lib/domain/attachments";
import { formatChinaDay } from "@/lib/domain/dates";
import { withRoute } from "@/lib/http/route";

export const dynamic = "force-dynamic";

export const GET = withRoute("/api/audit/export", { query: auditExportQuery }, async ({ user, query, ip }) => {
  const file = await exportAuditTrail(user, query, ip);
  const stamp = formatChinaDay(new Date()); // the day in Beijing, as users date files
  return new NextResponse(new Uint8Array(file.body), {
    headers: {
      "Content-Type": query.format === "xlsx" ? "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" : "text/csv; charset=utf-8",
      "Content-Disposition": contentDisposition(`审计日志-${stamp}.${query.format}`),
      "Cache-Control": "private, no-store",
      "X-Checksum-SHA256": file.sha256,
    },
  });
});
