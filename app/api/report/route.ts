// GET /api/report?month=YYYY-MM: the monthly report as .xlsx (leadership and auditors).
import { NextResponse } from "next/server";
import { getTranslations } from "next-intl/server";
import { z } from "zod";
import { contentDisposition } from "@/lib/domain/attachments";
import { isReportMonth, monthlyReport } from "@/lib/portfolio/report";
import { reportXlsx } from "@/lib/export/report";
import { withRoute } from "@/lib/http/route";

export const dynamic = "force-dynamic";

/** A month from 2021-01 to this month. */
const reportQuery = z.object({ month: z.string().refine((month) => isReportMonth(month)) }).strict();

export const GET = withRoute("/api/report", { query: reportQuery }, async ({ user, query: { month } }) => {
  const t = await getTranslations();
  const report = await monthlyReport(user, month);
  const body = new Uint8Array(await reportXlsx(report, (k) => t(k as never)));
  return new NextResponse(body, {
    headers: {
      "Content-Type": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
      "Content-Disposition": contentDisposition(`城镇化重点项目建设月报-${month}.xlsx`, `report-${month}.xlsx`),
      "Cache-Control": "no-store",
    },
  });
});
