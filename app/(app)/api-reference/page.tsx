import Link from "@/components/link";
import { getTranslations } from "next-intl/server";
import { Badge } from "@/components/ui/badge";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { OPERATIONS, openApiDocument } from "@/lib/api/openapi";
import { apiReference, type ReferenceField } from "@/lib/api/reference";
import { TOKEN_PREFIX } from "@/lib/api/token-schema";
import { userMayOpen } from "@/lib/auth/route-access";
import { requireRoute } from "@/lib/auth/session";

export const dynamic = "force-dynamic";

const API_BASE = "/api/v1";

/** Rendered on the server from the document /api/v1/openapi.json serves: no script, no CDN. */
export default async function ApiReferencePage() {
  const user = await requireRoute("/api-reference");
  const t = await getTranslations("apiReference");
  const reference = apiReference(openApiDocument(API_BASE) as never);
  const opText = (operationId: string, part: "summary" | "description", fallback: string) => {
    const key = `operations.${operationId}.${part}`;
    return t.has(key as never) ? t(key as never) : fallback;
  };
  // The document is English; every description is shown in the UI's language (messages apiReference.text), the document's words as fallback.
  const describe = (textKey: string, fallback: string) => {
    const key = `text.${textKey}`;
    return fallback && t.has(key as never) ? t(key as never) : fallback;
  };
  const statusText = (status: string, fallback: string) => (t.has(`status.${status}` as never) ? t(`status.${status}` as never) : fallback);
  const anchor = (name: string) => `schema-${name}`;
  const TypeCell = ({ field }: { field: ReferenceField }) => (
    <TableCell className="font-mono text-xs">
      {field.ref ? <a href={`#${anchor(field.ref)}`} className="text-blue-800 underline">{field.type}</a> : field.type}
    </TableCell>
  );
  return (
    <div className="space-y-6">
      <div className="space-y-2">
        <h1 className="text-2xl font-semibold">{t("title")}</h1>
        <p className="flex flex-wrap items-center gap-2 text-sm text-slate-600">
          <Badge tone="info">{t("version", { version: reference.version })}</Badge>
          <span>{t("baseUrl")}</span>
          <code className="rounded bg-slate-100 px-1 font-mono text-xs">{reference.baseUrl}</code>
          <a href={`${API_BASE}/openapi.json`} className="text-blue-800 underline">{t("download")}</a>
        </p>
        <p className="max-w-3xl text-sm text-slate-700">{t("intro")}</p>
      </div>

      <Card>
        <CardHeader><CardTitle>{t("authTitle")}</CardTitle></CardHeader>
        <CardContent className="space-y-3 text-sm">
          <p>{t("authText", { prefix: TOKEN_PREFIX })}</p>
          <pre className="overflow-x-auto rounded bg-slate-100 p-3 font-mono text-xs">{`Authorization: Bearer ${TOKEN_PREFIX}…`}</pre>
          <pre className="overflow-x-auto rounded bg-slate-100 p-3 font-mono text-xs">{`curl -H "Authorization: Bearer $TOKEN" "https://<host>${API_BASE}/projects?limit=10"`}</pre>
          <ul className="list-disc space-y-1 pl-5">
            <li>
              {t("authIssue")}{" "}
              {userMayOpen(user, "/account/tokens") ? <Link href="/account/tokens" className="text-blue-800 underline">{t("tokensLink")}</Link> : t("authIssueSystem")}
            </li>
            <li>{t("authScope")}</li>
            <li>{t("authRate")}</li>
            <li>{t("authSession")}</li>
          </ul>
        </CardContent>
      </Card>

      <Card>
        <CardHeader><CardTitle>{t("conventionsTitle")}</CardTitle></CardHeader>
        <CardContent>
          <ul className="list-disc space-y-1 pl-5 text-sm">
            <li>{t("conventionAmounts")}</li>
            <li>{t("conventionDates")}</li>
            <li>{t("conventionCursor")}</li>
            <li>{t("conventionErrors")}</li>
            <li>{t("conventionStable")}</li>
          </ul>
        </CardContent>
      </Card>

      <nav aria-label={t("contents")} className="text-sm">
        <h2 className="mb-2 text-lg font-semibold">{t("endpoints")}</h2>
        <ul className="space-y-1">
          {reference.operations.map((op) => (
            <li key={op.operationId}>
              <a href={`#op-${op.operationId}`} className="text-blue-800 underline">
                <span className="font-mono text-xs">{`${op.method} ${API_BASE}${op.path}`}</span>
              </a>{" "}
              <span className="text-slate-600">{opText(op.operationId, "summary", op.summary)}</span>
            </li>
          ))}
        </ul>
      </nav>

      {reference.operations.map((op) => {
        const permissions = OPERATIONS.find((o) => o.path === op.path)?.permissions ?? "";
        return (
          <Card key={op.operationId} id={`op-${op.operationId}`} aria-labelledby={`op-${op.operationId}-title`}>
            <CardHeader>
              <CardTitle id={`op-${op.operationId}-title`} className="flex flex-wrap items-baseline gap-2">
                <Badge tone="success">{op.method}</Badge>
                <span className="break-all font-mono text-sm">{`${API_BASE}${op.path}`}</span>
                <span className="text-sm font-normal text-slate-600">{opText(op.operationId, "summary", op.summary)}</span>
              </CardTitle>
            </CardHeader>
            <CardContent className="space-y-4 text-sm">
              <p>{opText(op.operationId, "description", op.description)}</p>
              <p>
                <span className="font-medium">{t("permission")}</span> <code className="font-mono text-xs">{permissions}</code>
              </p>
              <section aria-label={t("parameters")} className="space-y-2">
                <h3 className="font-semibold">{t("parameters")}</h3>
                {op.parameters.length === 0 ? <p className="text-slate-500">{t("noParameters")}</p> : (
                  <Table>
                    <TableHeader>
                      <TableRow><TableHead>{t("name")}</TableHead><TableHead>{t("in")}</TableHead><TableHead>{t("type")}</TableHead><TableHead>{t("required")}</TableHead><TableHead>{t("description")}</TableHead></TableRow>
                    </TableHeader>
                    <TableBody>
                      {op.parameters.map((p) => (
                        <TableRow key={`${p.in}-${p.name}`}>
                          <TableCell className="font-mono text-xs">{p.name}</TableCell>
                          <TableCell>{t(`location.${p.in === "path" ? "path" : "query"}`)}</TableCell>
                          <TypeCell field={p} />
                          <TableCell>{p.required ? t("yes") : t("no")}</TableCell>
                          <TableCell className="text-xs">{describe(p.textKey, p.description)}</TableCell>
                        </TableRow>
                      ))}
                    </TableBody>
                  </Table>
                )}
              </section>
              <section aria-label={t("responses")} className="space-y-2">
                <h3 className="font-semibold">{t("responses")}</h3>
                <Table>
                  <TableHeader><TableRow><TableHead>{t("statusCode")}</TableHead><TableHead>{t("description")}</TableHead><TableHead>{t("body")}</TableHead></TableRow></TableHeader>
                  <TableBody>
                    {op.responses.map((r) => (
                      <TableRow key={r.status}>
                        <TableCell className="font-mono text-xs">{r.status}</TableCell>
                        <TableCell>{statusText(r.status, r.description)}</TableCell>
                        <TableCell className="font-mono text-xs">{r.schema ? <a href={`#${anchor(r.schema)}`} className="text-blue-800 underline">{r.schema}</a> : ""}</TableCell>
                      </TableRow>
                    ))}
                  </TableBody>
                </Table>
              </section>
            </CardContent>
          </Card>
        );
      })}

      <section aria-labelledby="schemas-title" className="space-y-4">
        <h2 id="schemas-title" className="text-lg font-semibold">{t("schemas")}</h2>
        <p className="text-sm text-slate-600">{t("schemasNote")}</p>
        {reference.schemas.map((schema) => (
          <Card key={schema.name} id={anchor(schema.name)}>
            <CardHeader>
              <CardTitle as="h3" className="flex flex-wrap items-baseline gap-2">
                <span className="font-mono">{schema.name}</span>
                {schema.fields.length === 0 && <span className="font-mono text-xs font-normal text-slate-600">{schema.type}</span>}
              </CardTitle>
            </CardHeader>
            <CardContent className="space-y-2 text-sm">
              {schema.description && <p>{describe(schema.textKey, schema.description)}</p>}
              {schema.fields.length > 0 && (
                <Table>
                  <TableHeader>
                    <TableRow><TableHead>{t("field")}</TableHead><TableHead>{t("type")}</TableHead><TableHead>{t("required")}</TableHead><TableHead>{t("description")}</TableHead></TableRow>
                  </TableHeader>
                  <TableBody>
                    {schema.fields.map((f) => (
                      <TableRow key={f.name}>
                        <TableCell className="font-mono text-xs">{f.name}</TableCell>
                        <TypeCell field={f} />
                        <TableCell>{f.required ? t("yes") : t("no")}</TableCell>
                        <TableCell className="text-xs">{describe(f.textKey, f.description)}</TableCell>
                      </TableRow>
                    ))}
                  </TableBody>
                </Table>
              )}
            </CardContent>
          </Card>
        ))}
      </section>
    </div>
  );
}
