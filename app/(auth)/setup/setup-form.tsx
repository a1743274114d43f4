"use client";
import Link from "@/components/link";
import { useTranslations } from "next-intl";
import { useActionState } from "react";
import { FormMessage, SubmitButton, TextField } from "@/components/forms/form-fields";
import { idle } from "@/lib/validations/form-state";
import { setupAction } from "./actions";

export function SetupForm() {
  const t = useTranslations();
  const [state, action] = useActionState(setupAction, idle);
  if (state.status === "ok") {
    return (
      <div className="space-y-3">
        <FormMessage state={state} />
        <Link href="/login" className="text-blue-800 underline">{t("login.title")}</Link>
      </div>
    );
  }
  return (
    <form action={action} className="space-y-4" noValidate>
      <FormMessage state={state} />
      <TextField label={t("login.username")} name="username" state={state} autoComplete="username" required />
      <TextField label={t("setup.displayName")} name="displayName" state={state} required />
      <TextField label={t("login.password")} name="password" state={state} type="password" autoComplete="new-password" required />
      <SubmitButton className="w-full">{t("setup.submit")}</SubmitButton>
    </form>
  );
}
