"use client";
import { useTranslations } from "next-intl";
import { useActionState } from "react";
import { FormMessage, SubmitButton, TextField } from "@/components/forms/form-fields";
import { idle } from "@/lib/validations/form-state";
import { revokeSessionAction, unlockUserAction, updateSecuritySettingsAction } from "./actions";

export interface SettingsValue {
  version: number;
  passwordMinLength: number;
  requireMixedCase: boolean;
  requireDigit: boolean;
  requireSymbol: boolean;
  maxFailedLogins: number;
  lockoutMinutes: number;
  ipMaxFailuresPer15Min: number;
  idleTimeoutMinutes: number;
  absoluteTimeoutHours: number;
}

const NUMBERS = ["passwordMinLength", "maxFailedLogins", "lockoutMinutes", "ipMaxFailuresPer15Min", "idleTimeoutMinutes", "absoluteTimeoutHours"] as const;
const FLAGS = ["requireMixedCase", "requireDigit", "requireSymbol"] as const;

export function SecuritySettingsForm({ value }: { value: SettingsValue }) {
  const t = useTranslations("admin.security");
  const [state, action] = useActionState(updateSecuritySettingsAction, idle);
  return (
    <form action={action} className="space-y-3" noValidate>
      <FormMessage state={state} />
      <input type="hidden" name="version" value={value.version} />
      <div className="grid gap-3 md:grid-cols-3">
        {NUMBERS.map((name) => (
          <TextField key={name} label={t(name)} name={name} type="number" defaultValue={value[name]} state={state} required />
        ))}
      </div>
      <div className="flex flex-wrap gap-4 text-sm">
        {FLAGS.map((name) => (
          <label key={name} className="flex items-center gap-2">
            <input type="checkbox" name={name} value="on" defaultChecked={value[name]} />
            {t(name)}
          </label>
        ))}
      </div>
      <SubmitButton>{t("save")}</SubmitButton>
    </form>
  );
}

export function UnlockButton({ userId }: { userId: string }) {
  const t = useTranslations("admin.security");
  const [state, action] = useActionState(unlockUserAction, idle);
  return (
    <form action={action}>
      <input type="hidden" name="userId" value={userId} />
      <SubmitButton size="sm" variant="outline">{t("unlock")}</SubmitButton>
      <FormMessage state={state} />
    </form>
  );
}

export function RevokeButton({ sessionId }: { sessionId: string }) {
  const t = useTranslations("admin.security");
  const [state, action] = useActionState(revokeSessionAction, idle);
  return (
    <form action={action}>
      <input type="hidden" name="sessionId" value={sessionId} />
      <SubmitButton size="sm" variant="destructive">{t("revoke")}</SubmitButton>
      <FormMessage state={state} />
    </form>
  );
}
