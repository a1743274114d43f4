import { cookies } from "next/headers";
import { getRequestConfig } from "next-intl/server";
import { defaultLocale, isLocale, localeCookie } from "./config";

export default getRequestConfig(async () => {
  const requested = (await cookies()).get(localeCookie)?.value;
  const locale = isLocale(requested) ? requested : defaultLocale;
  const messages = await loadMessages(locale);
  // English may be partial: fall back to the Chinese text for any missing key.
  const fallback = locale === defaultLocale ? messages : await loadMessages(defaultLocale);
  return {
    locale,
    messages: locale === defaultLocale ? messages : deepMerge(fallback, messages),
    timeZone: "Asia/Shanghai",
  };
});

async function loadMessages(locale: string): Promise<Record<string, unknown>> {
  return ((await import(`../messages/${locale}.json`)) as { default: Record<string, unknown> }).default;
}

function deepMerge(base: Record<string, unknown>, override: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(override)) {
    const current = out[key];
    out[key] =
      value && typeof value === "object" && current && typeof current === "object"
        ? deepMerge(current as Record<string, unknown>, value as Record<string, unknown>)
        : value;
  }
  return out;
}
