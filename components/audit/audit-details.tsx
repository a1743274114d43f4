// An audit event's details rendered from its action's schema (lib/audit/events.ts), never from a
// cast: the field changes it records, with its reason and evidence files when it has them. The
// /audit log writes whole events as sentences instead (lib/audit/describe.ts).
import type { UiText } from "@/i18n/format";
import { fieldChangesOf, parseAuditEvent, type FieldChangeRow } from "@/lib/audit/events";
import { FieldChangeList } from "./field-change-list";

interface StoredEvent {
  action: string;
  details: unknown;
}

/** What an event says, read through its schema: changed fields, reason and evidence file names. */
export function auditEventSummary(event: StoredEvent): { changes: FieldChangeRow[]; reason: string | null; evidence: string[]; parsed: boolean } {
  const parsed = parseAuditEvent(event);
  if (parsed.details === null) return { changes: [], reason: null, evidence: [], parsed: false };
  const d = parsed.details;
  return {
    changes: fieldChangesOf(parsed),
    reason: "reason" in d && typeof d.reason === "string" && d.reason ? d.reason : null,
    evidence: "evidence" in d && Array.isArray(d.evidence) ? d.evidence.map((x) => x.fileName) : [],
    parsed: true,
  };
}

/**
 * A return's history line: its changes, then "reason…" and "evidence：a、b". `reasonLabel` and
 * `evidenceLabel` are the page's messages (returns.reasonLabel, returns.evidence).
 */
export function AuditEventChanges({ event, label, fmt, reasonLabel, evidenceLabel }: { event: StoredEvent; label: (field: string) => string; fmt: UiText; reasonLabel: string; evidenceLabel: string }) {
  const { changes, reason, evidence } = auditEventSummary(event);
  const notes = [...(reason ? [`${reasonLabel}${reason}`] : []), ...(evidence.length ? [fmt.labelled(evidenceLabel, fmt.list(evidence))] : [])];
  return <FieldChangeList changes={changes} label={label} fmt={fmt} notes={notes} />;
}
