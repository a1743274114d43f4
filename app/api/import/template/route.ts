// GET /api/import/template?kind=registry|returns[&scope=mine]: the .xlsx import template with
// current lists; scope=mine pre-fills it with the user's projects (myTemplateRows).
import { NextResponse } from "next/server";
import { z } from "zod";
import { contentDisposition } from "@/lib/domain/attachments";
import { myTemplateRows, templateLists } from "@/lib/imports/batches";
import { withRoute } from "@/lib/http/route";
import { LAYOUTS } from "@/lib/imports/layouts";
import { buildTemplate } from "@/lib/imports/templates";

export const dynamic = "force-dynamic";

const templateQuery = z.object({ kind: z.enum(["registry", "returns"]), scope: z.enum(["empty", "mine"]).default("empty") }).strict();

export const GET = withRoute("/api/import/template", { query: templateQuery }, async ({ user, query: { kind, scope } }) => {
  const lists = await templateLists(user);
  const prefilled = scope === "mine" ? await myTemplateRows(user, kind, lists) : null;
  const body = await buildTemplate(kind, lists, prefilled?.rows);
  const name = prefilled ? `${LAYOUTS[kind].sheet}-我的项目${prefilled.period ? `-${prefilled.period}` : ""}.xlsx` : `${LAYOUTS[kind].sheet}导入模板.xlsx`;
  const ascii = prefilled ? `import-${kind}-mine${prefilled.period ? `-${prefilled.period}` : ""}.xlsx` : `import-${kind}.xlsx`;
  return new NextResponse(new Uint8Array(body), {
    headers: {
      "Content-Type": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
      "Content-Disposition": contentDisposition(name, ascii),
      "Cache-Control": "no-store",
    },
  });
});
