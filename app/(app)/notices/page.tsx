import Link from "@/components/link";
import { getTranslations } from "next-intl/server";
import { Badge } from "@/components/ui/badge";
import { LightBadge } from "@/components/light-badge";
import { requireRoute } from "@/lib/auth/session";
import { listNotices, noticeCounts, noticeCounty } from "@/lib/notices/queries";
import { isoDay, formatChinaTime } from "@/lib/domain/dates";
import { mayOnNotice } from "@/lib/policy";
import { closeNoticeAction, answerNoticeAction } from "./actions";
import { AnswerNoticeForm, CloseNoticeForm } from "./_components/notice-forms";
import { uiText } from "@/i18n/format";
import { PlanProblem } from "@/components/plan-selector";
import { countyParam as parseCountyParam } from "@/lib/validations/project-list";
import { ClientMessages } from "@/i18n/client-messages";

export const dynamic = "force-dynamic";

const STATUS_TONE = { OPEN: "info", ANSWERED: "success", CLOSED: "neutral" } as const;

export default async function NoticesPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const user = await requireRoute("/notices");
  const t = await getTranslations();
  const fmt = uiText(t);
  // ?county=520382: the notices about projects lying in one county (the dashboard narrowed by the map links here).
  const countyParam = parseCountyParam((await searchParams).county);
  const countyProblem = (message: string) => <PlanProblem message={message} resetHref="/notices" field="dashboard.county" reset="notices.allCounties" />;
  if (!countyParam.ok) return countyProblem(countyParam.message);
  const county = countyParam.county === undefined ? undefined : await noticeCounty(countyParam.county);
  if (countyParam.county !== undefined && !county) return countyProblem("validation.county");
  const [notices, counts] = await Promise.all([listNotices(user, { county: county?.code }), noticeCounts(user, undefined, { county: county?.code })]);
  const canClose = user.permissions.has("notice:send:all");
  const when = (d: Date | null) => formatChinaTime(d);

  return (
    <ClientMessages namespaces={["common", "notices", "validation"]}>
      <div className="space-y-4">
        <h1 className="text-2xl font-semibold">{county ? t("notices.titleOfCounty", { county: county.name }) : t("notices.title")}</h1>
        {county && (
          <p className="flex flex-wrap gap-x-4 gap-y-1 rounded-md border border-blue-200 bg-blue-50 p-3 text-sm" data-testid="notices-county">
            <span>{t("notices.narrowedTo", { county: county.name })}</span>
            <Link className="text-blue-800 underline" href="/notices">{t("notices.allCounties")}</Link>
          </p>
        )}
        <p className="text-sm text-slate-600">
          {t("notices.counts", { open: counts.OPEN, answered: counts.ANSWERED, closed: counts.CLOSED })}
          {counts.overdue > 0 && <Badge tone="danger" className="ml-2">{t("notices.overdueCount", { n: counts.overdue })}</Badge>}
        </p>
        {canClose && <p className="text-sm text-slate-600">{t("notices.howToSend")} <Link className="link" href="/delays">{t("nav.delays")}</Link></p>}
        {notices.length === 0 ? (
          <p className="text-slate-600">{t("notices.none")}</p>
        ) : (
          <ul className="space-y-3">
            {notices.map((n) => (
              <li key={n.id} id={`notice-${n.id}`} data-testid="notice" className={`rounded-lg border bg-white p-4 shadow-sm ${n.overdue ? "border-red-400 ring-1 ring-red-300" : "border-slate-200"}`}>
                <div className="flex flex-wrap items-center gap-2">
                  <Badge tone={STATUS_TONE[n.status]}>{t(`enums.SupervisionStatus.${n.status}`)}</Badge>
                  {n.overdue && <Badge tone="danger">{t("notices.overdue", { days: -n.daysLeft })}</Badge>}
                  <Link href={`/projects/${n.project.id}`} className="font-medium link">{n.project.name}</Link>
                  {n.lightAtSending && <LightBadge light={n.lightAtSending} label={t("notices.lightAtSending", { light: t(`enums.TrafficLight.${n.lightAtSending}`) })} />}
                </div>
                <dl className="mt-1 grid gap-x-6 text-sm text-slate-700 sm:grid-cols-3">
                  <div><dt className="inline text-slate-500">{t("notices.ownerOrg")}{fmt.colon}</dt><dd className="inline">{n.ownerOrg.name}</dd></div>
                  <div><dt className="inline text-slate-500">{t("notices.deadline")}{fmt.colon}</dt><dd className="inline tabular-nums">{isoDay(n.deadline)}{n.status === "OPEN" && !n.overdue && <span className="ml-1 text-slate-500">{fmt.parens(t("notices.daysLeft", { days: n.daysLeft }))}</span>}</dd></div>
                  <div><dt className="inline text-slate-500">{t("notices.sentBy")}{fmt.colon}</dt><dd className="inline">{n.sentBy.displayName} · {when(n.sentAt)}</dd></div>
                </dl>
                <p className="mt-2 whitespace-pre-wrap text-sm"><span className="text-slate-500">{t("notices.subject")}{fmt.colon}</span>{n.subject}</p>
                {n.answer && (
                  <p className="mt-2 whitespace-pre-wrap rounded bg-green-50 p-2 text-sm">
                    <span className="text-slate-500">{t("notices.answer")}{fmt.parens(`${n.answeredBy?.displayName ?? ""} · ${when(n.answeredAt)}`)}{fmt.colon}</span>{n.answer}
                  </p>
                )}
                {n.status === "CLOSED" && (
                  <p className="mt-2 text-sm text-slate-600">{t("notices.closedBy", { name: n.closedBy?.displayName ?? "", at: when(n.closedAt) })}{n.closingNote && `${fmt.colon}${n.closingNote}`}</p>
                )}
                {n.status !== "CLOSED" && (
                  <div className="mt-3 grid gap-4 md:grid-cols-2">
                    {mayOnNotice(user, "answer", { ownerOrgId: n.ownerOrg.id }) && <AnswerNoticeForm action={answerNoticeAction} id={n.id} version={n.version} />}
                    {canClose && <CloseNoticeForm action={closeNoticeAction} id={n.id} version={n.version} />}
                  </div>
                )}
              </li>
            ))}
          </ul>
        )}
      </div>
    </ClientMessages>
  );
}
