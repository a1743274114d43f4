import { getTranslations } from "next-intl/server";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { requireRoute } from "@/lib/auth/session";
import { listActiveSessions, listLockouts, readSecuritySettings } from "@/lib/data/users";
import { RevokeButton, SecuritySettingsForm, UnlockButton } from "./security-forms";
import { CreateTokenForm } from "@/components/api-tokens/token-forms";
import { TokenTable } from "@/components/api-tokens/token-table";
import { ALL_TOKENS_LIMIT, listAllApiTokens, listSystemAccountTokens } from "@/lib/api/tokens";
import { createSystemApiTokenAction, revokeAnyApiTokenAction } from "./actions";
import { formatChinaTime } from "@/lib/domain/dates";
import { uiText } from "@/i18n/format";
import { ClientMessages } from "@/i18n/client-messages";

export const dynamic = "force-dynamic";

export default async function SecurityPage() {
  const actor = await requireRoute("/admin/security");
  const t = await getTranslations("admin.security");
  const fmt = uiText(await getTranslations());
  const tt = await getTranslations("apiTokens");
  const [settings, lockouts, sessions, systemAccounts, tokens] = await Promise.all([
    readSecuritySettings(actor), listLockouts(actor), listActiveSessions(actor), listSystemAccountTokens(actor), listAllApiTokens(actor),
  ]);
  const when = (d: Date) => formatChinaTime(d);
  return (
    <ClientMessages namespaces={["admin.security", "apiTokens", "common", "validation"]}>
      <div className="space-y-6">
        <h1 className="text-2xl font-semibold">{t("title")}</h1>
        <Card>
          <CardHeader><CardTitle>{t("policy")}</CardTitle></CardHeader>
          <CardContent><SecuritySettingsForm value={settings} /></CardContent>
        </Card>
        <Card>
          <CardHeader><CardTitle>{t("lockouts")}</CardTitle></CardHeader>
          <CardContent className="space-y-4">
            {lockouts.lockedUsers.length === 0 ? <p className="text-sm text-slate-500">{t("noLockouts")}</p> : (
              <Table>
                <TableHeader><TableRow><TableHead>{t("user")}</TableHead><TableHead>{t("lockedUntil")}</TableHead><TableHead /></TableRow></TableHeader>
                <TableBody>
                  {lockouts.lockedUsers.map((u) => (
                    <TableRow key={u.id}><TableCell>{u.username}{fmt.parens(u.displayName)}</TableCell><TableCell>{u.lockedUntil ? when(u.lockedUntil) : ""}</TableCell><TableCell><UnlockButton userId={u.id} /></TableCell></TableRow>
                  ))}
                </TableBody>
              </Table>
            )}
            {lockouts.recentFailures.length > 0 && (
              <Table>
                <TableHeader><TableRow><TableHead>{t("ipFailures")}</TableHead><TableHead className="text-right">{t("failures")}</TableHead></TableRow></TableHeader>
                <TableBody>
                  {lockouts.recentFailures.map((r) => <TableRow key={r.ip}><TableCell>{r.ip}</TableCell><TableCell numeric>{r.failures}</TableCell></TableRow>)}
                </TableBody>
              </Table>
            )}
          </CardContent>
        </Card>
        <Card>
          <CardHeader><CardTitle>{t("sessions")}</CardTitle></CardHeader>
          <CardContent>
            {sessions.length === 0 ? <p className="text-sm text-slate-500">{t("noSessions")}</p> : (
              <Table>
                <TableHeader><TableRow><TableHead>{t("user")}</TableHead><TableHead>{t("ip")}</TableHead><TableHead>{t("since")}</TableHead><TableHead>{t("lastSeen")}</TableHead><TableHead /></TableRow></TableHeader>
                <TableBody>
                  {sessions.map((s) => (
                    <TableRow key={s.id}>
                      <TableCell>{s.user.username}{fmt.parens(s.user.displayName)}</TableCell>
                      <TableCell>{s.ip}</TableCell>
                      <TableCell>{when(s.createdAt)}</TableCell>
                      <TableCell>{when(s.lastSeenAt)}</TableCell>
                      <TableCell>{s.id !== actor.sessionId && <RevokeButton sessionId={s.id} />}</TableCell>
                    </TableRow>
                  ))}
                </TableBody>
              </Table>
            )}
          </CardContent>
        </Card>
        <Card>
          <CardHeader><CardTitle>{tt("adminTitle")}</CardTitle></CardHeader>
          <CardContent className="space-y-6">
            <p className="max-w-3xl text-sm text-slate-600">{tt("adminIntro")}</p>
            <section aria-labelledby="system-accounts" className="space-y-3">
              <h3 id="system-accounts" className="text-sm font-semibold">{tt("systemAccounts")}</h3>
              {systemAccounts.length === 0 ? <p className="text-sm text-slate-500">{tt("noSystemAccounts")}</p> : systemAccounts.map((account) => (
                <div key={account.id} className="space-y-2 rounded-md border border-slate-200 p-3">
                  {account.disabledAt ? (
                    <p className="text-sm text-slate-500">{tt("accountDisabled", { name: `${account.username}${fmt.parens(account.displayName)}` })}</p>
                  ) : (
                    <CreateTokenForm action={createSystemApiTokenAction} grantable={account.grantable} ownerId={account.id} ownerLabel={`${account.username}${fmt.parens(account.displayName)}`} />
                  )}
                </div>
              ))}
            </section>
            <section aria-labelledby="all-tokens" className="space-y-3">
              <h3 id="all-tokens" className="text-sm font-semibold">{tt("allTokens")}</h3>
              {tokens.length >= ALL_TOKENS_LIMIT && <p className="text-xs text-slate-500">{tt("newestOnly", { count: ALL_TOKENS_LIMIT })}</p>}
              <TokenTable tokens={tokens} revoke={revokeAnyApiTokenAction} caption={tt("allTokens")} />
            </section>
          </CardContent>
        </Card>
      </div>
    </ClientMessages>
  );
}
