import Link from "next/link";
import { getFormatter, getTranslations } from "next-intl/server";
import { Alert } from "@/components/ui/alert";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { requireRoute } from "@/lib/auth/session";
import { listAuditEvents, verifyAuditLog } from "@/lib/data/audit";

export const dynamic = "force-dynamic";

export default async function AuditPage({ searchParams }: { searchParams: Promise<{ page?: string }> }) {
  const actor = await requireRoute("/audit");
  const t = await getTranslations("audit");
  const format = await getFormatter();
  const page = Math.max(1, Number.parseInt((await searchParams).page ?? "1", 10) || 1);
  const [events, chain] = await Promise.all([listAuditEvents(actor, { page }), verifyAuditLog(actor)]);
  return (
    <div className="space-y-4">
      <h1 className="text-2xl font-semibold">{t("title")}</h1>
      {chain.ok ? (
        <Alert tone="info">{t("chainOk", { count: chain.checked })}</Alert>
      ) : (
        <Alert tone="error">{t("chainBroken", { seq: String(chain.firstBrokenSeq), reason: chain.reason ?? "" })}</Alert>
      )}
      {events.rows.length === 0 ? <p className="text-slate-500">{t("empty")}</p> : (
        <Table>
          <TableHeader>
            <TableRow>
              <TableHead>{t("seq")}</TableHead><TableHead>{t("at")}</TableHead><TableHead>{t("actor")}</TableHead>
              <TableHead>{t("action")}</TableHead><TableHead>{t("entity")}</TableHead><TableHead>{t("ip")}</TableHead><TableHead>{t("details")}</TableHead>
            </TableRow>
          </TableHeader>
          <TableBody>
            {events.rows.map((e) => (
              <TableRow key={e.seq.toString()}>
                <TableCell className="tabular-nums">{e.seq.toString()}</TableCell>
                <TableCell className="whitespace-nowrap">{format.dateTime(e.at, { dateStyle: "short", timeStyle: "medium" })}</TableCell>
                <TableCell>{e.actorName ?? ""}</TableCell>
                <TableCell><code className="text-xs">{e.action}</code></TableCell>
                <TableCell className="text-xs">{e.entityType}{e.entityId ? ` ${e.entityId.slice(0, 8)}` : ""}</TableCell>
                <TableCell className="text-xs">{e.ip}</TableCell>
                <TableCell><code className="block max-w-md truncate text-xs" title={JSON.stringify(e.details)}>{JSON.stringify(e.details)}</code></TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
      <nav className="flex gap-3 text-sm">
        {page > 1 && <Link href={`/audit?page=${page - 1}`} className="text-blue-800">{"<"}</Link>}
        <span>{page} / {events.pageCount}</span>
        {page < events.pageCount && <Link href={`/audit?page=${page + 1}`} className="text-blue-800">{">"}</Link>}
      </nav>
    </div>
  );
}
