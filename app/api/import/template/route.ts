// GET /api/import/template?kind=registry|returns: the .xlsx import template with current lists.
import { NextResponse } from "next/server";
import { z } from "zod";
import { contentDisposition } from "@/lib/domain/attachments";
import { templateLists } from "@/lib/imports/batches";
import { withRoute } from "@/lib/http/route";
import { LAYOUTS } from "@/lib/imports/layouts";
import { buildTemplate } from "@/lib/imports/templates";

export const dynamic = "force-dynamic";

const templateQuery = z.object({ kind: z.enum(["registry", "returns"]) }).strict();

export const GET = withRoute("/api/import/template", { query: templateQuery }, async ({ user, query: { kind } }) => {
  const body = await buildTemplate(kind, await templateLists(user));
  const name = `${LAYOUTS[kind].sheet}导入模板.xlsx`;
  return new NextResponse(new Uint8Array(body), {
    headers: {
      "Content-Type": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
      "Content-Disposition": contentDisposition(name, `import-${kind}.xlsx`),
      "Cache-Control": "no-store",
    },
  });
});
