// 批量导入: template downloads, upload → preview → confirm, and the user's recent imports.
import { getTranslations } from "next-intl/server";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { requireRoute } from "@/lib/auth/session";
import { listMyImports } from "@/lib/imports/batches";
import { env } from "@/lib/env";
import { ImportWorkbench } from "./_components/import-workbench";
import { formatChinaTime } from "@/lib/domain/dates";
import { nextDueMonth } from "@/lib/domain/reporting-calendar";
import { ClientMessages } from "@/i18n/client-messages";

export const dynamic = "force-dynamic";

export default async function ImportPage() {
  const user = await requireRoute("/import");
  const t = await getTranslations("import");
  const recent = await listMyImports(user);
  // The month the pre-filled returns template is for: the reporting calendar's month due (as my-work's).
  const dueMonth = nextDueMonth(new Date(), env.RETURN_DUE_DAY);
  const kinds = [
    ...(user.permissions.has("project:update:own-org") ? (["registry"] as const) : []),
    ...(user.permissions.has("return:submit:own-org") || user.permissions.has("return:approve:county") ? (["returns"] as const) : []),
  ];
  return (
    <ClientMessages namespaces={["common", "enums", "import", "projectFields", "validation"]}>
      <div className="space-y-6">
        <h1 className="text-2xl font-semibold">{t("title")}</h1>
        <p className="text-sm text-slate-600">{t("intro")}</p>
        <Card>
          <CardHeader><CardTitle>{t("templates")}</CardTitle></CardHeader>
          <CardContent>
            <ul className="space-y-2 text-sm">
              {kinds.map((kind) => (
                <li key={kind}>
                  <a className="font-medium text-blue-800 underline" href={`/api/import/template?kind=${kind}`} download>
                    {t(kind === "registry" ? "templateRegistry" : "templateReturns")}
                  </a>
                  <span className="ml-2 text-slate-500">{t(kind === "registry" ? "templateRegistryHint" : "templateReturnsHint")}</span>
                </li>
              ))}
            </ul>
            {kinds.length > 0 && (
              <div className="mt-4 border-t border-slate-200 pt-3" data-testid="my-projects-templates">
                <h2 className="text-sm font-semibold">{t("templateMine")}</h2>
                <ul className="mt-2 space-y-2 text-sm">
                  {kinds.map((kind) => (
                    <li key={kind}>
                      <a className="font-medium text-blue-800 underline" href={`/api/import/template?kind=${kind}&scope=mine`} download>
                        {kind === "registry" ? t("templateMineRegistry") : t("templateMineReturns", { period: dueMonth })}
                      </a>
                    </li>
                  ))}
                </ul>
                <p className="mt-2 text-xs text-slate-500">{t("templateMineHint")}</p>
              </div>
            )}
          </CardContent>
        </Card>
        <ImportWorkbench maxMb={env.IMPORT_MAX_MB} maxRows={env.IMPORT_MAX_ROWS} />
        <Card>
          <CardHeader><CardTitle>{t("recent")}</CardTitle></CardHeader>
          <CardContent>
            {recent.length === 0 ? (
              <p className="text-sm text-slate-500">{t("noRecent")}</p>
            ) : (
              <ul className="space-y-1 text-sm">
                {recent.map((r) => {
                  const s = r.summary as Record<string, number>;
                  return (
                    <li key={r.id}>
                      <span className="text-slate-500">{formatChinaTime(r.importedAt)}</span>{" "}
                      {t(`kind.${r.kind === "REGISTRY" ? "registry" : "returns"}`)} · {r.fileName} ·{" "}
                      {t("done", { create: s.create ?? 0, update: s.update ?? 0, submit: s.submit ?? 0, approve: s.approve ?? 0, unchanged: s.unchanged ?? 0 })}
                      <span className="ml-2 font-mono text-xs text-slate-500">{r.sha256.slice(0, 12)}…</span>
                    </li>
                  );
                })}
              </ul>
            )}
          </CardContent>
        </Card>
      </div>
    </ClientMessages>
  );
}
