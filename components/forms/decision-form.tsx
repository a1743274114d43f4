"use client";
// A decision with a written reason: one text box and two submit buttons that send `decision`
// (approve or turn down). The reviewer's decision on a return and on a correction request use it.
import { useActionState } from "react";
import { FormMessage, SubmitButton, TextAreaField } from "@/components/forms/form-fields";
import { idle, type FormState } from "@/lib/validations/form-state";

export interface DecisionChoice {
  value: string;
  label: string;
  /** Asked before the decision is sent (a decision that locks something); Cancel sends nothing. */
  confirm?: string;
}

/** Stops the submission unless the user confirms the choice's question. */
const confirmed = (choice: DecisionChoice) => (event: { preventDefault(): void }) => {
  if (choice.confirm && !window.confirm(choice.confirm)) event.preventDefault();
};

export function DecisionForm({
  action: serverAction,
  hidden,
  reasonName,
  reasonLabel,
  approve,
  decline,
  labels,
}: {
  action: (state: FormState, formData: FormData) => Promise<FormState>;
  /** Hidden fields sent with the decision (ids, version). */
  hidden: Record<string, string | number>;
  /** The text box's field name ("reason", "note") and label. */
  reasonName: string;
  reasonLabel: string;
  approve: DecisionChoice;
  /** The second, outlined button (send back, reject). */
  decline: DecisionChoice;
  labels?: Record<string, string>;
}) {
  const [state, action] = useActionState(serverAction, idle);
  return (
    <form action={action} className="space-y-3" noValidate>
      {Object.entries(hidden).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      <FormMessage state={state} labels={labels} />
      <TextAreaField name={reasonName} label={reasonLabel} state={state} rows={3} />
      <div className="flex flex-wrap gap-3">
        <SubmitButton name="decision" value={approve.value} onClick={confirmed(approve)}>{approve.label}</SubmitButton>
        <SubmitButton name="decision" value={decline.value} variant="outline" onClick={confirmed(decline)}>{decline.label}</SubmitButton>
      </div>
    </form>
  );
}
