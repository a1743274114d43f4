// GET /api/v1/projects/{id}/returns: a project's approved monthly returns, by period.
import { withRoute } from "@/lib/http/route";
import { NotFoundError } from "@/lib/auth/permissions";
import { apiJson } from "@/lib/api/calls";
import { listApiReturns } from "@/lib/api/portfolio";
import { returnsQuery, returnsResponse } from "@/lib/api/schemas";

export const dynamic = "force-dynamic";

export const GET = withRoute("/api/v1/projects/[id]/returns", { query: returnsQuery }, async ({ user, params, query }) => {
  const body = await listApiReturns(user, params.id, query);
  if (!body) throw new NotFoundError("Project");
  return apiJson(returnsResponse, body, body.data.length);
});
