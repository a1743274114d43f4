"use server";
import { cookies } from "next/headers";
import { localeCookie } from "@/i18n/config";
import { runAction } from "@/lib/action";
import { localeInput } from "@/lib/validations/locale";

/** The language switch; a value that is not a language is ignored (the form has nothing to show). */
export async function switchLocale(formData: FormData): Promise<void> {
  await runAction("app/actions/locale.ts#switchLocale", localeInput, { locale: formData.get("locale") }, async ({ locale }) => {
    (await cookies()).set(localeCookie, locale, { path: "/", sameSite: "lax", maxAge: 60 * 60 * 24 * 365 });
  });
}
