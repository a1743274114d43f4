import { Suspense } from "react";
import Link from "@/components/link";
import { getTranslations } from "next-intl/server";
import { requireRoute } from "@/lib/auth/session";
import { getDashboard, UnknownCountyError } from "@/lib/portfolio/dashboard";
import { countyParam as parseCountyParam } from "@/lib/validations/project-list";
import { listDivisions } from "@/lib/data/projects";
import { parseMapMeasure } from "@/lib/portfolio/county-map";
import { pagePlan } from "@/lib/plans/plans";
import { PlanProblem, withParams } from "@/components/plan-selector";
import { countyProjectsHref, Headline, HeadlinePlaceholder, Sections, SectionsPlaceholder } from "./_components/sections";

export const dynamic = "force-dynamic";

export default async function DashboardPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const user = await requireRoute("/dashboard");
  const t = await getTranslations();
  const params = await searchParams;
  // The county map's colour: ?measure=completion|alerts|investment, anything else the default.
  const measure = parseMapMeasure(params.measure);
  const plan = await pagePlan(params.plan);
  if (!plan.ok) return <PlanProblem message={plan.message} resetHref="/dashboard" />;
  // The map's click narrows the page to a county (?county=520382); the map itself keeps every county.
  const countyParam = parseCountyParam(params.county);
  const countyProblem = (message: string) => <PlanProblem message={message} resetHref="/dashboard" field="dashboard.county" reset="dashboard.wholeCity" />;
  if (!countyParam.ok) return countyProblem(countyParam.message);
  // Every division (a short indexed read): an unknown county is refused before anything streams.
  const divisions = await listDivisions();
  const county = countyParam.county === undefined ? null : divisions.find((d) => d.code === countyParam.county) ?? null;
  if (countyParam.county !== undefined && !county) return countyProblem("validation.county");
  // The shell (heading, county banner) is sent at once; each section below streams in its own
  // <Suspense> when the figures are there (docs/decisions/0039). The figures are read once and shared.
  const data = getDashboard(user, undefined, undefined, plan.planId, { county: countyParam.county }).catch((error: unknown) => {
    if (error instanceof UnknownCountyError) return null; // deleted since the check above
    throw error;
  });
  const projectsHref = countyProjectsHref(county?.code);
  const section = { data, params, measure, divisions };

  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h1 className="text-2xl font-semibold">{county ? t("dashboard.titleOfCounty", { county: county.name }) : t("dashboard.title")}</h1>
      </div>
      {county && (
        <p className="flex flex-wrap gap-x-4 gap-y-1 rounded-md border border-blue-200 bg-blue-50 p-3 text-sm" data-testid="dashboard-county">
          <span>{t("dashboard.narrowedTo", { county: county.name })}</span>
          <Link className="text-blue-800 underline" href={projectsHref()}>{t("dashboard.countyProjects", { county: county.name })}</Link>
          <Link className="text-blue-800 underline" href={withParams("/dashboard", params, { county: undefined }, "#county-map")}>{t("dashboard.wholeCity")}</Link>
        </p>
      )}
      <Suspense fallback={<HeadlinePlaceholder />}>
        <Headline {...section} />
      </Suspense>
      <Suspense fallback={<SectionsPlaceholder />}>
        <Sections {...section} />
      </Suspense>
    </div>
  );
}
