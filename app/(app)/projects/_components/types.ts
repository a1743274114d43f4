// The plain, serialisable shape of a table row passed from the server page to the client table.
import type { ApprovalValue } from "@/components/approval-badge";
import type { LightValue } from "@/components/light-badge";
import type { ProjectListRow } from "@/lib/data/projects";
import { isoDay } from "@/lib/domain/dates";
import { type DecimalLike, formatNumber, sumWan, wanToYi } from "@/lib/domain/money";
import { localName, type UiText } from "@/i18n/format";

const yi = (wan: DecimalLike) => formatNumber(wanToYi(wan), 2);

export interface ProjectRowDto {
  id: string;
  planKey: string | null;
  name: string;
  columnNumber: number;
  programme: string;
  counties: string[];
  /** The plan names no county and none is settled: shown as 区县待确认. */
  countyPending: boolean;
  /** 待审核 / 已退回: a new project not accepted yet (docs/decisions/0031). */
  approval: ApprovalValue;
  sector: string | null;
  owner: string | null;
  targetStage2025: string;
  lifecycleStage: string;
  plannedStart: string | null;
  plannedCompletion: string | null;
  /** The amounts arrive formatted in 亿元 ("12.34"), so the browser needs no decimal arithmetic. */
  totalInvestment: string | null;
  plannedInvestment: string | null;
  completedInvestment: string | null;
  /** Completed investment in returns awaiting review, with its unit ("1.20 万元"), or null when none. */
  pendingInvestment: string | null;
  deliveryConfidence: string | null;
  /** The computed light (stored, refreshed server-side); null until first computed. */
  trafficLight: LightValue | null;
  demoFields: string[];
}

export function toRowDto(row: ProjectListRow, locale: string, fmt: UiText): ProjectRowDto {
  return {
    id: row.id,
    planKey: row.planKey,
    name: row.name,
    columnNumber: row.column.number,
    programme: row.programme.name,
    counties: row.locations.map((l) => l.division.name),
    countyPending: row.countyPending && row.locations.length === 0,
    approval: row.approval,
    sector: row.sector ? localName(row.sector, locale) : null,
    owner: row.ownerOrg?.name ?? null,
    targetStage2025: row.targetStage2025,
    lifecycleStage: row.lifecycleStage,
    plannedStart: row.plannedStart ? isoDay(row.plannedStart) : null,
    plannedCompletion: row.plannedCompletion ? isoDay(row.plannedCompletion) : null,
    totalInvestment: row.totalInvestment ? yi(row.totalInvestment) : null,
    plannedInvestment: row.plannedInvestment ? yi(row.plannedInvestment) : null,
    completedInvestment: row.completedInvestment.isZero() ? null : yi(row.completedInvestment),
    pendingInvestment: row.monthlyReturns.length ? fmt.money(sumWan(row.monthlyReturns.map((r) => r.completedInvestment))) : null,
    deliveryConfidence: row.deliveryConfidence,
    trafficLight: row.trafficLight?.light ?? null,
    demoFields: row.demoFields,
  };
}
