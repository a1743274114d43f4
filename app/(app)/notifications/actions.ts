"use server";
import { revalidatePath } from "next/cache";
import { getCurrentUser } from "@/lib/auth/session";
import { markNotificationsRead } from "@/lib/data/returns";

export async function markAllReadAction(): Promise<void> {
  const user = await getCurrentUser();
  if (!user) return;
  await markNotificationsRead(user, "all");
  revalidatePath("/notifications");
}
