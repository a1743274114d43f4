// GET /api/audit/export?format=xlsx|csv&project=&user=&from=&to=&action= — the audit trail as a file.
import { NextResponse, type NextRequest } from "next/server";
import { clientIp } from "@/lib/auth/client-ip";
import { ForbiddenError } from "@/lib/auth/permissions";
import { getCurrentUser } from "@/lib/auth/session";
import { auditExportQuery, exportAuditTrail } from "@/lib/data/audit-export";
import { contentDisposition } from "@/lib/domain/attachments";
import { searchParamsObject } from "@/lib/validations/untrusted";

export const dynamic = "force-dynamic";

export async function GET(request: NextRequest) {
  const user = await getCurrentUser();
  if (!user || user.mfaPending) return NextResponse.json({ error: "sign-in required" }, { status: 401 });
  // A filter form sends empty fields for filters left blank: they mean "any".
  const { values: params, problems } = searchParamsObject(request.nextUrl.searchParams);
  if (problems.length) return NextResponse.json({ error: "invalid query", problems: problems.map((p) => `${p.field}: ${p.message}`) }, { status: 400 });
  const parsed = auditExportQuery.safeParse(params);
  if (!parsed.success) {
    return NextResponse.json({ error: "invalid query", problems: parsed.error.issues.map((i) => `${i.path.join(".") || "query"}: ${i.message}`) }, { status: 400 });
  }
  try {
    const file = await exportAuditTrail(user, parsed.data, clientIp(request.headers));
    const stamp = new Date().toISOString().slice(0, 10);
    return new NextResponse(new Uint8Array(file.body), {
      headers: {
        "Content-Type": parsed.data.format === "xlsx" ? "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" : "text/csv; charset=utf-8",
        "Content-Disposition": contentDisposition(`审计日志-${stamp}.${parsed.data.format}`),
        "Cache-Control": "private, no-store",
        "X-Checksum-SHA256": file.sha256,
      },
    });
  } catch (error) {
    if (error instanceof ForbiddenError) return NextResponse.json({ error: "forbidden" }, { status: 403 });
    throw error;
  }
}
