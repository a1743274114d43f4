// A list of field changes ("field: from → to") as the log records them (fieldChangesOf in
// lib/audit/events.ts): inline in a table cell, or as one table row per field. The one rendering
// of a field change; pages pass the label of each field.
import { TableCell, TableRow } from "@/components/ui/table";
import type { FieldChangeRow } from "@/lib/audit/events";

const EMPTY = "—";

/** "label: from → to; …" with any further notes (reason, evidence) after the changes. */
export function FieldChangeList({ changes, label, notes = [] }: { changes: readonly FieldChangeRow[]; label: (field: string) => string; notes?: readonly string[] }) {
  return <>{[...changes.map((c) => `${label(c.field)}: ${c.from ?? EMPTY} → ${c.to ?? EMPTY}`), ...notes].join("；")}</>;
}

/** One table row per changed field: when, who, field, before, after. */
export function FieldChangeTableRows({ rowKey, at, by, changes, label }: { rowKey: string; at: string; by: string | null; changes: readonly FieldChangeRow[]; label: (field: string) => string }) {
  return (
    <>
      {changes.map((c) => (
        <TableRow key={`${rowKey}-${c.field}`}>
          <TableCell className="whitespace-nowrap">{at}</TableCell>
          <TableCell>{by}</TableCell>
          <TableCell>{label(c.field)}</TableCell>
          <TableCell>{c.from ?? EMPTY}</TableCell>
          <TableCell>{c.to ?? EMPTY}</TableCell>
        </TableRow>
      ))}
    </>
  );
}
