import { CSV_ACCEPT } from "~/utils/csv";
import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { MaxPartSizeExceededError, unstable_createMemoryUploadHandler, unstable_parseMultipartFormData } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { ServerTable, type ServerColumn } from "~/components/data-table/server-table";
import { z } from "zod";
import { EnablementNav } from "~/components/enablement/enablement-bits";
import { FormError, SelectField } from "~/components/ui/field";
import { SubmitButton } from "~/components/ui/submit-button";
import { moduleOptions } from "~/models/enablement/curriculum.server";
import {
  commitImport,
  pagePreview,
  previewImport,
  PREVIEW_LIST_SPEC,
  stageImport,
  type PreviewLine,
} from "~/models/enablement/imports.server";
import { listSessions } from "~/models/enablement/sessions.server";
import { MAX_UPLOAD_BYTES } from "~/models/org/import-fields";
import { attempt, failure, orErrorResponse, unknownIntent, type ActionFailure } from "~/utils/action.server";
import { formatDate, today } from "~/utils/dates";
import { getDb } from "~/utils/db.server";
import { parseForm } from "~/utils/forms";
import { listSearch, parseListParams } from "~/utils/list-params";
import { formatCount } from "~/utils/numbers";
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
  const search = new URL(request.url).searchParams;
  const list = parseListParams(search, PREVIEW_LIST_SPEC);
  const id = (list.filters.id ?? "").slice(0, 64);
  // The session picker: the latest sessions first (attendance is imported after the fact); a
  // session's page links here with ?session=… to preselect it.
  const [sessions, modules, preview] = await Promise.all([
    listSessions(db, program.id, { newestFirst: true, withoutCancelled: true }),
    moduleOptions(db, program.id),
    id ? orErrorResponse(() => previewImport(db, program.id, id, today())) : Promise.resolve(null),
  ]);
  const sessionId = (search.get("session") ?? "").slice(0, 64);
  return {
    program: { id: program.id, name: program.name },
    sessions: sessions.map((s) => ({ id: s.id, label: `${s.moduleTitle} · ${formatDate(s.localDay)} ${s.localTime}` })),
    modules,
    chosenSession: sessions.some((s) => s.id === sessionId) ? sessionId : "",
    preview: preview ? pagePreview(preview, list) : null,
    list,
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

const OUTCOME_LABELS: Record<PreviewLine["outcome"], string> = { matched: "Matched", unmatched: "Not matched", error: "Error" };

const previewColumns: ServerColumn<PreviewLine>[] = [
  { id: "line", accessorKey: "line", header: "Line" },
  {
    id: "row",
    header: "In the file",
    enableSorting: false,
    cell: (info) => {
      const l = info.row.original;
      return [l.name, l.email, l.employeeId].filter(Boolean).join(" · ") || "–";
    },
  },
  {
    id: "outcome",
    header: "Outcome",
    enableSorting: false,
    cell: (info) => {
      const l = info.row.original;
      if (l.outcome === "error")
        return (
          <>
            <span className="pill pill--error">Error</span> {l.message}
          </>
        );
      if (l.outcome === "unmatched")
        return (
          <>
            <span className="pill pill--warning">Not matched</span> no person with this employee number or email — left out
          </>
        );
      return (
        <>
          <span className="pill pill--ok">Matched</span> {l.personName}
          {l.completedOn ? ` · completed ${formatDate(l.completedOn)}` : ""}
        </>
      );
    },
  },
];

export default function EnablementImport() {
  const { program, sessions, modules, chosenSession, preview, list } = useLoaderData<typeof loader>();
  const failed = useActionData<typeof action>() as ActionFailure | undefined;
  const e = failed?.errors ?? {};
  const show = (outcome: string) => listSearch(list, { page: 1, filters: { show: outcome } });
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
                <Link to={show("matched")}>{formatCount(preview.counts.matched)} matched</Link> ·{" "}
                <Link to={show("unmatched")}>{formatCount(preview.counts.unmatched)} not matched</Link> (left out) ·{" "}
                <Link to={show("error")}>
                  {formatCount(preview.counts.errors)} {preview.counts.errors === 1 ? "line" : "lines"} with errors
                </Link>
                {list.filters.show ? (
                  <>
                    {" "}
                    · <Link to={listSearch(list, { page: 1, filters: { show: "" } })}>every line</Link>
                  </>
                ) : null}
              </p>
              {preview.counts.errors > 0 ? (
                <p className="form-error" role="alert">
                  Fix the lines with errors in the file and upload it again: nothing is imported while the file has errors.
                </p>
              ) : null}
              <ServerTable
                caption="Lines of the file"
                rows={preview.lines.rows}
                total={preview.lines.total}
                params={list}
                columns={previewColumns}
                getRowId={(l) => `${l.line}:${l.outcome}:${l.message ?? ""}`}
                searchLabel="Search names, emails and employee numbers"
                keepFilters={["id"]}
                filters={
                  <>
                    <input type="hidden" name="id" value={preview.id} />
                    <label>
                      <span className="visually-hidden">Show</span>
                      <select name="show" defaultValue={list.filters.show ?? ""}>
                        <option value="">Every line</option>
                        <option value="error">{OUTCOME_LABELS.error}s</option>
                        <option value="unmatched">{OUTCOME_LABELS.unmatched}</option>
                        <option value="matched">{OUTCOME_LABELS.matched}</option>
                      </select>
                    </label>
                  </>
                }
              />
              {preview.committed ? (
                <p>This file has been imported.</p>
              ) : preview.counts.errors === 0 ? (
                <Form method="post">
                  <input type="hidden" name="intent" value="commit" />
                  <input type="hidden" name="importId" value={preview.id} />
                  <SubmitButton>
                    Import {formatCount(preview.counts.matched)} {preview.counts.matched === 1 ? "row" : "rows"}
                  </SubmitButton>
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
            defaultValue={chosenSession}
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
