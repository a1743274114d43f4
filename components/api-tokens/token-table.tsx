// A list of API tokens: name, prefix, scopes, created, expires, last used and state, with a revoke
// button on the live ones. The secret is never here (only its hash is stored, ADR 0025).
import { getTranslations } from "next-intl/server";
import { Badge } from "@/components/ui/badge";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { formatChinaTime } from "@/lib/domain/dates";
import type { FormState } from "@/lib/validations/form";
import { uiText } from "@/i18n/format";
import { RevokeTokenButton } from "./token-forms";
import { scopeLabelKey } from "./scope-label";

export interface ListedToken {
  id: string;
  name: string;
  prefix: string;
  permissions: string[];
  createdAt: Date;
  expiresAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
  /** Shown when the list mixes owners (the security administrator's). */
  owner?: { username: string; displayName: string; isSystemAccount: boolean };
}

export function tokenState(token: Pick<ListedToken, "expiresAt" | "revokedAt">, now: Date): "active" | "expired" | "revoked" {
  if (token.revokedAt) return "revoked";
  return token.expiresAt <= now ? "expired" : "active";
}

const TONES = { active: "success", expired: "neutral", revoked: "danger" } as const;

export async function TokenTable({ tokens, revoke, now = new Date(), caption }: { tokens: ListedToken[]; revoke: (state: FormState, formData: FormData) => Promise<FormState>; now?: Date; caption: string }) {
  const t = await getTranslations("apiTokens");
  const fmt = uiText(await getTranslations());
  const showOwner = tokens.some((token) => token.owner);
  if (tokens.length === 0) return <p className="text-sm text-slate-500">{t("none")}</p>;
  return (
    <Table aria-label={caption}>
      <TableHeader>
        <TableRow>
          {showOwner && <TableHead>{t("owner")}</TableHead>}
          <TableHead>{t("name")}</TableHead>
          <TableHead>{t("prefix")}</TableHead>
          <TableHead>{t("scopes")}</TableHead>
          <TableHead>{t("created")}</TableHead>
          <TableHead>{t("expires")}</TableHead>
          <TableHead>{t("lastUsed")}</TableHead>
          <TableHead>{t("state")}</TableHead>
          {/* Empty, as the app's other action columns: an sr-only label here is absolutely positioned and would widen the page on a phone. */}
          <TableHead />
        </TableRow>
      </TableHeader>
      <TableBody>
        {tokens.map((token) => {
          const state = tokenState(token, now);
          return (
            <TableRow key={token.id}>
              {showOwner && (
                <TableCell>
                  {token.owner ? `${token.owner.username}${fmt.parens(token.owner.displayName)}` : ""}
                  {token.owner?.isSystemAccount && <Badge tone="info" className="ml-1">{t("systemAccount")}</Badge>}
                </TableCell>
              )}
              <TableCell className="font-medium">{token.name}</TableCell>
              <TableCell className="font-mono text-xs">{`${token.prefix}…`}</TableCell>
              <TableCell className="text-xs">{fmt.list(token.permissions.map((p) => t(scopeLabelKey(p) as never)))}</TableCell>
              <TableCell className="whitespace-nowrap tabular-nums">{formatChinaTime(token.createdAt)}</TableCell>
              <TableCell className="whitespace-nowrap tabular-nums">{formatChinaTime(token.expiresAt)}</TableCell>
              <TableCell className="whitespace-nowrap tabular-nums">{token.lastUsedAt ? formatChinaTime(token.lastUsedAt) : t("neverUsed")}</TableCell>
              <TableCell><Badge tone={TONES[state]}>{t(`states.${state}`)}</Badge></TableCell>
              <TableCell>{state === "active" && <RevokeTokenButton action={revoke} tokenId={token.id} name={token.name} />}</TableCell>
            </TableRow>
          );
        })}
      </TableBody>
    </Table>
  );
}
