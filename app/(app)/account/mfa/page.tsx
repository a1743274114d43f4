import { redirect } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { Alert } from "@/components/ui/alert";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { requireRoute } from "@/lib/auth/session";
import { getTotpEnabledAt, startTotpEnrolment } from "@/lib/data/account";
import { ConfirmTotpForm } from "../account-forms";
import { uiText } from "@/i18n/format";
import { ClientMessages } from "@/i18n/client-messages";

export const dynamic = "force-dynamic";

export default async function MfaPage() {
  const user = await requireRoute("/account/mfa");
  const t = await getTranslations("account");
  const fmt = uiText(await getTranslations());
  if ((await getTotpEnabledAt(user)) && !user.mfaPending) redirect("/account");
  const { secret, qrDataUrl } = await startTotpEnrolment(user);
  return (
    <ClientMessages namespaces={["account", "common", "validation"]}>
      <div className="space-y-6">
        <h1 className="text-2xl font-semibold">{t("enrol")}</h1>
        {user.mfaPending && <Alert tone="warning">{t("mfaRequired")}</Alert>}
        <Card>
          <CardHeader><CardTitle>{t("mfa")}</CardTitle></CardHeader>
          <CardContent className="space-y-4">
            <p className="text-sm">{t("scan")}</p>
            {/* A plain <img>: the QR code is a data: URL generated on the server. */}
            <img src={qrDataUrl} alt="TOTP QR" width={220} height={220} />
            <p className="text-sm">
              {t("secret")}{fmt.colon}<code data-testid="totp-secret" className="rounded bg-slate-100 px-2 py-1 font-mono">{secret}</code>
            </p>
            <ConfirmTotpForm />
          </CardContent>
        </Card>
      </div>
    </ClientMessages>
  );
}
