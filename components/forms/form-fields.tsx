"use client";
// Labelled inputs that show their field's errors (translated from message keys) and link them
// with aria-describedby, plus the form-level message and a pending-aware submit button.
// The keys a server action sends are validation.* or in the form's own namespace (which the
// form's page sends for the form's labels anyway):
// Client messages: validation
import { useTranslations } from "next-intl";
import type { ComponentProps, ReactNode } from "react";
import { useFormStatus } from "react-dom";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import type { FormState } from "@/lib/validations/form-state";
import { cn } from "@/lib/utils";
import { uiSeparators } from "@/i18n/text";

export function FieldErrors({ id, errors }: { id: string; errors?: string[] }) {
  const t = useTranslations();
  if (!errors?.length) return null;
  return (
    <p id={id} className="mt-1 text-xs text-red-700">
      {uiSeparators(t).clauses(errors.map((e) => t(e as never)))}
    </p>
  );
}

export function TextField({
  label,
  name,
  state,
  className,
  hint,
  defaultValue,
  ...props
}: ComponentProps<"input"> & { label: string; name: string; state: FormState; hint?: ReactNode }) {
  const errors = state.status === "error" ? state.fieldErrors?.[name] : undefined;
  const errorId = `${name}-error`;
  // React resets a form after its action; on a refusal the reset restores what was submitted.
  const echoed = state.status === "error" && props.value === undefined ? state.values?.[name] : undefined;
  return (
    <label className={cn("flex flex-col gap-1 text-sm", className)}>
      <span className="font-medium text-slate-700">{label}</span>
      <input
        name={name}
        aria-invalid={errors ? true : undefined}
        aria-describedby={errors ? errorId : undefined}
        className="h-9 rounded-md border border-slate-300 px-3 aria-[invalid=true]:border-red-500"
        {...(props.value === undefined ? { defaultValue: echoed ?? defaultValue } : {})}
        {...props}
      />
      {hint && <span className="text-xs text-slate-500">{hint}</span>}
      <FieldErrors id={errorId} errors={errors} />
    </label>
  );
}

/**
 * A labelled textarea, for free text such as explanations and reasons. On a refusal it shows what
 * was submitted (a field the echo lacks shows empty); otherwise `defaultValue`. It is keyed on
 * that value so React remounts it with the text the server echoed.
 */
export function TextAreaField({
  label,
  name,
  state,
  className,
  hint,
  defaultValue,
  ...props
}: Omit<ComponentProps<"textarea">, "defaultValue" | "value"> & { label: string; name: string; state: FormState; hint?: ReactNode; defaultValue?: string }) {
  const errors = state.status === "error" ? state.fieldErrors?.[name] : undefined;
  const errorId = `${name}-error`;
  const echoed = state.status === "error" && state.values ? (state.values[name] ?? "") : undefined;
  return (
    <label className={cn("flex flex-col gap-1 text-sm", className)}>
      <span className="font-medium text-slate-700">{label}</span>
      <textarea
        key={`${name}-${state.status}-${JSON.stringify(echoed ?? "")}`}
        name={name}
        defaultValue={echoed ?? defaultValue ?? ""}
        aria-invalid={errors ? true : undefined}
        aria-describedby={errors ? errorId : undefined}
        className="rounded-md border border-slate-300 px-3 py-2 aria-[invalid=true]:border-red-500"
        {...props}
      />
      {hint && <span className="text-xs text-slate-500">{hint}</span>}
      <FieldErrors id={errorId} errors={errors} />
    </label>
  );
}

/**
 * The form-level message. Field errors are summarised too, each prefixed with its field's label
 * when `labels` names it ("本月完成投资：金额不能为负数"), so the message names the field.
 */
export function FormMessage({ state, okText, labels }: { state: FormState; okText?: string; labels?: Record<string, string> }) {
  const t = useTranslations();
  const fmt = uiSeparators(t);
  if (state.status === "error" && state.formError) return <Alert tone="error">{t(state.formError as never)}</Alert>;
  if (state.status === "error" && state.fieldErrors && Object.keys(state.fieldErrors).length) {
    const label = (field: string) => labels?.[field] ?? labels?.[field.split(".").slice(0, -1).join(".")] ?? labels?.[field.split(".")[0]!];
    return (
      <Alert tone="error">
        {fmt.clauses(
          Object.entries(state.fieldErrors).map(([field, keys]) => {
            const errors = fmt.list(keys.map((e) => t(e as never)));
            const name = label(field);
            return name ? fmt.labelled(name, errors) : errors;
          }),
        )}
      </Alert>
    );
  }
  if (state.status === "ok" && (state.message || okText)) return <Alert tone="info">{state.message ? t(state.message as never) : okText}</Alert>;
  return null;
}

export function SubmitButton({ children, ...props }: ComponentProps<typeof Button>) {
  const { pending } = useFormStatus();
  return (
    <Button type="submit" disabled={pending} aria-disabled={pending} {...props}>
      {children}
    </Button>
  );
}
