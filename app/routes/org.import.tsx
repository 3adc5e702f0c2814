import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import {
  data,
  MaxPartSizeExceededError,
  redirect,
  unstable_createMemoryUploadHandler,
  unstable_parseMultipartFormData,
} from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useState } from "react";
import { SubmitButton } from "~/components/ui/submit-button";
import {
  FIELD_LABELS,
  IMPORT_FIELDS,
  isImportField,
  MAX_UPLOAD_BYTES,
  parseHrCsv,
  type ColumnMapping,
  type ImportField,
  type ImportPreview,
} from "~/models/org/import";
import { commitImport, getImport, importSummary, previewOf, reviewImport, saveMapping, stageImport } from "~/models/org/import.server";
import { requirePermission } from "~/utils/auth.server";
import { getDb } from "~/utils/db.server";
import { redirectWithToast } from "~/utils/toast.server";

// Import the organization from an HR export: upload → (column mapping +) preview → commit.
// The file is staged on upload, so the preview and the commit never need a second upload.

const ERRORS_SHOWN = 200;
const MAX_MB = MAX_UPLOAD_BYTES / 1024 / 1024;

type ActionFailure = { error: string; intent: string };

const failure = (intent: string, error: string, status = 400) => data<ActionFailure>({ error, intent }, { status });

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, "org:write");
  const id = new URL(request.url).searchParams.get("id");
  if (!id) return { upload: null };
  const upload = await getImport(getDb(), id);
  if (!upload)
    throw new Response("This upload does not exist or has expired (uploaded files are kept for a day). Upload the file again.", {
      status: 404,
    });
  const summary = {
    id: upload.id,
    fileName: upload.fileName,
    createdAt: upload.createdAt.toISOString(),
    committedAt: upload.committedAt?.toISOString() ?? null,
  };
  if (upload.committedAt) {
    return { upload: summary, rows: parseHrCsv(upload.csv).rows.length, columns: [], mappingProblems: [], preview: null };
  }
  const review = await reviewImport(getDb(), upload);
  const first = review.parsed.rows[0]?.cells ?? [];
  const columns = review.parsed.headers.map((header, i) => ({
    header,
    example: (first[i] ?? "").slice(0, 60),
    field: review.mapping[i] ?? "",
    detected: review.parsed.mapping[i] ?? "",
  }));
  return {
    upload: summary,
    rows: review.parsed.rows.length,
    columns,
    mappingProblems: review.mappingProblems,
    preview: previewOf(review, { errors: ERRORS_SHOWN, sample: 20 }),
  };
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
  const tooLarge = `The file is larger than ${MAX_MB} MB. Export only the columns you need, or split the file.`;
  if (Number(request.headers.get("Content-Length") ?? 0) > MAX_UPLOAD_BYTES + 64 * 1024) return failure("upload", tooLarge, 413);
  let form: FormData;
  try {
    form = await readForm(request);
  } catch (error) {
    if (error instanceof MaxPartSizeExceededError) return failure("upload", tooLarge, 413);
    return failure("upload", "The form could not be read. Send it from this page.");
  }
  const intent = form.get("intent");
  const db = getDb();

  if (intent === "upload") {
    const file = form.get("file");
    if (!file || typeof file === "string") return failure("upload", "Choose the CSV file exported from your HR system.");
    if (file.size === 0) return failure("upload", "The file is empty. Export the people from your HR system as CSV, with a header line.");
    let csv: string;
    try {
      csv = new TextDecoder("utf-8", { fatal: true }).decode(await file.arrayBuffer());
    } catch {
      return failure("upload", "The file is not a UTF-8 text file. Export it from your HR system as “CSV UTF-8” (not Excel or PDF).");
    }
    const parsed = parseHrCsv(csv);
    if (parsed.fatal) return failure("upload", parsed.fatal);
    if (parsed.rows.length === 0) return failure("upload", "The file has a header line but no people below it.");
    if (!parsed.mapping.includes("email")) {
      return failure(
        "upload",
        `The file has no email column: people are matched by their email. Found the columns ${parsed.headers
          .slice(0, 12)
          .map((h) => `“${h.slice(0, 40)}”`)
          .join(", ")}. Export the work email too.`,
      );
    }
    const name =
      [...file.name]
        .filter((c) => c >= " " && c !== "\u007f")
        .join("")
        .trim() || "upload.csv";
    const id = await stageImport(db, user, { fileName: name, csv });
    return redirect(`/org/import?id=${id}`);
  }

  if (intent !== "remap" && intent !== "commit") return failure(String(intent ?? ""), "Unknown action.");
  const upload = await getImport(db, form.get("id"));
  if (!upload)
    return failure(intent, "This upload does not exist or has expired (uploaded files are kept for a day). Upload the file again.");

  if (intent === "remap") {
    const headers = parseHrCsv(upload.csv).headers;
    const mapping: ColumnMapping = [];
    for (let i = 0; i < headers.length; i++) {
      const value = form.get(`col-${i}`);
      if (typeof value !== "string" || (value !== "" && !isImportField(value))) {
        return failure(intent, `Choose what the column “${headers[i].slice(0, 40)}” holds, or “Ignore”.`);
      }
      mapping.push(value === "" ? null : value);
    }
    const saved = await saveMapping(db, upload, mapping);
    if (!saved.ok) return failure(intent, saved.message, upload.committedAt ? 409 : 400);
    return redirectWithToast(request, `/org/import?id=${upload.id}`, "Columns applied; the preview uses them.");
  }

  const result = await commitImport(db, user, upload.id);
  if (!result.ok) return failure(intent, result.message, result.reason === "committed" || result.reason === "conflict" ? 409 : 400);
  return redirectWithToast(request, "/org/import", `Imported: ${importSummary(result.counts)}.`);
}

const FIELD_OPTIONS: ReadonlyArray<{ value: ImportField | ""; label: string }> = [
  { value: "", label: "Ignore" },
  ...IMPORT_FIELDS.map((field) => ({ value: field, label: FIELD_LABELS[field] })),
];

const fieldLabel = (field: string) => (isImportField(field) ? FIELD_LABELS[field] : field === "file" ? "Whole line" : field);
const n = (value: number) => value.toLocaleString("en");
const plural = (value: number, one: string, many: string) => `${n(value)} ${value === 1 ? one : many}`;

/** A visible, announced progress indicator while a form of this page is being sent. */
function ImportProgress({ fileLabel, rows }: { fileLabel: string | null; rows: number | null }) {
  const navigation = useNavigation();
  const intent = navigation.state === "submitting" ? navigation.formData?.get("intent") : null;
  const text =
    intent === "upload"
      ? `Uploading and checking ${fileLabel ?? "the file"}…`
      : intent === "commit"
        ? `Importing ${rows === null ? "the" : n(rows)} rows… This takes a few seconds for a large file.`
        : intent === "remap"
          ? "Applying the columns…"
          : null;
  return (
    <div aria-live="polite" role="status">
      {text ? (
        <p>
          <progress className="data-table__progress" aria-label={text} />
          {text}
        </p>
      ) : null}
    </div>
  );
}

function UploadForm({ error }: { error: string | null }) {
  const [fileLabel, setFileLabel] = useState<string | null>(null);
  return (
    <>
      {error ? (
        <p className="form-error" role="alert">
          {error}
        </p>
      ) : null}
      <Form method="post" encType="multipart/form-data" action="/org/import">
        <input type="hidden" name="intent" value="upload" />
        <div className="field">
          <label htmlFor="org-import-file">CSV file from your HR system</label>
          <input
            id="org-import-file"
            type="file"
            name="file"
            accept=".csv,text/csv,text/plain"
            required
            aria-describedby="org-import-file-hint"
            onChange={(event) => {
              const file = event.currentTarget.files?.[0];
              setFileLabel(file ? `${file.name} (${(file.size / 1024 / 1024).toFixed(1)} MB)` : null);
            }}
          />
          <p className="field__hint" id="org-import-file-hint">
            UTF-8 CSV up to {MAX_MB} MB, separated by commas, semicolons or tabs.{" "}
            <a href="/org/import/template.csv">Download a sample file</a>.
          </p>
        </div>
        <SubmitButton pendingText="Uploading…">Upload and preview</SubmitButton>
      </Form>
      <ImportProgress fileLabel={fileLabel} rows={null} />
    </>
  );
}

export default function OrgImport() {
  const loaded = useLoaderData<typeof loader>();
  const failed = useActionData<typeof action>() as ActionFailure | undefined;

  if (!loaded.upload) {
    return (
      <section className="card">
        <h1>Import the organization</h1>
        <p className="lead">
          Upload the people list your HR system exports. Rollout Desk recognizes the usual column names (name, email, job title, department
          or org path, team, manager email, employee id), shows what would change, and imports only when you confirm. Importing the same or
          a newer file again updates people in place: they are matched by employee id, else by email.
        </p>
        <UploadForm error={failed?.error ?? null} />
      </section>
    );
  }

  const { upload, rows, columns, mappingProblems, preview } = loaded;
  const error = failed?.error ?? null;
  return (
    <>
      <div className="page-header">
        <div>
          <p className="eyebrow">Import the organization</p>
          <h1>“{upload.fileName}”</h1>
        </div>
        <Link to="/org/import">Upload another file</Link>
      </div>
      <p className="muted">
        {plural(rows, "person", "people")} in the file, uploaded {new Date(upload.createdAt).toLocaleString("en-GB")}.
      </p>
      {error ? (
        <p className="form-error" role="alert">
          {error}
        </p>
      ) : null}

      {upload.committedAt ? (
        <section className="card">
          <h2>Imported</h2>
          <p>
            This file was imported on {new Date(upload.committedAt).toLocaleString("en-GB")}. To import it again (for example after changes
            in Rollout Desk), <Link to="/org/import">upload it again</Link>.
          </p>
        </section>
      ) : (
        <>
          <section className="card">
            <h2>Columns</h2>
            <p className="muted">Check what each column holds. Columns set to “Ignore” are not imported.</p>
            {mappingProblems.length > 0 ? (
              <ul className="form-error issue-list" role="alert">
                {mappingProblems.map((problem) => (
                  <li key={problem}>{problem}</li>
                ))}
              </ul>
            ) : null}
            <Form method="post" action={`/org/import?id=${upload.id}`}>
              <input type="hidden" name="intent" value="remap" />
              <input type="hidden" name="id" value={upload.id} />
              <table className="simple-table">
                <caption>Columns of the file</caption>
                <thead>
                  <tr>
                    <th scope="col">Column</th>
                    <th scope="col">First value</th>
                    <th scope="col">Imported as</th>
                  </tr>
                </thead>
                <tbody>
                  {columns.map((column, i) => (
                    <tr key={i}>
                      <th scope="row">{column.header}</th>
                      <td>{column.example}</td>
                      <td>
                        <label className="visually-hidden" htmlFor={`col-${i}`}>
                          Column “{column.header}” imported as
                        </label>
                        <select id={`col-${i}`} name={`col-${i}`} defaultValue={column.field}>
                          {FIELD_OPTIONS.map((option) => (
                            <option key={option.value} value={option.value}>
                              {option.label}
                            </option>
                          ))}
                        </select>
                        {column.detected ? null : <span className="muted"> (not recognized)</span>}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
              <SubmitButton className="button button--secondary" pendingText="Applying…">
                Apply columns
              </SubmitButton>
            </Form>
          </section>

          {preview ? <Preview preview={preview} uploadId={upload.id} rows={rows} /> : null}
        </>
      )}
    </>
  );
}

function Preview({ preview, uploadId, rows }: { preview: ImportPreview; uploadId: string; rows: number }) {
  const { counts } = preview;
  const blocked = counts.errors > 0;
  return (
    <section className="card" aria-labelledby="org-import-preview">
      <h2 id="org-import-preview">Preview</h2>
      <dl className="facts">
        <div>
          <dt>People to create</dt>
          <dd>{n(counts.create)}</dd>
        </div>
        <div>
          <dt>People to update</dt>
          <dd>{n(counts.update)}</dd>
        </div>
        <div>
          <dt>Unchanged</dt>
          <dd>{n(counts.unchanged)}</dd>
        </div>
        <div>
          <dt>Lines with errors</dt>
          <dd>{n(counts.errorLines)}</dd>
        </div>
        <div>
          <dt>Units to create</dt>
          <dd>{n(counts.unitsToCreate)}</dd>
        </div>
        <div>
          <dt>Teams to create</dt>
          <dd>{n(counts.teamsToCreate)}</dd>
        </div>
        <div>
          <dt>Team leads to set</dt>
          <dd>{n(counts.teamLeads)}</dd>
        </div>
      </dl>
      {counts.kept > 0 ? (
        <p>
          {counts.kept === 1 ? "1 person in Rollout Desk is" : `${n(counts.kept)} people in Rollout Desk are`} not in this file; they are
          kept.
        </p>
      ) : null}
      {preview.warnings.length > 0 ? (
        <ul className="issue-list">
          {preview.warnings.map((warning) => (
            <li key={warning} className="issue issue--warning">
              <strong>Note</strong>
              {warning}
            </li>
          ))}
        </ul>
      ) : null}

      {blocked ? (
        <>
          <p className="form-error" role="alert">
            {plural(counts.errorLines, "line has", "lines have")} errors. Nothing is imported while a line has an error: fix the file and
            upload it again.
          </p>
          <table className="simple-table">
            <caption>Errors</caption>
            <thead>
              <tr>
                <th scope="col">Line</th>
                <th scope="col">Column</th>
                <th scope="col">Problem</th>
              </tr>
            </thead>
            <tbody>
              {preview.errors.map((e, i) => (
                <tr key={i}>
                  <td>{e.line}</td>
                  <td>{fieldLabel(e.field)}</td>
                  <td>{e.message}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {counts.errors > preview.errors.length ? <p>and {n(counts.errors - preview.errors.length)} more errors.</p> : null}
        </>
      ) : null}

      {preview.create.length > 0 ? (
        <table className="simple-table">
          <caption>
            People to create{counts.create > preview.create.length ? ` (the first ${preview.create.length} of ${n(counts.create)})` : ""}
          </caption>
          <thead>
            <tr>
              <th scope="col">Line</th>
              <th scope="col">Name</th>
              <th scope="col">Email</th>
              <th scope="col">Title</th>
              <th scope="col">Unit</th>
              <th scope="col">Team</th>
            </tr>
          </thead>
          <tbody>
            {preview.create.map((p) => (
              <tr key={p.line}>
                <td>{p.line}</td>
                <td>{p.name}</td>
                <td>{p.email}</td>
                <td>{p.title}</td>
                <td>{p.unit}</td>
                <td>{p.team}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}

      {preview.update.length > 0 ? (
        <table className="simple-table">
          <caption>
            People to update{counts.update > preview.update.length ? ` (the first ${preview.update.length} of ${n(counts.update)})` : ""}
          </caption>
          <thead>
            <tr>
              <th scope="col">Line</th>
              <th scope="col">Name</th>
              <th scope="col">Email</th>
              <th scope="col">Changes</th>
            </tr>
          </thead>
          <tbody>
            {preview.update.map((p) => (
              <tr key={p.line}>
                <td>{p.line}</td>
                <td>{p.name}</td>
                <td>{p.email}</td>
                <td>
                  <ul className="issue-list">
                    {p.changes.map((c) => (
                      <li key={c.field}>
                        {c.field}: {c.from || "(none)"} → {c.to || "(none)"}
                      </li>
                    ))}
                  </ul>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}

      <NameList title="Units to create" names={preview.unitsToCreate} total={counts.unitsToCreate} />
      <NameList title="Teams to create" names={preview.teamsToCreate} total={counts.teamsToCreate} />

      <Form method="post" action={`/org/import?id=${uploadId}`}>
        <input type="hidden" name="intent" value="commit" />
        <input type="hidden" name="id" value={uploadId} />
        <div className="button-row">
          <SubmitButton pendingText="Importing…" aria-disabled={blocked || undefined}>
            {blocked ? "Import (fix the errors first)" : `Import ${plural(counts.create + counts.update, "change", "changes")}`}
          </SubmitButton>
          <Link to="/org/import" className="button button--secondary">
            Cancel
          </Link>
        </div>
      </Form>
      <ImportProgress fileLabel={null} rows={rows} />
    </section>
  );
}

function NameList({ title, names, total }: { title: string; names: string[]; total: number }) {
  if (names.length === 0) return null;
  return (
    <>
      <h3>{title}</h3>
      <ul>
        {names.map((name) => (
          <li key={name}>{name}</li>
        ))}
      </ul>
      {total > names.length ? <p className="muted">and {n(total - names.length)} more.</p> : null}
    </>
  );
}

export const meta: MetaFunction = () => [{ title: "Import the organization · Rollout Desk" }];

export { RouteErrorBoundary as ErrorBoundary } from "~/components/error-message";
