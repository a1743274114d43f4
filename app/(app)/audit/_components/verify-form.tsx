"use client";
import { useTranslations } from "next-intl";
import { useActionState } from "react";
import { FormMessage, SubmitButton } from "@/components/forms/form-fields";
import { idle } from "@/lib/validations/form-state";
import { verifyAuditLogAction } from "../actions";

/** Walks the whole hash chain now; the result is recorded in the log and shown above. */
export function VerifyForm() {
  const t = useTranslations("audit");
  const [state, action] = useActionState(verifyAuditLogAction, idle);
  return (
    <form action={action} className="flex flex-wrap items-center gap-3" noValidate>
      <SubmitButton variant="outline">{t("verifyNow")}</SubmitButton>
      <span className="text-xs text-slate-500">{t("verifyHint")}</span>
      <FormMessage state={state} />
    </form>
  );
}
