// 月报: the reviewer's queue (submitted returns, oldest first, approved one by one or the clean ones
// in bulk; correction requests in its scope) and, for
// everyone who reads returns, who is late with the latest due month, worst first.
import Link from "@/components/link";
import { getTranslations } from "next-intl/server";
import { DemoBadge } from "@/components/demo-badge";
import { Badge } from "@/components/ui/badge";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { ReviewQueue } from "./_components/review-queue";
import { can } from "@/lib/auth/permissions";
import { requireRoute } from "@/lib/auth/session";
import { listLateReturns, listReviewQueue } from "@/lib/returns/queries";
import { listNewProjectsToReview } from "@/lib/data/project-approval";
import { ApprovalBadge } from "@/components/approval-badge";
import { formatNumber } from "@/lib/domain/money";
import { formatChinaDay } from "@/lib/domain/dates";
import { uiText } from "@/i18n/format";
import { returnPagePath } from "@/lib/returns/rules";
import { listPendingBaselineChanges } from "@/lib/baselines/queries";
import { baselineFieldLabel } from "../projects/[id]/baseline/labels";
import { BaselineChangeList } from "../projects/[id]/baseline/change-list";
import { BaselineEvidenceList } from "../projects/[id]/baseline/evidence-list";
import { BaselineDecisionForm } from "../projects/[id]/baseline/decision-form";
import { ClientMessages } from "@/i18n/client-messages";

export const dynamic = "force-dynamic";

export default async function ReturnsPage() {
  const user = await requireRoute("/returns");
  const t = await getTranslations();
  const fmt = uiText(t);
  const reviewer = can(user, "return:approve:county");
  const [queue, late, baselineQueue, newProjects] = await Promise.all([
    reviewer ? listReviewQueue(user) : null,
    listLateReturns(user),
    // 项目调整申请 wait for the city's review office here (docs/decisions/0030); other offices see none.
    can(user, "baseline:approve:city") ? listPendingBaselineChanges(user) : null,
    can(user, "project:accept:county") ? listNewProjectsToReview(user) : null,
  ]);
  const byOwner = new Map<string, number>();
  for (const row of late.rows) byOwner.set(row.owner?.name ?? "—", (byOwner.get(row.owner?.name ?? "—") ?? 0) + 1);

  return (
    <ClientMessages namespaces={["baseline", "common", "returns.bulk", "returns.queueLabel", "validation"]}>
      <div className="space-y-6">
        <h1 className="text-2xl font-semibold">{t("returns.pageTitle")}</h1>
        {newProjects && (
          <Card data-testid="new-project-queue">
            <CardHeader><CardTitle>{t("project.approval.queue", { count: newProjects.total })}</CardTitle></CardHeader>
            <CardContent>
              {newProjects.rows.length === 0 ? <p className="text-sm text-slate-500">{t("project.approval.queueEmpty")}</p> : (
                <>
                  <Table aria-label={t("project.approval.queueLabel")}>
                    <TableHeader><TableRow><TableHead>{t("projects.name")}</TableHead><TableHead>{t("project.owner")}</TableHead><TableHead>{t("project.approval.county")}</TableHead><TableHead className="text-right">{t("project.totalInvestment")}</TableHead><TableHead>{t("project.approval.addedAt")}</TableHead></TableRow></TableHeader>
                    <TableBody>
                      {newProjects.rows.map((p) => (
                        <TableRow key={p.id}>
                          <TableCell><Link className="link" href={`/projects/${p.id}`}>{p.name}</Link> <ApprovalBadge approval="PENDING" /></TableCell>
                          <TableCell>{p.ownerOrg?.name ?? "—"}</TableCell>
                          <TableCell>{fmt.list(p.locations.map((l) => l.division.name)) || "—"}</TableCell>
                          <TableCell numeric>{p.totalInvestment ? formatNumber(p.totalInvestment, 2) : "—"}</TableCell>
                          <TableCell className="whitespace-nowrap">{formatChinaDay(p.createdAt)}</TableCell>
                        </TableRow>
                      ))}
                    </TableBody>
                  </Table>
                  {newProjects.total > newProjects.rows.length && <p className="mt-2 text-xs text-slate-500">{t("project.approval.queueMore", { shown: newProjects.rows.length, count: newProjects.total })}</p>}
                </>
              )}
            </CardContent>
          </Card>
        )}
        {queue && (
          <Card>
            <CardHeader><CardTitle>{t("returns.queue", { count: queue.returns.length })}</CardTitle></CardHeader>
            <CardContent>
              {queue.returns.length === 0 ? <p className="text-sm text-slate-500">{t("returns.queueEmpty")}</p> : (
                <ReviewQueue
                  headers={{ period: t("returns.period"), project: t("projects.name"), owner: t("project.owner"), amount: t("returns.field.completedInvestment"), submitted: t("returns.submittedAt"), waiting: t("returns.waiting") }}
                  rows={queue.returns.map((r) => ({
                    id: r.id,
                    version: r.version,
                    label: `${r.project.name} · ${r.period}`,
                    period: r.period,
                    project: <><Link className="link" href={returnPagePath(r.project.id, r.period)}>{r.project.name}</Link> {r.isDemo && <DemoBadge />}</>,
                    owner: r.project.ownerOrg?.name ?? "—",
                    amount: formatNumber(r.completedInvestment, 2),
                    submitted: `${formatChinaDay(r.submittedAt)} ${r.submittedBy?.displayName ?? ""}`,
                    waiting: r.daysWaiting === null ? "—" : t("returns.daysWaiting", { days: r.daysWaiting }),
                    clean: r.clean,
                    findings: fmt.list([...new Set(Object.values(r.findings).flat())].map((key) => t(key as never))),
                  }))}
                />
              )}
              {queue.corrections.length > 0 && (
                <div className="mt-4">
                  <h2 className="mb-2 font-medium">{t("returns.correctionQueue", { count: queue.corrections.length })}</h2>
                  <ul className="space-y-1 text-sm">
                    {queue.corrections.map((c) => (
                      <li key={c.id}>
                        <Link className="link" href={returnPagePath(c.monthlyReturn.project.id, c.period)}>{c.monthlyReturn.project.name} · {c.period}</Link>
                        <span className="ml-2 text-slate-600">{fmt.labelled(c.requestedBy.displayName, c.reason)}</span>
                        <span className="ml-2 whitespace-nowrap text-slate-600">{t("returns.daysWaiting", { days: c.daysWaiting ?? 0 })}</span>
                      </li>
                    ))}
                  </ul>
                </div>
              )}
            </CardContent>
          </Card>
        )}
        {baselineQueue && baselineQueue.length > 0 && (
          <Card>
            <CardHeader><CardTitle>{t("baseline.queue", { count: baselineQueue.length })}</CardTitle></CardHeader>
            <CardContent>
              <ul className="space-y-1 text-sm" aria-label={t("baseline.queueLabel")} data-testid="baseline-queue">
                {baselineQueue.map((c) => (
                  <li key={c.id} className="space-y-1 border-b border-slate-100 pb-2" data-testid="baseline-queue-item">
                    {/* The city office decides here: it may not read every project's page (its county's and multi-county ones only). */}
                    {c.project.mayRead ? <Link className="link" href={`/projects/${c.project.id}#baseline-change`}>{c.project.name}</Link> : <span className="font-medium">{c.project.name}</span>}
                    <span className="ml-2 text-slate-600">{c.project.ownerOrg?.name ?? "—"} · {Object.keys(c.proposed).map((key) => baselineFieldLabel(t as never, key)).join(t("common.listSeparator"))}</span>
                    <span className="ml-2 whitespace-nowrap text-slate-600">{formatChinaDay(c.createdAt)} {fmt.labelled(c.requestedByName, c.reason)}</span>
                    <BaselineChangeList previous={c.previous} proposed={c.proposed} />
                    <BaselineEvidenceList files={c.attachments} />
                    <BaselineDecisionForm changeId={c.id} version={c.version} />
                  </li>
                ))}
              </ul>
            </CardContent>
          </Card>
        )}
        <Card>
          <CardHeader><CardTitle>{t("returns.late", { period: late.period, count: late.rows.length })}</CardTitle></CardHeader>
          <CardContent className="space-y-4">
            {late.rows.length === 0 ? <p className="text-sm text-slate-500">{t("returns.lateNone")}</p> : (
              <>
                <div className="flex flex-wrap gap-2 text-sm" aria-label={t("returns.lateByOwner")}>
                  {[...byOwner.entries()].sort((a, b) => b[1] - a[1]).map(([owner, count]) => (
                    <Badge key={owner} tone="warning">{owner} · {count}</Badge>
                  ))}
                </div>
                <Table aria-label={t("returns.lateLabel")}>
                  <TableHeader><TableRow><TableHead>{t("projects.name")}</TableHead><TableHead>{t("project.owner")}</TableHead><TableHead>{t("projects.county")}</TableHead><TableHead>{t("returns.lastReported")}</TableHead><TableHead className="text-right">{t("returns.monthsLate")}</TableHead></TableRow></TableHeader>
                  <TableBody>
                    {late.rows.map((r) => (
                      <TableRow key={r.projectId}>
                        <TableCell><Link className="link" href={returnPagePath(r.projectId, late.period)}>{r.name}</Link></TableCell>
                        <TableCell>{r.owner?.name ?? "—"}</TableCell>
                        <TableCell>{fmt.list(r.counties)}</TableCell>
                        <TableCell>{r.lastReported ?? "—"}</TableCell>
                        <TableCell className="text-right"><Badge tone={r.monthsLate >= 2 ? "danger" : "warning"}>{r.monthsLate}</Badge></TableCell>
                      </TableRow>
                    ))}
                  </TableBody>
                </Table>
              </>
            )}
          </CardContent>
        </Card>
      </div>
    </ClientMessages>
  );
}
