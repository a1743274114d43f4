// The messages a page sends to the browser: only the parts of the catalogue its client components
// translate, not the whole catalogue on every page (issue 21; docs/decisions/0036-client-messages.md).
// Server components translate with getTranslations() and need nothing sent. The paths a page
// passes are checked against what its client components use by tests/unit/client-messages.test.ts.
import type { ReactNode } from "react";
import { NextIntlClientProvider } from "next-intl";
import { getMessages } from "next-intl/server";

type Messages = Record<string, unknown>;

/**
 * The parts of `messages` at `paths` ("projects" or "projects.views"), nested as in the catalogue.
 * A path the catalogue does not hold is an error: a typo would otherwise send nothing and show keys.
 */
export function pickMessages(messages: Messages, paths: readonly string[]): Messages {
  // Plain objects: React sends no null-prototype object to the client. The paths are the code's own.
  const out: Messages = {};
  for (const path of paths) {
    const parts = path.split(".");
    let source: unknown = messages;
    for (const part of parts) {
      source = source !== null && typeof source === "object" && Object.hasOwn(source, part) ? (source as Messages)[part] : undefined;
    }
    if (source === undefined) throw new Error(`pickMessages: the catalogue has no "${path}"`);
    let target = out;
    for (const part of parts.slice(0, -1)) {
      const next = Object.hasOwn(target, part) ? target[part] : undefined;
      target = (next !== null && typeof next === "object" ? next : (target[part] = {})) as Messages;
    }
    target[parts.at(-1)!] = source;
  }
  return out;
}

/**
 * What every page's client components may need before any page-level provider: the error
 * boundaries (error.tsx files sit above the page) and the 403, 404 and 401 pages
 * (components/problem-page.tsx). Sent by the root layout.
 */
export const ROOT_CLIENT_MESSAGES = ["projects.error", "projects.retry", "forbidden", "notFound", "unauthorized"] as const;

/**
 * Provides the client components below it with the catalogue's `namespaces` (replacing, not adding
 * to, the root layout's): a page wraps its content in one, listing what its client components use.
 */
export async function ClientMessages({ namespaces, children }: { namespaces: readonly string[]; children: ReactNode }) {
  const messages = (await getMessages()) as Messages;
  return <NextIntlClientProvider messages={pickMessages(messages, namespaces)}>{children}</NextIntlClientProvider>;
}
