// GET /api/evaluation?basis=&cutoff=: the 十四五 final evaluation (终期评估) as .xlsx (leadership and auditors).
import { NextResponse } from "next/server";
import { getTranslations } from "next-intl/server";
import { contentDisposition } from "@/lib/domain/attachments";
import { finalEvaluation } from "@/lib/evaluation/queries";
import { evaluationOptions, evaluationQuery } from "@/lib/evaluation/schema";
import { evaluationXlsx } from "@/lib/export/evaluation";
import { withRoute } from "@/lib/http/route";

export const dynamic = "force-dynamic";

export const GET = withRoute("/api/evaluation", { query: evaluationQuery }, async ({ user, query }) => {
  const t = await getTranslations();
  const options = evaluationOptions(query);
  const evaluation = await finalEvaluation(user, options);
  const body = new Uint8Array(await evaluationXlsx(evaluation, (k) => t(k as never), query));
  const basis = options.basis === "now" ? "now" : options.cutoff;
  return new NextResponse(body, {
    headers: {
      "Content-Type": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
      "Content-Disposition": contentDisposition(`十四五规划终期评估-${basis}.xlsx`, `evaluation-${basis}.xlsx`),
      "Cache-Control": "no-store",
    },
  });
});
