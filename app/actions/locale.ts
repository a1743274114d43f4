"use server";
import { cookies } from "next/headers";
import { localeCookie } from "@/i18n/config";
import { localeInput } from "@/lib/validations/locale";

export async function switchLocale(formData: FormData): Promise<void> {
  const parsed = localeInput.safeParse({ locale: formData.get("locale") });
  if (!parsed.success) return;
  (await cookies()).set(localeCookie, parsed.data.locale, { path: "/", sameSite: "lax", maxAge: 60 * 60 * 24 * 365 });
}
