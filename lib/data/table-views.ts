// The project table's remembered columns (per user) and saved views (personal, or shared with
// the user's organization). A view's query is re-validated through the same whitelist on save.
import "server-only";
import { prisma } from "@/lib/db";
import { appendAuditEvent } from "@/lib/audit/log";
import { NotFoundError, READ_PROJECTS } from "@/lib/auth/permissions";
import { assertPermission, type CurrentUser } from "@/lib/auth/session";
import { Prisma } from "@/lib/generated/prisma/client";
import { PROJECT_COLUMN_IDS, parseProjectListParams, type ProjectColumnId } from "@/lib/validations/project-list";
import { ValidationError } from "./users";

const COLUMNS_KEY = "projects.columns";

export async function getColumnPreference(actor: CurrentUser): Promise<ProjectColumnId[] | null> {
  await assertPermission(actor, ...READ_PROJECTS);
  const row = await prisma.userPreference.findUnique({ where: { userId_key: { userId: actor.id, key: COLUMNS_KEY } } });
  const value = row?.value;
  if (!Array.isArray(value)) return null;
  const columns = value.filter((c): c is ProjectColumnId => (PROJECT_COLUMN_IDS as readonly unknown[]).includes(c));
  return columns.length ? columns : null;
}

export async function saveColumnPreference(actor: CurrentUser, columns: ProjectColumnId[]): Promise<void> {
  await assertPermission(actor, ...READ_PROJECTS);
  await prisma.userPreference.upsert({
    where: { userId_key: { userId: actor.id, key: COLUMNS_KEY } },
    create: { userId: actor.id, key: COLUMNS_KEY, value: columns },
    update: { value: columns },
  });
}

export interface SavedViewRow {
  id: string;
  name: string;
  query: string;
  /** Set when shared with the organization. */
  organizationId: string | null;
  ownerId: string;
  ownerName: string;
}

/**
 * The user's own views and those shared with the user's organization, by name, each with its
 * owner's name: one statement (the list page reads it on every view; Prisma's include took two).
 */
export async function listSavedViews(actor: CurrentUser): Promise<SavedViewRow[]> {
  await assertPermission(actor, ...READ_PROJECTS);
  return prisma.$queryRaw<SavedViewRow[]>`
    SELECT v.id, v.name, v.query, v."organizationId", v."ownerId", u."displayName" AS "ownerName"
      FROM "SavedView" v JOIN "User" u ON u.id = v."ownerId"
     WHERE v."ownerId" = ${actor.id}::uuid OR v."organizationId" = ${actor.organizationId}::uuid
     ORDER BY v.name, v.id`;
}

export async function saveView(actor: CurrentUser, input: { name: string; query: string; shared: boolean }, ip: string) {
  await assertPermission(actor, ...READ_PROJECTS);
  const params = new URLSearchParams(input.query);
  params.delete("page");
  const parsed = parseProjectListParams(params);
  if (!parsed.ok) throw new ValidationError({ query: ["validation.invalid"] });
  if (input.shared && !actor.organizationId) throw new ValidationError({ shared: ["validation.invalid"] });
  try {
    return await prisma.$transaction(async (tx) => {
      const view = await tx.savedView.create({
        data: { ownerId: actor.id, name: input.name, query: params.toString(), organizationId: input.shared ? actor.organizationId : null },
      });
      await appendAuditEvent(tx, { actorId: actor.id, actorName: actor.username, action: "view.save", entityType: "SavedView", entityId: view.id, ip, details: { name: view.name, query: view.query, shared: input.shared } });
      return view;
    });
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") throw new ValidationError({ name: ["validation.nameTaken"] });
    throw error;
  }
}

export async function deleteView(actor: CurrentUser, viewId: string, ip: string) {
  await assertPermission(actor, ...READ_PROJECTS);
  await prisma.$transaction(async (tx) => {
    const deleted = await tx.savedView.deleteMany({ where: { id: viewId, ownerId: actor.id } });
    if (deleted.count === 0) throw new NotFoundError("SavedView");
    await appendAuditEvent(tx, { actorId: actor.id, actorName: actor.username, action: "view.delete", entityType: "SavedView", entityId: viewId, ip, details: {} });
  });
}
