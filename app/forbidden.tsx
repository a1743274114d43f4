import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { Alert } from "@/components/ui/alert";

export default async function Forbidden() {
  const t = await getTranslations("forbidden");
  return (
    <main id="main" className="mx-auto max-w-3xl space-y-4 px-4 py-10">
      <h1 className="text-2xl font-semibold">{t("title")}</h1>
      <Alert tone="error">{t("body")}</Alert>
      <Link href="/" className="text-blue-800 underline">{t("home")}</Link>
    </main>
  );
}
