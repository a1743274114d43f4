// 项目调整申请 on the project page (docs/decisions/0030): the requests made, the owner unit's form
// to propose new baseline values, and the city reviewer's decision on a pending one.
import { getTranslations } from "next-intl/server";
import { Badge } from "@/components/ui/badge";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import type { CurrentUser } from "@/lib/auth/session";
import { listProjectBaselineChanges } from "@/lib/baselines/queries";
import { isoDay, formatChinaTime } from "@/lib/domain/dates";
import { mayOnProject, type ProjectFacts } from "@/lib/policy";
import { baselineFieldLabel } from "./labels";
import { BaselineChangeList } from "./change-list";
import { BaselineDecisionForm } from "./decision-form";
import { BaselineProposalForm, type ProposalField } from "./proposal-form";

interface BaselineProject extends ProjectFacts {
  id: string;
  totalInvestment: { toString(): string } | null;
  milestones: { kind: string; baselineDate: Date | null }[];
  annualPlans: { year: number; amount: { toString(): string } }[];
}

export async function BaselineSection({ user, project }: { user: CurrentUser; project: BaselineProject }) {
  const t = await getTranslations();
  const label = (key: string) => baselineFieldLabel(t as never, key);
  const changes = await listProjectBaselineChanges(user, project.id);
  const pending = changes.find((c) => c.status === "PENDING");
  const mayPropose = mayOnProject(user, "proposeBaseline", project);
  const mayReview = mayOnProject(user, "reviewBaseline", project);
  const fields: ProposalField[] = [
    { name: "totalInvestment", label: label("totalInvestment"), current: project.totalInvestment?.toString() ?? "", type: "money" },
    ...project.milestones.map((m): ProposalField => ({ name: `milestones.${m.kind}`, label: label(`milestone.${m.kind}`), current: isoDay(m.baselineDate), type: "date" })),
    ...project.annualPlans.map((a): ProposalField => ({ name: `annualPlans.y${a.year}`, label: label(`annualPlan.${a.year}`), current: a.amount.toString(), type: "money" })),
  ];
  return (
    <Card id="baseline-change">
      <CardHeader><CardTitle>{t("baseline.title")}</CardTitle></CardHeader>
      <CardContent className="space-y-4">
        <p className="text-sm text-slate-600">{t("baseline.intro")}</p>
        {changes.length === 0 ? <p className="text-sm text-slate-500">{t("baseline.noRequests")}</p> : (
          <div className="overflow-x-auto">
            <Table aria-label={t("baseline.requests")}>
              <TableHeader>
                <TableRow>
                  <TableHead>{t("baseline.requestedAt")}</TableHead><TableHead>{t("baseline.status")}</TableHead><TableHead>{t("baseline.changes")}</TableHead>
                  <TableHead>{t("baseline.reason")}</TableHead><TableHead>{t("baseline.decidedBy")}</TableHead>
                </TableRow>
              </TableHeader>
              <TableBody>
                {changes.map((c) => (
                  <TableRow key={c.id} data-testid="baseline-request">
                    <TableCell className="whitespace-nowrap">{formatChinaTime(c.createdAt)} {c.requestedByName}</TableCell>
                    <TableCell><Badge tone={c.status === "APPROVED" ? "success" : c.status === "REFUSED" ? "warning" : "info"}>{t(`baseline.statuses.${c.status}`)}</Badge></TableCell>
                    <TableCell><BaselineChangeList previous={c.previous} proposed={c.proposed} /></TableCell>
                    <TableCell className="max-w-xs whitespace-pre-wrap">{c.reason}</TableCell>
                    <TableCell className="whitespace-nowrap">
                      {c.decidedAt ? `${formatChinaTime(c.decidedAt)} ${c.decidedByName ?? ""}` : ""}
                      {c.decisionReason && <div className="whitespace-pre-wrap text-slate-600">{t("baseline.decisionReason")}{t("common.colon")}{c.decisionReason}</div>}
                    </TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          </div>
        )}
        {pending && mayReview && <BaselineDecisionForm changeId={pending.id} version={pending.version} />}
        {mayPropose && (pending ? <p className="text-sm text-slate-600">{t("baseline.pendingNote")}</p> : <BaselineProposalForm projectId={project.id} fields={fields} />)}
      </CardContent>
    </Card>
  );
}
