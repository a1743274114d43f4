// The route handlers that stream a whole file: every one of them goes through the download slots
// (lib/http/bulk-slots.ts, taken in lib/http/route.ts). A plain module so that the e2e suite can
// read it too (e2e/bad-input.spec.ts keeps its probes of these routes within one user's share).
import type { RouteHandlerPath } from "@/lib/auth/route-access";

export const BULK_ROUTES: ReadonlySet<string> = new Set<RouteHandlerPath>([
  "/api/oc4ids",
  "/api/projects/export",
  "/api/audit/export",
  "/api/reconciliation/export",
  "/api/report",
  "/api/evaluation",
]);
