// GET /api/v1/portfolio: the dashboard's totals and 四率 against the plan target, as of a month.
import { withRoute } from "@/lib/http/route";
import { apiJson } from "@/lib/api/calls";
import { getApiPortfolio } from "@/lib/api/portfolio";
import { portfolioQuery, portfolioResponse } from "@/lib/api/schemas";

export const dynamic = "force-dynamic";

export const GET = withRoute("/api/v1/portfolio", { query: portfolioQuery }, async ({ user, query }) => {
  return apiJson(portfolioResponse, await getApiPortfolio(user, query), 1);
});
