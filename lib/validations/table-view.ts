// The project table's saved column choice and saved views (lib/data/table-views.ts).
import { z } from "zod";
import { PROJECT_COLUMN_IDS } from "./project-list";

export const columnsInput = z.object({ columns: z.array(z.enum(PROJECT_COLUMN_IDS)).min(1).max(PROJECT_COLUMN_IDS.length) }).strict();

export const saveViewInput = z
  .object({ name: z.string().trim().min(1, "validation.required").max(40, "validation.tooLong"), query: z.string().max(2000), shared: z.enum(["on"]).optional() })
  .strict();

export const viewIdInput = z.object({ viewId: z.uuid() }).strict();
