// The reference lists an import row is checked against (counties, 子工程, sectors, owner units,
// funding sources and the enum labels of messages/zh-CN.json), as label → code maps. The same
// lists fill the templates' drop-downs, so what the template offers is what the import accepts.
import zh from "@/messages/zh-CN.json";
import type { ListName } from "./layouts";

export interface ReferenceRows {
  divisions: { code: string; name: string }[];
  programmes: { id: string; key: string; name: string; columnId: string; columnNumber: number }[];
  sectors: { code: string; nameZh: string }[];
  organizations: { id: string; name: string }[];
  fundingSources: { code: string; nameZh: string }[];
}

export interface ListEntry {
  code: string;
  label: string;
}

export type ReferenceLists = Record<ListName, ListEntry[]>;

const ENUM_LISTS: Partial<Record<ListName, keyof typeof zh.enums>> = {
  projectType: "ProjectType",
  nature: "ProjectNature",
  stage: "LifecycleStage",
  target: "TargetStage",
  milestone: "MilestoneKind",
};

export function programmeLabel(p: { name: string; columnNumber: number }): string {
  return `专栏${p.columnNumber}·${p.name}`;
}

export function buildLists(rows: ReferenceRows): ReferenceLists {
  const enumList = (name: keyof typeof zh.enums): ListEntry[] => Object.entries(zh.enums[name] as Record<string, string>).map(([code, label]) => ({ code, label }));
  const lists: ReferenceLists = {
    county: rows.divisions.map((d) => ({ code: d.code, label: d.name })),
    programme: rows.programmes.map((p) => ({ code: p.key, label: programmeLabel(p) })),
    sector: rows.sectors.map((s) => ({ code: s.code, label: s.nameZh })),
    owner: rows.organizations.map((o) => ({ code: o.id, label: o.name })),
    fundingSource: rows.fundingSources.map((f) => ({ code: f.code, label: f.nameZh })),
    projectType: [],
    nature: [],
    stage: [],
    target: [],
    milestone: [],
  };
  for (const [list, enumName] of Object.entries(ENUM_LISTS) as [ListName, keyof typeof zh.enums][]) lists[list] = enumList(enumName);
  return lists;
}

/** label → code, also accepting the code itself (e.g. 520382, CONSTRUCTION). */
export type Lookup = Map<string, string>;

export function lookups(lists: ReferenceLists): Record<ListName, Lookup> {
  const out = {} as Record<ListName, Lookup>;
  for (const [name, entries] of Object.entries(lists) as [ListName, ListEntry[]][]) {
    const map: Lookup = new Map();
    for (const e of entries) {
      map.set(e.label, e.code);
      if (name !== "owner") map.set(e.code, e.code);
    }
    // Short county names (仁怀 for 仁怀市) and the city without its bracket.
    if (name === "county") for (const e of entries) map.set(e.label.replace(/（市级）$/, ""), e.code);
    out[name] = map;
  }
  return out;
}
