"use client";
import Link from "@/components/link";
import { useTranslations } from "next-intl";
import { useActionState } from "react";
import { FormMessage, SubmitButton, TextField } from "@/components/forms/form-fields";
import { idle } from "@/lib/validations/form-state";
import { changePasswordAction, confirmTotpAction } from "./actions";

export function ChangePasswordForm() {
  const t = useTranslations("account");
  const [state, action] = useActionState(changePasswordAction, idle);
  return (
    <form action={action} className="max-w-sm space-y-3" noValidate>
      <FormMessage state={state} />
      <TextField label={t("currentPassword")} name="currentPassword" type="password" autoComplete="current-password" state={state} required />
      <TextField label={t("newPassword")} name="newPassword" type="password" autoComplete="new-password" state={state} required />
      <TextField label={t("confirmPassword")} name="confirmPassword" type="password" autoComplete="new-password" state={state} required />
      <SubmitButton>{t("save")}</SubmitButton>
    </form>
  );
}

export function ConfirmTotpForm() {
  const t = useTranslations("account");
  const [state, action] = useActionState(confirmTotpAction, idle);
  const codes = state.status === "ok" ? (state.data?.recoveryCodes as string[] | undefined) : undefined;
  if (codes) {
    return (
      <section aria-labelledby="recovery-title" className="space-y-3">
        <h2 id="recovery-title" className="font-semibold">{t("recoveryTitle")}</h2>
        <p className="text-sm text-slate-600">{t("recoveryHint")}</p>
        <ul className="grid max-w-xs grid-cols-2 gap-1 font-mono text-sm" aria-label={t("recoveryTitle")}>
          {codes.map((code) => <li key={code}>{code}</li>)}
        </ul>
        <Link href="/" className="text-blue-800 underline">{t("continue")}</Link>
      </section>
    );
  }
  return (
    <form action={action} className="max-w-xs space-y-3" noValidate>
      <FormMessage state={state} />
      <TextField label={t("code")} name="code" inputMode="numeric" autoComplete="one-time-code" state={state} required />
      <SubmitButton>{t("verify")}</SubmitButton>
    </form>
  );
}
