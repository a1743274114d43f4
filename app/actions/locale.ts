"use server";
import { cookies } from "next/headers";
import { z } from "zod";
import { localeCookie, locales } from "@/i18n/config";

const input = z.object({ locale: z.enum(locales) }).strict();

export async function switchLocale(formData: FormData): Promise<void> {
  const parsed = input.safeParse({ locale: formData.get("locale") });
  if (!parsed.success) return;
  (await cookies()).set(localeCookie, parsed.data.locale, { path: "/", sameSite: "lax", maxAge: 60 * 60 * 24 * 365 });
}
