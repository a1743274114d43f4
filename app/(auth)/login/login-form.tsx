"use client";
import { useTranslations } from "next-intl";
import { useActionState } from "react";
import { FormMessage, SubmitButton, TextField } from "@/components/forms/form-fields";
import { echoed, idle } from "@/lib/validations/form-state";
import { useTypedValue } from "@/components/forms/use-typed-value";
import { loginAction } from "./actions";

export function LoginForm({ next }: { next: string }) {
  const t = useTranslations("login");
  const [state, action] = useActionState(loginAction, idle);
  const needTotp = state.status === "error" && state.data?.needTotp === true;
  // Controlled, so React's reset after each submission keeps them for the second-factor step.
  const username = useTypedValue(echoed(state, "username", ""));
  const password = useTypedValue("");
  return (
    <form action={action} className="space-y-4" noValidate>
      <input type="hidden" name="next" value={next} />
      <FormMessage state={state} />
      <TextField label={t("username")} name="username" state={state} autoComplete="username" required autoFocus {...username} />
      <TextField label={t("password")} name="password" state={state} type="password" autoComplete="current-password" required {...password} />
      {needTotp && (
        <TextField label={t("totp")} name="totp" state={state} inputMode="numeric" autoComplete="one-time-code" hint={t("totpHint")} autoFocus />
      )}
      <SubmitButton className="w-full">{t("submit")}</SubmitButton>
    </form>
  );
}
