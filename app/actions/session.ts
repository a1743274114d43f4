"use server";
import { headers } from "next/headers";
import { signOut } from "@/lib/auth";
import { clientIp } from "@/lib/auth/client-ip";
import { getCurrentUser } from "@/lib/auth/session";
import { endSession } from "@/lib/data/account";

export async function signOutAction(): Promise<void> {
  const user = await getCurrentUser();
  if (user) await endSession(user, clientIp(await headers()));
  await signOut({ redirectTo: "/login" });
}
