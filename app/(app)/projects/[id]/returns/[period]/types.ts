import type { FigureValues } from "@/lib/returns/rules";

export interface ReturnFormProps {
  projectId: string;
  period: string;
  /** 0 when the return does not exist yet. */
  version: number;
  values: FigureValues | null;
  sources: { code: string; name: string; planned: string | null; before: string }[];
  milestoneKinds: { kind: string; baseline: string | null }[];
  openProblems: { id: string; category: string; level: string; description: string }[];
  /** Completed investment of the other reported months up to this one (万元). */
  completedBefore: string;
  /** Field name → label, so messages name the field. */
  labels: ReturnLabels;
  /** ATTACHMENT_MAX_MB per file and the server's body limit per request, checked before sending. */
  uploadLimits: { fileMb: number; requestMb: number };
}

export const LABELLED_FIELDS = ["completedInvestment", "payments", "progressPercent", "progressText", "overrunNote", "fundsNote", "progressNote", "attachments", "funds", "milestones", "problems", "reason", "note", "period"] as const;
export type ReturnLabels = Record<(typeof LABELLED_FIELDS)[number], string> & Record<string, string>;
