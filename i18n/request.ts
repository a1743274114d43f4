import { cookies } from "next/headers";
import { getRequestConfig } from "next-intl/server";
import { IntlErrorCode, type IntlError } from "next-intl";
import { defaultLocale, isLocale, localeCookie } from "./config";

export default getRequestConfig(async () => {
  const requested = (await cookies()).get(localeCookie)?.value;
  const locale = isLocale(requested) ? requested : defaultLocale;
  // No fallback to Chinese: en.json holds exactly the keys of zh-CN.json (tests/unit/messages.test.ts).
  const messages = ((await import(`../messages/${locale}.json`)) as { default: Record<string, unknown> }).default;
  return { locale, messages, timeZone: "Asia/Shanghai", onError: reportMessageError };
});

/** A missing message is a bug: outside production it fails the render, in production it is logged. */
export function reportMessageError(error: IntlError): void {
  if (error.code === IntlErrorCode.MISSING_MESSAGE && process.env.NODE_ENV !== "production") throw error;
  console.error(error);
}
