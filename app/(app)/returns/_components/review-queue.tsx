"use client";
// The reviewer's queue of submitted returns with bulk approval: the clean ones (their checks
// find nothing) can be ticked and approved at once after a confirmation; each is still approved
// by its own command, and the outcome of each is listed (approved, or refused and why).
import { useActionState, useEffect, useRef, useState, type ReactNode } from "react";
import { useTranslations } from "next-intl";
import { FormMessage, SubmitButton } from "@/components/forms/form-fields";
import { Alert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { idle, type FormState } from "@/lib/validations/form-state";
import type { BulkApproveResult } from "@/lib/returns/commands";
import { bulkApproveAction } from "../actions";

export interface QueueRow {
  id: string;
  version: number;
  /** Project name · period, for the checkbox's label and the outcome list. */
  label: string;
  period: string;
  project: ReactNode;
  owner: string;
  amount: string;
  submitted: string;
  waiting: string;
  clean: boolean;
  /** Why it is not clean (the checks' messages), shown instead of a checkbox. */
  findings: string;
}

export function ReviewQueue({ rows, headers }: { rows: QueueRow[]; headers: { period: string; project: string; owner: string; amount: string; submitted: string; waiting: string } }) {
  const t = useTranslations();
  const [state, action] = useActionState(bulkApproveAction, idle);
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  // Labels of every row seen, so the outcome can name returns that have left the queue.
  const seen = useRef(new Map<string, string>());
  for (const r of rows) seen.current.set(r.id, r.label);
  useEffect(() => setSelected(new Set()), [state]);

  const clean = rows.filter((r) => r.clean);
  const chosen = clean.filter((r) => selected.has(r.id));
  const all = clean.length > 0 && chosen.length === clean.length;
  const toggle = (id: string, on: boolean) => setSelected((s) => {
    const next = new Set(s);
    if (on) next.add(id);
    else next.delete(id);
    return next;
  });

  return (
    <form
      action={action}
      className="space-y-3"
      noValidate
      onSubmit={(event) => {
        if (!window.confirm(t("returns.bulk.confirm", { count: chosen.length }))) event.preventDefault();
      }}
    >
      <Outcome state={state} labelOf={(id) => seen.current.get(id) ?? id} />
      <FormMessage state={state} labels={{ selected: t("returns.bulk.selected") }} />
      <div className="flex flex-wrap items-center gap-3">
        <SubmitButton disabled={chosen.length === 0}>{t("returns.bulk.approve", { count: chosen.length })}</SubmitButton>
        <span className="text-sm text-slate-600">{t("returns.bulk.hint")}</span>
      </div>
      <Table aria-label={t("returns.queueLabel")}>
        <TableHeader>
          <TableRow>
            <TableHead className="w-12">
              <label className="inline-flex min-h-11 min-w-11 items-center justify-center">
                <input type="checkbox" className="size-4" checked={all} disabled={clean.length === 0} aria-label={t("returns.bulk.selectAll")} onChange={(e) => setSelected(e.target.checked ? new Set(clean.map((r) => r.id)) : new Set())} />
              </label>
            </TableHead>
            <TableHead>{headers.period}</TableHead>
            <TableHead>{headers.project}</TableHead>
            <TableHead>{headers.owner}</TableHead>
            <TableHead className="text-right">{headers.amount}</TableHead>
            <TableHead>{headers.submitted}</TableHead>
            <TableHead className="text-right">{headers.waiting}</TableHead>
          </TableRow>
        </TableHeader>
        <TableBody>
          {rows.map((r) => (
            <TableRow key={r.id} data-testid="queue-row">
              <TableCell>
                {r.clean ? (
                  <label className="inline-flex min-h-11 min-w-11 items-center justify-center">
                    <input type="checkbox" className="size-4" name="selected" value={`${r.id}:${r.version}`} checked={selected.has(r.id)} onChange={(e) => toggle(r.id, e.target.checked)} aria-label={t("returns.bulk.select", { label: r.label })} />
                  </label>
                ) : (
                  <Badge tone="warning" title={r.findings}>{t("returns.bulk.needsReview")}</Badge>
                )}
              </TableCell>
              <TableCell>{r.period}</TableCell>
              <TableCell>
                {r.project}
                {!r.clean && <p className="mt-1 text-xs text-amber-900">{r.findings}</p>}
              </TableCell>
              <TableCell>{r.owner}</TableCell>
              <TableCell numeric>{r.amount}</TableCell>
              <TableCell className="whitespace-nowrap">{r.submitted}</TableCell>
              <TableCell numeric className="whitespace-nowrap" data-testid="days-waiting">{r.waiting}</TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </form>
  );
}

/** Per return: approved, or refused and why. */
function Outcome({ state, labelOf }: { state: FormState; labelOf: (id: string) => string }) {
  const t = useTranslations();
  if (state.status !== "ok" || !Array.isArray(state.data?.results)) return null;
  const results = state.data.results as BulkApproveResult[];
  const approved = results.filter((r) => r.outcome === "approved");
  const refused = results.filter((r) => r.outcome === "refused");
  return (
    <Alert tone={refused.length ? "warning" : "info"} data-testid="bulk-outcome">
      <p>{t("returns.bulk.outcome", { approved: approved.length, refused: refused.length })}</p>
      <ul className="mt-1 list-disc pl-5">
        {approved.map((r) => <li key={r.returnId}>{t("returns.bulk.approvedOne", { label: labelOf(r.returnId) })}</li>)}
        {refused.map((r) => (
          <li key={r.returnId}>{t("returns.bulk.refusedOne", { label: labelOf(r.returnId), reason: t(`returns.bulk.reason.${r.reason}` as never) })}</li>
        ))}
      </ul>
    </Alert>
  );
}
