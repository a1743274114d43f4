// GET /api/v1/indicators: the plan's main indicators with their yearly values and progress.
import { withRoute } from "@/lib/http/route";
import { apiJson } from "@/lib/api/calls";
import { listApiIndicators } from "@/lib/api/portfolio";
import { indicatorsQuery, indicatorsResponse } from "@/lib/api/schemas";

export const dynamic = "force-dynamic";

export const GET = withRoute("/api/v1/indicators", { query: indicatorsQuery }, async ({ user, query }) => {
  const body = await listApiIndicators(user, query.plan);
  return apiJson(indicatorsResponse, body, body.data.length);
});
