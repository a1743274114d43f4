// Admission for bulk downloads: the exports, the OC4IDS package and the files of the report,
// the evaluation, the reconciliation and the audit log. Each one holds a slot from the moment it
// is admitted until its last byte has left (or the client went away), so however large the
// library, one instance never serves more than BULK_DOWNLOADS_MAX of them at once, nor one user
// more than BULK_DOWNLOADS_PER_USER. Beyond that the caller gets 503 with Retry-After instead of
// the service running out of memory for everyone (bench/RESULTS.md, 2026-12-07: 100 concurrent
// OC4IDS downloads at 100k projects exhausted the heap and killed the server). Per instance: two
// instances admit twice as many, each within its own memory (docs/decisions/0040).
import "server-only";
import { env } from "@/lib/env";
import { createTranslator } from "next-intl";
import type { NextRequest } from "next/server";
import { defaultLocale, isLocale, localeCookie } from "@/i18n/config";

export { BULK_ROUTES } from "@/lib/http/bulk-routes";

export const BULK_RETRY_AFTER_SECONDS = 10;

/** Why a download was not admitted: the caller already holds their share, or the instance is full. */
export type BulkRefusal = "user" | "instance";

export interface BulkSlots {
  /** A release function when admitted, or which limit refused it. */
  acquire(userKey: string): (() => void) | BulkRefusal;
  inUse(): number;
}

export function bulkSlots(max: number, perUser: number): BulkSlots {
  let total = 0;
  const byUser = new Map<string, number>();
  return {
    acquire(userKey) {
      const mine = byUser.get(userKey) ?? 0;
      // The caller's own share first: their third download is their doing (429), whatever the instance's load.
      if (mine >= perUser) return "user";
      if (total >= max) return "instance";
      total += 1;
      byUser.set(userKey, mine + 1);
      let released = false;
      return () => {
        if (released) return;
        released = true;
        total -= 1;
        const left = (byUser.get(userKey) ?? 1) - 1;
        if (left > 0) byUser.set(userKey, left);
        else byUser.delete(userKey);
      };
    },
    inUse: () => total,
  };
}

/** This instance's slots. */
export const downloadSlots = bulkSlots(env.BULK_DOWNLOADS_MAX, env.BULK_DOWNLOADS_PER_USER);

/**
 * The response with `release` called once its body has been read to the end, failed or been
 * cancelled by the client; at once for a response without a body. Pull-based and unbuffered
 * (highWaterMark 0), so the body's own backpressure is kept.
 */
export function releasedAfterBody(response: Response, release: () => void): Response {
  if (!response.body) {
    release();
    return response;
  }
  const reader = response.body.getReader();
  const body = new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        try {
          const { done, value } = await reader.read();
          if (done) {
            release();
            controller.close();
          } else controller.enqueue(value);
        } catch (error) {
          release();
          controller.error(error);
        }
      },
      async cancel(reason) {
        release();
        await reader.cancel(reason);
      },
    },
    { highWaterMark: 0 },
  );
  return new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
}

/** The refusal's text in the caller's language (the locale cookie; Chinese for API clients without one). */
export async function busyMessage(request: NextRequest, refusal: BulkRefusal): Promise<string> {
  const requested = request.cookies.get(localeCookie)?.value;
  const locale = isLocale(requested) ? requested : defaultLocale;
  const messages = ((await import(`../../messages/${locale}.json`)) as { default: Record<string, unknown> }).default;
  const t = createTranslator({ locale, messages }) as unknown as (key: string, values: Record<string, number>) => string;
  return t(refusal === "user" ? "common.tooManyDownloads" : "common.busyDownloads", { seconds: BULK_RETRY_AFTER_SECONDS, limit: env.BULK_DOWNLOADS_PER_USER });
}
