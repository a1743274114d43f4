import { z } from "zod";
import { locales } from "@/i18n/config";

/** The language switch (app/actions/locale.ts). */
export const localeInput = z.object({ locale: z.enum(locales) }).strict();
