// GET /api/projects/export?format=xlsx|csv&<the table's filters>: the filtered library as a file.
import { NextResponse } from "next/server";
import { getTranslations } from "next-intl/server";
import { z } from "zod";
import { contentDisposition } from "@/lib/domain/attachments";
import { formatChinaDay } from "@/lib/domain/dates";
import { exportProjectPages } from "@/lib/data/projects";
import { readReplica } from "@/lib/db-replica";
import { projectsFileStream } from "@/lib/export/projects";
import { recordExport } from "@/lib/data/oc4ids";
import { projectScopeLabel } from "@/lib/policy";
import { dataAsOfHeaders } from "@/lib/db-routing";
import { withRoute } from "@/lib/http/route";
import { projectListQuery } from "@/lib/validations/project-list";

export const dynamic = "force-dynamic";

/** The project list's own query (the same filters as the table) and the file format. */
const exportQuery = projectListQuery.extend({ format: z.enum(["xlsx", "csv"]).default("xlsx") });

/** Rows written to the file per page: the streamed writer waits for the recipient between pages. */
const PAGE = 500;

export const GET = withRoute("/api/projects/export", { query: exportQuery }, async ({ user, ip, query: { format, ...query } }) => {
  const t = await getTranslations();
  // The rows may come from the read replica (at most REPLICA_MAX_LAG_SECONDS old; docs/decisions/0023).
  // The scope and the ids are decided here, before any byte; each page's rows are read when the writer asks.
  const { value: exported, asOf } = await readReplica.read((db) => exportProjectPages(user, query, db, PAGE));
  const stamp = formatChinaDay(new Date()); // the day in Beijing, as users date files
  // The file is streamed (docs/decisions/0039) and, as the OC4IDS package (0035), recorded on the
  // audit chain with its rows and the body's SHA-256 before its last bytes leave.
  const body = projectsFileStream(format, exported.pages, (k) => t(k as never), ({ rows: written, sha256 }) =>
    recordExport(user, ip, { action: "export.projects", details: { format, scope: projectScopeLabel(user), rows: written, sha256 } }),
  );
  return new NextResponse(body, {
    headers: {
      "Content-Type": format === "xlsx" ? "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" : "text/csv; charset=utf-8",
      "Content-Disposition": contentDisposition(`项目库-${stamp}.${format}`, `projects-${stamp}.${format}`),
      "Cache-Control": "no-store",
      ...dataAsOfHeaders(asOf),
    },
  });
});
