import { redirect } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { setupNeeded } from "@/lib/data/users";
import { SetupForm } from "./setup-form";
import { ClientMessages } from "@/i18n/client-messages";

export const dynamic = "force-dynamic";

export default async function SetupPage() {
  if (!(await setupNeeded())) redirect("/login");
  const t = await getTranslations("setup");
  return (
    <ClientMessages namespaces={["common", "login", "setup", "validation"]}>
      <Card>
        <CardHeader>
          <CardTitle as="h1">{t("title")}</CardTitle>
        </CardHeader>
        <CardContent className="space-y-4">
          <p className="text-sm text-slate-600">{t("intro")}</p>
          <SetupForm />
        </CardContent>
      </Card>
    </ClientMessages>
  );
}
