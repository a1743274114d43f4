// The streamed OC4IDS export read to the end, as a recipient saves it: the body as text and parsed.
import type { CurrentUser } from "@/lib/auth/session";
import type { Oc4idsPackage } from "@/lib/export/oc4ids";

export async function exportOc4ids(actor: CurrentUser, options: { uri: string; ip: string | null; now?: Date; plan?: string; batchSize?: number }) {
  // Imported when called: the test has pointed DATABASE_URL at its database by then.
  const { streamOc4idsPackage } = await import("@/lib/data/oc4ids");
  const result = await streamOc4idsPackage(actor, options);
  const body = result.body ? await new Response(result.body).text() : "";
  return { ...result, body, package: body ? (JSON.parse(body) as Oc4idsPackage) : null };
}
