import type { ReactNode } from "react";
import { getTranslations } from "next-intl/server";
import { switchLocale } from "@/app/actions/locale";
import { signOutAction } from "@/app/actions/session";
import { SiteHeader } from "@/components/layout/site-header";
import { requireUser } from "@/lib/auth/session";

export default async function AppLayout({ children }: { children: ReactNode }) {
  const user = await requireUser();
  const t = await getTranslations();
  return (
    <>
      <SiteHeader user={user} actions={{ switchLocale, signOut: signOutAction }} />
      <main id="main" className="mx-auto max-w-7xl px-4 py-6">
        {children}
      </main>
      {/* Every time is written by formatChinaTime/formatChinaDay (lib/domain/dates.ts) in Asia/Shanghai. */}
      <footer className="mx-auto max-w-7xl px-4 pb-6 text-xs text-slate-500" data-testid="time-zone-note">
        {t("common.beijingTime")}
      </footer>
    </>
  );
}
