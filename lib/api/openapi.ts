// The OpenAPI 3.1 document of the read API, generated from the zod schemas the handlers parse
// their queries with and check their answers against (lib/api/schemas.ts). Served at
// /api/v1/openapi.json and rendered by the /api-reference page.
import { createDocument } from "zod-openapi";
import type { z } from "zod";
import * as s from "./schemas";

export const API_VERSION = "1.0.0";

interface Operation {
  path: string;
  summary: string;
  description: string;
  query?: z.ZodObject;
  pathParams?: z.ZodObject;
  response: z.ZodType;
  /** The permissions of which the caller needs one (the route's row in lib/auth/route-access.ts). */
  permissions: string;
  notFound?: boolean;
}

/** Every operation, in the order the reference page lists them. */
export const OPERATIONS: Operation[] = [
  {
    path: "/projects",
    summary: "List projects",
    description: "The projects in the caller's scope, with the project table's filters and sort, a page at a time (cursor pagination).",
    query: s.projectsQuery,
    response: s.projectsResponse,
    permissions: "project:read:*",
  },
  {
    path: "/projects/{id}",
    summary: "One project",
    description: "A project with its milestones, planned funds by source and annual plans.",
    pathParams: s.projectIdParams,
    response: s.projectResponse,
    permissions: "project:read:*",
    notFound: true,
  },
  {
    path: "/projects/{id}/returns",
    summary: "Approved monthly returns",
    description: "A project's approved monthly returns, oldest first, with the approved cumulative after each; `period` for one month or `from`/`to` for a range.",
    query: s.returnsQuery,
    pathParams: s.projectIdParams,
    response: s.returnsResponse,
    permissions: "return:read:*",
    notFound: true,
  },
  {
    path: "/portfolio",
    summary: "Portfolio totals",
    description: "The leadership dashboard's totals in the caller's scope against the plan target (450 billion yuan, see `target`), with the four rates, the schedule target, SPI/CPI and the count per light, as of a month.",
    query: s.portfolioQuery,
    response: s.portfolioResponse,
    permissions: "portfolio:read:all",
  },
  {
    path: "/indicators",
    summary: "Indicators",
    description: "The plan's main indicators with their recorded yearly values and progress toward the 2025 target.",
    query: s.indicatorsQuery,
    response: s.indicatorsResponse,
    permissions: "indicator:read:all",
  },
  {
    path: "/lights",
    summary: "Lights with reasons",
    description: "Red and yellow projects in the caller's scope, worst first, each with the reasons (code and figures) for its light, as the delay review lists them.",
    query: s.lightsQuery,
    response: s.lightsResponse,
    permissions: "portfolio:read:all",
  },
];

function errorResponse(description: string) {
  return { description, content: { "application/json": { schema: s.problem } } };
}

export function openApiDocument(serverUrl = "/api/v1") {
  const paths: Record<string, unknown> = {};
  for (const op of OPERATIONS) {
    paths[op.path] = {
      get: {
        summary: op.summary,
        description: `${op.description} Requires one of: ${op.permissions}.`,
        operationId: op.summary.replace(/\W+(\w)/g, (_m, c: string) => c.toUpperCase()).replace(/^\w/, (c) => c.toLowerCase()),
        requestParams: { ...(op.query ? { query: op.query } : {}), ...(op.pathParams ? { path: op.pathParams } : {}) },
        responses: {
          "200": { description: "OK", content: { "application/json": { schema: op.response } } },
          "400": errorResponse("A parameter is malformed or unknown; `problems` names it."),
          "401": errorResponse("No valid token or session."),
          "403": errorResponse("The token's scope does not include this operation."),
          ...(op.notFound ? { "404": errorResponse("Not found in the caller's scope.") } : {}),
          "429": {
            ...errorResponse("Rate limit of the token exceeded; retry after `Retry-After` seconds."),
            headers: { "Retry-After": { schema: { type: "integer" }, description: "Seconds until the next window." } },
          },
        },
      },
    };
  }
  return createDocument({
    openapi: "3.1.0",
    info: {
      title: "Zunyi urbanization project library: read API",
      version: API_VERSION,
      description: s.API_DESCRIPTION,
    },
    servers: [{ url: serverUrl }],
    security: [{ bearerToken: [] }, { sessionCookie: [] }],
    components: {
      securitySchemes: {
        bearerToken: { type: "http", scheme: "bearer", description: "An API token (zyk_…) issued under Account → API tokens." },
        sessionCookie: { type: "apiKey", in: "cookie", name: "authjs.session-token", description: "A signed-in browser session." },
      },
    },
    paths: paths as never,
  });
}
