// The app's project enums and the OC4IDS 0.9 codelists they correspond to (projectType,
// projectStatus, milestoneStatus, milestoneType, milestoneCode). The seed reads project types
// from the plan CSV as OC4IDS codes; the OC4IDS export writes them back out.
import type { LifecycleStage, MilestoneKind, MilestoneStatus, ProjectType } from "@/lib/generated/prisma/enums";

/** OC4IDS projectType codelist (closed). */
export const OC4IDS_PROJECT_TYPES = ["construction", "rehabilitation", "replacement", "expansion", "decommissioning"] as const;
export type Oc4idsProjectType = (typeof OC4IDS_PROJECT_TYPES)[number];

export const OC4IDS_PROJECT_TYPE: Record<ProjectType, Oc4idsProjectType> = {
  NEW_BUILD: "construction", // 新建
  EXPANSION: "expansion", // 扩建/改扩建
  REHABILITATION: "rehabilitation", // 改造/提升
  RELOCATION: "replacement", // 迁建/易地新建: a new asset replaces the old one elsewhere
  DECOMMISSIONING: "decommissioning", // 淘汰/关停
};

export const PROJECT_TYPE_FROM_OC4IDS = Object.fromEntries(
  Object.entries(OC4IDS_PROJECT_TYPE).map(([type, code]) => [code, type]),
) as Record<Oc4idsProjectType, ProjectType>;

/** OC4IDS projectStatus codelist (closed). */
export type Oc4idsProjectStatus =
  | "identification" | "preparation" | "implementation" | "completion" | "maintenance" | "decommissioning" | "decommissioned" | "cancelled";

/**
 * null: the codelist has no code. 暂停 (suspended) says the work stopped, not which phase the
 * project is in, and the codelist is closed, so the export leaves `status` out and says so.
 */
export const OC4IDS_PROJECT_STATUS: Record<LifecycleStage, Oc4idsProjectStatus | null> = {
  PREPARATION: "preparation", // 前期: feasibility, approvals, design
  CONSTRUCTION: "implementation", // 在建
  COMPLETED: "completion", // 建成: handover and close-out
  SUSPENDED: null, // 暂停
  CANCELLED: "cancelled", // 取消
};

/** OC4IDS milestoneStatus codelist (closed); the app's enum was modelled on it. */
export const OC4IDS_MILESTONE_STATUS: Record<MilestoneStatus, "scheduled" | "met" | "notMet" | "partiallyMet"> = {
  SCHEDULED: "scheduled",
  MET: "met",
  NOT_MET: "notMet",
  PARTIALLY_MET: "partiallyMet",
};

/**
 * milestoneType and milestoneCode (both open codelists) for each kind of 节点. The approvals of
 * the 前期 phase are "projectApproval"; 投用 (in service) has no code of its own.
 */
export const OC4IDS_MILESTONE: Record<MilestoneKind, { type: "approval" | "delivery"; code?: "projectApproval" | "commencement" | "completion" | "commissioning" }> = {
  APPROVAL: { type: "approval", code: "projectApproval" }, // 立项
  FEASIBILITY: { type: "approval", code: "projectApproval" }, // 可研批复
  LAND_PRE_APPROVAL: { type: "approval", code: "projectApproval" }, // 用地预审
  EIA_APPROVAL: { type: "approval", code: "projectApproval" }, // 环评批复
  PRELIMINARY_DESIGN: { type: "approval", code: "projectApproval" }, // 初设批复
  CONSTRUCTION_PERMIT: { type: "approval", code: "projectApproval" }, // 施工许可
  START: { type: "delivery", code: "commencement" }, // 开工
  MAIN_WORKS_DONE: { type: "delivery", code: "completion" }, // 主体完工
  ACCEPTANCE: { type: "delivery", code: "commissioning" }, // 竣工验收: testing and inspection of the works
  IN_SERVICE: { type: "delivery" }, // 投用
};
