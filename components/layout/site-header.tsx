import Link from "next/link";
import { getLocale, getTranslations } from "next-intl/server";
import { switchLocale } from "@/app/actions/locale";
import { Button } from "@/components/ui/button";

export async function SiteHeader() {
  const t = await getTranslations();
  const locale = await getLocale();
  const links = [
    { href: "/", label: t("nav.home") },
    { href: "/projects", label: t("nav.projects") },
    { href: "/plan", label: t("nav.plan") },
    { href: "/indicators", label: t("nav.indicators") },
  ];
  return (
    <header className="border-b border-slate-200 bg-white">
      <div className="mx-auto flex max-w-7xl items-center gap-6 px-4 py-3">
        <Link href="/" className="text-lg font-semibold text-blue-900">
          {t("app.name")}
        </Link>
        <nav aria-label={t("nav.home")} className="flex flex-1 gap-4 text-sm">
          {links.map((link) => (
            <Link key={link.href} href={link.href} className="text-slate-700 hover:text-blue-800">
              {link.label}
            </Link>
          ))}
        </nav>
        <form action={switchLocale}>
          <input type="hidden" name="locale" value={locale === "zh-CN" ? "en" : "zh-CN"} />
          <Button type="submit" variant="ghost" size="sm" aria-label={t("nav.language")}>
            {t("nav.switchTo")}
          </Button>
        </form>
      </div>
    </header>
  );
}
