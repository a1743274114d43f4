// GET /api/v1/projects: the caller's projects with the table's filters, a page at a time.
import { dataAsOfHeaders } from "@/lib/db-routing";
import { withRoute } from "@/lib/http/route";
import { apiJson } from "@/lib/api/calls";
import { listApiProjects } from "@/lib/api/projects";
import { projectsQuery, projectsResponse } from "@/lib/api/schemas";

export const dynamic = "force-dynamic";

export const GET = withRoute("/api/v1/projects", { query: projectsQuery }, async ({ user, query }) => {
  const { dataAsOf, ...body } = await listApiProjects(user, query);
  return apiJson(projectsResponse, body, body.data.length, dataAsOfHeaders(dataAsOf));
});
