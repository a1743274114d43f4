"use client";
// The API token forms (docs/decisions/0025-read-api.md): issue a token (name, lifetime, scopes
// within what the owner holds) and show it once; revoke one. Used by /account/tokens for oneself
// and by /admin/security for system accounts; the route passes its server action in.
import { useTranslations } from "next-intl";
import { useActionState, useId } from "react";
import { FieldErrors, FormMessage, SubmitButton, TextField } from "@/components/forms/form-fields";
import { Alert } from "@/components/ui/alert";
import type { FormState } from "@/lib/validations/form-state";
import { idle } from "@/lib/validations/form-state";
import { TOKEN_EXPIRY_DAYS } from "@/lib/api/token-schema";
import { scopeLabelKey } from "./scope-label";

type FormAction = (state: FormState, formData: FormData) => Promise<FormState>;

const DEFAULT_DAYS = 90;

/** The new token, as the action answers it once: the secret is in this state and nowhere else. */
interface Issued {
  token: string;
  name: string;
  expiresAt: string;
}

function scopeProblems(fieldErrors: Record<string, string[]> | undefined): string[] | undefined {
  const found = Object.entries(fieldErrors ?? {}).filter(([field]) => field === "permissions" || field.startsWith("permissions.")).flatMap(([, errors]) => errors);
  return found.length ? [...new Set(found)] : undefined;
}

export function CreateTokenForm({ action, grantable, ownerId, ownerLabel }: { action: FormAction; grantable: readonly string[]; ownerId?: string; ownerLabel?: string }) {
  const t = useTranslations("apiTokens");
  const tAll = useTranslations();
  const [state, formAction] = useActionState(action, idle);
  const id = useId();
  const issued = state.status === "ok" ? (state.data as Issued | undefined) : undefined;
  // A bad scope is reported at its index ("permissions.0"); the fieldset shows them all.
  const scopeErrors = state.status === "error" ? scopeProblems(state.fieldErrors) : undefined;
  const expiryErrors = state.status === "error" ? state.fieldErrors?.expiresInDays : undefined;
  const echoedDays = state.status === "error" ? state.values?.expiresInDays : undefined;
  const labels = { name: t("name"), expiresInDays: t("expiresIn"), permissions: t("scopes"), ownerId: t("owner") };
  return (
    <div className="space-y-4">
      {issued && (
        <Alert tone="info" className="space-y-2" data-testid="issued-token">
          <p className="font-semibold">{t("issuedTitle", { name: issued.name })}</p>
          <p>{t("issuedHint", { date: issued.expiresAt })}</p>
          <label className="flex flex-col gap-1">
            <span className="text-xs font-medium">{t("secret")}</span>
            <input
              readOnly
              value={issued.token}
              aria-label={t("secret")}
              className="w-full rounded border border-blue-300 bg-white px-2 py-1 font-mono text-xs text-slate-900"
              onFocus={(event) => event.currentTarget.select()}
            />
          </label>
          <p className="text-xs">{t("usage")}</p>
          <pre className="overflow-x-auto rounded bg-white p-2 font-mono text-xs text-slate-900">{`curl -H "Authorization: Bearer ${issued.token}" "${typeof window === "undefined" ? "" : window.location.origin}/api/v1/projects?limit=10"`}</pre>
        </Alert>
      )}
      {grantable.length === 0 ? (
        <p className="text-sm text-slate-600">{t("nothingGrantable")}</p>
      ) : (
        <form action={formAction} className="space-y-3" noValidate>
          <FormMessage state={state.status === "ok" ? idle : state} labels={labels} />
          {ownerId && <input type="hidden" name="ownerId" value={ownerId} />}
          {ownerLabel && <p className="text-sm text-slate-700">{tAll("common.labelled", { label: t("owner"), value: ownerLabel })}</p>}
          <div className="grid gap-3 md:grid-cols-2">
            <TextField label={t("name")} name="name" state={state} required maxLength={60} hint={t("nameHint")} />
            <label className="flex flex-col gap-1 text-sm">
              <span className="font-medium text-slate-700">{t("expiresIn")}</span>
              <select
                key={`${state.status}-${echoedDays ?? ""}`}
                name="expiresInDays"
                defaultValue={echoedDays ?? String(DEFAULT_DAYS)}
                aria-invalid={expiryErrors ? true : undefined}
                aria-describedby={expiryErrors ? `${id}-expiry-error` : undefined}
                className="h-9 rounded-md border border-slate-300 bg-white px-2 aria-[invalid=true]:border-red-500"
              >
                {TOKEN_EXPIRY_DAYS.map((days) => (
                  <option key={days} value={days}>{t("days", { days })}</option>
                ))}
              </select>
              <FieldErrors id={`${id}-expiry-error`} errors={expiryErrors} />
            </label>
          </div>
          <fieldset className="space-y-1" aria-describedby={scopeErrors ? `${id}-scope-error` : undefined}>
            <legend className="text-sm font-medium text-slate-700">{t("scopes")}</legend>
            <p className="text-xs text-slate-500">{t("scopesHint")}</p>
            <div className="flex flex-wrap gap-x-5 gap-y-1 text-sm">
              {grantable.map((permission) => (
                <label key={permission} className="flex items-center gap-2">
                  <input type="checkbox" name="permissions" value={permission} />
                  {t(scopeLabelKey(permission) as never)}
                </label>
              ))}
            </div>
            <FieldErrors id={`${id}-scope-error`} errors={scopeErrors} />
          </fieldset>
          <SubmitButton>{t("create")}</SubmitButton>
        </form>
      )}
    </div>
  );
}

export function RevokeTokenButton({ action, tokenId, name }: { action: FormAction; tokenId: string; name: string }) {
  const t = useTranslations("apiTokens");
  const [state, formAction] = useActionState(action, idle);
  return (
    <form action={formAction}>
      <input type="hidden" name="tokenId" value={tokenId} />
      <SubmitButton size="sm" variant="destructive" aria-label={t("revokeNamed", { name })}>{t("revoke")}</SubmitButton>
      <FormMessage state={state} />
    </form>
  );
}
