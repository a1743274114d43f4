import { notFound } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { Card, CardContent } from "@/components/ui/card";
import { requireRoute } from "@/lib/auth/session";
import { getEditableProject } from "@/lib/data/project-registry";
import { RegistryForm } from "./registry-form";
import { ClientMessages } from "@/i18n/client-messages";

export const dynamic = "force-dynamic";

export default async function EditProjectPage({ params }: { params: Promise<{ id: string }> }) {
  const user = await requireRoute("/projects/[id]/edit");
  const { id } = await params;
  const project = await getEditableProject(user, id);
  if (!project) notFound();
  const t = await getTranslations("project");
  return (
    <ClientMessages namespaces={["baseline", "common", "enums", "project", "projects.stage", "validation"]}>
      <div className="space-y-4">
        <h1 className="text-2xl font-semibold">{t("editTitle", { name: project.name })}</h1>
        <Card>
          <CardContent>
            <RegistryForm project={project} />
          </CardContent>
        </Card>
      </div>
    </ClientMessages>
  );
}
