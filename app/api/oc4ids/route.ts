// GET /api/oc4ids: the projects the caller may see as an OC4IDS 0.9 project package (JSON file).
// Streamed a batch of projects at a time; each export is audited (lib/data/oc4ids.ts) with the
// body's SHA-256 before its last bytes leave (docs/decisions/0035-streamed-exports.md).
import { NextResponse } from "next/server";
import { z } from "zod";
import { contentDisposition } from "@/lib/domain/attachments";
import { streamOc4idsPackage } from "@/lib/data/oc4ids";
import { dataAsOfHeaders } from "@/lib/db-routing";
import { withRoute } from "@/lib/http/route";
import { planParam } from "@/lib/validations/project-list";

export const dynamic = "force-dynamic";

/** The export's one parameter: the plan (default: the current plan by date; an unknown id is a 400 naming `plan`). */
const oc4idsQuery = z.object({ plan: planParam.optional() }).strict();

export const GET = withRoute("/api/oc4ids", { query: oc4idsQuery }, async ({ user, request, ip, query }) => {
  const result = await streamOc4idsPackage(user, { uri: new URL("/api/oc4ids", request.nextUrl.origin).toString(), ip, plan: query.plan });
  if (!result.body || !result.publishedDate) return NextResponse.json({ error: "no projects to export in your scope" }, { status: 404 });
  const stamp = result.publishedDate.slice(0, 10);
  return new NextResponse(result.body, {
    headers: {
      "Content-Type": "application/json; charset=utf-8",
      "Content-Disposition": contentDisposition(`oc4ids-zunyi-${stamp}.json`),
      "Cache-Control": "no-store",
      ...dataAsOfHeaders(result.asOf),
    },
  });
});
