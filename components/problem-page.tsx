"use client";
// The body of the 403, 404 and 401 pages (app/forbidden.tsx, not-found.tsx, unauthorized.tsx). Next
// sends every layout's three boundary elements with every page; as a client component each is one
// short reference, and its texts come once with the root layout's messages (ROOT_CLIENT_MESSAGES)
// instead of a rendered tree per boundary per layout (docs/decisions/0038 §11).
import Link from "@/components/link";
import { useTranslations } from "next-intl";
import { Alert } from "@/components/ui/alert";

export type Problem = "forbidden" | "notFound" | "unauthorized";

/** Rendered inside the signed-in layout's <main id="main"> (app/(app)/layout.tsx): no second main here (issue 19). */
export function ProblemPage({ problem }: { problem: Problem }) {
  const t = useTranslations();
  const [title, body, link, href] =
    problem === "forbidden"
      ? [t("forbidden.title"), t("forbidden.body"), t("forbidden.home"), "/"]
      : problem === "notFound"
        ? [t("notFound.title"), t("notFound.body"), t("notFound.home"), "/"]
        : [t("unauthorized.title"), t("unauthorized.body"), t("unauthorized.signIn"), "/login"];
  return (
    <div className="mx-auto max-w-3xl space-y-4 py-4">
      <h1 className="text-2xl font-semibold">{title}</h1>
      <Alert tone={problem === "forbidden" ? "error" : "info"}>{body}</Alert>
      <Link href={href} className="link">{link}</Link>
    </div>
  );
}
