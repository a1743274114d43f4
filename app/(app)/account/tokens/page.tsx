import Link from "@/components/link";
import { getTranslations } from "next-intl/server";
import { CreateTokenForm } from "@/components/api-tokens/token-forms";
import { TokenTable } from "@/components/api-tokens/token-table";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { grantablePermissions, listOwnApiTokens } from "@/lib/api/tokens";
import { requireRoute } from "@/lib/auth/session";
import { createApiTokenAction, revokeApiTokenAction } from "./actions";
import { ClientMessages } from "@/i18n/client-messages";

export const dynamic = "force-dynamic";

export default async function ApiTokensPage() {
  const user = await requireRoute("/account/tokens");
  const t = await getTranslations("apiTokens");
  const tokens = await listOwnApiTokens(user);
  return (
    <ClientMessages namespaces={["apiTokens", "common", "validation"]}>
      <div className="space-y-6">
        <div className="space-y-2">
          <Link href="/account" className="text-sm text-blue-800 underline">{t("backToAccount")}</Link>
          <h1 className="text-2xl font-semibold">{t("title")}</h1>
          <p className="max-w-3xl text-sm text-slate-600">
            {t("intro")} <Link href="/api-reference" className="text-blue-800 underline">{t("referenceLink")}</Link>
          </p>
        </div>
        <Card>
          <CardHeader><CardTitle>{t("createTitle")}</CardTitle></CardHeader>
          <CardContent><CreateTokenForm action={createApiTokenAction} grantable={grantablePermissions(user.permissions)} /></CardContent>
        </Card>
        <Card>
          <CardHeader><CardTitle>{t("listTitle")}</CardTitle></CardHeader>
          <CardContent><TokenTable tokens={tokens} revoke={revokeApiTokenAction} caption={t("listTitle")} /></CardContent>
        </Card>
      </div>
    </ClientMessages>
  );
}
