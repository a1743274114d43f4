"use server";
import { revalidatePath } from "next/cache";
import { runAction } from "@/lib/action";
import { ImportChangedError, ImportConflictError, ImportExpiredError, confirmImport, discardImport, previewImport } from "@/lib/imports/batches";
import { type FormState } from "@/lib/validations/form";
import { importConfirmInput, importDiscardInput, importUploadInput } from "@/lib/imports/schema";

export async function previewImportAction(_prev: FormState, formData: FormData): Promise<FormState> {
  return runAction("app/(app)/import/actions.ts#previewImportAction", importUploadInput, { file: formData.get("file") }, async ({ file }, { user }) => {
    const result = await previewImport(user, { name: file.name, bytes: new Uint8Array(await file.arrayBuffer()) });
    if (!result.ok) return { status: "error", data: { problem: result.problem } };
    return { status: "ok", data: { preview: result.preview } };
  });
}

export async function confirmImportAction(_prev: FormState, formData: FormData): Promise<FormState> {
  return runAction("app/(app)/import/actions.ts#confirmImportAction", importConfirmInput, { batchId: formData.get("batchId") }, async ({ batchId }, { user, ip }) => {
    try {
      const result = await confirmImport(user, batchId, ip);
      revalidatePath("/projects");
      return { status: "ok", message: "import.done", data: { result } };
    } catch (error) {
      if (error instanceof ImportChangedError) return { status: "error", formError: "import.changed", data: { preview: error.preview } };
      if (error instanceof ImportExpiredError) return { status: "error", formError: "import.expired" };
      if (error instanceof ImportConflictError) return { status: "error", formError: "import.conflict" };
      throw error;
    }
  });
}

export async function discardImportAction(_prev: FormState, formData: FormData): Promise<FormState> {
  return runAction("app/(app)/import/actions.ts#discardImportAction", importDiscardInput, { batchId: formData.get("batchId") }, async ({ batchId }, { user }) => {
    await discardImport(user, batchId);
    return { status: "ok", message: "import.discarded" };
  });
}
