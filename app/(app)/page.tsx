import Link from "@/components/link";
import { getTranslations } from "next-intl/server";
import { Alert } from "@/components/ui/alert";
import { Card, CardContent } from "@/components/ui/card";
import { redirect } from "next/navigation";
import { LANDING_PAGES, NAV_ITEMS, userMayOpen } from "@/lib/auth/route-access";
import { requireRoute } from "@/lib/auth/session";
import { uiText } from "@/i18n/format";

export const dynamic = "force-dynamic";

export default async function HomePage() {
  const user = await requireRoute("/");
  const landing = LANDING_PAGES.find((l) => user.permissions.has(l.permission) && userMayOpen(user, l.path));
  if (landing) redirect(landing.path);
  const t = await getTranslations();
  const fmt = uiText(t);
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-semibold">{t("home.welcome", { name: user.displayName })}</h1>
      <p className="text-slate-600">{t("home.yourRoles", { roles: fmt.list(user.roles.map((r) => t(`roles.${r}`))) })}</p>
      {user.isDemo && <Alert tone="warning">{t("home.demoAccount")}</Alert>}
      <Card>
        <CardContent>
          <h2 className="mb-3 font-medium">{t("home.start")}</h2>
          <ul className="grid gap-2 sm:grid-cols-3">
            {NAV_ITEMS.filter((item) => userMayOpen(user, item.href)).map((item) => (
              <li key={item.href}>
                <Link href={item.href} className="block rounded-md border border-slate-200 px-4 py-3 text-blue-800 hover:bg-blue-50">
                  {t(item.label as never)}
                </Link>
              </li>
            ))}
          </ul>
        </CardContent>
      </Card>
    </div>
  );
}
