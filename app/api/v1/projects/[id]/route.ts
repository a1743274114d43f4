// GET /api/v1/projects/{id}: one project with its milestones, funds and annual plans.
import { withRoute } from "@/lib/http/route";
import { NotFoundError } from "@/lib/auth/permissions";
import { apiJson } from "@/lib/api/calls";
import { getApiProject } from "@/lib/api/projects";
import { noQuery, projectResponse, UNIT } from "@/lib/api/schemas";

export const dynamic = "force-dynamic";

export const GET = withRoute("/api/v1/projects/[id]", { query: noQuery }, async ({ user, params }) => {
  const project = await getApiProject(user, params.id);
  if (!project) throw new NotFoundError("Project");
  return apiJson(projectResponse, { unit: UNIT, data: project }, 1);
});
