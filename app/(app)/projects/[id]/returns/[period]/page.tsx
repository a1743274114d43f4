import Link from "@/components/link";
import { notFound } from "next/navigation";
import { getLocale, getTranslations } from "next-intl/server";
import { AuditEventChanges } from "@/components/audit/audit-details";
import { FieldChangeList } from "@/components/audit/field-change-list";
import { fieldChangeRows } from "@/lib/audit/events";
import { DemoBadge } from "@/components/demo-badge";
import { Alert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { requireRoute } from "@/lib/auth/session";
import { getReturnPage } from "@/lib/returns/queries";
import { isoDay, formatChinaTime } from "@/lib/domain/dates";
import { formatNumber } from "@/lib/domain/money";
import { isPreviewable } from "@/lib/domain/attachments";
import { RETURN_DONE, addMonths, checkReturnFigures, figureChanges, isPeriod, returnPagePath, type FigureValues } from "@/lib/returns/rules";
import { Decimal } from "@/lib/domain/money";
import { env } from "@/lib/env";
import { MAX_REQUEST_BODY_MB } from "@/lib/security-headers";
import { MILESTONE_KINDS } from "@/lib/returns/schema";
import { CorrectionDecisionForm, CorrectionRequestForm, RemoveAttachmentForm, ReviewForm } from "./review-forms";
import { ReturnForm } from "./return-form";
import { ReviewContext } from "./review-context";
import { LABELLED_FIELDS, type ReturnLabels } from "./types";
import { localName, uiText } from "@/i18n/format";
import { ClientMessages } from "@/i18n/client-messages";

export const dynamic = "force-dynamic";

const STATUS_TONE = { DRAFT: "neutral", SUBMITTED: "info", APPROVED: "success", RETURNED: "warning" } as const;

/** What `?done=` may say after an action redirected here (anything else from the URL is ignored). */
const DONE_MESSAGES: ReadonlySet<string> = new Set(RETURN_DONE);

export default async function ReturnPage({ params, searchParams }: { params: Promise<{ id: string; period: string }>; searchParams: Promise<{ done?: string }> }) {
  const { id, period } = await params;
  const { done } = await searchParams;
  const user = await requireRoute("/projects/[id]/returns/[period]");
  if (!isPeriod(period)) notFound();
  const page = await getReturnPage(user, id, period);
  if (!page) notFound();
  const t = await getTranslations();
  const fmt = uiText(t);
  const locale = await getLocale();
  const { project, row, values, context } = page;
  const sourceName = (code: string) => {
    const s = page.sources.find((x) => x.code === code);
    return s ? localName(s, locale) : code;
  };
  const labels = Object.fromEntries(LABELLED_FIELDS.map((f) => [f, t(`returns.field.${f}` as never)])) as ReturnLabels;
  for (const s of page.sources) labels[`funds.${s.code}`] = `${t("returns.fundsIn")}·${localName(s, locale)}`;
  for (const kind of MILESTONE_KINDS) labels[`milestones.${kind}`] = t(`enums.MilestoneKind.${kind}`);
  const label = (field: string) => labels[field] ?? field;
  const [year, month] = period.split("-");
  const title = t("returns.title", { year: Number(year), month: Number(month) });
  const status = row?.status ?? null;
  const warnings = values && page.may.edit ? checkReturnFigures(values, context) : {};
  const money = (v: string | null | undefined) => (v ? formatNumber(v, 2) : "—");
  const figureRows = (v: FigureValues): [string, string][] => [
    [labels.completedInvestment, money(v.completedInvestment)],
    [t("returns.cumulative"), formatNumber(context.completedThrough.plus(v.completedInvestment), 2)],
    [labels.payments, money(v.payments)],
    [labels.progressPercent, v.progressPercent ? `${v.progressPercent}%` : "—"],
    [labels.progressText, v.progressText ?? "—"],
    ...Object.entries(v.funds).map(([code, amount]): [string, string] => [`${t("returns.fundsIn")}·${sourceName(code)}`, money(amount)]),
    ...Object.entries(v.milestones).map(([kind, date]): [string, string] => [`${t("returns.milestonesReached")}·${t(`enums.MilestoneKind.${kind}` as never)}`, date]),
    ...(["overrunNote", "fundsNote", "progressNote"] as const).filter((k) => v[k]).map((k): [string, string] => [labels[k], v[k]!]),
  ];

  return (
    <ClientMessages namespaces={["common", "enums", "project.field", "returns", "validation"]}>
      <div className="space-y-6">
        <div>
          <Link href={`/projects/${project.id}`} className="text-sm link">← {project.name}</Link>
          <h1 className="mt-2 flex flex-wrap items-center gap-3 text-2xl font-semibold">
            {title}
            <Badge tone={status ? STATUS_TONE[status] : "neutral"} data-testid="return-status">{t(`enums.ReturnStatus.${status ?? "NONE"}` as never)}</Badge>
            {page.due.overdue && <Badge tone="danger">{t("returns.overdue")}</Badge>}
            {row?.isDemo && <DemoBadge />}
          </h1>
          <p className="mt-1 text-sm text-slate-600">
            {project.name} · {project.ownerOrg?.name ?? ""} · {t("returns.dueOn", { date: isoDay(page.due.date) })}
            {row?.submittedAt && <> · {t("returns.submittedBy", { name: row.submittedBy?.displayName ?? "—", at: formatChinaTime(row.submittedAt) })}</>}
            {row?.reviewedAt && <> · {t("returns.reviewedBy", { name: row.reviewedBy?.displayName ?? "—", at: formatChinaTime(row.reviewedAt) })}</>}
          </p>
          <nav className="mt-2 flex gap-4 text-sm" aria-label={t("returns.months")}>
            {addMonths(period, -1) >= "2021-01" && <Link className="link" href={returnPagePath(project.id, addMonths(period, -1))}>← {addMonths(period, -1)}</Link>}
            <Link className="link" href={returnPagePath(project.id, addMonths(period, 1))}>{addMonths(period, 1)} →</Link>
          </nav>
        </div>

        {done && DONE_MESSAGES.has(done) && <Alert tone="info">{t(`returns.done.${done}` as never)}</Alert>}
        {status === "RETURNED" && row?.returnReason && <Alert tone="error">{t("returns.returnedWith", { reason: row.returnReason })}</Alert>}
        {status === "APPROVED" && <Alert tone="info">{t("returns.locked")}</Alert>}
        {Object.keys(warnings).length > 0 && (
          <Alert tone="error">
            {t("returns.beforeSubmit")}{fmt.clauses(Object.entries(warnings).map(([f, keys]) => fmt.labelled(labels[f] ?? f, fmt.list(keys.map((k) => t(k as never))))))}
          </Alert>
        )}

        {page.may.edit ? (
          <Card>
            <CardHeader><CardTitle>{status ? t("returns.edit") : t("returns.new")}</CardTitle></CardHeader>
            <CardContent>
              <ReturnForm
                projectId={project.id}
                period={period}
                version={row?.version ?? 0}
                values={values}
                sources={page.sources.map((s) => ({
                  code: s.code,
                  name: localName(s, locale),
                  planned: project.fundingPlans.find((f) => f.sourceCode === s.code)?.amount.toString() ?? null,
                  before: (context.fundsBefore[s.code] ?? new Decimal(0)).toString(),
                }))}
                milestoneKinds={MILESTONE_KINDS.filter((k) => !project.milestones.find((m) => m.kind === k)?.actualDate || values?.milestones[k]).map((kind) => ({
                  kind,
                  baseline: isoDay(project.milestones.find((m) => m.kind === kind)?.baselineDate) || null,
                }))}
                openProblems={page.openProblems.map((p) => ({ id: p.id, category: p.category, level: p.level, description: p.description }))}
                completedBefore={context.completedThrough.toString()}
                labels={labels}
                uploadLimits={{ fileMb: env.ATTACHMENT_MAX_MB, requestMb: MAX_REQUEST_BODY_MB }}
              />
            </CardContent>
          </Card>
        ) : values ? (
          <Card>
            <CardHeader><CardTitle>{t("returns.figures")}</CardTitle></CardHeader>
            <CardContent>
              <dl className="grid grid-cols-1 gap-x-6 gap-y-2 text-sm md:grid-cols-[14rem_1fr]" data-testid="return-figures">
                {figureRows(values).map(([label, value]) => (
                  <div key={label} className="contents"><dt className="text-slate-500">{label}</dt><dd className="tabular-nums">{value}</dd></div>
                ))}
              </dl>
            </CardContent>
          </Card>
        ) : (
          <Card><CardContent className="pt-6 text-sm text-slate-600">{t("returns.none")}</CardContent></Card>
        )}

        {values && <ReviewContext context={page.review} values={values} label={label} />}

        {page.may.review && row && (
          <Card>
            <CardHeader><CardTitle>{t("returns.review")}</CardTitle></CardHeader>
            <CardContent><ReviewForm returnId={row.id} version={row.version} labels={labels} /></CardContent>
          </Card>
        )}

        {page.pendingCorrection && values && (
          <Card>
            <CardHeader><CardTitle>{t("returns.pendingCorrection")}</CardTitle></CardHeader>
            <CardContent className="space-y-3">
              <p className="text-sm">{t("returns.correctionBy", { name: page.pendingCorrection.requestedBy.displayName, reason: page.pendingCorrection.reason })}</p>
              <Table>
                <TableHeader><TableRow><TableHead>{t("project.field")}</TableHead><TableHead>{t("project.before")}</TableHead><TableHead>{t("project.after")}</TableHead></TableRow></TableHeader>
                <TableBody>
                  {Object.entries(figureChanges(values, page.pendingCorrection.proposed as unknown as FigureValues)).map(([field, change]) => (
                    <TableRow key={field}><TableCell>{labels[field] ?? field}</TableCell><TableCell>{change.from ?? "—"}</TableCell><TableCell>{change.to ?? "—"}</TableCell></TableRow>
                  ))}
                </TableBody>
              </Table>
              {page.may.decideCorrection && <CorrectionDecisionForm correctionId={page.pendingCorrection.id} labels={labels} />}
            </CardContent>
          </Card>
        )}

        {page.may.requestCorrection && row && values && (
          <Card>
            <CardHeader><CardTitle>{t("returns.requestCorrection")}</CardTitle></CardHeader>
            <CardContent>
              <details>
                <summary className="cursor-pointer text-sm text-blue-800">{t("returns.correctionIntro")}</summary>
                <div className="mt-3">
                  <CorrectionRequestForm returnId={row.id} values={values} sources={page.sources.map((s) => ({ code: s.code, name: localName(s, locale) }))} labels={labels} />
                </div>
              </details>
            </CardContent>
          </Card>
        )}

        <div className="grid gap-6 md:grid-cols-2">
          <Card>
            <CardHeader><CardTitle>{t("returns.evidence")}</CardTitle></CardHeader>
            <CardContent>
              {row?.attachments.length ? (
                <ul className="space-y-2 text-sm" data-testid="attachments">
                  {row.attachments.map((a) => (
                    <li key={a.id}>
                      {a.mimeType.startsWith("image/") && isPreviewable(a.mimeType) && (
                        // A preview from the attachment route itself (inline only for images and PDFs; nosniff).
                        <a href={`/api/attachments/${a.id}?disposition=inline`} target="_blank" rel="noopener noreferrer" className="mb-1 block w-fit">
                          <img src={`/api/attachments/${a.id}?disposition=inline`} alt={t("returns.previewOf", { name: a.fileName })} loading="lazy" className="max-h-40 max-w-full rounded border border-slate-200 object-contain" data-testid="attachment-thumbnail" />
                        </a>
                      )}
                      <a className="link" href={`/api/attachments/${a.id}`}>{a.fileName}</a>
                      <span className="ml-2 text-xs text-slate-500">{a.size < 1024 ? `${a.size} B` : `${formatNumber(a.size / 1024, 0)} KB`} · SHA-256 <code title={a.sha256}>{a.sha256.slice(0, 12)}…</code> · {a.uploadedBy?.displayName ?? ""}</span>
                      {page.may.edit && <RemoveAttachmentForm attachmentId={a.id} fileName={a.fileName} labels={labels} />}
                      {a.mimeType === "application/pdf" && (
                        // The PDF inside the page: the route lets only its own origin frame an inline
                        // preview (docs/decisions/0034); loaded when the panel opens, not with the page.
                        <details className="mt-1" data-testid="pdf-preview">
                          <summary className="cursor-pointer text-xs link">{t("returns.previewAttachment")}</summary>
                          <iframe src={`/api/attachments/${a.id}?disposition=inline`} title={t("returns.previewOf", { name: a.fileName })} loading="lazy" className="mt-1 h-[70vh] w-full rounded border border-slate-200" />
                        </details>
                      )}
                    </li>
                  ))}
                </ul>
              ) : <p className="text-sm text-slate-500">{t("returns.noEvidence")}</p>}
            </CardContent>
          </Card>
          <Card>
            <CardHeader><CardTitle>{t("returns.problems")}</CardTitle></CardHeader>
            <CardContent>
              {row?.problems.length || page.openProblems.length ? (
                <ul className="space-y-1 text-sm">
                  {[...(row?.problems ?? []), ...page.openProblems].map((p) => (
                    <li key={p.id}>
                      <Badge tone={p.status === "OPEN" ? "warning" : "success"}>{t(`enums.ProblemStatus.${p.status}` as never)}</Badge>{" "}
                      [{t(`enums.ProblemCategory.${p.category}` as never)}·{t(`enums.ProblemLevel.${p.level}` as never)}] {p.description}
                    </li>
                  ))}
                </ul>
              ) : <p className="text-sm text-slate-500">{t("returns.noProblems")}</p>}
            </CardContent>
          </Card>
        </div>

        {row && row.corrections.length > 0 && (
          <Card>
            <CardHeader><CardTitle>{t("returns.corrections")}</CardTitle></CardHeader>
            <CardContent>
              <Table>
                <TableHeader><TableRow><TableHead>{t("project.at")}</TableHead><TableHead>{t("project.by")}</TableHead><TableHead>{t("returns.correctionReason")}</TableHead><TableHead>{t("project.status")}</TableHead><TableHead>{t("returns.changes")}</TableHead></TableRow></TableHeader>
                <TableBody>
                  {row.corrections.map((c) => (
                    <TableRow key={c.id}>
                      <TableCell className="whitespace-nowrap">{formatChinaTime(c.createdAt)}</TableCell>
                      <TableCell>{c.requestedBy.displayName}</TableCell>
                      <TableCell>{c.reason}</TableCell>
                      <TableCell>{t(`enums.CorrectionStatus.${c.status}` as never)}{c.decidedBy ? fmt.parens(c.decisionNote ? fmt.labelled(c.decidedBy.displayName, c.decisionNote) : c.decidedBy.displayName) : ""}</TableCell>
                      <TableCell className="min-w-56 text-xs">
                        <FieldChangeList changes={fieldChangeRows(figureChanges(c.previous as unknown as FigureValues, c.proposed as unknown as FigureValues))} label={label} fmt={fmt} />
                      </TableCell>
                    </TableRow>
                  ))}
                </TableBody>
              </Table>
            </CardContent>
          </Card>
        )}

        {page.history.length > 0 && (
          <Card>
            <CardHeader><CardTitle>{t("returns.history")}</CardTitle></CardHeader>
            <CardContent>
              <Table>
                <TableHeader><TableRow><TableHead>{t("project.at")}</TableHead><TableHead>{t("project.by")}</TableHead><TableHead>{t("returns.action")}</TableHead><TableHead>{t("returns.changes")}</TableHead></TableRow></TableHeader>
                <TableBody>
                  {page.history.map((e) => (
                    <TableRow key={String(e.seq)}>
                      <TableCell className="whitespace-nowrap">{formatChinaTime(e.at)}</TableCell>
                      <TableCell>{e.actorName}</TableCell>
                      <TableCell>{t(`returns.actions.${e.action.replaceAll(".", "_")}` as never)}</TableCell>
                      <TableCell className="min-w-56 text-xs">
                        <AuditEventChanges event={e} label={label} fmt={fmt} reasonLabel={t("returns.reasonLabel")} evidenceLabel={t("returns.evidence")} />
                      </TableCell>
                    </TableRow>
                  ))}
                </TableBody>
              </Table>
            </CardContent>
          </Card>
        )}
      </div>
    </ClientMessages>
  );
}
