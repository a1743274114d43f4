import type { ReactNode } from "react";
import { switchLocale } from "@/app/actions/locale";
import { signOutAction } from "@/app/actions/session";
import { SiteHeader } from "@/components/layout/site-header";
import { requireUser } from "@/lib/auth/session";

export default async function AppLayout({ children }: { children: ReactNode }) {
  const user = await requireUser();
  return (
    <>
      <SiteHeader user={user} actions={{ switchLocale, signOut: signOutAction }} />
      <main id="main" className="mx-auto max-w-7xl px-4 py-6">
        {children}
      </main>
    </>
  );
}
