import type { ReactNode } from "react";
import { requireRoute } from "@/lib/auth/session";

// The permission check runs here, before loading.tsx streams its fallback: a refused user must
// get HTTP 403, and once streaming has begun the status is already 200.
export default async function DashboardLayout({ children }: { children: ReactNode }) {
  await requireRoute("/dashboard");
  return children;
}
