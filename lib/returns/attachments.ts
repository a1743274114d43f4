// Monthly returns, evidence files: checked and stored before a return's transaction, listed per
// project, opened for download by whoever may read the project's returns.
import "server-only";
import { createHash, randomUUID } from "node:crypto";
import { prisma } from "@/lib/db";
import { env } from "@/lib/env";
import { type CurrentUser } from "@/lib/auth/session";
import { READ_RETURNS, canAny } from "@/lib/auth/permissions";
import { projectWhere } from "@/lib/policy";
import { checkAttachment, cleanFileName } from "@/lib/domain/attachments";
import { periodOf } from "./rules";
import { getStorage } from "@/lib/storage";
import { ValidationError } from "@/lib/data/users";

import { readableProject } from "./queries";

/** The project, if the actor may decide its baseline change requests (READ_RETURNS, as the route asks). */
async function decidableProject(actor: CurrentUser, projectId: string) {
  if (!canAny(actor, READ_RETURNS)) return null;
  const scope = projectWhere(actor, "reviewBaseline");
  return scope ? prisma.project.findFirst({ where: { AND: [{ id: projectId }, scope] }, select: { id: true } }) : null;
}

export interface UploadedFile {
  name: string;
  bytes: Uint8Array;
}

export interface StoredFile {
  id: string;
  fileName: string;
  mimeType: string;
  size: number;
  sha256: string;
  storageKey: string;
}

/** Takes the files of a form's `attachments` input out of the form data (the zod schemas parse the rest). */
export async function takeUploadedFiles(formData: FormData): Promise<UploadedFile[]> {
  const files = await Promise.all(
    formData
      .getAll("attachments")
      .filter((f): f is File => typeof f !== "string" && f.size > 0)
      .map(async (f) => ({ name: f.name, bytes: new Uint8Array(await f.arrayBuffer()) })),
  );
  formData.delete("attachments");
  return files;
}

/** Checks and stores the evidence before the transaction; the caller removes them if it fails. */
export async function storeFiles(files: UploadedFile[]): Promise<StoredFile[]> {
  const maxBytes = env.ATTACHMENT_MAX_MB * 1024 * 1024;
  const errors: string[] = [];
  const checked = [];
  for (const file of files) {
    const check = await checkAttachment(file.bytes, maxBytes);
    if (!check.ok) errors.push(`validation.attachment.${check.error}`);
    else checked.push({ file, check });
  }
  if (errors.length) throw new ValidationError({ attachments: [...new Set(errors)] });
  const stored: StoredFile[] = [];
  const storage = getStorage();
  try {
    for (const { file, check } of checked) {
      const id = randomUUID();
      const now = new Date();
      const storageKey = `${now.getUTCFullYear()}/${String(now.getUTCMonth() + 1).padStart(2, "0")}/${id}`;
      await storage.put(storageKey, file.bytes);
      stored.push({ id, fileName: cleanFileName(file.name), mimeType: check.mimeType, size: file.bytes.byteLength, sha256: createHash("sha256").update(file.bytes).digest("hex"), storageKey });
    }
  } catch (error) {
    await removeFiles(stored);
    throw error;
  }
  return stored;
}

export async function removeFiles(stored: readonly Pick<StoredFile, "storageKey">[]) {
  const storage = getStorage();
  await Promise.all(stored.map((f) => storage.remove(f.storageKey).catch(() => undefined)));
}

/** The evidence filed for a project, newest first. */
export async function listProjectAttachments(actor: CurrentUser, projectId: string) {
  const project = await readableProject(actor, projectId);
  if (!project) return [];
  const rows = await prisma.attachment.findMany({
    // A 项目调整申请's evidence is listed with its request (the project page's baseline section).
    where: { projectId, baselineChangeId: null },
    orderBy: { createdAt: "desc" },
    select: { id: true, fileName: true, size: true, sha256: true, createdAt: true, monthlyReturn: { select: { period: true } } },
  });
  return rows.map((a) => ({ ...a, period: a.monthlyReturn ? periodOf(a.monthlyReturn.period) : null }));
}

/**
 * The attachment's metadata and bytes, if the actor may read its project, or, for the evidence of a
 * 项目调整申请, decide that request (the city office decides baselines of projects whose pages it
 * may not open, docs/decisions/0030). Anyone else: null (a 404, like an unknown id).
 */
export async function openAttachment(actor: CurrentUser, attachmentId: string) {
  if (!/^[0-9a-f-]{36}$/i.test(attachmentId)) return null;
  const attachment = await prisma.attachment.findUnique({ where: { id: attachmentId } });
  if (!attachment) return null;
  const project = (await readableProject(actor, attachment.projectId)) ?? (attachment.baselineChangeId ? await decidableProject(actor, attachment.projectId) : null);
  if (!project) return null;
  const body = await getStorage().get(attachment.storageKey);
  return body ? { attachment, body } : null;
}
