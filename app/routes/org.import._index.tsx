import { CSV_ACCEPT } from "~/utils/csv";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { MaxPartSizeExceededError, redirect, unstable_createMemoryUploadHandler, unstable_parseMultipartFormData } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useState } from "react";
import { SubmitButton } from "~/components/ui/submit-button";
import { MAX_UPLOAD_BYTES } from "~/models/org/import-fields";
import { listImports } from "~/models/org/import-history.server";
import { stageUpload } from "~/models/org/import-stage.server";
import { attempt, failure, unknownIntent, type ActionFailure } from "~/utils/action.server";
import { requirePermission } from "~/utils/auth.server";
import { getDb } from "~/utils/db.server";
import { formatDateTime } from "~/utils/dates";

// Import the organization from an HR export, step 1: the upload. The model checks the file and
// stages it; the preview (/org/import/:importId) follows.

const MAX_MB = MAX_UPLOAD_BYTES / 1024 / 1024;
const TOO_LARGE = `The file is larger than ${MAX_MB} MB. Export only the columns you need, or split the file.`;

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, "org:write");
  // The preview's address before it had its own path.
  const id = new URL(request.url).searchParams.get("id");
  if (id) throw redirect(`/org/import/${encodeURIComponent(id)}`);
  const recent = await listImports(getDb(), 3);
  return { recent: recent.map((r) => ({ id: r.id, number: r.number, fileName: r.fileName, committedAt: r.committedAt.toISOString() })) };
}

async function readForm(request: Request): Promise<FormData> {
  const type = request.headers.get("Content-Type") ?? "";
  if (type.startsWith("multipart/form-data")) {
    return unstable_parseMultipartFormData(request, unstable_createMemoryUploadHandler({ maxPartSize: MAX_UPLOAD_BYTES }));
  }
  return request.formData();
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requirePermission(request, "org:write");
  if (Number(request.headers.get("Content-Length") ?? 0) > MAX_UPLOAD_BYTES + 64 * 1024) return failure({ file: TOO_LARGE }, {}, 413);
  let form: FormData;
  try {
    form = await readForm(request);
  } catch (error) {
    if (error instanceof MaxPartSizeExceededError) return failure({ file: TOO_LARGE }, {}, 413);
    return failure({ _form: "The form could not be read. Send it from this page." });
  }
  const intent = form.get("intent");
  if (intent !== "upload") return unknownIntent(typeof intent === "string" ? intent : undefined);
  const file = form.get("file");
  if (!file || typeof file === "string") return failure({ file: "Choose the CSV file exported from your HR system." });
  const content = new Uint8Array(await file.arrayBuffer());
  return attempt({}, async () => {
    const { id } = await stageUpload(getDb(), user, { fileName: file.name, content });
    return redirect(`/org/import/${id}`);
  });
}

export default function OrgImportUpload() {
  const { recent } = useLoaderData<typeof loader>();
  const failed = useActionData<typeof action>() as ActionFailure | undefined;
  const [fileLabel, setFileLabel] = useState<string | null>(null);
  const navigation = useNavigation();
  const uploading = navigation.state === "submitting" && navigation.formData?.get("intent") === "upload";
  const error = failed?.errors.file ?? failed?.errors._form ?? null;
  return (
    <section className="card">
      <div className="page-header">
        <h1>Import the organization</h1>
        <Link to="/org/import/history">Import history</Link>
      </div>
      <p className="lead">
        Upload the people list your HR system exports, every month if you like. Rollout Desk recognizes the usual column names (name, email,
        employee number, job title, department or org path, team and team ID, manager email) and remembers the columns you set for a file
        layout. The preview shows every change — joiners, moves, leavers, renamed teams — and every problem with its line, lets you correct
        or skip a line, and imports only when you confirm.
      </p>
      {error ? (
        <p className="form-error" role="alert" id="org-import-file-error">
          {error}
        </p>
      ) : null}
      <Form method="post" encType="multipart/form-data" action="/org/import">
        <input type="hidden" name="intent" value="upload" />
        <div className={error ? "field field--invalid" : "field"}>
          <label htmlFor="org-import-file">CSV file from your HR system</label>
          <input
            id="org-import-file"
            type="file"
            name="file"
            accept={`${CSV_ACCEPT},text/plain`}
            required
            aria-describedby={error ? "org-import-file-hint org-import-file-error" : "org-import-file-hint"}
            aria-invalid={error ? true : undefined}
            onChange={(event) => {
              const chosen = event.currentTarget.files?.[0];
              setFileLabel(chosen ? `${chosen.name} (${(chosen.size / 1024 / 1024).toFixed(1)} MB)` : null);
            }}
          />
          <p className="field__hint" id="org-import-file-hint">
            UTF-8 CSV up to {MAX_MB} MB, separated by commas, semicolons or tabs.{" "}
            <a href="/org/import/template.csv">Download a sample file</a>.
          </p>
        </div>
        <SubmitButton pendingText="Uploading…">Upload and preview</SubmitButton>
      </Form>
      <div aria-live="polite" role="status">
        {uploading ? (
          <p>
            <progress className="data-table__progress" aria-label="Uploading" />
            Uploading and reading {fileLabel ?? "the file"}…
          </p>
        ) : null}
      </div>
      {recent.length > 0 ? (
        <>
          <h2>Recent imports</h2>
          <ul>
            {recent.map((r) => (
              <li key={r.id}>
                <Link to={`/org/import/${r.id}`}>
                  Import #{r.number}: “{r.fileName}”
                </Link>{" "}
                <span className="muted">{formatDateTime(r.committedAt)}</span>
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </section>
  );
}

export const meta: MetaFunction = () => [{ title: "Import the organization · Rollout Desk" }];

export { RouteErrorBoundary as ErrorBoundary } from "~/components/error-message";
