import { CSV_ACCEPT } from "~/utils/csv";
import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { MaxPartSizeExceededError, unstable_createMemoryUploadHandler, unstable_parseMultipartFormData } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { FormError, SelectField } from "~/components/ui/field";
import { SubmitButton } from "~/components/ui/submit-button";
import { getCycleRef } from "~/models/cycles/checkins.server";
import { commitCycleImport, previewCycleImport, stageCycleImport } from "~/models/cycles/imports.server";
import { MAX_UPLOAD_BYTES } from "~/models/org/import-fields";
import { attempt, failure, orErrorResponse, unknownIntent, type ActionFailure } from "~/utils/action.server";
import { requireCycles } from "~/utils/cycles-http.server";
import { formatDay, today as todayOf } from "~/utils/dates";
import { getDb } from "~/utils/db.server";
import { parseForm } from "~/utils/forms";
import { redirectWithToast } from "~/utils/toast.server";
import { CYCLE_IMPORT_KINDS } from "../../db/schema";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: "/styles/cycles.css" }];

// Import a cycle's OKR sets or check-ins from a CSV (a spreadsheet, another OKR tool, the cycle's
// own export): upload → preview (?id=…: what would be added and updated, every error with its
// line) → import, all or nothing. The path ends in /import, so the server allows an upload's size.

const TOO_LARGE = `The file is larger than ${MAX_UPLOAD_BYTES / 1024 / 1024} MB: split it.`;
const uploadSchema = z.object({ kind: z.enum(CYCLE_IMPORT_KINDS, { error: "Choose what the file holds." }) });
const commitSchema = z.object({ importId: z.string().trim().min(1, "Upload the file again.").max(64, "Upload the file again.") });

const SHOWN = 200;

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { program, viewer } = await requireCycles(request, params, "okrs:import");
  const db = getDb();
  const cycleId = params.cycleId ?? "";
  const id = (new URL(request.url).searchParams.get("id") ?? "").slice(0, 64);
  const [cycle, preview] = await Promise.all([
    orErrorResponse(() => getCycleRef(db, program.id, cycleId)),
    id ? orErrorResponse(() => previewCycleImport(db, viewer, program.id, cycleId, id, todayOf())) : Promise.resolve(null),
  ]);
  return {
    programId: program.id,
    cycle: { id: cycle.id, name: cycle.name, state: cycle.state, startsOn: cycle.startsOn, endsOn: cycle.endsOn },
    canCheckIn: viewer.role !== "coach",
    manage: viewer.manage,
    preview: preview && {
      ...preview,
      errorCount: preview.errors.length,
      errors: preview.errors.slice(0, SHOWN),
      okrs: preview.okrs && {
        teams: preview.okrs.teams,
        newObjectives: preview.okrs.newObjectives.slice(0, SHOWN).map((o) => ({ line: o.line, team: o.teamName, title: o.title })),
        newObjectiveCount: preview.okrs.newObjectives.length,
        updatedObjectives: preview.okrs.updatedObjectives
          .slice(0, SHOWN)
          .map((o) => ({ line: o.line, team: o.teamName, title: o.title, fields: o.fields })),
        updatedObjectiveCount: preview.okrs.updatedObjectives.length,
        newKeyResults: preview.okrs.newKeyResults
          .slice(0, SHOWN)
          .map((k) => ({ line: k.line, team: k.teamName, objective: k.objectiveTitle, title: k.values.title })),
        newKeyResultCount: preview.okrs.newKeyResults.length,
        updatedKeyResults: preview.okrs.updatedKeyResults
          .slice(0, SHOWN)
          .map((k) => ({ line: k.line, team: k.teamName, objective: k.objectiveTitle, title: k.values.title, fields: k.fields })),
        updatedKeyResultCount: preview.okrs.updatedKeyResults.length,
        unchangedObjectives: preview.okrs.unchangedObjectives,
        unchangedKeyResults: preview.okrs.unchangedKeyResults,
      },
      checkIns: preview.checkIns && {
        teams: preview.checkIns.teams,
        count: preview.checkIns.checkIns.length,
        alreadyThere: preview.checkIns.alreadyThere.length,
        list: preview.checkIns.checkIns.slice(0, SHOWN).map((c) => ({
          line: c.line,
          team: c.teamName,
          title: c.keyResultTitle,
          date: c.date,
          value: c.kind === "metric" ? String(c.value) : c.done ? "done" : "not done",
          confidence: c.confidence,
        })),
      },
    },
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
  const { program, viewer } = await requireCycles(request, params, "okrs:import");
  if (Number(request.headers.get("Content-Length") ?? 0) > MAX_UPLOAD_BYTES + 64 * 1024) return failure({ file: TOO_LARGE }, {}, 413);
  let form: FormData;
  try {
    form = await readForm(request);
  } catch (error) {
    if (error instanceof MaxPartSizeExceededError) return failure({ file: TOO_LARGE }, {}, 413);
    return failure({ _form: "The form could not be read. Send it from this page." });
  }
  const cycleId = params.cycleId ?? "";
  const intent = String(form.get("intent") ?? "");
  const here = `/programs/${program.id}/cycles/${cycleId}/import`;
  const db = getDb();
  if (intent === "upload") {
    const parsed = parseForm(uploadSchema, form);
    if (!parsed.ok) return failure(parsed.errors, parsed.values, 400, { intent });
    const file = form.get("file");
    if (!file || typeof file === "string") return failure({ file: "Choose the CSV file." }, parsed.values, 400, { intent });
    const csv = new TextDecoder("utf-8").decode(new Uint8Array(await file.arrayBuffer()));
    return attempt(
      parsed.values,
      async () => {
        const id = await stageCycleImport(db, viewer, program.id, cycleId, { kind: parsed.data.kind, fileName: file.name, csv });
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
        const { summary } = await commitCycleImport(db, viewer, program.id, cycleId, parsed.data.importId, todayOf());
        return redirectWithToast(request, `${here}?id=${parsed.data.importId}`, `Imported: ${summary}.`);
      },
      { intent },
    );
  }
  return unknownIntent(intent);
}

const CONFIDENCE: Record<string, string> = { on_track: "on track", needs_attention: "needs attention", off_track: "off track" };

function More({ shown, total }: { shown: number; total: number }) {
  return total > shown ? <p className="muted">… and {total - shown} more.</p> : null;
}

export default function CycleImport() {
  const { programId, cycle, canCheckIn, manage, preview } = useLoaderData<typeof loader>();
  const failed = useActionData<typeof action>() as ActionFailure | undefined;
  const e = failed?.errors ?? {};
  const cyclePath = `/programs/${programId}/cycles/${cycle.id}`;
  const templates = `${cyclePath}/import-template.csv`;
  const count = preview?.okrs
    ? preview.okrs.newObjectiveCount +
      preview.okrs.updatedObjectiveCount +
      preview.okrs.newKeyResultCount +
      preview.okrs.updatedKeyResultCount
    : (preview?.checkIns?.count ?? 0);
  return (
    <>
      <p>
        <Link to={cyclePath}>← {cycle.name}</Link>
      </p>
      <h1>
        Import OKRs <span className="muted">· {cycle.name}</span>
      </h1>
      <p className="muted">
        {formatDay(cycle.startsOn)} – {formatDay(cycle.endsOn)} ·{" "}
        {manage
          ? "You import for every team of the program."
          : "You import for the teams you lead or coach; a line of another team is an error."}
      </p>
      {preview ? (
        <section className="card" aria-labelledby="preview-heading">
          <h2 id="preview-heading">
            Preview of {preview.fileName || "the file"} ({preview.kind === "okrs" ? "OKR sets" : "check-ins"})
          </h2>
          <FormError error={failed?.intent === "commit" ? e._form : undefined} />
          {preview.fatal ? (
            <p className="form-error" role="alert">
              {preview.fatal}
            </p>
          ) : (
            <>
              {preview.okrs ? (
                <ul className="import-counts" aria-label="What the import does">
                  <li>{preview.okrs.teams} teams</li>
                  <li>{preview.okrs.newObjectiveCount} new objectives</li>
                  <li>{preview.okrs.updatedObjectiveCount} objectives updated</li>
                  <li>{preview.okrs.newKeyResultCount} new key results</li>
                  <li>{preview.okrs.updatedKeyResultCount} key results updated</li>
                  <li>{preview.okrs.unchangedObjectives + preview.okrs.unchangedKeyResults} unchanged</li>
                  <li>{preview.errorCount} errors</li>
                </ul>
              ) : null}
              {preview.checkIns ? (
                <ul className="import-counts" aria-label="What the import does">
                  <li>{preview.checkIns.teams} teams</li>
                  <li>{preview.checkIns.count} new check-ins</li>
                  <li>{preview.checkIns.alreadyThere} already there</li>
                  <li>{preview.errorCount} errors</li>
                </ul>
              ) : null}
              {preview.errorCount > 0 ? (
                <>
                  <h3>Errors (fix them in the file and upload it again)</h3>
                  <ul aria-label="Errors">
                    {preview.errors.map((err) => (
                      <li key={`${err.line}:${err.message}`}>
                        Line {err.line}: {err.message}
                      </li>
                    ))}
                  </ul>
                  <More shown={preview.errors.length} total={preview.errorCount} />
                </>
              ) : null}
              {preview.okrs ? (
                <>
                  {preview.okrs.newObjectives.length > 0 ? (
                    <details open={preview.errorCount === 0}>
                      <summary>New objectives (drafts)</summary>
                      <ul>
                        {preview.okrs.newObjectives.map((o) => (
                          <li key={o.line}>
                            Line {o.line}: {o.team} · {o.title}
                          </li>
                        ))}
                      </ul>
                      <More shown={preview.okrs.newObjectives.length} total={preview.okrs.newObjectiveCount} />
                    </details>
                  ) : null}
                  {preview.okrs.updatedObjectives.length > 0 ? (
                    <details>
                      <summary>Objectives updated</summary>
                      <ul>
                        {preview.okrs.updatedObjectives.map((o) => (
                          <li key={o.line}>
                            Line {o.line}: {o.team} · {o.title} ({o.fields.join(", ")})
                          </li>
                        ))}
                      </ul>
                      <More shown={preview.okrs.updatedObjectives.length} total={preview.okrs.updatedObjectiveCount} />
                    </details>
                  ) : null}
                  {preview.okrs.newKeyResults.length > 0 ? (
                    <details>
                      <summary>New key results</summary>
                      <ul>
                        {preview.okrs.newKeyResults.map((k) => (
                          <li key={k.line}>
                            Line {k.line}: {k.team} · {k.objective} · {k.title}
                          </li>
                        ))}
                      </ul>
                      <More shown={preview.okrs.newKeyResults.length} total={preview.okrs.newKeyResultCount} />
                    </details>
                  ) : null}
                  {preview.okrs.updatedKeyResults.length > 0 ? (
                    <details>
                      <summary>Key results updated</summary>
                      <ul>
                        {preview.okrs.updatedKeyResults.map((k) => (
                          <li key={k.line}>
                            Line {k.line}: {k.team} · {k.objective} · {k.title} ({k.fields.join(", ")})
                          </li>
                        ))}
                      </ul>
                      <More shown={preview.okrs.updatedKeyResults.length} total={preview.okrs.updatedKeyResultCount} />
                    </details>
                  ) : null}
                </>
              ) : null}
              {preview.checkIns && preview.checkIns.list.length > 0 ? (
                <details open={preview.errorCount === 0}>
                  <summary>New check-ins</summary>
                  <ul>
                    {preview.checkIns.list.map((c) => (
                      <li key={c.line}>
                        Line {c.line}: {c.team} · {c.title} · {formatDay(c.date)} · {c.value} · {CONFIDENCE[c.confidence]}
                      </li>
                    ))}
                  </ul>
                  <More shown={preview.checkIns.list.length} total={preview.checkIns.count} />
                </details>
              ) : null}
              {preview.committed ? (
                <p role="status">This file has been imported.</p>
              ) : preview.errorCount === 0 && count > 0 ? (
                <Form method="post">
                  <input type="hidden" name="intent" value="commit" />
                  <input type="hidden" name="importId" value={preview.id} />
                  <SubmitButton>Import {count} changes</SubmitButton>
                </Form>
              ) : preview.errorCount === 0 ? (
                <p>Nothing to import: everything in the file is there already.</p>
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
          Teams are found by name or identifier, people by email. Objectives are matched by title within their team and this cycle, key
          results by title within their objective: importing a file again updates what changed and adds nothing twice. New objectives are
          drafts. Templates: <a href={`${templates}?kind=okrs`}>OKR sets</a> (one line per key result; the cycle&apos;s CSV export has the
          same columns) · <a href={`${templates}?kind=checkins`}>check-ins</a> (one line per check-in).
        </p>
        <Form method="post" encType="multipart/form-data">
          <input type="hidden" name="intent" value="upload" />
          {failed?.intent !== "commit" ? <FormError error={e._form} /> : null}
          <SelectField
            label="The file holds"
            name="kind"
            error={e.kind}
            defaultValue={failed?.values?.kind}
            options={[
              { value: "okrs", label: "OKR sets (objectives and key results)" },
              ...(canCheckIn ? [{ value: "checkins", label: "Check-ins" }] : []),
            ]}
          />
          <div className="field">
            <label htmlFor="cycle-import-file">CSV file</label>
            <input
              id="cycle-import-file"
              type="file"
              name="file"
              accept={CSV_ACCEPT}
              aria-invalid={e.file ? true : undefined}
              aria-describedby={e.file ? "cycle-import-file-error" : undefined}
            />
            {e.file ? (
              <p className="field__error" id="cycle-import-file-error">
                {e.file}
              </p>
            ) : null}
          </div>
          <SubmitButton>Upload and preview</SubmitButton>
        </Form>
      </section>
    </>
  );
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `Import OKRs · ${data.cycle.name} · Rollout Desk` : "Import OKRs · Rollout Desk" },
];

export { RouteErrorBoundary as ErrorBoundary } from "~/components/error-message";
