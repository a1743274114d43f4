"use client";
// The owner unit's monthly return: figures, funds in place by source, milestones reached,
// problems needing coordination, explanations and evidence. The cumulative completed investment
// is computed as the clerk types, never typed. A stale save shows the other person's values.
import { useTranslations } from "next-intl";
import { useActionState, useState } from "react";
import { FieldErrors, FormMessage, SubmitButton, TextAreaField, TextField } from "@/components/forms/form-fields";
import { Alert } from "@/components/ui/alert";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { formatNumber, parseMoneyToWan } from "@/lib/domain/money";
import { echoed, idle } from "@/lib/validations/form-state";
import { useTypedValue } from "@/components/forms/use-typed-value";
import { MAX_NEW_PROBLEMS, PROBLEM_CATEGORIES, PROBLEM_LEVELS } from "@/lib/returns/schema";
import { saveReturnAction } from "./actions";
import type { ReturnFormProps } from "./types";
import { formatChinaTime } from "@/lib/domain/dates";
import { uiText } from "@/i18n/format";

/** Files the server would refuse for their size, said before minutes of uploading from a phone. */
function uploadProblem(files: FileList | null, limits: ReturnFormProps["uploadLimits"], t: ReturnType<typeof useTranslations>): string | null {
  const list = [...(files ?? [])];
  const tooLarge = list.find((f) => f.size > limits.fileMb * 1024 * 1024);
  if (tooLarge) return t("returns.fileTooLarge", { name: tooLarge.name, max: limits.fileMb });
  // The rest of the form is small; keep a megabyte for it.
  if (list.reduce((sum, f) => sum + f.size, 0) > (limits.requestMb - 1) * 1024 * 1024) return t("returns.filesTooLarge", { max: limits.requestMb - 1 });
  return null;
}

export function ReturnForm({ projectId, period, version, values, sources, milestoneKinds, openProblems, completedBefore, labels, uploadLimits }: ReturnFormProps) {
  const t = useTranslations();
  const fmt = uiText(t);
  const [state, action] = useActionState(saveReturnAction, idle);
  const stale = state.status === "error" && state.formError === "returns.stale"
    ? (state.data as { current: Record<string, unknown> & { version: number; funds: Record<string, string> }; changedBy: { name: string | null; at: string } | null })
    : null;
  const currentVersion = stale?.current.version ?? version;
  const month = useTypedValue(echoed(state, "completedInvestment", values?.completedInvestment));
  const parsed = month.value.trim() ? parseMoneyToWan(month.value) : null;
  const cumulative = parsed?.ok ? parsed.wan.plus(completedBefore).toString() : null;
  const errors = state.status === "error" ? state.fieldErrors : undefined;
  const [filesProblem, setFilesProblem] = useState<string | null>(null);

  return (
    <form action={action} className="space-y-6" noValidate encType="multipart/form-data" onSubmit={(event) => { if (filesProblem) event.preventDefault(); }}>
      <input type="hidden" name="projectId" value={projectId} />
      <input type="hidden" name="period" value={period} />
      <input type="hidden" name="version" value={currentVersion} />
      {stale && (
        <div className="space-y-2">
          <Alert tone="error">
            {stale.changedBy ? t("returns.stale", { name: stale.changedBy.name ?? "—", at: formatChinaTime(stale.changedBy.at) }) : t("returns.staleUnknown")}
          </Alert>
          <Table aria-label={t("returns.theirValues")}>
            <TableHeader><TableRow><TableHead>{t("project.field")}</TableHead><TableHead>{t("returns.theirValues")}</TableHead></TableRow></TableHeader>
            <TableBody>
              {(["completedInvestment", "payments", "progressPercent", "progressText"] as const).map((f) => (
                <TableRow key={f}><TableCell>{labels[f]}</TableCell><TableCell>{String(stale.current[f] ?? "—")}</TableCell></TableRow>
              ))}
              {Object.entries(stale.current.funds).map(([code, amount]) => (
                <TableRow key={code}><TableCell>{t("returns.fundsIn")}·{sources.find((s) => s.code === code)?.name ?? code}</TableCell><TableCell>{amount}</TableCell></TableRow>
              ))}
            </TableBody>
          </Table>
          <p className="text-sm text-slate-600">{t("returns.staleHint")}</p>
        </div>
      )}
      <FormMessage state={state.status === "error" && state.formError === "returns.stale" ? idle : state} labels={labels} />

      <fieldset className="grid gap-4 md:grid-cols-2">
        <legend className="mb-2 text-base font-semibold">{t("returns.figures")}</legend>
        <TextField
          label={labels.completedInvestment}
          name="completedInvestment"
          state={state}
          {...month}
          inputMode="decimal"
          hint={
            <span data-testid="cumulative">
              {t("returns.cumulativeHint", { before: formatNumber(completedBefore, 2), after: cumulative ? formatNumber(cumulative, 2) : "—" })}
            </span>
          }
        />
        <TextField label={labels.payments} name="payments" state={state} defaultValue={values?.payments ?? ""} inputMode="decimal" />
        <TextField label={labels.progressPercent} name="progressPercent" state={state} defaultValue={values?.progressPercent ?? ""} inputMode="decimal" />
        <TextField label={labels.progressText} name="progressText" state={state} defaultValue={values?.progressText ?? ""} />
      </fieldset>

      <fieldset>
        <legend className="mb-2 text-base font-semibold">{t("returns.fundsIn")}{fmt.parens(t("common.wan"))}</legend>
        <div className="grid gap-4 md:grid-cols-3">
          {sources.map((s) => (
            <TextField
              key={s.code}
              label={s.name}
              name={`funds.${s.code}`}
              state={state}
              defaultValue={values?.funds[s.code] ?? ""}
              inputMode="decimal"
              hint={t("returns.fundsHint", { planned: s.planned ? formatNumber(s.planned, 2) : "0", before: formatNumber(s.before, 2) })}
            />
          ))}
        </div>
        <FieldErrors id="funds-error" errors={errors?.funds} />
      </fieldset>

      {milestoneKinds.length > 0 && (
        <fieldset>
          <legend className="mb-2 text-base font-semibold">{t("returns.milestonesReached")}</legend>
          <div className="grid gap-4 md:grid-cols-3">
            {milestoneKinds.map((m) => (
              <TextField
                key={m.kind}
                type="date"
                label={t(`enums.MilestoneKind.${m.kind}` as never)}
                name={`milestones.${m.kind}`}
                state={state}
                defaultValue={values?.milestones[m.kind] ?? ""}
                hint={m.baseline ? t("returns.baselineHint", { date: m.baseline }) : undefined}
              />
            ))}
          </div>
        </fieldset>
      )}

      <fieldset className="space-y-3">
        <legend className="mb-2 text-base font-semibold">{t("returns.problems")}</legend>
        {openProblems.length > 0 && (
          <ul className="space-y-1 text-sm">
            {openProblems.map((p) => (
              <li key={p.id} className="flex items-start gap-2">
                <input type="checkbox" name="resolveProblems" value={p.id} id={`resolve-${p.id}`} className="mt-1" />
                <label htmlFor={`resolve-${p.id}`}>
                  {t("returns.markResolved")}{fmt.colon}[{t(`enums.ProblemCategory.${p.category}` as never)}·{t(`enums.ProblemLevel.${p.level}` as never)}] {p.description}
                </label>
              </li>
            ))}
          </ul>
        )}
        {Array.from({ length: MAX_NEW_PROBLEMS }, (_, i) => (
          <div key={i} className="grid gap-3 md:grid-cols-[10rem_8rem_1fr]">
            <label className="flex flex-col gap-1 text-sm">
              <span className="font-medium text-slate-700">{t("returns.problemCategory")} {i + 1}</span>
              <select name={`problems.${i}.category`} defaultValue={echoed(state, `problems.${i}.category`, "")} key={`c${i}-${JSON.stringify(state)}`} className="h-9 rounded-md border border-slate-300 px-2">
                <option value="">—</option>
                {PROBLEM_CATEGORIES.map((c) => <option key={c} value={c}>{t(`enums.ProblemCategory.${c}` as never)}</option>)}
              </select>
              <FieldErrors id={`p${i}c`} errors={errors?.[`problems.${i}.category`]} />
            </label>
            <label className="flex flex-col gap-1 text-sm">
              <span className="font-medium text-slate-700">{t("returns.problemLevel")}</span>
              <select name={`problems.${i}.level`} defaultValue={echoed(state, `problems.${i}.level`, "")} key={`l${i}-${JSON.stringify(state)}`} className="h-9 rounded-md border border-slate-300 px-2">
                <option value="">—</option>
                {PROBLEM_LEVELS.map((l) => <option key={l} value={l}>{t(`enums.ProblemLevel.${l}` as never)}</option>)}
              </select>
              <FieldErrors id={`p${i}l`} errors={errors?.[`problems.${i}.level`]} />
            </label>
            <TextField label={t("returns.problemDescription")} name={`problems.${i}.description`} state={state} />
          </div>
        ))}
      </fieldset>

      <fieldset className="grid gap-4 md:grid-cols-3">
        <legend className="mb-2 text-base font-semibold">{t("returns.explanations")}</legend>
        <TextAreaField name="overrunNote" label={labels.overrunNote} state={state} defaultValue={values?.overrunNote ?? ""} hint={t("returns.overrunNoteHint")} rows={2} />
        <TextAreaField name="fundsNote" label={labels.fundsNote} state={state} defaultValue={values?.fundsNote ?? ""} hint={t("returns.fundsNoteHint")} rows={2} />
        <TextAreaField name="progressNote" label={labels.progressNote} state={state} defaultValue={values?.progressNote ?? ""} hint={t("returns.progressNoteHint")} rows={2} />
      </fieldset>

      <fieldset>
        <legend className="mb-2 text-base font-semibold">{t("returns.evidence")}</legend>
        <label className="flex flex-col gap-1 text-sm">
          <span className="font-medium text-slate-700">{labels.attachments}</span>
          <input
            type="file" name="attachments" multiple accept=".pdf,.png,.jpg,.jpeg,.gif,.webp,.tif,.tiff,.doc,.docx,.xls,.xlsx,.ppt,.pptx" aria-describedby="attachments-error"
            aria-invalid={filesProblem ? true : undefined}
            onChange={(event) => setFilesProblem(uploadProblem(event.currentTarget.files, uploadLimits, t))}
          />
          <span className="text-xs text-slate-500">{t("returns.evidenceHint", { max: uploadLimits.fileMb })}</span>
          {filesProblem && <p role="alert" className="mt-1 text-xs text-red-700" data-testid="files-problem">{filesProblem}</p>}
          <FieldErrors id="attachments-error" errors={errors?.attachments} />
        </label>
      </fieldset>

      <div className="flex flex-wrap gap-3">
        <SubmitButton name="intent" value="save" variant="outline">{t("returns.saveDraft")}</SubmitButton>
        <SubmitButton name="intent" value="submit">{t("returns.submit")}</SubmitButton>
      </div>
    </form>
  );
}
