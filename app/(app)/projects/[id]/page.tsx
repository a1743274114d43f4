import Link from "@/components/link";
import { notFound } from "next/navigation";
import { getLocale, getTranslations } from "next-intl/server";
import type { ReactNode } from "react";
import { auditEventSummary } from "@/components/audit/audit-details";
import { FieldChangeTableRows } from "@/components/audit/field-change-list";
import { DemoBadge } from "@/components/demo-badge";
import { Badge } from "@/components/ui/badge";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { MilestoneTimeline } from "@/components/milestone-timeline";
import { getProject, projectHistory, projectOrigin } from "@/lib/data/projects";
import { listProjectReturns } from "@/lib/returns/queries";
import { listProjectAttachments } from "@/lib/returns/attachments";
import { REPORTED_STATUSES, returnPagePath } from "@/lib/returns/rules";
import { dueDate, obligationOf, returnsOwedFrom, returnsToFile } from "@/lib/domain/reporting-calendar";
import { env } from "@/lib/env";
import { listSettleableDivisions } from "@/lib/data/project-registry";
import { settleCountyAction } from "./county/actions";
import { resubmitNewProjectAction, reviewNewProjectAction } from "./approval/actions";
import { ResubmitNewProjectForm, ReviewNewProjectForm } from "./approval/approval-forms";
import { ApprovalBadge } from "@/components/approval-badge";
import { SettleCountyForm } from "./county/settle-county-form";
import { mayOnProject } from "@/lib/policy";
import { requireRoute } from "@/lib/auth/session";
import { isoDay, formatChinaTime, formatChinaDay } from "@/lib/domain/dates";
import { formatSlippage, milestoneSlippage } from "@/lib/portfolio/slippage";
import { BaselineSection } from "./baseline/baseline-section";
import { baselineFieldLabel } from "./baseline/labels";
import { Decimal, formatNumber, sumWan } from "@/lib/domain/money";
import { localName, uiText } from "@/i18n/format";
import { ClientMessages } from "@/i18n/client-messages";

export const dynamic = "force-dynamic";

export default async function ProjectPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const user = await requireRoute("/projects/[id]");
  const t = await getTranslations();
  const fmt = uiText(t);
  const locale = await getLocale();
  const project = await getProject(user, id);
  if (!project) notFound();
  const [history, returns, attachments, origin] = await Promise.all([
    projectHistory(user, project.id),
    listProjectReturns(user, project.id),
    listProjectAttachments(user, project.id),
    projectOrigin(user, project.id),
  ]);
  const mayFile = mayOnProject(user, "fileReturns", project);
  // Lead with the month that is overdue or due next (never one that has not ended): the calendar's rule, as on my-work.
  const toFile = returnsToFile(returnsOwedFrom(obligationOf(project)), returns.filter((r) => REPORTED_STATUSES.includes(r.status as never)).map((r) => r.period), new Date(), env.RETURN_DUE_DAY);
  const fileMonth = toFile.overdue[0] ?? toFile.due;
  // Investment by year and by source: plan vs approved completed vs funds in place; figures
  // awaiting review are shown apart, marked as pending.
  const byYear = new Map<number, { plan: string | null; completed: Decimal; funds: Decimal; pending: Decimal }>();
  const yearRow = (y: number) => {
    if (!byYear.has(y)) byYear.set(y, { plan: null, completed: new Decimal(0), funds: new Decimal(0), pending: new Decimal(0) });
    return byYear.get(y)!;
  };
  for (const p of project.annualPlans) yearRow(p.year).plan = p.amount.toString();
  const fundsBySource = new Map<string, Decimal>();
  for (const r of returns) {
    const row = yearRow(Number(r.period.slice(0, 4)));
    if (r.status === "APPROVED") {
      row.completed = row.completed.plus(r.completedInvestment.toString());
      for (const f of r.funds) {
        row.funds = row.funds.plus(f.amount.toString());
        fundsBySource.set(f.sourceCode, (fundsBySource.get(f.sourceCode) ?? new Decimal(0)).plus(f.amount.toString()));
      }
    } else if (r.status === "SUBMITTED") row.pending = row.pending.plus(r.completedInvestment.toString());
  }
  const years = [...byYear.entries()].sort(([a], [b]) => a - b);
  const recentReturns = [...returns].reverse();
  const editable = mayOnProject(user, "edit", project);
  // 区县待确认: the project's review office may settle the county here (docs/decisions/0022).
  const settleCounty =
    project.countyPending && project.locations.length === 0 &&
    mayOnProject(user, "settleCounty", { ...project, locationDivisionCodes: [] })
      ? await listSettleableDivisions(user)
      : null;
  // A new project not accepted yet (待审核 / 已退回, docs/decisions/0031): its review office decides
  // here; its owner reads a refusal's reason and resubmits.
  const mayAccept = project.approval === "PENDING" && mayOnProject(user, "accept", project);
  const mayResubmit = project.approval === "REFUSED" && editable;
  const demo = new Set(project.demoFields);
  const notReported = <span className="text-slate-500">{t("common.notReported")}</span>;
  const mark = (field: string, value: ReactNode) => (
    <>
      {value}
      {demo.has(field) && <span className="ml-1 text-xs text-orange-700" title={t("demo.explanation")}>*</span>}
    </>
  );
  const money = (value: { toString(): string } | null) => (value ? formatNumber(value, 2) : notReported);
  const rows: [string, ReactNode][] = [
    [t("project.planKey"), project.planKey ?? ""],
    [t("project.projectCode"), project.projectCode ?? notReported],
    [t("project.plan"), project.plan.title],
    [t("projects.column"), `${t("plan.columnNumber", { number: project.column.number })} ${project.column.title}`],
    [t("projects.programme"), project.programme.name],
    [
      t("project.locations"),
      fmt.list(project.locations.map((l) => l.division.name)) ||
        t(project.countyPending ? "projects.countyPending" : "projects.unknownCounty"),
    ],
    [t("projects.sector"), project.sector ? `${localName(project.sector, locale)}${fmt.parens(project.sector.code)}` : notReported],
    [t("project.type"), project.projectType ? t(`enums.ProjectType.${project.projectType}`) : notReported],
    [t("project.nature"), mark("nature", project.nature ? t(`enums.ProjectNature.${project.nature}`) : notReported)],
    [t("project.owner"), mark("ownerOrgId", project.ownerOrg?.name ?? notReported)],
    [t("projects.targetStage"), t(`enums.TargetStage.${project.targetStage2025}`)],
    [t("projects.stage"), mark("lifecycleStage", t(`enums.LifecycleStage.${project.lifecycleStage}`))],
    [t("project.plannedStart"), mark("plannedStart", isoDay(project.plannedStart) || notReported)],
    [t("project.plannedCompletion"), mark("plannedCompletion", isoDay(project.plannedCompletion) || notReported)],
    [t("project.totalInvestment"), mark("totalInvestment", money(project.totalInvestment))],
    [t("project.plannedInvestment"), mark("plannedInvestment", money(project.plannedInvestment))],
    [t("project.deliveryConfidence"), mark("deliveryConfidence", project.deliveryConfidence ? t(`enums.DeliveryConfidence.${project.deliveryConfidence}`) : notReported)],
  ];
  const anyDemo = demo.size > 0 || project.milestones.some((m) => m.isDemo) || project.annualPlans.some((p) => p.isDemo);

  return (
    <ClientMessages namespaces={["baseline", "common", "project", "validation"]}>
      <div className="space-y-6">
        <div>
          <Link href="/projects" className="text-sm link">← {t("project.back")}</Link>
          <h1 className="mt-2 flex flex-wrap items-center gap-3 text-2xl font-semibold">
            {project.name}
            <ApprovalBadge approval={project.approval} />
            {anyDemo && <DemoBadge />}
          </h1>
          <Link href={`/projects/${project.id}/figures`} className="mt-2 mr-2 inline-flex items-center rounded-md border border-slate-300 bg-white px-3 py-1 text-sm text-blue-800 hover:bg-blue-50">
            {t("project.figureHistory")}
          </Link>
          {editable && (
            <Link href={`/projects/${project.id}/edit`} className="mt-2 inline-flex items-center rounded-md border border-slate-300 bg-white px-3 py-1 text-sm text-blue-800 hover:bg-blue-50">
              {t("project.edit")}
            </Link>
          )}
        </div>
        {project.planKey || project.sourcePhrase ? (
          <Card>
            <CardHeader><CardTitle>{t("project.sourcePhrase")}</CardTitle></CardHeader>
            <CardContent>
              {project.planName && (
                <p className="mb-2 text-sm text-slate-700">
                  {t("project.planName")}{fmt.colon}<q data-testid="plan-name" lang="zh-CN">{project.planName}</q>
                </p>
              )}
              <blockquote className="border-l-4 border-blue-200 pl-3 text-slate-800" lang="zh-CN">{project.sourcePhrase}</blockquote>
              {project.sourceLine && <p className="mt-2 text-xs text-slate-500">{t("project.sourceLine", { line: project.sourceLine })}</p>}
            </CardContent>
          </Card>
        ) : (
          <Card>
            <CardHeader><CardTitle>{t("project.origin")}</CardTitle></CardHeader>
            <CardContent className="text-sm text-slate-800">
              {!origin ? (
                t("project.originUnknown")
              ) : origin.imported ? (
                <p>
                  {t("project.originImported", { at: formatChinaTime(origin.at), by: origin.actorName ?? "—", org: origin.actorOrganizationName ?? "—", file: origin.fileName ?? "—", row: origin.row ?? "—" })}
                  {origin.sha256 && <span className="mt-1 block break-all font-mono text-xs text-slate-500">SHA-256 {origin.sha256}</span>}
                </p>
              ) : (
                t("project.originCreated", { at: formatChinaTime(origin.at), by: origin.actorName ?? "—", org: origin.actorOrganizationName ?? "—" })
              )}
              {origin && <p className="mt-1 text-xs text-slate-500">{t("project.originAudit", { seq: origin.seq.toString() })}</p>}
            </CardContent>
          </Card>
        )}
        {project.approval !== "ACCEPTED" && (
          <Card data-testid="new-project-approval">
            <CardHeader><CardTitle>{t("project.approval.title")}</CardTitle></CardHeader>
            <CardContent className="space-y-3 text-sm text-slate-800">
              <p>{t(project.approval === "PENDING" ? "project.approval.pendingExplained" : "project.approval.refusedExplained")}</p>
              {project.approval === "REFUSED" && project.approvalReason && (
                <p data-testid="refusal-reason">{t("project.approval.refusedWith", { reason: project.approvalReason })}</p>
              )}
              {mayAccept && <ReviewNewProjectForm action={reviewNewProjectAction} projectId={project.id} version={project.version} />}
              {mayResubmit && <ResubmitNewProjectForm action={resubmitNewProjectAction} projectId={project.id} version={project.version} />}
            </CardContent>
          </Card>
        )}
        {settleCounty && (
          <Card>
            <CardHeader><CardTitle>{t("project.settleCounty")}</CardTitle></CardHeader>
            <CardContent>
              <SettleCountyForm action={settleCountyAction} projectId={project.id} version={project.version} divisions={settleCounty} />
            </CardContent>
          </Card>
        )}
        <Card>
          <CardHeader><CardTitle>{t("project.overview")}</CardTitle></CardHeader>
          <CardContent>
            <dl className="grid grid-cols-1 gap-x-6 gap-y-2 text-sm md:grid-cols-[12rem_1fr_12rem_1fr]">
              {rows.map(([label, value]) => (
                <div key={label} className="contents">
                  <dt className="text-slate-500">{label}</dt>
                  <dd>{value}</dd>
                </div>
              ))}
            </dl>
            {anyDemo && <p className="mt-3 text-xs text-orange-800">* {t("demo.explanation")}</p>}
          </CardContent>
        </Card>
        <Card>
          <CardHeader><CardTitle>{t("project.milestones")}</CardTitle></CardHeader>
          <CardContent>
            {project.milestones.length === 0 ? (
              <p className="text-sm text-slate-500">{t("project.noMilestones")}</p>
            ) : (
              <>
              <div className="mb-4">
                <MilestoneTimeline
                  milestones={project.milestones.map((m) => ({ ...m, label: t(`enums.MilestoneKind.${m.kind}`) }))}
                  today={new Date()}
                  labels={{ baseline: t("project.baseline"), actual: t("project.actual"), forecast: t("project.forecast"), today: t("project.today") }}
                />
              </div>
              <Table>
                <TableHeader>
                  <TableRow>
                    <TableHead>{t("project.milestoneKind")}</TableHead>
                    <TableHead>{t("baseline.current")}</TableHead>
                    <TableHead>{t("baseline.original")}</TableHead>
                    <TableHead>{t("project.forecast")}</TableHead>
                    <TableHead>{t("project.actual")}</TableHead>
                    <TableHead className="text-right">{t("project.slippage")}</TableHead>
                    <TableHead className="text-right">{t("baseline.slippageOriginal")}</TableHead>
                    <TableHead>{t("project.status")}</TableHead>
                  </TableRow>
                </TableHeader>
                <TableBody>
                  {project.milestones.map((m) => {
                    const { current: slip, original: slipOriginal } = milestoneSlippage(m);
                    return (
                      <TableRow key={m.id} data-testid="milestone-row">
                        <TableCell>{t(`enums.MilestoneKind.${m.kind}`)}</TableCell>
                        <TableCell className="whitespace-nowrap tabular-nums">{isoDay(m.baselineDate)}</TableCell>
                        <TableCell className="whitespace-nowrap tabular-nums">{isoDay(m.originalBaselineDate ?? m.baselineDate)}</TableCell>
                        <TableCell className="whitespace-nowrap tabular-nums">{isoDay(m.forecastDate)}</TableCell>
                        <TableCell className="whitespace-nowrap tabular-nums">{isoDay(m.actualDate)}</TableCell>
                        <TableCell numeric className={slip !== null && slip > 90 ? "text-red-700" : slip !== null && slip > 30 ? "text-amber-700" : undefined}>
                          {formatSlippage(slip)}
                        </TableCell>
                        <TableCell numeric>{formatSlippage(slipOriginal)}</TableCell>
                        <TableCell>
                          <Badge tone={m.status === "MET" ? "success" : m.status === "NOT_MET" ? "danger" : "neutral"}>{t(`enums.MilestoneStatus.${m.status}`)}</Badge>
                        </TableCell>
                      </TableRow>
                    );
                  })}
                </TableBody>
              </Table>
              </>
            )}
          </CardContent>
        </Card>
        <BaselineSection user={user} project={project} />
        <Card>
          <CardHeader><CardTitle>{t("project.investmentSummary")}</CardTitle></CardHeader>
          <CardContent>
            {years.length === 0 ? <p className="text-sm text-slate-500">{t("common.notReported")}</p> : (
              <Table aria-label={t("project.investmentSummary")}>
                <TableHeader>
                  <TableRow>
                    <TableHead>{t("project.year")}</TableHead>
                    <TableHead className="text-right">{t("project.yearPlan")}</TableHead>
                    <TableHead className="text-right">{t("project.yearCompleted")}</TableHead>
                    <TableHead className="text-right">{t("project.yearRate")}</TableHead>
                    <TableHead className="text-right">{t("project.yearFunds")}</TableHead>
                    <TableHead className="text-right">{t("project.yearPending")}</TableHead>
                  </TableRow>
                </TableHeader>
                <TableBody>
                  {years.map(([year, y]) => (
                    <TableRow key={year}>
                      <TableCell>{year}</TableCell>
                      <TableCell numeric>{y.plan ? formatNumber(y.plan, 2) : "—"}</TableCell>
                      <TableCell numeric>{formatNumber(y.completed, 2)}</TableCell>
                      <TableCell numeric>{y.plan && Number(y.plan) > 0 ? `${formatNumber(y.completed.dividedBy(y.plan).times(100), 1)}%` : "—"}</TableCell>
                      <TableCell numeric>{formatNumber(y.funds, 2)}</TableCell>
                      <TableCell numeric className="text-blue-800">{y.pending.isZero() ? "" : `${formatNumber(y.pending, 2)}${fmt.parens(t("project.pendingMark"))}`}</TableCell>
                    </TableRow>
                  ))}
                  <TableRow>
                    <TableCell className="font-medium">∑</TableCell>
                    <TableCell className="text-right font-medium tabular-nums">{formatNumber(sumWan(project.annualPlans.map((p) => p.amount)), 2)}</TableCell>
                    <TableCell className="text-right font-medium tabular-nums" data-testid="completed-total">{formatNumber(project.completedInvestment, 2)}</TableCell>
                    <TableCell />
                    <TableCell className="text-right font-medium tabular-nums">{formatNumber(sumWan(years.map(([, y]) => y.funds)), 2)}</TableCell>
                    <TableCell />
                  </TableRow>
                </TableBody>
              </Table>
            )}
            <p className="mt-2 text-xs text-slate-500">{t("project.unitWan")}</p>
          </CardContent>
        </Card>
        <div>
          <Card>
            <CardHeader><CardTitle>{t("project.funding")}</CardTitle></CardHeader>
            <CardContent>
              {project.fundingPlans.length === 0 ? (
                <p className="text-sm text-slate-500">{t("common.notReported")}</p>
              ) : (
                <Table>
                  <TableHeader><TableRow><TableHead>{t("project.source")}</TableHead><TableHead className="text-right">{t("project.plannedFunding")}</TableHead><TableHead className="text-right">{t("project.fundsInPlace")}</TableHead></TableRow></TableHeader>
                  <TableBody>
                    {project.fundingPlans.map((f) => (
                      <TableRow key={f.sourceCode}>
                        <TableCell>{localName(f.source, locale)}</TableCell>
                        <TableCell numeric>{formatNumber(f.amount, 2)}</TableCell>
                        <TableCell numeric>{formatNumber(fundsBySource.get(f.sourceCode) ?? 0, 2)}</TableCell>
                      </TableRow>
                    ))}
                  </TableBody>
                </Table>
              )}
            </CardContent>
          </Card>
        </div>
        <Card>
          <CardHeader className="flex flex-row flex-wrap items-center justify-between gap-2">
            <CardTitle>{t("project.returns")}</CardTitle>
            {mayFile && fileMonth && (
              <Link href={returnPagePath(project.id, fileMonth)} className="inline-flex items-center rounded-md bg-blue-800 px-3 py-1 text-sm text-white hover:bg-blue-900" data-testid="file-return">
                {toFile.overdue.length > 0
                  ? t("project.fileOverdueReturn", { period: fileMonth, count: toFile.overdue.length })
                  : t("project.fileReturn", { period: fileMonth, due: isoDay(dueDate(fileMonth, env.RETURN_DUE_DAY)) })}
              </Link>
            )}
            {mayFile && !fileMonth && <span className="text-sm text-slate-600" data-testid="file-return">{t("project.noReturnDue")}</span>}
          </CardHeader>
          <CardContent>
            {recentReturns.length === 0 ? <p className="text-sm text-slate-500">{t("project.noReturns")}</p> : (
              <div className="max-h-96 overflow-y-auto">
                <Table aria-label={t("project.returns")}>
                  <TableHeader>
                    <TableRow>
                      <TableHead>{t("returns.period")}</TableHead>
                      <TableHead>{t("project.status")}</TableHead>
                      <TableHead className="text-right">{t("returns.field.completedInvestment")}</TableHead>
                      <TableHead className="text-right">{t("project.approvedCumulative")}</TableHead>
                      <TableHead className="text-right">{t("returns.fundsIn")}</TableHead>
                      <TableHead className="text-right">{t("returns.field.progressPercent")}</TableHead>
                    </TableRow>
                  </TableHeader>
                  <TableBody>
                    {recentReturns.map((r) => (
                      <TableRow key={r.id}>
                        <TableCell className="whitespace-nowrap"><Link className="link" href={returnPagePath(project.id, r.period)}>{r.period}</Link></TableCell>
                        <TableCell><Badge tone={r.status === "APPROVED" ? "success" : r.status === "SUBMITTED" ? "info" : r.status === "RETURNED" ? "warning" : "neutral"}>{t(`enums.ReturnStatus.${r.status}`)}</Badge></TableCell>
                        <TableCell numeric>{formatNumber(r.completedInvestment, 2)}</TableCell>
                        <TableCell numeric>{formatNumber(r.approvedCumulative, 2)}</TableCell>
                        <TableCell numeric>{formatNumber(sumWan(r.funds.map((f) => f.amount)), 2)}</TableCell>
                        <TableCell numeric>{r.progressPercent ? `${formatNumber(r.progressPercent, 0)}%` : ""}</TableCell>
                      </TableRow>
                    ))}
                  </TableBody>
                </Table>
              </div>
            )}
          </CardContent>
        </Card>
        <Card>
          <CardHeader><CardTitle>{t("project.documents")}</CardTitle></CardHeader>
          <CardContent>
            {attachments.length === 0 ? <p className="text-sm text-slate-500">{t("returns.noEvidence")}</p> : (
              <ul className="space-y-1 text-sm">
                {attachments.map((a) => (
                  <li key={a.id}>
                    <a className="link" href={`/api/attachments/${a.id}`}>{a.fileName}</a>
                    <span className="ml-2 text-xs text-slate-500">{a.period ?? ""} · {formatChinaDay(a.createdAt)} · SHA-256 <code title={a.sha256}>{a.sha256.slice(0, 12)}…</code></span>
                  </li>
                ))}
              </ul>
            )}
          </CardContent>
        </Card>
        <Card>
          <CardHeader><CardTitle>{t("project.history")}</CardTitle></CardHeader>
          <CardContent>
            {history.length === 0 ? (
              <p className="text-sm text-slate-500">{t("project.noHistory")}</p>
            ) : (
              <Table>
                <TableHeader>
                  <TableRow><TableHead>{t("project.at")}</TableHead><TableHead>{t("project.by")}</TableHead><TableHead>{t("project.field")}</TableHead><TableHead>{t("project.before")}</TableHead><TableHead>{t("project.after")}</TableHead></TableRow>
                </TableHeader>
                <TableBody>
                  {history.map((event) => (
                    <FieldChangeTableRows
                      key={String(event.seq)}
                      rowKey={String(event.seq)}
                      at={formatChinaTime(event.at)}
                      by={event.actorName}
                      changes={auditEventSummary(event).changes}
                      label={(field) => baselineFieldLabel(t as never, field)}
                    />
                  ))}
                </TableBody>
              </Table>
            )}
          </CardContent>
        </Card>
      </div>
    </ClientMessages>
  );
}
