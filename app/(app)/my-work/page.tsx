// 我的待办: for a reviewer, the returns and corrections waiting for their decision, oldest first; for
// the owner unit's desk — 督办 waiting for its answer, returns due and overdue, returned
// for correction, drafts, correction requests, and the open problems of its projects.
import Link from "@/components/link";
import type { ReactNode } from "react";
import { getTranslations } from "next-intl/server";
import { Badge } from "@/components/ui/badge";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { requireRoute } from "@/lib/auth/session";
import { listReviewQueue, myWork } from "@/lib/returns/queries";
import { listNotices, noticePagePath } from "@/lib/notices/queries";
import { can } from "@/lib/auth/permissions";
import { isoDay } from "@/lib/domain/dates";
import { uiText } from "@/i18n/format";
import { returnPagePath } from "@/lib/returns/rules";

export const dynamic = "force-dynamic";

function Section({ title, count, empty, children, testId, parens }: { title: string; count: number; empty: string; children: ReactNode; testId: string; parens: (inner: number) => string }) {
  return (
    <Card data-testid={testId}>
      <CardHeader><CardTitle>{title}{parens(count)}</CardTitle></CardHeader>
      <CardContent>{count === 0 ? <p className="text-sm text-slate-500">{empty}</p> : <ul className="space-y-1 text-sm">{children}</ul>}</CardContent>
    </Card>
  );
}

export default async function MyWorkPage() {
  const user = await requireRoute("/my-work");
  const t = await getTranslations();
  const fmt = uiText(t);
  // An owner unit's desk, and a reviewer's queue: returns waiting for their decision, oldest first.
  const owner = can(user, "return:read:own-org");
  const reviewer = can(user, "return:approve:county");
  // 督办 to answer: the open notices of the unit, overdue first (answered ones wait for leadership, not for us).
  const [work, notices, queue] = await Promise.all([
    owner ? myWork(user) : null,
    can(user, "notice:respond:own-org") ? listNotices(user, { status: ["OPEN"] }) : Promise.resolve([]),
    reviewer ? listReviewQueue(user) : null,
  ]);
  const link = (projectId: string, period: string, label: string) => <Link className="link" href={returnPagePath(projectId, period)}>{label}</Link>;
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-semibold">{t("myWork.title")}</h1>
      <div className="grid gap-6 md:grid-cols-2">
        {queue && (
          <Section parens={fmt.parens} testId="to-review" title={t("myWork.toReview")} count={queue.returns.length} empty={t("returns.queueEmpty")}>
            {queue.returns.map((r) => (
              <li key={r.id}>
                <Badge tone={r.clean ? "info" : "warning"}>{r.period}</Badge> {link(r.project.id, r.period, r.project.name)}{" "}
                <span className="whitespace-nowrap text-slate-600" data-testid="days-waiting">{r.daysWaiting === null ? "" : t("myWork.waiting", { days: r.daysWaiting })}</span>
              </li>
            ))}
          </Section>
        )}
        {queue && (
          <Section parens={fmt.parens} testId="corrections-to-review" title={t("myWork.correctionsToReview")} count={queue.corrections.length} empty={t("myWork.nothing")}>
            {queue.corrections.map((c) => (
              <li key={c.id}>
                {link(c.monthlyReturn.project.id, c.period, `${c.monthlyReturn.project.name} · ${c.period}`)}{" "}
                <span className="whitespace-nowrap text-slate-600">{t("myWork.waiting", { days: c.daysWaiting ?? 0 })}</span>
              </li>
            ))}
          </Section>
        )}
        {queue && queue.returns.length > 0 && (
          <p className="text-sm md:col-span-2"><Link className="link" href="/returns">{t("myWork.toQueue")}</Link></p>
        )}
        {notices.length > 0 || owner ? <Section parens={fmt.parens} testId="notices" title={t("myWork.notices")} count={notices.length} empty={t("myWork.nothing")}>
          {notices.map((n) => (
            <li key={n.id}>
              <Badge tone={n.overdue ? "danger" : "info"}>{n.overdue ? t("myWork.noticeOverdue", { days: -n.daysLeft }) : t("myWork.noticeDue", { date: isoDay(n.deadline) })}</Badge>{" "}
              <Link className="link" href={noticePagePath(n.id)}>{n.project.name}</Link>
              <span className="text-slate-600">{fmt.colon}{n.subject}</span>
            </li>
          ))}
        </Section> : null}
        {work && <>
        <Section parens={fmt.parens} testId="overdue" title={t("myWork.overdueAsOf", { period: work.asOfPeriod })} count={work.overdue.length} empty={t("myWork.nothing")}>
          {work.overdue.map((o) => (
            <li key={`${o.projectId}-${o.period}`}><Badge tone="danger">{o.period}</Badge> {link(o.projectId, o.period, o.name)} <span className="text-slate-500">{t("returns.dueOn", { date: isoDay(o.dueDate) })}</span></li>
          ))}
        </Section>
        <Section parens={fmt.parens} testId="returned" title={t("myWork.returned")} count={work.returned.length} empty={t("myWork.nothing")}>
          {work.returned.map((r) => (
            <li key={r.id}><Badge tone="warning">{r.period}</Badge> {link(r.project.id, r.period, r.project.name)} <span className="text-slate-600">{t("returns.reasonLabel")}{r.returnReason}</span></li>
          ))}
        </Section>
        <Section parens={fmt.parens} testId="due" title={t("myWork.due", { period: work.duePeriod })} count={work.due.length} empty={t("myWork.nothing")}>
          {work.due.map((d) => (
            <li key={d.projectId}>{link(d.projectId, d.period, d.name)} <span className="text-slate-500">{t("returns.dueOn", { date: isoDay(d.dueDate) })}</span>{d.status && <Badge className="ml-2">{t(`enums.ReturnStatus.${d.status}` as never)}</Badge>}</li>
          ))}
        </Section>
        <Section parens={fmt.parens} testId="drafts" title={t("myWork.drafts")} count={work.drafts.length} empty={t("myWork.nothing")}>
          {work.drafts.map((d) => (
            <li key={d.id}><Badge>{d.period}</Badge> {link(d.project.id, d.period, d.project.name)}</li>
          ))}
        </Section>
        <Section parens={fmt.parens} testId="corrections" title={t("myWork.corrections")} count={work.corrections.length} empty={t("myWork.nothing")}>
          {work.corrections.map((c) => (
            <li key={c.id}><Badge tone={c.status === "PENDING" ? "info" : c.status === "APPROVED" ? "success" : "danger"}>{t(`enums.CorrectionStatus.${c.status}` as never)}</Badge> {link(c.monthlyReturn.project.id, c.period, `${c.monthlyReturn.project.name} · ${c.period}`)} <span className="text-slate-600">{c.decisionNote ?? c.reason}</span></li>
          ))}
        </Section>
        <Section parens={fmt.parens} testId="problems" title={t("myWork.problems")} count={work.problems.length} empty={t("myWork.nothing")}>
          {work.problems.map((p) => (
            <li key={p.id}><Badge tone="warning">{t(`enums.ProblemLevel.${p.level}` as never)}</Badge> {link(p.project.id, p.period, p.project.name)}{fmt.colon}[{t(`enums.ProblemCategory.${p.category}` as never)}] {p.description}</li>
          ))}
        </Section>
        </>}
      </div>
    </div>
  );
}
