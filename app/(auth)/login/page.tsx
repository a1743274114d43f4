import { redirect } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { getCurrentUser } from "@/lib/auth/session";
import { setupNeeded } from "@/lib/data/users";
import { Button } from "@/components/ui/button";
import { ssoEnabled, ssoName } from "@/lib/auth";
import { ssoSignInAction } from "./actions";
import { LoginForm } from "./login-form";
import { ClientMessages } from "@/i18n/client-messages";

export const dynamic = "force-dynamic";

export default async function LoginPage({ searchParams }: { searchParams: Promise<{ next?: string }> }) {
  if (await setupNeeded()) redirect("/setup");
  if (await getCurrentUser()) redirect("/");
  const { next } = await searchParams;
  const t = await getTranslations("login");
  return (
    <ClientMessages namespaces={["common", "login", "validation"]}>
      <Card>
        <CardHeader>
          {/* The page's h1 is the card title itself: an h1 inside the h2 would be split apart by the
              HTML parser, and React's hydration would then find a different tree (error #418). */}
          <CardTitle as="h1">{t("title")}</CardTitle>
        </CardHeader>
        <CardContent>
          <LoginForm next={typeof next === "string" ? next : "/"} />
          {ssoEnabled && (
            <form action={ssoSignInAction} className="mt-4">
              <Button type="submit" variant="outline" className="w-full">{t("sso", { name: ssoName })}</Button>
            </form>
          )}
          <p className="mt-4 text-xs text-slate-500">{t("demoHint")}</p>
        </CardContent>
      </Card>
    </ClientMessages>
  );
}
