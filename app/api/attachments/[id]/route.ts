// GET /api/attachments/:id[?disposition=inline] — an evidence file, to users who may read its
// project's returns. A download (Content-Disposition: attachment) unless a preview is asked for and
// the stored type is an image or a PDF (PREVIEW_TYPES): then inline, with that stored Content-Type.
// Always nosniff, so the browser never guesses another type; other types are never inline.
// Framing: only an inline preview may be framed, and only by the app's own pages (the return page
// shows PDFs in an <iframe>); every other answer of this route forbids it (withRoute adds that to
// refusals and errors; next.config.ts and proxy.ts leave these headers to the route; docs/decisions/0034).
import { NextResponse } from "next/server";
import { z } from "zod";
import { NotFoundError } from "@/lib/auth/permissions";
import { openAttachment } from "@/lib/returns/attachments";
import { contentDisposition, isPreviewable } from "@/lib/domain/attachments";
import { withRoute } from "@/lib/http/route";
import { framingHeaders } from "@/lib/security-headers";

export const dynamic = "force-dynamic";

const attachmentQuery = z.object({ disposition: z.enum(["attachment", "inline"]).default("attachment") }).strict();

export const GET = withRoute("/api/attachments/[id]", { query: attachmentQuery }, async ({ user, params, query: { disposition } }) => {
  const found = await openAttachment(user, params.id);
  if (!found) throw new NotFoundError("Attachment");
  const inline = disposition === "inline" && isPreviewable(found.attachment.mimeType);
  return new NextResponse(found.body, {
    headers: {
      "Content-Type": found.attachment.mimeType,
      "Content-Length": String(found.attachment.size),
      "Content-Disposition": contentDisposition(found.attachment.fileName, found.attachment.fileName, inline ? "inline" : "attachment"),
      "X-Content-Type-Options": "nosniff",
      "Cache-Control": "private, no-store",
      "X-Checksum-SHA256": found.attachment.sha256,
      ...framingHeaders(process.env.NODE_ENV === "production", inline ? "'self'" : "'none'"),
    },
  });
});
