import Link from "@/components/link";
import { getTranslations } from "next-intl/server";
import { Alert } from "@/components/ui/alert";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { isAdminRole } from "@/lib/auth/roles";
import { userMayOpen } from "@/lib/auth/route-access";
import { requireRoute } from "@/lib/auth/session";
import { getTotpEnabledAt } from "@/lib/data/account";
import { ChangePasswordForm } from "./account-forms";
import { formatChinaDay } from "@/lib/domain/dates";
import { uiText } from "@/i18n/format";
import { ClientMessages } from "@/i18n/client-messages";

export const dynamic = "force-dynamic";

export default async function AccountPage({ searchParams }: { searchParams: Promise<{ mustChange?: string }> }) {
  const user = await requireRoute("/account");
  const t = await getTranslations();
  const fmt = uiText(t);
  const { mustChange } = await searchParams;
  const totpEnabledAt = await getTotpEnabledAt(user);
  return (
    <ClientMessages namespaces={["account", "common", "validation"]}>
      <div className="space-y-6">
        <h1 className="text-2xl font-semibold">{t("account.title")}</h1>
        {(mustChange || user.mustChangePassword) && <Alert tone="warning">{t("account.mustChange")}</Alert>}
        <Card>
          <CardContent>
            <dl className="grid grid-cols-[8rem_1fr] gap-y-2 text-sm">
              <dt className="text-slate-500">{t("login.username")}</dt>
              <dd>{user.username}</dd>
              <dt className="text-slate-500">{t("admin.users.displayName")}</dt>
              <dd>{user.displayName}</dd>
              <dt className="text-slate-500">{t("admin.users.organization")}</dt>
              <dd>{user.organizationName ?? t("admin.users.noOrganization")}</dd>
              <dt className="text-slate-500">{t("admin.users.roles")}</dt>
              <dd>{fmt.list(user.roles.map((r) => t(`roles.${r}`)))}</dd>
            </dl>
          </CardContent>
        </Card>
        <Card>
          <CardHeader><CardTitle>{t("account.changePassword")}</CardTitle></CardHeader>
          <CardContent><ChangePasswordForm /></CardContent>
        </Card>
        <Card>
          <CardHeader><CardTitle>{t("account.mfa")}</CardTitle></CardHeader>
          <CardContent className="text-sm">
            {totpEnabledAt ? (
              t("account.mfaEnabled", { date: formatChinaDay(totpEnabledAt) })
            ) : (
              <div className="space-y-2">
                <p>{t("account.mfaDisabled")}</p>
                {user.roles.some(isAdminRole) && <Alert tone="warning">{t("account.mfaRequired")}</Alert>}
                <Link href="/account/mfa" className="text-blue-800 underline">{t("account.enrol")}</Link>
              </div>
            )}
          </CardContent>
        </Card>
        <Card>
          <CardHeader><CardTitle>{t("apiTokens.cardTitle")}</CardTitle></CardHeader>
          <CardContent className="space-y-2 text-sm">
            <p>{t("apiTokens.cardText")}</p>
            <ul className="flex flex-wrap gap-4">
              {userMayOpen(user, "/account/tokens") && <li><Link href="/account/tokens" className="text-blue-800 underline">{t("apiTokens.manageLink")}</Link></li>}
              {userMayOpen(user, "/api-reference") && <li><Link href="/api-reference" className="text-blue-800 underline">{t("apiTokens.referenceLink")}</Link></li>}
            </ul>
          </CardContent>
        </Card>
      </div>
    </ClientMessages>
  );
}
