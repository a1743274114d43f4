// GET /api/reconciliation/export?format=xlsx|csv — 对账 as a file (every row of every check), audited.
import { NextResponse } from "next/server";
import { getTranslations } from "next-intl/server";
import { contentDisposition } from "@/lib/domain/attachments";
import { formatChinaDay } from "@/lib/domain/dates";
import { dataAsOfHeaders } from "@/lib/db-routing";
import { withRoute } from "@/lib/http/route";
import { exportReconciliation, reconciliationExportQuery } from "@/lib/portfolio/reconciliation-export";

export const dynamic = "force-dynamic";

export const GET = withRoute("/api/reconciliation/export", { query: reconciliationExportQuery }, async ({ user, query, ip }) => {
  const t = await getTranslations();
  const file = await exportReconciliation(user, query.format, (k, v) => t(k as never, v as never), ip, query.plan);
  const stamp = formatChinaDay(new Date()); // the day in Beijing, as users date files
  return new NextResponse(new Uint8Array(file.body), {
    headers: {
      "Content-Type": query.format === "xlsx" ? "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" : "text/csv; charset=utf-8",
      "Content-Disposition": contentDisposition(`对账-${stamp}.${query.format}`, `reconciliation-${stamp}.${query.format}`),
      "Cache-Control": "private, no-store",
      "X-Checksum-SHA256": file.sha256,
      ...dataAsOfHeaders(file.dataAsOf),
    },
  });
});
