// 规划选择: one link per loaded plan, the shown one marked (docs/decisions/0028). Drawn only when
// more than one plan is loaded; plain links, so it works without script and in print it is hidden.
import Link from "@/components/link";
import { getTranslations } from "next-intl/server";
import { Alert } from "@/components/ui/alert";
import type { PlanSummary } from "@/lib/plans/plans";

/** `href(planId)` is the page's own URL with `plan` set (its other parameters kept). */
export async function PlanSelector({ plans, current, href }: { plans: PlanSummary[]; current: string | null; href: (planId: string) => string }) {
  if (plans.length < 2) return null;
  const t = await getTranslations("plans");
  return (
    <nav aria-label={t("selector")} className="flex flex-wrap items-center gap-2 text-sm print:hidden">
      <span className="text-slate-600">{t("selector")}</span>
      {plans.map((p) => (
        <Link
          key={p.id}
          href={href(p.id)}
          aria-current={p.id === current ? "page" : undefined}
          className={p.id === current ? "rounded border border-blue-700 bg-blue-50 px-2 py-0.5 font-medium text-blue-900" : "rounded border border-slate-300 px-2 py-0.5 text-blue-800 hover:border-blue-500"}
        >
          {t("option", { title: p.title, start: p.periodStart, end: p.periodEnd })}
        </Link>
      ))}
    </nav>
  );
}

/**
 * The page URL `path` with its search `params` (the first value of a repeated one, as the pages'
 * parsers read them: lib/validations/untrusted.ts), `changes` set (an undefined change removes the
 * parameter) and `hash`.
 */
export function withParams(path: string, params: Record<string, string | string[] | undefined>, changes: Record<string, string | undefined>, hash = ""): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    const first = Array.isArray(value) ? value[0] : value;
    if (first !== undefined && !Object.hasOwn(changes, key)) search.set(key, first);
  }
  for (const [key, value] of Object.entries(changes)) if (value) search.set(key, value);
  const text = search.toString();
  return `${path}${text ? `?${text}` : ""}${hash}`;
}

/** The page URL `path` with its search `params` and `plan` set. */
export const withPlan = (path: string, params: Record<string, string | string[] | undefined>, planId: string): string => withParams(path, params, { plan: planId });

/**
 * The page's answer to a bad `plan` parameter (or, with `field` and `reset`, another search
 * parameter: the dashboard's `county`): what is wrong, named by field, and the way back.
 */
export async function PlanProblem({ message, resetHref, field = "plans.field", reset = "plans.reset" }: { message: string; resetHref: string; field?: string; reset?: string }) {
  const t = await getTranslations();
  return (
    <div className="space-y-4">
      <Alert tone="error">{t("common.labelled", { label: t(field as never), value: t(message as never) })}</Alert>
      <Link href={resetHref} className="text-blue-800 underline">{t(reset as never)}</Link>
    </div>
  );
}
