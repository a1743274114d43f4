// The lean, serialisable rows the server page passes to the client table (docs/decisions/0038):
// only the columns shown, every text resolved on the server once per page, nothing sent twice.
import type { ApprovalValue } from "@/components/approval-badge";
import type { LightValue } from "@/components/light-badge";
import type { ProjectListRow } from "@/lib/data/projects";
import { isoDay } from "@/lib/domain/dates";
import { type DecimalLike, formatNumber, sumWan, wanToYi } from "@/lib/domain/money";
import { localName, type Translate, type UiText } from "@/i18n/format";
import type { ProjectColumnId } from "@/lib/validations/project-list-ids";

const yi = (wan: DecimalLike) => formatNumber(wanToYi(wan), 2);

export interface ProjectRowDto {
  id: string;
  /**
   * The texts of the columns shown, in the table's column order (the `columns` the page passes
   * with the rows), each as its place in the page's `texts` (RowText.texts); null = 未填报.
   * Amounts arrive formatted in 亿元, labels translated. A programme, county, owner or stage
   * repeated on fifty rows is sent once.
   */
  cells: (number | null)[];
  /** Only for a new project not accepted yet: 待审核 / 已退回 (docs/decisions/0031). */
  approval?: Exclude<ApprovalValue, "ACCEPTED">;
  /** Completed investment in returns awaiting review, with its unit ("1.20 万元"); only when 已完成投资 is shown. */
  pending?: string;
  /** The computed light; only when 红黄绿灯 is shown and the light has been computed. */
  light?: LightValue;
  /** Positions in `cells` holding a demo value (marked *). */
  demo?: number[];
  /** The county cell is a note (区县待确认 / 区县未知), not a county: shown muted. */
  countyNote?: true;
}

/** The demo field (Project.demoFields) behind a column, for the * mark. */
const DEMO_FIELD: Partial<Record<ProjectColumnId, string>> = {
  owner: "ownerOrgId",
  lifecycleStage: "lifecycleStage",
  totalInvestment: "totalInvestment",
  plannedInvestment: "plannedInvestment",
};

/** The translations a page's rows need, each looked up once per page however many rows repeat it. */
export interface RowText {
  locale: string;
  fmt: UiText;
  /** A message by key, remembered for the page. */
  label: (key: string, values?: Record<string, string | number>) => string;
  /** The page's distinct cell texts, in first-seen order: what the rows' `cells` index. */
  texts: string[];
  /** The place of a text in `texts`, added if new. */
  intern: (text: string) => number;
}

export function rowText(t: Translate, locale: string, fmt: UiText): RowText {
  const seen = new Map<string, string>();
  const texts: string[] = [];
  const places = new Map<string, number>();
  return {
    texts,
    intern: (text) => {
      let place = places.get(text);
      if (place === undefined) places.set(text, (place = texts.push(text) - 1));
      return place;
    },
    locale,
    fmt,
    label: (key, values) => {
      const id = values ? `${key}|${JSON.stringify(values)}` : key;
      let text = seen.get(id);
      if (text === undefined) seen.set(id, (text = t(key, values)));
      return text;
    },
  };
}

/** One table row holding only `columns` (the columns shown, in order). */
export function toRowDto(row: ProjectListRow, columns: readonly ProjectColumnId[], text: RowText): ProjectRowDto {
  const dto: ProjectRowDto = { id: row.id, cells: [] };
  const demo: number[] = [];
  const cell = (id: ProjectColumnId): string | null => {
    switch (id) {
      case "column":
        return text.label("plan.columnNumber", { number: row.column.number });
      case "name":
        if (row.approval !== "ACCEPTED") dto.approval = row.approval;
        return row.name;
      case "programme":
        return row.programme.name;
      case "county":
        if (row.locations.length) return text.fmt.list(row.locations.map((l) => l.division.name));
        dto.countyNote = true;
        return text.label(row.countyPending ? "projects.countyPending" : "projects.unknownCounty");
      case "sector":
        return row.sector ? localName(row.sector, text.locale) : "";
      case "owner":
        return row.ownerOrg?.name ?? null;
      case "targetStage2025":
        return text.label(`enums.TargetStage.${row.targetStage2025}`);
      case "lifecycleStage":
        return text.label(`enums.LifecycleStage.${row.lifecycleStage}`);
      case "plannedStart":
        return row.plannedStart ? isoDay(row.plannedStart) : null;
      case "plannedCompletion":
        return row.plannedCompletion ? isoDay(row.plannedCompletion) : null;
      case "totalInvestment":
        return row.totalInvestment ? yi(row.totalInvestment) : null;
      case "plannedInvestment":
        return row.plannedInvestment ? yi(row.plannedInvestment) : null;
      case "completedInvestment":
        if (row.monthlyReturns.length) dto.pending = text.fmt.money(sumWan(row.monthlyReturns.map((r) => r.completedInvestment)));
        return row.completedInvestment.isZero() ? null : yi(row.completedInvestment);
      case "deliveryConfidence":
        return row.deliveryConfidence ? text.label(`enums.DeliveryConfidence.${row.deliveryConfidence}`) : null;
      case "trafficLight":
        if (!row.trafficLight) return null;
        dto.light = row.trafficLight.light;
        return text.label(`enums.TrafficLight.${row.trafficLight.light}`);
    }
  };
  columns.forEach((id, index) => {
    const value = cell(id);
    dto.cells.push(value === null ? null : text.intern(value));
    const field = DEMO_FIELD[id];
    if (field && row.demoFields.includes(field)) demo.push(index);
  });
  if (demo.length) dto.demo = demo;
  return dto;
}
