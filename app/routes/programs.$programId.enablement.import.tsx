import { CSV_ACCEPT } from "~/utils/csv";
import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { MaxPartSizeExceededError, unstable_createMemoryUploadHandler, unstable_parseMultipartFormData } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { EnablementNav } from "~/components/enablement/enablement-bits";
import { FormError, SelectField } from "~/components/ui/field";
import { SubmitButton } from "~/components/ui/submit-button";
import { moduleOptions } from "~/models/enablement/curriculum.server";
import { commitImport, previewImport, stageImport } from "~/models/enablement/imports.server";
import { listSessions } from "~/models/enablement/sessions.server";
import { MAX_UPLOAD_BYTES } from "~/models/org/import-fields";
import { attempt, failure, orErrorResponse, unknownIntent, type ActionFailure } from "~/utils/action.server";
import { formatDate, today } from "~/utils/dates";
import { getDb } from "~/utils/db.server";
import { parseForm } from "~/utils/forms";
import { requireProgram } from "~/utils/program-access.server";
import { redirectWithToast } from "~/utils/toast.server";
import { ENABLEMENT_IMPORT_KINDS } from "../../db/schema";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: "/styles/enablement.css" }];

// Import training delivered in another tool: a meeting or training tool's attendance export for
// a session, or an e-learning platform's completions for a module. Upload → preview (?id=…:
// matched people, unmatched rows and errors with their line numbers) → commit, all or nothing.

const TOO_LARGE = `The file is larger than ${MAX_UPLOAD_BYTES / 1024 / 1024} MB: split it.`;
const uploadSchema = z.object({
  kind: z.enum(ENABLEMENT_IMPORT_KINDS, { error: "Choose what the file holds." }),
  sessionId: z
    .string()
    .trim()
    .max(64, "Choose one of the sessions.")
    .optional()
    .transform((v) => v || null),
  moduleId: z
    .string()
    .trim()
    .max(64, "Choose one of the modules.")
    .optional()
    .transform((v) => v || null),
});
const commitSchema = z.object({ importId: z.string().trim().min(1, "Upload the file again.").max(64, "Upload the file again.") });

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { program } = await requireProgram(request, params, "enablement:manage");
  const db = getDb();
  const id = (new URL(request.url).searchParams.get("id") ?? "").slice(0, 64);
  const [sessions, modules, preview] = await Promise.all([
    listSessions(db, program.id),
    moduleOptions(db, program.id),
    id ? orErrorResponse(() => previewImport(db, program.id, id, today())) : Promise.resolve(null),
  ]);
  return {
    program: { id: program.id, name: program.name },
    sessions: sessions
      .filter((s) => s.state !== "cancelled")
      .map((s) => ({ id: s.id, label: `${s.moduleTitle} · ${formatDate(s.localDay)} ${s.localTime}` })),
    modules,
    preview,
  };
}

async function readForm(request: Request): Promise<FormData> {
  const type = request.headers.get("Content-Type") ?? "";
  if (type.startsWith("multipart/form-data")) {
    return unstable_parseMultipartFormData(request, unstable_createMemoryUploadHandler({ maxPartSize: MAX_UPLOAD_BYTES }));
  }
  return request.formData();
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { user, program } = await requireProgram(request, params, "enablement:manage");
  if (Number(request.headers.get("Content-Length") ?? 0) > MAX_UPLOAD_BYTES + 64 * 1024) return failure({ file: TOO_LARGE }, {}, 413);
  let form: FormData;
  try {
    form = await readForm(request);
  } catch (error) {
    if (error instanceof MaxPartSizeExceededError) return failure({ file: TOO_LARGE }, {}, 413);
    return failure({ _form: "The form could not be read. Send it from this page." });
  }
  const intent = String(form.get("intent") ?? "");
  const here = `/programs/${program.id}/enablement/import`;
  const db = getDb();
  if (intent === "upload") {
    const parsed = parseForm(uploadSchema, form);
    if (!parsed.ok) return failure(parsed.errors, parsed.values, 400, { intent });
    const file = form.get("file");
    if (!file || typeof file === "string")
      return failure({ file: "Choose the CSV file exported from the tool." }, parsed.values, 400, { intent });
    const csv = new TextDecoder("utf-8").decode(new Uint8Array(await file.arrayBuffer()));
    return attempt(
      parsed.values,
      async () => {
        const id = await stageImport(db, user, program.id, { ...parsed.data, fileName: file.name, csv });
        return redirectWithToast(request, `${here}?id=${id}`, "Check the preview, then import.");
      },
      { intent },
    );
  }
  if (intent === "commit") {
    const parsed = parseForm(commitSchema, form);
    if (!parsed.ok) return failure(parsed.errors, parsed.values, 400, { intent });
    return attempt(
      parsed.values,
      async () => {
        const result = await commitImport(db, user, program.id, parsed.data.importId, today());
        return redirectWithToast(
          request,
          `${here}?id=${parsed.data.importId}`,
          `Imported: ${result.recorded} recorded, ${result.unmatched} unmatched rows left out.`,
        );
      },
      { intent },
    );
  }
  return unknownIntent(intent);
}

export default function EnablementImport() {
  const { program, sessions, modules, preview } = useLoaderData<typeof loader>();
  const failed = useActionData<typeof action>() as ActionFailure | undefined;
  const e = failed?.errors ?? {};
  return (
    <>
      <EnablementNav programId={program.id} manage />
      <h1>Import attendance or completions</h1>
      {preview ? (
        <section className="card" aria-labelledby="preview-heading">
          <h2 id="preview-heading">
            Preview of {preview.fileName || "the file"} for {preview.target}
          </h2>
          <FormError error={e._form} />
          {preview.fatal ? (
            <p className="form-error" role="alert">
              {preview.fatal}
            </p>
          ) : (
            <>
              <p>
                {preview.matched.length} matched · {preview.unmatched.length} unmatched · {preview.errors.length} with errors
              </p>
              {preview.errors.length > 0 ? (
                <>
                  <h3>Errors (fix them in the file and upload it again)</h3>
                  <ul>
                    {preview.errors.map((err) => (
                      <li key={`${err.line}:${err.message}`}>
                        Line {err.line}: {err.message}
                      </li>
                    ))}
                  </ul>
                </>
              ) : null}
              {preview.unmatched.length > 0 ? (
                <>
                  <h3>Unmatched rows (left out)</h3>
                  <ul>
                    {preview.unmatched.map((u) => (
                      <li key={u.line}>
                        Line {u.line}: {[u.name, u.email, u.employeeId].filter(Boolean).join(" · ")} — no person with this employee number
                        or email
                      </li>
                    ))}
                  </ul>
                </>
              ) : null}
              {preview.matched.length > 0 ? (
                <details>
                  <summary>Matched people</summary>
                  <ul>
                    {preview.matched.map((m) => (
                      <li key={m.line}>
                        Line {m.line}: {m.personName}
                        {m.completedOn ? ` · ${formatDate(m.completedOn)}` : ""}
                      </li>
                    ))}
                  </ul>
                </details>
              ) : null}
              {preview.committed ? (
                <p>This file has been imported.</p>
              ) : preview.errors.length === 0 ? (
                <Form method="post">
                  <input type="hidden" name="intent" value="commit" />
                  <input type="hidden" name="importId" value={preview.id} />
                  <SubmitButton>Import {preview.matched.length} rows</SubmitButton>
                </Form>
              ) : null}
            </>
          )}
          <p>
            <Link to=".">Upload another file</Link>
          </p>
        </section>
      ) : null}
      <section className="card" aria-labelledby="upload-heading">
        <h2 id="upload-heading">Upload a CSV</h2>
        <p className="muted">
          People are matched by employee number, then by email. Attendance files need an email or employee number column; completion files
          also a completion date (“Completed on”).
        </p>
        <Form method="post" encType="multipart/form-data">
          <input type="hidden" name="intent" value="upload" />
          <FormError error={e._form} />
          <SelectField
            label="The file holds"
            name="kind"
            error={e.kind}
            options={[
              { value: "attendance", label: "Attendance of a session" },
              { value: "elearning", label: "E-learning completions of a module" },
            ]}
          />
          <SelectField
            label="Session (attendance)"
            name="sessionId"
            error={e.sessionId}
            options={[{ value: "", label: "–" }, ...sessions.map((s) => ({ value: s.id, label: s.label }))]}
          />
          <SelectField
            label="Module (completions)"
            name="moduleId"
            error={e.moduleId}
            options={[{ value: "", label: "–" }, ...modules.map((m) => ({ value: m.id, label: m.title }))]}
          />
          <div className="field">
            <label htmlFor="enablement-import-file">CSV file</label>
            <input id="enablement-import-file" type="file" name="file" accept={CSV_ACCEPT} aria-invalid={e.file ? true : undefined} />
            {e.file ? <p className="field__error">{e.file}</p> : null}
          </div>
          <SubmitButton>Upload and preview</SubmitButton>
        </Form>
      </section>
    </>
  );
}

export const meta: MetaFunction = () => [{ title: "Enablement import · Rollout Desk" }];

export { RouteErrorBoundary as ErrorBoundary } from "~/components/error-message";
