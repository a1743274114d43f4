// The access policy: who may see or change which project and 督办 notice (docs/decisions/0015).
// ./definition.ts holds the rules as data and the per-row check (no Prisma: safe for pure code);
// ./queries.ts derives the Prisma and SQL forms.
export {
  NEW_PROJECT_POLICY,
  NOTICE_POLICY,
  PROJECT_POLICY,
  approvalOfNewProject,
  mayOnNotice,
  mayOnProject,
  projectReach,
  projectRelation,
  policyScopeKey,
  projectScopeLabel,
  rolesHolding,
  type NoticeFacts,
  type NoticeRelation,
  type PolicyActor,
  type ProjectApproval,
  type ProjectFacts,
  type ProjectRelation,
} from "./definition";
export { NO_PROJECT, NOT_ACCEPTED_PROJECT_IDS, acceptedProjectSql, countedProjectSql, noticeWhere, organizationsHolding, organizationsWithPermission, projectSql, projectWhere, wholeApprovalScope } from "./queries";
