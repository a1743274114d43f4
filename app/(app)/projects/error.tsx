"use client";
// A failed query is shown as an error with a retry, never as an empty table.
import { useTranslations } from "next-intl";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";

export default function ProjectsError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  const t = useTranslations("projects");
  return (
    <div className="space-y-3">
      <Alert tone="error">
        {t("error")} {error.digest ? `(${error.digest})` : ""}
      </Alert>
      <Button onClick={reset}>{t("retry")}</Button>
    </div>
  );
}
