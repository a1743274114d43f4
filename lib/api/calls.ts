// The read API's answers and their audit: every call a caller was let through for is recorded
// with its token, route, status and how many records it returned (docs/decisions/0025).
import "server-only";
import { NextResponse } from "next/server";
import type { z } from "zod";
import { prisma } from "@/lib/db";
import { recordAuditEvent } from "@/lib/audit/log";
import type { CurrentUser } from "@/lib/auth/session";

/** How many records an answer holds; set by apiJson, read by the audit. */
export const RESULT_COUNT_HEADER = "X-Result-Count";

/**
 * A 200 answer, checked against the response schema the OpenAPI document is generated from: a
 * body that does not fit is a bug and throws, so the document never describes what is not sent.
 */
export function apiJson<S extends z.ZodType>(schema: S, body: z.input<S>, count: number, headers: Record<string, string> = {}): NextResponse {
  const checked = schema.parse(body);
  return NextResponse.json(checked, {
    headers: { "Cache-Control": "no-store", [RESULT_COUNT_HEADER]: String(count), ...headers },
  });
}

export async function auditApiCall(user: CurrentUser, apiTokenId: string | null, route: string, response: Response, ip: string | null): Promise<void> {
  const counted = Number(response.headers.get(RESULT_COUNT_HEADER));
  await recordAuditEvent(prisma, {
    actorId: user.id,
    actorName: user.username,
    action: "api.call",
    entityType: apiTokenId ? "ApiToken" : null,
    entityId: apiTokenId,
    ip,
    details: { tokenId: apiTokenId, route, status: response.status, count: Number.isFinite(counted) ? counted : 0 },
  });
}
