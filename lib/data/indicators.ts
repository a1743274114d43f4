// Reads of the 36 main indicators of 专栏1 with their latest recorded value.
import "server-only";
import { prisma } from "@/lib/db";
import { assertPermission, type CurrentUser } from "@/lib/auth/session";

export async function listIndicators(actor: CurrentUser) {
  await assertPermission(actor, "indicator:read:all");
  return prisma.indicator.findMany({
    orderBy: { number: "asc" },
    include: { values: { orderBy: { year: "desc" }, take: 1 } },
  });
}
