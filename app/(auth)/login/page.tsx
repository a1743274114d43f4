import { redirect } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { getCurrentUser } from "@/lib/auth/session";
import { setupNeeded } from "@/lib/data/users";
import { Button } from "@/components/ui/button";
import { ssoEnabled, ssoName } from "@/lib/auth";
import { ssoSignInAction } from "./actions";
import { LoginForm } from "./login-form";

export const dynamic = "force-dynamic";

export default async function LoginPage({ searchParams }: { searchParams: Promise<{ next?: string }> }) {
  if (await setupNeeded()) redirect("/setup");
  if (await getCurrentUser()) redirect("/");
  const { next } = await searchParams;
  const t = await getTranslations("login");
  return (
    <Card>
      <CardHeader>
        <CardTitle>
          <h1>{t("title")}</h1>
        </CardTitle>
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
  );
}
