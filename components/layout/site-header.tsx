import Link from "@/components/link";
import { getLocale, getTranslations } from "next-intl/server";
import { Button } from "@/components/ui/button";
import { navigationFor, userMayOpen } from "@/lib/auth/route-access";
import { SiteNav } from "./site-nav";
import type { CurrentUser } from "@/lib/auth/session";
import { unreadNotificationCount } from "@/lib/notifications/inbox";
import { uiText } from "@/i18n/format";

/** The server actions the header's forms post to; the route passes them in (components/ never imports app/). */
export interface SiteHeaderActions {
  switchLocale: (formData: FormData) => Promise<void>;
  signOut: () => Promise<void>;
}

/** Navigation shows only what the user's permissions open, grouped by task; the pages check again on the server. */
export async function SiteHeader({ user, actions }: { user: CurrentUser; actions: SiteHeaderActions }) {
  const t = await getTranslations();
  const locale = await getLocale();
  const groups = navigationFor(user).map((g) => ({ id: g.group, label: t(`nav.group.${g.group}`), items: g.items.map((i) => ({ href: i.href, label: t(i.label as never) })) }));
  const showNotifications = userMayOpen(user, "/notifications");
  const unread = showNotifications ? await unreadNotificationCount(user) : 0;
  return (
    <header className="border-b border-slate-200 bg-white print:hidden">
      <div className="mx-auto flex max-w-7xl flex-wrap items-center gap-x-4 gap-y-2 px-4 py-2 md:flex-nowrap">
        <Link href="/" className="py-2 text-lg font-semibold whitespace-nowrap text-blue-900">
          {t("app.name")}
        </Link>
        <SiteNav
          groups={groups}
          navLabel={t("nav.main")}
          menuLabel={t("nav.menu")}
          tools={
            <div className="flex flex-wrap items-center gap-2 text-sm md:flex-nowrap">
              {showNotifications && (
                <Link href="/notifications" className="inline-flex min-h-11 items-center px-2 whitespace-nowrap text-slate-800 hover:text-blue-800 md:min-h-0" data-testid="notifications-link">
                  {t("nav.notifications")}
                  {unread > 0 && <span className="ml-1 rounded-full bg-red-700 px-1.5 text-xs text-white">{unread}</span>}
                </Link>
              )}
              <Link
                href="/account"
                className="inline-flex min-h-11 max-w-64 items-center truncate px-2 text-slate-800 hover:text-blue-800 md:min-h-0"
                title={`${user.displayName}${user.organizationName ? uiText(t).parens(user.organizationName) : ""} · ${uiText(t).list(user.roles.map((r) => t(`roles.${r}`)))}`}
              >
                <span className="truncate">{user.displayName}</span>
              </Link>
              <form action={actions.switchLocale}>
                <input type="hidden" name="locale" value={locale === "zh-CN" ? "en" : "zh-CN"} />
                <Button type="submit" variant="ghost" size="sm" className="max-md:min-h-11" title={t("nav.language")} lang={locale === "zh-CN" ? "en" : "zh-CN"}>
                  {t("nav.switchTo")}
                </Button>
              </form>
              <form action={actions.signOut}>
                <Button type="submit" variant="outline" size="sm" className="whitespace-nowrap max-md:min-h-11">
                  {t("nav.signOut")}
                </Button>
              </form>
            </div>
          }
        />
      </div>
    </header>
  );
}
