import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { DemoBadge } from "@/components/demo-badge";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { formatNumber, wanToYi } from "@/lib/domain/money";
import { listColumnsWithProjects } from "@/lib/data/plan";
import { listDivisions, listProjects, projectListQuery } from "@/lib/data/projects";
import { requireRoute } from "@/lib/auth/session";

export const dynamic = "force-dynamic";

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export default async function ProjectsPage({ searchParams }: { searchParams: SearchParams }) {
  const user = await requireRoute("/projects");
  const t = await getTranslations();
  const raw = Object.fromEntries(Object.entries(await searchParams).filter(([, v]) => typeof v === "string" && v !== ""));
  const parsed = projectListQuery.safeParse(raw);
  if (!parsed.success) {
    return <Alert tone="error">{parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}</Alert>;
  }
  const query = parsed.data;
  const [result, columns, divisions] = await Promise.all([listProjects(user, query), listColumnsWithProjects(user), listDivisions()]);
  const pageLink = (page: number) => `/projects?${new URLSearchParams({ ...raw, page: String(page) } as Record<string, string>)}`;
  const anyDemo = result.rows.some((row) => row.demoFields.length > 0);

  return (
    <div className="space-y-4">
      <div className="flex items-center gap-3">
        <h1 className="text-2xl font-semibold">{t("projects.title")}</h1>
        {anyDemo && <DemoBadge />}
        <span className="text-sm text-slate-500">{t("projects.count", { total: result.total })}</span>
      </div>
      <form className="flex flex-wrap items-end gap-2" role="search">
        <label className="flex flex-col text-sm">
          <span className="sr-only">{t("projects.search")}</span>
          <input name="q" defaultValue={query.q} placeholder={t("projects.search")} className="h-9 w-72 rounded-md border border-slate-300 px-3" />
        </label>
        <label className="flex flex-col text-sm">
          <span className="sr-only">{t("projects.column")}</span>
          <select name="column" defaultValue={query.column ?? ""} className="h-9 rounded-md border border-slate-300 px-2" aria-label={t("projects.column")}>
            <option value="">{t("projects.allColumns")}</option>
            {columns.map((c) => (
              <option key={c.id} value={c.number}>
                {t("plan.columnNumber", { number: c.number })} {c.title}
              </option>
            ))}
          </select>
        </label>
        <label className="flex flex-col text-sm">
          <span className="sr-only">{t("projects.county")}</span>
          <select name="county" defaultValue={query.county ?? ""} className="h-9 rounded-md border border-slate-300 px-2" aria-label={t("projects.county")}>
            <option value="">{t("projects.allCounties")}</option>
            {divisions.map((d) => (
              <option key={d.code} value={d.code}>
                {d.name}
              </option>
            ))}
          </select>
        </label>
        <Button type="submit">{t("projects.searchButton")}</Button>
      </form>
      {result.rows.length === 0 ? (
        <p className="rounded-md border border-dashed border-slate-300 p-8 text-center text-slate-500">{t("projects.empty")}</p>
      ) : (
        <Table>
          <TableHeader>
            <TableRow>
              <TableHead>{t("projects.column")}</TableHead>
              <TableHead>{t("projects.name")}</TableHead>
              <TableHead>{t("projects.programme")}</TableHead>
              <TableHead>{t("projects.county")}</TableHead>
              <TableHead>{t("projects.sector")}</TableHead>
              <TableHead>{t("projects.targetStage")}</TableHead>
              <TableHead>{t("projects.stage")}</TableHead>
              <TableHead className="text-right">{t("projects.plannedInvestment")}</TableHead>
            </TableRow>
          </TableHeader>
          <TableBody>
            {result.rows.map((row) => (
              <TableRow key={row.id}>
                <TableCell className="whitespace-nowrap">{t("plan.columnNumber", { number: row.column.number })}</TableCell>
                <TableCell>
                  <Link href={`/projects/${row.id}`} className="text-blue-800 hover:underline">
                    {row.name}
                  </Link>
                </TableCell>
                <TableCell className="text-slate-600">{row.programme.name}</TableCell>
                <TableCell>{row.locations.map((l) => l.division.name).join("、") || <span className="text-slate-400">{t("projects.unknownCounty")}</span>}</TableCell>
                <TableCell>{row.sector?.nameZh ?? ""}</TableCell>
                <TableCell>{t(`enums.TargetStage.${row.targetStage2025}`)}</TableCell>
                <TableCell>
                  {t(`enums.LifecycleStage.${row.lifecycleStage}`)}
                  {row.demoFields.includes("lifecycleStage") && <span className="ml-1 text-xs text-orange-700">*</span>}
                </TableCell>
                <TableCell className="text-right tabular-nums">
                  {row.plannedInvestment ? formatNumber(wanToYi(row.plannedInvestment), 2) : <span className="text-slate-400">{t("common.notReported")}</span>}
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
      {anyDemo && <p className="text-xs text-orange-800">* {t("demo.explanation")}</p>}
      <nav className="flex items-center gap-3 text-sm" aria-label={t("projects.page", { page: result.page, pageCount: result.pageCount })}>
        {result.page > 1 && <Link href={pageLink(result.page - 1)} className="text-blue-800">{t("projects.prev")}</Link>}
        <span>{t("projects.page", { page: result.page, pageCount: result.pageCount })}</span>
        {result.page < result.pageCount && <Link href={pageLink(result.page + 1)} className="text-blue-800">{t("projects.next")}</Link>}
      </nav>
    </div>
  );
}
