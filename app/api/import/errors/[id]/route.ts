// GET /api/import/errors/:id — the error workbook of the caller's own refused upload: the uploaded
// sheet with each error beside its cell (lib/imports/error-workbook.ts). Not audited, like the
// templates and the project list export: it holds only what the caller uploaded and the reasons.
import { NextResponse } from "next/server";
import { getTranslations } from "next-intl/server";
import { contentDisposition } from "@/lib/domain/attachments";
import { importErrorWorkbook } from "@/lib/imports/batches";
import { withRoute } from "@/lib/http/route";

export const dynamic = "force-dynamic";

export const GET = withRoute("/api/import/errors/[id]", async ({ user, params }) => {
  const t = await getTranslations();
  const { name, ascii, body } = await importErrorWorkbook(user, params.id, (key, values) => t(key as never, values as never));
  return new NextResponse(new Uint8Array(body), {
    headers: {
      "Content-Type": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
      "Content-Disposition": contentDisposition(name, ascii),
      "Cache-Control": "private, no-store",
    },
  });
});
