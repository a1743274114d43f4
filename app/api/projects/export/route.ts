// GET /api/projects/export?format=xlsx|csv&<the table's filters>: the filtered library as a file.
import { NextResponse, type NextRequest } from "next/server";
import { getTranslations } from "next-intl/server";
import { getCurrentUser } from "@/lib/auth/session";
import { ForbiddenError } from "@/lib/auth/permissions";
import { contentDisposition } from "@/lib/domain/attachments";
import { exportProjects } from "@/lib/data/projects";
import { projectsCsv, projectsXlsx } from "@/lib/export/projects";
import { parseProjectListParams } from "@/lib/validations/project-list";

export const dynamic = "force-dynamic";

export async function GET(request: NextRequest) {
  const user = await getCurrentUser();
  if (!user) return NextResponse.json({ error: "sign-in required" }, { status: 401 });
  const params = new URLSearchParams(request.nextUrl.searchParams);
  const format = params.get("format") ?? "xlsx";
  params.delete("format");
  if (format !== "xlsx" && format !== "csv") return NextResponse.json({ error: "format: must be xlsx or csv" }, { status: 400 });
  const parsed = parseProjectListParams(params);
  if (!parsed.ok) {
    return NextResponse.json({ error: "invalid query", problems: parsed.problems }, { status: 400 });
  }
  const t = await getTranslations();
  try {
    const rows = await exportProjects(user, parsed.query);
    const stamp = new Date().toISOString().slice(0, 10);
    const body = format === "xlsx" ? new Uint8Array(await projectsXlsx(rows, (k) => t(k as never))) : projectsCsv(rows, (k) => t(k as never));
    return new NextResponse(body, {
      headers: {
        "Content-Type": format === "xlsx" ? "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" : "text/csv; charset=utf-8",
        "Content-Disposition": contentDisposition(`项目库-${stamp}.${format}`, `projects-${stamp}.${format}`),
        "Cache-Control": "no-store",
      },
    });
  } catch (error) {
    if (error instanceof ForbiddenError) return NextResponse.json({ error: "forbidden" }, { status: 403 });
    throw error;
  }
}
