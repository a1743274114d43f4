import Link from "@/components/link";
import { getTranslations } from "next-intl/server";
import { Badge } from "@/components/ui/badge";
import { LightBadge } from "@/components/light-badge";
import { DataAsOf } from "@/components/data-as-of";
import { LightReasons } from "@/components/light-reasons";
import { formatSlippage } from "@/lib/portfolio/slippage";
import { requireRoute } from "@/lib/auth/session";
import { DELAY_PAGE_SIZE, listDelayReview } from "@/lib/portfolio/delays";
import { isoDay } from "@/lib/domain/dates";
import { chinaDay } from "@/lib/returns/rules";
import { SendNoticeForm } from "../notices/_components/notice-forms";
import { sendNoticeAction } from "./actions";
import { ownEntry } from "@/lib/validations/untrusted";
import { uiText } from "@/i18n/format";
import { ClientMessages } from "@/i18n/client-messages";

export const dynamic = "force-dynamic";

const FILTERS = { all: undefined, red: ["RED"], yellow: ["YELLOW"] } as const;

export default async function DelaysPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const user = await requireRoute("/delays");
  const t = await getTranslations();
  const fmt = uiText(t);
  const params = await searchParams;
  const filter = (typeof params.light === "string" && ownEntry(FILTERS, params.light) ? params.light : "all") as keyof typeof FILTERS;
  // Paged, worst first (docs/decisions/0039): the leadership reads the top of the list; the rest is
  // a page away, and the whole list is in the project table (and its export).
  const page = typeof params.page === "string" && /^[1-9][0-9]{0,4}$/.test(params.page) ? Number(params.page) : 1;
  const review = await listDelayReview(user, { light: FILTERS[filter] ? [...FILTERS[filter]] : undefined, limit: DELAY_PAGE_SIZE, offset: (page - 1) * DELAY_PAGE_SIZE });
  const first = (page - 1) * DELAY_PAGE_SIZE;
  const noticeFor = typeof params.notice === "string" ? params.notice : null;
  const pageHref = (n: number, notice?: string) => {
    const search = new URLSearchParams();
    if (filter !== "all") search.set("light", filter);
    if (n > 1) search.set("page", String(n));
    if (notice) search.set("notice", notice);
    const text = search.toString();
    return text ? `/delays?${text}` : "/delays";
  };
  const pager = review.total > DELAY_PAGE_SIZE && (
    <nav aria-label={t("delays.pages")} className="flex flex-wrap items-center gap-3 text-sm" data-testid="delay-pages">
      <span className="tabular-nums text-slate-600">{t("delays.showing", { from: Math.min(first + 1, review.total), to: first + review.rows.length, total: review.total })}</span>
      {page > 1 && <Link className="link" href={pageHref(page - 1)}>{t("delays.previous", { n: DELAY_PAGE_SIZE })}</Link>}
      {first + review.rows.length < review.total && <Link className="link" href={pageHref(page + 1)}>{t("delays.next", { n: Math.min(DELAY_PAGE_SIZE, review.total - first - review.rows.length) })}</Link>}
    </nav>
  );
  const canSend = user.permissions.has("notice:send:all");
  // Two weeks is the usual time given for a written answer.
  const defaultDeadline = isoDay(new Date(chinaDay(new Date()).getTime() + 14 * 86_400_000));

  return (
    <ClientMessages namespaces={["common", "notices", "validation"]}>
      <div className="space-y-4">
        <div className="flex flex-wrap items-baseline justify-between gap-2">
          <h1 className="text-2xl font-semibold">{t("delays.title")}</h1>
          <p className="text-sm text-slate-600">{t("delays.summary", { total: review.total, day: isoDay(review.asOf) })}</p>
        </div>
        <p className="text-sm text-slate-600">{t("delays.intro")}</p>
        <DataAsOf asOf={review.dataAsOf} />
        <nav aria-label={t("delays.filter")} className="flex flex-wrap items-center gap-2 text-sm">
          {(Object.keys(FILTERS) as (keyof typeof FILTERS)[]).map((key) => (
            <Link key={key} href={key === "all" ? "/delays" : `/delays?light=${key}`} aria-current={filter === key ? "page" : undefined} className={`inline-flex items-center rounded-md border px-3 py-1 ${filter === key ? "border-blue-700 bg-blue-50 text-blue-900" : "border-slate-300 text-slate-700"}`}>
              {t(`delays.filters.${key}`)}
            </Link>
          ))}
          <Link href={`/projects?light=${filter === "all" ? "RED,YELLOW" : filter.toUpperCase()}&cols=column,name,county,owner,lifecycleStage,plannedInvestment,completedInvestment,deliveryConfidence,trafficLight`} className="ml-auto link">
            {t("delays.inTable")}
          </Link>
        </nav>
        {pager}
        {review.rows.length === 0 ? (
          <p className="text-slate-600">{t("delays.none")}</p>
        ) : (
          <ol className="space-y-3">
            {review.rows.map((row, index) => (
              <li key={row.projectId} id={`delay-${row.projectId}`} className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm" data-testid="delay-row">
                <div className="flex flex-wrap items-center gap-2">
                  <span className="text-sm tabular-nums text-slate-500">{first + index + 1}.</span>
                  <LightBadge light={row.light} label={t(`enums.TrafficLight.${row.light}`)} />
                  <Link href={`/projects/${row.projectId}`} className="font-medium link">{row.name}</Link>
                  {row.planKey && <span className="text-xs text-slate-500">{row.planKey}</span>}
                  {row.overdueNotices > 0 && <Badge tone="danger">{t("delays.overdueNotices", { n: row.overdueNotices })}</Badge>}
                  {row.openNotices > 0 && row.overdueNotices === 0 && <Badge tone="info">{t("delays.openNotices", { n: row.openNotices })}</Badge>}
                </div>
                <dl className="mt-1 grid gap-x-6 text-sm text-slate-700 sm:grid-cols-3">
                  <div><dt className="inline text-slate-500">{t("delays.owner")}{fmt.colon}</dt><dd className="inline">{row.owner?.name ?? t("common.notReported")}</dd></div>
                  <div><dt className="inline text-slate-500">{t("delays.county")}{fmt.colon}</dt><dd className="inline">{fmt.list(row.counties) || t("projects.unknownCounty")}</dd></div>
                  <div>
                    <dt className="inline text-slate-500">{t("delays.rating")}{fmt.colon}</dt>
                    <dd className="inline">
                      {row.deliveryConfidence ? t(`enums.DeliveryConfidence.${row.deliveryConfidence}`) : t("delays.notRated")}
                      {row.confidenceFlagged && (
                        <Badge tone="warning" className="ml-1" title={t("delays.flagHelp")}>
                          {t(row.confidenceDifference! < 0 ? "delays.moreOptimistic" : "delays.morePessimistic", { steps: Math.abs(row.confidenceDifference!) })}
                        </Badge>
                      )}
                    </dd>
                  </div>
                  {/* A <dl> holds only dt/dd groups: one div per term (axe: definition-list, dlitem). */}
                  <div data-testid="delay-slippage">
                    <dt className="inline text-slate-500">{t("baseline.slippage")}{fmt.colon}</dt><dd className="inline tabular-nums">{formatSlippage(row.slippageDays) || "—"}</dd>
                  </div>
                  <div data-testid="delay-slippage-original">
                    <dt className="inline text-slate-500">{t("baseline.slippageOriginal")}{fmt.colon}</dt><dd className="inline tabular-nums">{formatSlippage(row.slippageOriginalDays) || "—"}</dd>
                  </div>
                </dl>
                <LightReasons reasons={row.reasons} className="mt-2 list-disc space-y-0.5 pl-5 text-sm" />
                {/* The 督办 form is rendered for the row it was asked for only (?notice=), not 50 times (docs/decisions/0039). */}
                {canSend && row.owner && noticeFor !== row.projectId && (
                  <Link href={`${pageHref(page, row.projectId)}#delay-${row.projectId}`} className="mt-2 inline-block text-sm link">
                    {t("notices.sendFor", { project: row.name })}
                  </Link>
                )}
                {canSend && row.owner && noticeFor === row.projectId && (
                  <details className="mt-2" open>
                    <summary className="cursor-pointer text-sm text-blue-800">{t("notices.sendFor", { project: row.name })}</summary>
                    <div className="mt-2 max-w-xl">
                      <SendNoticeForm action={sendNoticeAction} projectId={row.projectId} defaultSubject={t("notices.defaultSubject")} defaultDeadline={defaultDeadline} />
                    </div>
                  </details>
                )}
              </li>
            ))}
          </ol>
        )}
        {pager}
      </div>
    </ClientMessages>
  );
}
