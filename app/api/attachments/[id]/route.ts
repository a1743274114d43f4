// GET /api/attachments/:id — an evidence file, to users who may read its project. Always sent as
// a download (Content-Disposition: attachment) with nosniff, so a file is never rendered inline.
import { NextResponse } from "next/server";
import { getCurrentUser } from "@/lib/auth/session";
import { openAttachment } from "@/lib/data/returns";
import { contentDisposition } from "@/lib/domain/attachments";

export const dynamic = "force-dynamic";

export async function GET(_request: Request, { params }: { params: Promise<{ id: string }> }) {
  const user = await getCurrentUser();
  if (!user || user.mfaPending) return NextResponse.json({ error: "sign-in required" }, { status: 401 });
  const { id } = await params;
  const found = await openAttachment(user, id);
  if (!found) return NextResponse.json({ error: "not found" }, { status: 404 });
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
}
