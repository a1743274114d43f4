import { NextResponse } from "next/server";
import { withRoute } from "@/lib/http/route";
import { healthFor } from "@/lib/system/health";

export const dynamic = "force-dynamic";

// Public (load balancers, the e2e web server probe): anonymous callers get status and version;
// signed-in administrators the details. A database that is down reads as anonymous, still 503.
export const GET = withRoute("/api/health", async ({ user }) => {
  const report = await healthFor(user);
  return NextResponse.json(report, {
    status: report.status === "down" ? 503 : 200,
    headers: { "Cache-Control": "no-store" },
  });
});
