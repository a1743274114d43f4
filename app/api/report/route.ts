// GET /api/report?month=YYYY-MM: the monthly report as .xlsx (leadership and auditors).
import { NextResponse, type NextRequest } from "next/server";
import { getTranslations } from "next-intl/server";
import { ForbiddenError } from "@/lib/auth/permissions";
import { getCurrentUser } from "@/lib/auth/session";
import { contentDisposition } from "@/lib/domain/attachments";
import { isReportMonth, monthlyReport } from "@/lib/data/report";
import { reportXlsx } from "@/lib/export/report";

export const dynamic = "force-dynamic";

export async function GET(request: NextRequest) {
  const user = await getCurrentUser();
  if (!user) return NextResponse.json({ error: "sign-in required" }, { status: 401 });
  const params = request.nextUrl.searchParams;
  const month = params.get("month") ?? "";
  if ([...params.keys()].some((k) => k !== "month")) return NextResponse.json({ error: "only month is accepted" }, { status: 400 });
  if (!isReportMonth(month)) return NextResponse.json({ error: "month: YYYY-MM from 2021-01 to this month" }, { status: 400 });
  const t = await getTranslations();
  try {
    const report = await monthlyReport(user, month);
    const body = new Uint8Array(await reportXlsx(report, (k) => t(k as never)));
    return new NextResponse(body, {
      headers: {
        "Content-Type": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "Content-Disposition": contentDisposition(`城镇化重点项目建设月报-${month}.xlsx`, `report-${month}.xlsx`),
        "Cache-Control": "no-store",
      },
    });
  } catch (error) {
    if (error instanceof ForbiddenError) return NextResponse.json({ error: "forbidden" }, { status: 403 });
    throw error;
  }
}
