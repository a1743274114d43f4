"use client";
import { useTranslations } from "next-intl";
import { useActionState } from "react";
import { FormMessage, SubmitButton, TextField } from "@/components/forms/form-fields";
import { idle } from "@/lib/validations/form-state";
import { createCheckpointAction } from "../actions";

export function CheckpointForm() {
  const t = useTranslations("audit");
  const [state, action] = useActionState(createCheckpointAction, idle);
  return (
    <form action={action} className="flex flex-wrap items-end gap-3" noValidate>
      <TextField label={t("checkpointReason")} name="reason" state={state} className="min-w-64" maxLength={500} />
      <SubmitButton variant="outline">{t("createCheckpoint")}</SubmitButton>
      <FormMessage state={state} />
    </form>
  );
}
