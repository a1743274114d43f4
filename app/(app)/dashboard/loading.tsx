import { getTranslations } from "next-intl/server";

// Shown while the dashboard's lights and totals are computed (the first visit of a day may
// recompute every light).
export default async function DashboardLoading() {
  const t = await getTranslations();
  return (
    <div className="space-y-4" aria-busy="true">
      <h1 className="text-2xl font-semibold">{t("dashboard.title")}</h1>
      <p className="text-slate-600">{t("dashboard.loading")}</p>
    </div>
  );
}
