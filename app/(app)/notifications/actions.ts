"use server";
import { revalidatePath } from "next/cache";
import { authorizeAction } from "@/lib/action";
import { markNotificationsRead } from "@/lib/notifications/inbox";

export async function markAllReadAction(): Promise<void> {
  const gate = await authorizeAction("app/(app)/notifications/actions.ts#markAllReadAction");
  if (!gate.ok) return;
  await markNotificationsRead(gate.context.user, "all");
  revalidatePath("/notifications");
}
