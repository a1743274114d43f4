"use client";
// Upload → preview → confirm. The preview comes from the server (which keeps the file); the
// confirm form sends only the batch id, so what is written is what the server re-checks.
// Client messages: import, validation
import { useLocale, useTranslations } from "next-intl";
import { useActionState } from "react";
import { FormMessage, SubmitButton } from "@/components/forms/form-fields";
import { Alert } from "@/components/ui/alert";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import type { ImportPreview, ImportResult } from "@/lib/imports/batches";
import type { FileProblem } from "@/lib/imports/read-file";
import { idle } from "@/lib/validations/form-state";
import { confirmImportAction, discardImportAction, previewImportAction } from "../actions";
import { localName, uiText } from "@/i18n/format";
import { FieldChangeList } from "@/components/audit/field-change-list";

type Problem = FileProblem | { code: "kindNotAllowed"; kind: "registry" | "returns" };

const REGISTRY_FIELD_KEYS = new Set(["projectCode", "projectType", "nature", "lifecycleStage", "plannedStart", "plannedCompletion", "totalInvestment", "plannedInvestment", "sectorCode"]);

export function ImportWorkbench({ maxMb, maxRows }: { maxMb: number; maxRows: number }) {
  const t = useTranslations();
  const locale = useLocale();
  const fmt = uiText(t);
  const [uploadState, upload] = useActionState(previewImportAction, idle);
  const [confirmState, confirm] = useActionState(confirmImportAction, idle);
  const [discardState, discard] = useActionState(discardImportAction, idle);
  const problem = uploadState.status === "error" ? (uploadState.data?.problem as Problem | undefined) : undefined;
  // A refused confirm (the data moved) brings a fresh preview; it replaces the old one.
  const preview = ((confirmState.status === "error" ? confirmState.data?.preview : undefined) ?? (uploadState.status === "ok" ? uploadState.data?.preview : undefined)) as ImportPreview | undefined;
  const result = confirmState.status === "ok" ? (confirmState.data?.result as ImportResult | undefined) : undefined;
  const settled = !!result || discardState.status === "ok";

  const fieldLabel = (field: string): string => {
    if (REGISTRY_FIELD_KEYS.has(field)) return t(`projectFields.${field}` as never);
    const [head, sub] = field.split(".");
    if (head === "annualPlan") return t("import.field.annualPlan", { year: sub! });
    if (head === "funding" || head === "funds") {
      const source = preview?.sources[sub!];
      return t(`import.field.${head}`, { source: source ? localName(source, locale) : sub! });
    }
    if (head === "milestones") return t("import.field.milestones", { kind: t(`enums.MilestoneKind.${sub}` as never) });
    return t(`import.field.${head}` as never);
  };
  // Coded values read as users name them (新建, 准公益性, 前期, 城市轨道交通), never as codes.
  const ENUM_OF: Record<string, string> = { projectType: "ProjectType", nature: "ProjectNature", lifecycleStage: "LifecycleStage" };
  const fieldValue = (field: string, value: string): string => {
    const enumName = ENUM_OF[field];
    if (enumName) return t.has(`enums.${enumName}.${value}` as never) ? t(`enums.${enumName}.${value}` as never) : value;
    const sector = field === "sectorCode" ? preview?.sectors[value] : undefined;
    return sector ? localName(sector, locale) : value;
  };

  return (
    <div className="space-y-4">
      <Card>
        <CardHeader><CardTitle>{t("import.upload")}</CardTitle></CardHeader>
        <CardContent>
          <form action={upload} className="flex flex-wrap items-end gap-4" key={uploadState.status === "ok" ? "done" : "form"}>
            <label className="flex flex-col gap-1 text-sm">
              <span className="font-medium text-slate-700">{t("import.file")}</span>
              <input type="file" name="file" required accept=".xlsx,.csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet,text/csv" className="text-sm" />
              <span className="text-xs text-slate-500">{t("import.fileHint", { maxMb, maxRows })}</span>
            </label>
            <SubmitButton>{t("import.previewButton")}</SubmitButton>
          </form>
          <div className="mt-3 space-y-2">
            {problem ? <ProblemAlert problem={problem} /> : <FormMessage state={uploadState} />}
          </div>
        </CardContent>
      </Card>

      {preview && (
        <Card data-testid="import-preview">
          <CardHeader><CardTitle>{t("import.summaryTitle")}</CardTitle></CardHeader>
          <CardContent className="space-y-4">
            <p className="text-sm text-slate-600">
              {t("import.detected", { kind: t(`import.kind.${preview.kind}`), sheet: preview.sheet })}
              <br />
              <span className="break-all font-mono text-xs">{t("import.fileInfo", { fileName: preview.fileName, sha256: preview.sha256 })}</span>
            </p>
            <dl className="grid grid-cols-2 gap-2 text-sm sm:grid-cols-4 lg:grid-cols-7">
              {(["rows", ...(preview.kind === "registry" ? ["create", "update"] : ["submit", "approve"]), "unchanged", ...(preview.summary.skipped ? ["skipped"] : []), "errors"] as const).map((k) => (
                <div key={k} className="rounded-md border border-slate-200 p-2">
                  <dt className="text-xs text-slate-500">{t(`import.count.${k}` as never)}</dt>
                  <dd className={k === "errors" && preview.summary.errors ? "text-lg font-semibold text-red-700" : "text-lg font-semibold"} data-testid={`count-${k}`}>
                    {preview.summary[k as keyof typeof preview.summary]}
                  </dd>
                </div>
              ))}
            </dl>

            {confirmState.status === "error" && <FormMessage state={confirmState} />}
            {result ? (
              <Alert tone="info">{t("import.done", { ...result.summary })}</Alert>
            ) : discardState.status === "ok" ? (
              <Alert tone="info">{t("import.discarded")}</Alert>
            ) : preview.summary.errors > 0 ? (
              <Alert tone="error">
                {t("import.hasErrors")}
                {preview.errorBatchId && (
                  <>
                    <br />
                    <a className="font-medium text-blue-800 underline" href={`/api/import/errors/${preview.errorBatchId}`} download data-testid="error-workbook">{t("import.errorWorkbook")}</a>
                    <span className="ml-2 text-xs text-slate-600">{t("import.errorWorkbookHint")}</span>
                  </>
                )}
              </Alert>
            ) : preview.batchId ? (
              <Alert tone="info">{t("import.ready")}</Alert>
            ) : (
              <Alert tone="info">{t("import.nothingToImport")}</Alert>
            )}

            {preview.batchId && !settled && confirmState.status !== "error" && (
              <div className="flex gap-3">
                <form action={confirm}>
                  <input type="hidden" name="batchId" value={preview.batchId} />
                  <SubmitButton>{t("import.confirm")}</SubmitButton>
                </form>
                <form action={discard}>
                  <input type="hidden" name="batchId" value={preview.batchId} />
                  <button type="submit" className="h-9 rounded-md border border-slate-300 px-4 text-sm">{t("import.discard")}</button>
                </form>
              </div>
            )}

            {preview.errors.length > 0 && (
              <section aria-label={t("import.errorsTitle", { count: preview.summary.errors })} className="space-y-2">
                <h2 className="font-semibold text-red-800">{t("import.errorsTitle", { count: preview.summary.errors })}</h2>
                {preview.errors.length < preview.summary.errors && <p className="text-xs text-slate-500">{t("import.errorsTruncated", { shown: preview.errors.length })}</p>}
                <div className="max-h-[28rem] overflow-auto">
                  <Table aria-label={t("import.errorsTitle", { count: preview.summary.errors })}>
                    <TableHeader>
                      <TableRow><TableHead>{t("import.col.row")}</TableHead><TableHead>{t("import.col.column")}</TableHead><TableHead>{t("import.col.header")}</TableHead><TableHead>{t("import.col.message")}</TableHead></TableRow>
                    </TableHeader>
                    <TableBody>
                      {preview.errors.map((e, i) => (
                        <TableRow key={`${e.row}-${e.column}-${i}`}>
                          <TableCell>{e.row}</TableCell>
                          <TableCell className="font-mono">{e.column}</TableCell>
                          <TableCell>{e.header}</TableCell>
                          <TableCell>{t(e.message as never, e.params as never)}</TableCell>
                        </TableRow>
                      ))}
                    </TableBody>
                  </Table>
                </div>
              </section>
            )}

            {/* A refused file writes nothing: no "changes to write" for it. */}
            {preview.rows.length > 0 && preview.summary.errors === 0 && (
              <section className="space-y-2">
                <h2 className="font-semibold">{t("import.changesTitle")}</h2>
                {preview.rows.length < preview.summary.create + preview.summary.update + preview.summary.submit + preview.summary.approve && (
                  <p className="text-xs text-slate-500">{t("import.rowsTruncated", { shown: preview.rows.length })}</p>
                )}
                <div className="max-h-[28rem] overflow-auto">
                  <Table aria-label={t("import.changesTitle")}>
                    <TableHeader>
                      <TableRow><TableHead>{t("import.col.row")}</TableHead><TableHead>{t("import.col.action")}</TableHead><TableHead>{t("import.col.name")}</TableHead>{preview.kind === "returns" && <TableHead>{t("import.col.period")}</TableHead>}<TableHead>{t("import.col.changes")}</TableHead></TableRow>
                    </TableHeader>
                    <TableBody>
                      {preview.rows.map((r) => (
                        <TableRow key={r.row}>
                          <TableCell>{r.row}</TableCell>
                          <TableCell className="whitespace-nowrap">{t(`import.action.${r.action}`)}</TableCell>
                          <TableCell>{r.name}</TableCell>
                          {preview.kind === "returns" && <TableCell>{r.period}</TableCell>}
                          <TableCell className="text-xs">
                            <FieldChangeList changes={r.changes} label={fieldLabel} fmt={fmt} value={fieldValue} />
                          </TableCell>
                        </TableRow>
                      ))}
                    </TableBody>
                  </Table>
                </div>
              </section>
            )}
          </CardContent>
        </Card>
      )}
    </div>
  );
}

function ProblemAlert({ problem }: { problem: Problem }) {
  const t = useTranslations("import");
  const fmt = uiText(useTranslations());
  switch (problem.code) {
    case "tooLarge":
      return <Alert tone="error">{t("problem.tooLarge", { maxMb: problem.maxMb })}</Alert>;
    case "tooManyRows":
      return <Alert tone="error">{t("problem.tooManyRows", { maxRows: problem.maxRows })}</Alert>;
    case "archive":
      return <Alert tone="error">{t("problem.archive", { maxMb: problem.maxMb, reason: t(`archive.${problem.problem}` as never) })}</Alert>;
    case "kindNotAllowed":
      return <Alert tone="error">{t("problem.kindNotAllowed", { kind: t(`kind.${problem.kind}`) })}</Alert>;
    case "layout":
      return (
        <Alert tone="error">
          {t("problem.layout")}
          {problem.missing.length > 0 && <><br />{t("problem.layoutMissing", { columns: fmt.list(problem.missing) })}</>}
          {problem.unknown.length > 0 && <><br />{t("problem.layoutUnknown", { columns: fmt.list(problem.unknown) })}</>}
        </Alert>
      );
    default:
      return <Alert tone="error">{t(`problem.${problem.code}`)}</Alert>;
  }
}
