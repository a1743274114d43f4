import Link from "next/link";
import { getLocale, getTranslations } from "next-intl/server";
import { Button } from "@/components/ui/button";
import { NAV_ITEMS, userMayOpen } from "@/lib/auth/route-access";
import type { CurrentUser } from "@/lib/auth/session";
import { unreadNotificationCount } from "@/lib/notifications/inbox";
import { uiText } from "@/i18n/format";

/** The server actions the header's forms post to; the route passes them in (components/ never imports app/). */
export interface SiteHeaderActions {
  switchLocale: (formData: FormData) => Promise<void>;
  signOut: () => Promise<void>;
}

/** Navigation shows only what the user's permissions open; the pages check again on the server. */
export async function SiteHeader({ user, actions }: { user: CurrentUser; actions: SiteHeaderActions }) {
  const t = await getTranslations();
  const locale = await getLocale();
  const links = NAV_ITEMS.filter((item) => userMayOpen(user, item.href));
  const showNotifications = userMayOpen(user, "/notifications");
  const unread = showNotifications ? await unreadNotificationCount(user) : 0;
  return (
    <header className="border-b border-slate-200 bg-white print:hidden">
      <div className="mx-auto flex max-w-7xl flex-wrap items-center gap-x-6 gap-y-2 px-4 py-3">
        <Link href="/" className="text-lg font-semibold text-blue-900">
          {t("app.name")}
        </Link>
        <nav aria-label={t("nav.main")} className="flex flex-1 flex-wrap gap-4 text-sm">
          {links.map((link) => (
            <Link key={link.href} href={link.href} className="text-slate-700 hover:text-blue-800">
              {t(link.label as never)}
            </Link>
          ))}
        </nav>
        <div className="flex items-center gap-2 text-sm">
          {showNotifications && (
            <Link href="/notifications" className="text-slate-700 hover:text-blue-800" data-testid="notifications-link">
              {t("nav.notifications")}
              {unread > 0 && <span className="ml-1 rounded-full bg-red-600 px-1.5 text-xs text-white">{unread}</span>}
            </Link>
          )}
          <Link href="/account" className="text-slate-700 hover:text-blue-800" title={uiText(t).list(user.roles.map((r) => t(`roles.${r}`)))}>
            {user.displayName}
            {user.organizationName && <span className="text-slate-500" lang="zh-CN">{uiText(t).parens(user.organizationName)}</span>}
          </Link>
          <form action={actions.switchLocale}>
            <input type="hidden" name="locale" value={locale === "zh-CN" ? "en" : "zh-CN"} />
            <Button type="submit" variant="ghost" size="sm" aria-label={t("nav.language")}>
              <span lang={locale === "zh-CN" ? "en" : "zh-CN"}>{t("nav.switchTo")}</span>
            </Button>
          </form>
          <form action={actions.signOut}>
            <Button type="submit" variant="outline" size="sm">
              {t("nav.signOut")}
            </Button>
          </form>
        </div>
      </div>
    </header>
  );
}
