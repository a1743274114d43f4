// 数据溯源: every value each figure of a project has had — who, when, why, on which evidence,
// approved by whom — with links to the returns and audit events behind it.
import Link from "@/components/link";
import { notFound } from "next/navigation";
import { getLocale, getTranslations } from "next-intl/server";
import { DemoBadge } from "@/components/demo-badge";
import { Badge } from "@/components/ui/badge";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { can } from "@/lib/auth/permissions";
import { requireRoute } from "@/lib/auth/session";
import { projectFigureHistory, type FigureHistory } from "@/lib/audit/history";
import { formatChinaTime } from "@/lib/domain/dates";
import { formatNumber } from "@/lib/domain/money";
import { uiText } from "@/i18n/format";
import { returnPagePath } from "@/lib/returns/rules";

export const dynamic = "force-dynamic";

const MONEY_FIELDS = new Set(["totalInvestment", "plannedInvestment", "completedInvestment"]);

export default async function FigureHistoryPage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: Promise<{ figure?: string }> }) {
  const { id } = await params;
  const { figure } = await searchParams;
  const user = await requireRoute("/projects/[id]/figures");
  const history = await projectFigureHistory(user, id);
  if (!history) notFound();
  const t = await getTranslations();
  const fmt = uiText(t);
  const locale = await getLocale();
  const auditor = can(user, "audit:read:all");
  const title = (f: FigureHistory) => {
    switch (f.label.kind) {
      case "field": return t(`projectFields.${f.label.code}` as never);
      case "completed": return t("figures.completed");
      case "funds": return `${t("returns.fundsIn")}·${(locale === "en" ? f.label.name?.en : f.label.name?.zh) ?? f.label.code}`;
      case "milestone": return `${t("figures.milestone")}·${t(`enums.MilestoneKind.${f.label.code}` as never)}`;
    }
  };
  const show = (f: FigureHistory, v: string | null) => {
    if (v === null) return "—";
    if (f.label.kind === "funds" || MONEY_FIELDS.has(f.key)) return formatNumber(v, 2);
    if (f.key === "lifecycleStage") return t(`enums.LifecycleStage.${v}` as never);
    if (f.key === "projectType") return t(`enums.ProjectType.${v}` as never);
    if (f.key === "nature") return t(`enums.ProjectNature.${v}` as never);
    return v;
  };
  const figures = figure ? history.figures.filter((f) => f.key === figure) : history.figures;
  return (
    <div className="space-y-6">
      <div>
        <Link href={`/projects/${history.project.id}`} className="text-sm link">← {history.project.name}</Link>
        <h1 className="mt-2 text-2xl font-semibold">{t("figures.title")}</h1>
        <p className="text-sm text-slate-600">{t("figures.intro")}</p>
        <nav className="mt-2 flex flex-wrap gap-2 text-sm" aria-label={t("figures.title")}>
          <Link className={`rounded border px-2 py-0.5 ${figure ? "border-slate-200" : "border-blue-700 text-blue-800"}`} href={`/projects/${history.project.id}/figures`}>{t("figures.all")}</Link>
          {history.figures.map((f) => (
            <Link key={f.key} className={`rounded border px-2 py-0.5 ${figure === f.key ? "border-blue-700 text-blue-800" : "border-slate-200"}`} href={`/projects/${history.project.id}/figures?figure=${encodeURIComponent(f.key)}`}>{title(f)}</Link>
          ))}
        </nav>
      </div>
      {figures.map((f) => (
        <Card key={f.key} data-testid={`figure-${f.key}`}>
          <CardHeader><CardTitle>{title(f)}</CardTitle></CardHeader>
          <CardContent>
            {f.entries.length === 0 ? <p className="text-sm text-slate-500">{t("common.notReported")}</p> : (
              <div className="max-h-[28rem] overflow-y-auto">
                <Table aria-label={title(f)}>
                  <TableHeader>
                    <TableRow>
                      <TableHead>{t("project.at")}</TableHead>
                      <TableHead>{t("returns.period")}</TableHead>
                      <TableHead className="text-right">{t("project.before")}</TableHead>
                      <TableHead className="text-right">{t("project.after")}</TableHead>
                      <TableHead>{t("figures.source")}</TableHead>
                      <TableHead>{t("figures.by")}</TableHead>
                      <TableHead>{t("figures.approver")}</TableHead>
                      <TableHead>{t("figures.reasonEvidence")}</TableHead>
                    </TableRow>
                  </TableHeader>
                  <TableBody>
                    {f.entries.map((e, i) => (
                      <TableRow key={i}>
                        <TableCell className="whitespace-nowrap">{e.at ? formatChinaTime(e.at) : t("figures.initial")}</TableCell>
                        <TableCell>{e.period ? <Link className="link" href={returnPagePath(history.project.id, e.period)}>{e.period}</Link> : ""}</TableCell>
                        <TableCell numeric>{e.source === "seed" && e.previous === null ? "" : show(f, e.previous)}</TableCell>
                        <TableCell numeric>{show(f, e.value)}{e.delta && <span className="ml-1 text-xs text-slate-500">{fmt.parens(`${Number(e.delta) >= 0 ? "+" : ""}${formatNumber(e.delta, 2)}`)}</span>}</TableCell>
                        <TableCell>
                          <Badge tone={e.source === "correction" ? "warning" : e.source === "edit" ? "info" : "neutral"}>{t(`figures.sources.${e.source}` as never)}</Badge>
                          {e.isDemo && <DemoBadge />}
                        </TableCell>
                        <TableCell>{e.actor ?? ""}</TableCell>
                        <TableCell>{e.approver ?? ""}</TableCell>
                        <TableCell className="text-xs">
                          {e.reason && <div>{t("returns.reasonLabel")}{e.reason}</div>}
                          {e.evidence.map((x) => (
                            <div key={x.id}><a className="link" href={`/api/attachments/${x.id}`}>{x.fileName}</a> <code className="text-slate-500" title={x.sha256}>{x.sha256.slice(0, 10)}…</code></div>
                          ))}
                          {e.auditSeq && auditor && <div className="text-slate-500">{t("figures.auditSeq", { seq: e.auditSeq })}</div>}
                        </TableCell>
                      </TableRow>
                    ))}
                  </TableBody>
                </Table>
              </div>
            )}
          </CardContent>
        </Card>
      ))}
    </div>
  );
}
