import Link from "@/components/link";
import { getLocale, getTranslations } from "next-intl/server";
import { uiText } from "@/i18n/format";
import { Alert } from "@/components/ui/alert";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { EXPORT_AUDIT, can, canAny } from "@/lib/auth/permissions";
import { requireRoute } from "@/lib/auth/session";
import { lastAuditVerification, latestAuditCheckpoint, listAuditEvents } from "@/lib/audit/queries";
import { auditActionVisibility, auditFilterQuery, type AuditFilters } from "@/lib/audit/export";
import { describeAuditEvent } from "@/lib/audit/describe";
import { auditNameBook } from "@/lib/audit/names";
import { parseInput } from "@/lib/validations/form";
import { userMayOpen } from "@/lib/auth/route-access";
import { returnPagePath } from "@/lib/returns/rules";
import { noticePagePath } from "@/lib/notices/queries";
import { CheckpointForm } from "./_components/checkpoint-form";
import { VerifyForm } from "./_components/verify-form";
import { formatChinaTime } from "@/lib/domain/dates";
import { ClientMessages } from "@/i18n/client-messages";

export const dynamic = "force-dynamic";

const FILTER_NAMES = ["project", "user", "org", "action", "from", "to"] as const;

/** Where an event's object is shown, when the viewer may open it. */
function objectHref(actor: Parameters<typeof userMayOpen>[0], e: { entityType: string | null; entityId: string | null; details: unknown }): string | null {
  if (!e.entityId) return null;
  const details = (e.details ?? {}) as { projectId?: unknown; period?: unknown };
  switch (e.entityType) {
    case "Project":
      return `/projects/${e.entityId}`;
    case "MonthlyReturn":
      return typeof details.projectId === "string" && typeof details.period === "string" ? returnPagePath(details.projectId, details.period) : null;
    case "SupervisionNotice":
      return noticePagePath(e.entityId);
    case "User":
      return userMayOpen(actor, "/admin/users/[id]") ? `/admin/users/${e.entityId}` : null;
    case "Organization":
      return userMayOpen(actor, "/admin/organizations") ? `/admin/organizations?edit=${e.entityId}` : null;
    default:
      return null;
  }
}

export default async function AuditPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const actor = await requireRoute("/audit");
  const t = await getTranslations("audit");
  const tAll = await getTranslations();
  const fmt = uiText(tAll);
  const params = await searchParams;
  // The filters (the same as the export's); blank fields mean "any". A bad one is named, and ignored.
  const typed = Object.fromEntries(FILTER_NAMES.flatMap((name) => (typeof params[name] === "string" && params[name].trim() ? [[name, params[name].trim()]] : [])));
  // parseInput refuses what PostgreSQL cannot store (a NUL, a lone surrogate) before the schema decides.
  const parsed = parseInput(auditFilterQuery, typed);
  const filters: AuditFilters = parsed.ok ? parsed.data : {};
  const badFilters = parsed.ok ? [] : Object.keys(parsed.fieldErrors).map((field) => field.split(".")[0]!).filter((field) => (FILTER_NAMES as readonly string[]).includes(field));
  const query = (page: number) => `/audit?${new URLSearchParams({ ...(filters as Record<string, string>), page: String(page) }).toString()}`;
  // listAuditEvents clamps the number (anything not a page number is page 1, a huge one the last
  // allowed), and says which page it showed.
  const requestedPage = params.page;
  // The chain is walked on demand (VerifyForm), not on every view: about 1 s per 10,000 events.
  const [events, verification, latest] = await Promise.all([
    listAuditEvents(actor, { page: typeof requestedPage === "string" ? Number(requestedPage) : 1, filters }),
    lastAuditVerification(actor),
    latestAuditCheckpoint(actor),
  ]);
  const page = events.page;
  // Each event in words (lib/audit/describe.ts), from the names of what it refers to; the raw record one click away.
  const describe = { t: tAll, fmt, names: await auditNameBook(events.rows, await getLocale()), mayRead: auditActionVisibility(actor) };
  const when = (at: Date) => formatChinaTime(at, { seconds: true });
  const chain = verification?.result;
  const broken = chain?.brokenRow;
  return (
    <ClientMessages namespaces={["audit.checkpointCreated", "audit.checkpointReason", "audit.createCheckpoint", "audit.verifiedBroken", "audit.verifiedOk", "audit.verifyHint", "audit.verifyNow", "common", "validation"]}>
      <div className="space-y-4">
        <h1 className="text-2xl font-semibold">{t("title")}</h1>
        <form method="get" action="/audit" className="flex flex-wrap items-end gap-3 rounded-md border border-slate-200 bg-white p-3 text-sm" aria-label={t("filterHeading")}>
          <span className="w-full font-medium">{t("filterHeading")}</span>
          <label className="flex flex-col gap-1">{t("filterProject")}<input name="project" defaultValue={filters.project ?? ""} placeholder={t("filterProjectHint")} className="h-9 w-64 rounded border border-slate-300 px-2" /></label>
          <label className="flex flex-col gap-1">{t("filterUser")}<input name="user" defaultValue={filters.user ?? ""} className="h-9 w-32 rounded border border-slate-300 px-2" /></label>
          <label className="flex flex-col gap-1">{t("filterOrg")}<input name="org" defaultValue={filters.org ?? ""} className="h-9 w-48 rounded border border-slate-300 px-2" /></label>
          <label className="flex flex-col gap-1">{t("exportAction")}<input name="action" defaultValue={filters.action ?? ""} placeholder="return." className="h-9 w-32 rounded border border-slate-300 px-2" /></label>
          <label className="flex flex-col gap-1">{t("exportFrom")}<input type="date" name="from" defaultValue={filters.from ?? ""} className="h-9 rounded border border-slate-300 px-2" /></label>
          <label className="flex flex-col gap-1">{t("exportTo")}<input type="date" name="to" defaultValue={filters.to ?? ""} className="h-9 rounded border border-slate-300 px-2" /></label>
          <button type="submit" className="h-9 rounded bg-blue-800 px-3 text-white">{t("filterApply")}</button>
          <Link href="/audit" className="h-9 content-center px-1 text-blue-800 underline">{t("filterClear")}</Link>
          {canAny(actor, EXPORT_AUDIT) && (
            <span className="flex items-end gap-2" title={t("exportHeading")}>
              <button type="submit" formAction="/api/audit/export" name="format" value="xlsx" className="h-9 rounded border border-slate-300 px-3">{t("exportXlsx")}</button>
              <button type="submit" formAction="/api/audit/export" name="format" value="csv" className="h-9 rounded border border-slate-300 px-3">{t("exportCsv")}</button>
            </span>
          )}
          {canAny(actor, EXPORT_AUDIT) && <span className="w-full text-xs text-slate-600">{t("exportHeading")}</span>}
        </form>
        {badFilters.length > 0 && <Alert tone="error">{t("filterInvalid", { fields: fmt.list(badFilters.map((f) => t(`filterField.${f}` as never))) })}</Alert>}
        {!can(actor, "audit:read:all") && <Alert tone="info">{t("adminScope")}</Alert>}
        <p className="text-sm text-slate-600" data-testid="audit-count">{t("matching", { count: events.total })}</p>
        <section aria-labelledby="chain-heading" className="space-y-2">
          <h2 id="chain-heading" className="sr-only">{t("chainHeading")}</h2>
          {!verification || !chain ? (
            <Alert tone="warning">{t("neverVerified")}</Alert>
          ) : chain.ok ? (
            <Alert tone="info">
              {t("verifiedAt", { at: when(verification.at), by: verification.by ?? t("system") })}{" "}
              {t("chainOk", { count: chain.checked })}{" "}
              {chain.firstSeq !== null && t("chainRange", { first: chain.firstSeq, last: chain.lastSeq ?? "" })}{" "}
              {t("checkpointsChecked", { count: chain.checkpointsChecked })}{" "}
              {verification.newSince > 0 && t("newSince", { count: verification.newSince })}
            </Alert>
          ) : (
            <Alert tone="error">
              <p>{t("verifiedAt", { at: when(verification.at), by: verification.by ?? t("system") })}</p>
              <p>{chain.firstBrokenSeq !== null ? t("chainBroken", { seq: chain.firstBrokenSeq, reason: chain.reason ?? "" }) : t("checkpointBroken", { reason: chain.reason ?? "" })}</p>
              {broken && (
                <dl className="mt-2 grid grid-cols-[auto_1fr] gap-x-3 gap-y-1 text-xs">
                  <dt>{t("seq")}</dt><dd className="tabular-nums">{broken.seq}</dd>
                  <dt>{t("at")}</dt><dd>{when(new Date(broken.at))}</dd>
                  <dt>{t("action")}</dt><dd><code>{broken.action}</code></dd>
                  <dt>{t("entity")}</dt><dd>{broken.entityType} {broken.entityId}</dd>
                  <dt>{t("actor")}</dt><dd>{broken.actorName ?? "—"}</dd>
                  <dt>{t("reason")}</dt><dd>{broken.reason ?? "—"}</dd>
                </dl>
              )}
            </Alert>
          )}
          {chain && chain.warnings.length > 0 && (
            <Alert tone="warning">
              <ul className="list-disc pl-5">{chain.warnings.map((w) => <li key={w}>{w}</li>)}</ul>
            </Alert>
          )}
          <VerifyForm />
          <p className="text-sm text-slate-600">
            {latest
              ? t("lastCheckpoint", { seq: String(latest.seq), at: when(latest.createdAt), kind: t(`kind_${latest.kind === "purge" ? "purge" : "checkpoint"}`), by: latest.createdByName ?? t("system"), file: latest.fileName })
              : t("noCheckpoint")}
          </p>
          {can(actor, "audit:checkpoint:all") && <CheckpointForm />}
        </section>
        {events.rows.length === 0 ? <p className="text-slate-500">{t("empty")}</p> : (
          <Table>
            <TableHeader>
              <TableRow>
                <TableHead>{t("seq")}</TableHead><TableHead>{t("at")}</TableHead><TableHead>{t("actor")}</TableHead>
                <TableHead>{t("action")}</TableHead><TableHead>{t("entity")}</TableHead><TableHead>{t("reason")}</TableHead>
                <TableHead>{t("approver")}</TableHead><TableHead>{t("ip")}</TableHead><TableHead>{t("details")}</TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {events.rows.map((e) => (
                <TableRow key={e.seq.toString()}>
                  <TableCell className="tabular-nums" title={e.requestId ? `${t("requestId")} ${e.requestId}` : undefined}>{e.seq.toString()}</TableCell>
                  <TableCell className="whitespace-nowrap">{when(e.at)}</TableCell>
                  <TableCell>
                    {e.actorName ?? ""}
                    {e.actorOrganizationName && <span className="block text-xs text-slate-500">{e.actorOrganizationName}</span>}
                  </TableCell>
                  <TableCell><code className="text-xs">{e.action}</code></TableCell>
                  <TableCell className="text-xs">
                    {(() => {
                      const label = `${e.entityType ? (t.has(`entityType.${e.entityType}` as never) ? t(`entityType.${e.entityType}` as never) : e.entityType) : ""}${e.entityId ? ` ${e.entityId.slice(0, 8)}` : ""}`;
                      const href = objectHref(actor, e);
                      return href ? <Link href={href} className="text-blue-800 underline">{label}</Link> : label;
                    })()}
                  </TableCell>
                  <TableCell className="max-w-xs text-xs">
                    {e.reason ?? ""}
                    {Array.isArray(e.evidence) && e.evidence.length > 0 && <span className="block text-slate-500">{t("evidenceCount", { count: e.evidence.length })}</span>}
                  </TableCell>
                  <TableCell className="text-xs">{e.approverName ?? ""}</TableCell>
                  <TableCell className="text-xs">{e.ip}</TableCell>
                  <TableCell className="min-w-72 max-w-xl align-top text-sm">
                    <p data-testid="audit-sentence" className="whitespace-normal break-words">{describeAuditEvent(e, describe)}</p>
                    <details className="mt-1 text-xs">
                      <summary className="cursor-pointer text-blue-800">{t("rawRecord")}</summary>
                      <pre aria-label={t("rawRecordHint")} className="mt-1 max-h-72 overflow-auto whitespace-pre-wrap break-all rounded bg-slate-50 p-2">{JSON.stringify(e.details, null, 2)}</pre>
                    </details>
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        )}
        <nav className="flex gap-3 text-sm">
          {page > 1 && <Link href={query(page - 1)} className="text-blue-800">{"<"}</Link>}
          <span>{page} / {events.pageCount}</span>
          {page < events.pageCount && <Link href={query(page + 1)} className="text-blue-800">{">"}</Link>}
        </nav>
      </div>
    </ClientMessages>
  );
}
