// GET /api/projects/filter-options?locale=zh-CN|en[&plan=…]: the project table's filter choices
// (专栏, 工程包, 区县, 行业, 业主单位, 资金来源) for the caller's scope. The table asks for them once it
// is interactive, so the page's HTML carries only the chosen ones (docs/decisions/0038 §10). The
// browser keeps the answer a minute: the URL names the locale and the plan it is of.
import { NextResponse } from "next/server";
import { getTranslations } from "next-intl/server";
import { z } from "zod";
import { listProjectFilterOptions } from "@/lib/data/projects";
import { ValidationError } from "@/lib/data/users";
import { pagePlan } from "@/lib/plans/plans";
import { withRoute } from "@/lib/http/route";
import { planParam } from "@/lib/validations/project-list";
import { locales } from "@/i18n/config";
import { filterChoices } from "@/app/(app)/projects/_components/filter-choices";

export const dynamic = "force-dynamic";

const query = z.strictObject({ locale: z.enum(locales), plan: planParam.optional() });

export const GET = withRoute("/api/projects/filter-options", { query }, async ({ user, query: { locale, plan } }) => {
  const resolved = await pagePlan(plan);
  if (!resolved.ok) throw new ValidationError({ plan: [resolved.message] });
  const t = await getTranslations({ locale });
  const choices = filterChoices(await listProjectFilterOptions(user, resolved.planId), t, locale);
  return NextResponse.json(choices, { headers: { "Cache-Control": "private, max-age=60", Vary: "Cookie" } });
});
