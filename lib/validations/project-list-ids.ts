// The project table's column, sort and filter ids, without the URL parsing (project-list.ts) and so
// without zod: the client table imports them.
export const PROJECT_SORT_IDS = [
  "planKey",
  "name",
  "column",
  "plannedInvestment",
  "totalInvestment",
  "plannedStart",
  "plannedCompletion",
  "lifecycleStage",
  "targetStage2025",
  "updatedAt",
] as const;
export type ProjectSortId = (typeof PROJECT_SORT_IDS)[number];

export const PROJECT_COLUMN_IDS = [
  "column",
  "name",
  "programme",
  "county",
  "sector",
  "owner",
  "targetStage2025",
  "lifecycleStage",
  "plannedStart",
  "plannedCompletion",
  "totalInvestment",
  "plannedInvestment",
  "completedInvestment",
  "deliveryConfidence",
  "trafficLight",
] as const;
export type ProjectColumnId = (typeof PROJECT_COLUMN_IDS)[number];

export const DEFAULT_COLUMNS: ProjectColumnId[] = [
  "column", "name", "programme", "county", "owner", "targetStage2025", "lifecycleStage", "plannedInvestment", "completedInvestment",
];

export const PER_PAGE_OPTIONS = [20, 50, 100] as const;
export const MAX_PER_PAGE = 100;

/** The computed 红黄绿灯 (lib/domain/traffic-lights.ts), stored per project by lib/portfolio/. */
export const LIGHT_FILTER = ["RED", "YELLOW", "NO_DATA", "GREEN", "NOT_APPLICABLE"] as const;
