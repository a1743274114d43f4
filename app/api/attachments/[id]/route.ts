// GET /api/attachments/:id — an evidence file, to users who may read its project's returns. Always
// sent as a download (Content-Disposition: attachment) with nosniff, so a file is never rendered inline.
import { NextResponse } from "next/server";
import { NotFoundError } from "@/lib/auth/permissions";
import { openAttachment } from "@/lib/returns/attachments";
import { contentDisposition } from "@/lib/domain/attachments";
import { withRoute } from "@/lib/http/route";

export const dynamic = "force-dynamic";

export const GET = withRoute("/api/attachments/[id]", async ({ user, params }) => {
  const found = await openAttachment(user, params.id);
  if (!found) throw new NotFoundError("Attachment");
  return new NextResponse(found.body, {
    headers: {
      "Content-Type": found.attachment.mimeType,
      "Content-Length": String(found.attachment.size),
      "Content-Disposition": contentDisposition(found.attachment.fileName),
      "X-Content-Type-Options": "nosniff",
      "Cache-Control": "private, no-store",
      "X-Checksum-SHA256": found.attachment.sha256,
    },
  });
});
