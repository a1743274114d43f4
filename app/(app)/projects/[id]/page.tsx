import Link from "next/link";
import { notFound } from "next/navigation";
import { getTranslations } from "next-intl/server";
import type { ReactNode } from "react";
import { DemoBadge } from "@/components/demo-badge";
import { Badge } from "@/components/ui/badge";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { getProject, projectHistory } from "@/lib/data/projects";
import { can } from "@/lib/auth/permissions";
import { requireRoute } from "@/lib/auth/session";
import { isoDay, milestoneSlippageDays } from "@/lib/domain/dates";
import { formatNumber, sumWan } from "@/lib/domain/money";

export const dynamic = "force-dynamic";

export default async function ProjectPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const user = await requireRoute("/projects/[id]");
  const t = await getTranslations();
  const project = await getProject(user, id);
  if (!project) notFound();
  const history = await projectHistory(user, project.id);
  const editable = can(user, "project:update:own-org") && project.ownerOrgId !== null && project.ownerOrgId === user.organizationId;
  const demo = new Set(project.demoFields);
  const notReported = <span className="text-slate-400">{t("common.notReported")}</span>;
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
    [t("project.locations"), project.locations.map((l) => l.division.name).join("、") || t("projects.unknownCounty")],
    [t("projects.sector"), project.sector ? `${project.sector.nameZh}（${project.sector.code}）` : notReported],
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
    <div className="space-y-6">
      <div>
        <Link href="/projects" className="text-sm text-blue-800 hover:underline">← {t("project.back")}</Link>
        <h1 className="mt-2 flex flex-wrap items-center gap-3 text-2xl font-semibold">
          {project.name}
          {anyDemo && <DemoBadge />}
        </h1>
        {editable && (
          <Link href={`/projects/${project.id}/edit`} className="mt-2 inline-block rounded-md border border-slate-300 bg-white px-3 py-1 text-sm text-blue-800">
            {t("project.edit")}
          </Link>
        )}
      </div>
      <Card>
        <CardHeader><CardTitle>{t("project.sourcePhrase")}</CardTitle></CardHeader>
        <CardContent>
          <blockquote className="border-l-4 border-blue-200 pl-3 text-slate-800">{project.sourcePhrase}</blockquote>
          {project.sourceLine && <p className="mt-2 text-xs text-slate-500">{t("project.sourceLine", { line: project.sourceLine })}</p>}
        </CardContent>
      </Card>
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
            <Table>
              <TableHeader>
                <TableRow>
                  <TableHead>{t("project.milestoneKind")}</TableHead>
                  <TableHead>{t("project.baseline")}</TableHead>
                  <TableHead>{t("project.forecast")}</TableHead>
                  <TableHead>{t("project.actual")}</TableHead>
                  <TableHead className="text-right">{t("project.slippage")}</TableHead>
                  <TableHead>{t("project.status")}</TableHead>
                </TableRow>
              </TableHeader>
              <TableBody>
                {project.milestones.map((m) => {
                  const slip = milestoneSlippageDays(m);
                  return (
                    <TableRow key={m.id}>
                      <TableCell>{t(`enums.MilestoneKind.${m.kind}`)}</TableCell>
                      <TableCell>{isoDay(m.baselineDate)}</TableCell>
                      <TableCell>{isoDay(m.forecastDate)}</TableCell>
                      <TableCell>{isoDay(m.actualDate)}</TableCell>
                      <TableCell className={`text-right tabular-nums ${slip !== null && slip > 90 ? "text-red-700" : slip !== null && slip > 30 ? "text-amber-700" : ""}`}>
                        {slip === null ? "" : slip > 0 ? `+${slip}` : slip}
                      </TableCell>
                      <TableCell>
                        <Badge tone={m.status === "MET" ? "success" : m.status === "NOT_MET" ? "danger" : "neutral"}>{t(`enums.MilestoneStatus.${m.status}`)}</Badge>
                      </TableCell>
                    </TableRow>
                  );
                })}
              </TableBody>
            </Table>
          )}
        </CardContent>
      </Card>
      <div className="grid gap-6 md:grid-cols-2">
        <Card>
          <CardHeader><CardTitle>{t("project.annualPlans")}</CardTitle></CardHeader>
          <CardContent>
            {project.annualPlans.length === 0 ? (
              <p className="text-sm text-slate-500">{t("common.notReported")}</p>
            ) : (
              <Table>
                <TableHeader><TableRow><TableHead>{t("project.year")}</TableHead><TableHead className="text-right">{t("project.amount")}</TableHead></TableRow></TableHeader>
                <TableBody>
                  {project.annualPlans.map((p) => (
                    <TableRow key={p.year}><TableCell>{p.year}</TableCell><TableCell className="text-right tabular-nums">{formatNumber(p.amount, 2)}</TableCell></TableRow>
                  ))}
                  <TableRow><TableCell className="font-medium">∑</TableCell><TableCell className="text-right font-medium tabular-nums">{formatNumber(sumWan(project.annualPlans.map((p) => p.amount)), 2)}</TableCell></TableRow>
                </TableBody>
              </Table>
            )}
          </CardContent>
        </Card>
        <Card>
          <CardHeader><CardTitle>{t("project.funding")}</CardTitle></CardHeader>
          <CardContent>
            {project.fundingPlans.length === 0 ? (
              <p className="text-sm text-slate-500">{t("common.notReported")}</p>
            ) : (
              <Table>
                <TableHeader><TableRow><TableHead>{t("project.source")}</TableHead><TableHead className="text-right">{t("project.amount")}</TableHead></TableRow></TableHeader>
                <TableBody>
                  {project.fundingPlans.map((f) => (
                    <TableRow key={f.sourceCode}><TableCell>{f.source.nameZh}</TableCell><TableCell className="text-right tabular-nums">{formatNumber(f.amount, 2)}</TableCell></TableRow>
                  ))}
                </TableBody>
              </Table>
            )}
          </CardContent>
        </Card>
      </div>
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
                {history.flatMap((event) => {
                  const details = event.details as { fields?: string[]; before?: Record<string, unknown>; after?: Record<string, unknown> };
                  return (details.fields ?? []).map((field) => (
                    <TableRow key={`${event.seq}-${field}`}>
                      <TableCell className="whitespace-nowrap">{event.at.toISOString().slice(0, 16).replace("T", " ")}</TableCell>
                      <TableCell>{event.actorName}</TableCell>
                      <TableCell>{t(`projectFields.${field}` as never)}</TableCell>
                      <TableCell>{String(details.before?.[field] ?? "—")}</TableCell>
                      <TableCell>{String(details.after?.[field] ?? "—")}</TableCell>
                    </TableRow>
                  ));
                })}
              </TableBody>
            </Table>
          )}
        </CardContent>
      </Card>
    </div>
  );
}
