import { NextResponse } from "next/server";
import { getCurrentUser } from "@/lib/auth/session";
import { healthFor } from "@/lib/system/health";

export const dynamic = "force-dynamic";

// Public (load balancers, the e2e web server probe): anonymous callers get status and version;
// signed-in administrators the details. A database that is down reads as anonymous, still 503.
export async function GET() {
  const user = await getCurrentUser().catch(() => null);
  const report = await healthFor(user);
  return NextResponse.json(report, {
    status: report.status === "down" ? 503 : 200,
    headers: { "Cache-Control": "no-store" },
  });
}
