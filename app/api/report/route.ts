// GET /api/report?month=YYYY-MM: the monthly report as .xlsx (leadership and auditors).
import { NextResponse } from "next/server";
import { getTranslations } from "next-intl/server";
import { z } from "zod";
import { contentDisposition } from "@/lib/domain/attachments";
import { isReportMonth, monthlyReport } from "@/lib/portfolio/report";
import { reportXlsx } from "@/lib/export/report";
import { dataAsOfHeaders } from "@/lib/db-routing";
import { withRoute } from "@/lib/http/route";
import { planParam } from "@/lib/validations/project-list";

export const dynamic = "force-dynamic";

/** A month from 2021-01 to this month. */
const reportQuery = z.object({ month: z.string().refine((month) => isReportMonth(month)), plan: planParam.optional() }).strict();

export const GET = withRoute("/api/report", { query: reportQuery }, async ({ user, query: { month, plan } }) => {
  const report = await monthlyReport(user, month, undefined, plan);
  // The workbook is the official Chinese document whatever the reader's UI language.
  const t = await getTranslations({ locale: "zh-CN" });
  const body = new Uint8Array(await reportXlsx(report, (k, values) => t(k as never, values as never)));
  return new NextResponse(body, {
    headers: {
      "Content-Type": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
      "Content-Disposition": contentDisposition(`城镇化重点项目建设月报-${month}.xlsx`, `report-${month}.xlsx`),
      "Cache-Control": "no-store",
      // Served by the read replica: the time its figures are as of (docs/decisions/0023).
      ...dataAsOfHeaders(report.dataAsOf),
    },
  });
});
