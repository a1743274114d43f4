// GET /api/oc4ids: the projects the caller may see as an OC4IDS 0.9 project package (JSON file).
// Each export is audited (lib/data/oc4ids.ts); the body's SHA-256 is in the audit event.
import { NextResponse, type NextRequest } from "next/server";
import { clientIp } from "@/lib/auth/client-ip";
import { ForbiddenError } from "@/lib/auth/permissions";
import { getCurrentUser } from "@/lib/auth/session";
import { contentDisposition } from "@/lib/domain/attachments";
import { exportOc4idsPackage } from "@/lib/data/oc4ids";

export const dynamic = "force-dynamic";

export async function GET(request: NextRequest) {
  const user = await getCurrentUser();
  if (!user) return NextResponse.json({ error: "sign-in required" }, { status: 401 });
  const unknown = [...request.nextUrl.searchParams.keys()];
  if (unknown.length) return NextResponse.json({ error: "invalid query", problems: unknown.map((key) => `${key}: not a parameter of this export`) }, { status: 400 });
  try {
    const result = await exportOc4idsPackage(user, { uri: new URL("/api/oc4ids", request.nextUrl.origin).toString(), ip: clientIp(request.headers) });
    if (!result.package) return NextResponse.json({ error: "no projects to export in your scope" }, { status: 404 });
    const stamp = result.package.publishedDate.slice(0, 10);
    return new NextResponse(result.body, {
      headers: {
        "Content-Type": "application/json; charset=utf-8",
        "Content-Disposition": contentDisposition(`oc4ids-zunyi-${stamp}.json`),
        // RFC 9530: lets a recipient check the file against the audit event.
        "Repr-Digest": `sha-256=:${Buffer.from(result.sha256, "hex").toString("base64")}:`,
        "Cache-Control": "no-store",
      },
    });
  } catch (error) {
    if (error instanceof ForbiddenError) return NextResponse.json({ error: "forbidden" }, { status: 403 });
    throw error;
  }
}
