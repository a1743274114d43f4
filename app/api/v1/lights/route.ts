// GET /api/v1/lights: red and yellow projects, worst first, with the reasons for their light.
import { dataAsOfHeaders } from "@/lib/db-routing";
import { withRoute } from "@/lib/http/route";
import { apiJson } from "@/lib/api/calls";
import { listApiLights } from "@/lib/api/portfolio";
import { lightsQuery, lightsResponse } from "@/lib/api/schemas";

export const dynamic = "force-dynamic";

export const GET = withRoute("/api/v1/lights", { query: lightsQuery }, async ({ user, query }) => {
  const { dataAsOf, ...body } = await listApiLights(user, query);
  return apiJson(lightsResponse, body, body.data.length, dataAsOfHeaders(dataAsOf));
});
