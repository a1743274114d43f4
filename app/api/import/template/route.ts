// GET /api/import/template?kind=registry|returns: the .xlsx import template with current lists.
import { NextResponse, type NextRequest } from "next/server";
import { ForbiddenError } from "@/lib/auth/permissions";
import { getCurrentUser } from "@/lib/auth/session";
import { contentDisposition } from "@/lib/domain/attachments";
import { templateLists } from "@/lib/data/imports";
import { LAYOUTS } from "@/lib/import/layouts";
import { buildTemplate } from "@/lib/import/templates";

export const dynamic = "force-dynamic";

export async function GET(request: NextRequest) {
  const user = await getCurrentUser();
  if (!user) return NextResponse.json({ error: "sign-in required" }, { status: 401 });
  const params = request.nextUrl.searchParams;
  const kind = params.get("kind");
  if ([...params.keys()].some((k) => k !== "kind") || (kind !== "registry" && kind !== "returns")) {
    return NextResponse.json({ error: "kind: must be registry or returns" }, { status: 400 });
  }
  try {
    const body = await buildTemplate(kind, await templateLists(user));
    const name = `${LAYOUTS[kind].sheet}导入模板.xlsx`;
    return new NextResponse(new Uint8Array(body), {
      headers: {
        "Content-Type": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "Content-Disposition": contentDisposition(name, `import-${kind}.xlsx`),
        "Cache-Control": "no-store",
      },
    });
  } catch (error) {
    if (error instanceof ForbiddenError) return NextResponse.json({ error: "forbidden" }, { status: 403 });
    throw error;
  }
}
