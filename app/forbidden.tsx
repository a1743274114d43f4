import Link from "@/components/link";
import { getTranslations } from "next-intl/server";
import { Alert } from "@/components/ui/alert";

/** Rendered inside the signed-in layout's <main id="main"> (app/(app)/layout.tsx): no second main here (issue 19). */
export default async function Forbidden() {
  const t = await getTranslations("forbidden");
  return (
    <div className="mx-auto max-w-3xl space-y-4 py-4">
      <h1 className="text-2xl font-semibold">{t("title")}</h1>
      <Alert tone="error">{t("body")}</Alert>
      <Link href="/" className="text-blue-800 underline">{t("home")}</Link>
    </div>
  );
}
