// GET /api/v1/openapi.json: the read API's OpenAPI 3.1 document, generated from its zod schemas.
import { NextResponse } from "next/server";
import { withRoute } from "@/lib/http/route";
import { openApiDocument } from "@/lib/api/openapi";
import { noQuery } from "@/lib/api/schemas";

export const dynamic = "force-dynamic";

export const GET = withRoute("/api/v1/openapi.json", { query: noQuery }, async () => {
  return NextResponse.json(openApiDocument(), { headers: { "Cache-Control": "no-store" } });
});
