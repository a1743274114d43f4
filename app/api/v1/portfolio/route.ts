// GET /api/v1/portfolio: the dashboard's totals and 四率 against the plan target, as of a month.
import { dataAsOfHeaders } from "@/lib/db-routing";
import { withRoute } from "@/lib/http/route";
import { apiJson } from "@/lib/api/calls";
import { getApiPortfolio } from "@/lib/api/portfolio";
import { portfolioQuery, portfolioResponse } from "@/lib/api/schemas";

export const dynamic = "force-dynamic";

export const GET = withRoute("/api/v1/portfolio", { query: portfolioQuery }, async ({ user, query }) => {
  const { dataAsOf, ...body } = await getApiPortfolio(user, query);
  return apiJson(portfolioResponse, body, 1, dataAsOfHeaders(dataAsOf));
});
