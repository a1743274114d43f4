"use server";
import { revalidatePath } from "next/cache";
import { runAction } from "@/lib/action";
import { deleteView, saveColumnPreference, saveView } from "@/lib/data/table-views";
import { formDataObject, type FormState } from "@/lib/validations/form";
import { columnsInput, saveViewInput, viewIdInput } from "@/lib/validations/table-view";

/** Remembers the table's visible columns and their order for this user. */
export async function saveColumnsAction(columns: string[]): Promise<FormState> {
  return runAction("app/(app)/projects/actions.ts#saveColumnsAction", columnsInput, { columns }, async (data, { user }) => {
    await saveColumnPreference(user, data.columns);
  });
}

export async function saveViewAction(_prev: FormState, formData: FormData): Promise<FormState> {
  return runAction("app/(app)/projects/actions.ts#saveViewAction", saveViewInput, formDataObject(formData), async (data, { user, ip }) => {
    await saveView(user, { name: data.name, query: data.query, shared: data.shared === "on" }, ip);
    revalidatePath("/projects");
    return { status: "ok", message: "projects.views.saved" };
  });
}

export async function deleteViewAction(_prev: FormState, formData: FormData): Promise<FormState> {
  return runAction("app/(app)/projects/actions.ts#deleteViewAction", viewIdInput, formDataObject(formData), async (data, { user, ip }) => {
    await deleteView(user, data.viewId, ip);
    revalidatePath("/projects");
  });
}
