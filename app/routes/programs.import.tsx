import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { MaxPartSizeExceededError, unstable_createMemoryUploadHandler, unstable_parseMultipartFormData } from "@remix-run/node";
import { Form, Link, useActionData } from "@remix-run/react";
import { SubmitButton } from "~/components/ui/submit-button";
import { MAX_UPLOAD_BYTES } from "~/models/org/import-fields";
import { importProgram, parseDocument, type ImportSummary } from "~/models/programs/transfer.server";
import { attempt, failure } from "~/utils/action.server";
import { requirePermission } from "~/utils/auth.server";
import { getDb } from "~/utils/db.server";

// Import a program exported from another installation (ADR 0018): one upload, validated whole,
// written in one transaction; the answer sums up what came in and links to the new program.

const MAX_MB = MAX_UPLOAD_BYTES / 1024 / 1024;
const TOO_LARGE = `The file is larger than ${MAX_MB} MB, the most an upload may be.`;

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, "programs:import");
  return null;
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requirePermission(request, "programs:import");
  if (!(request.headers.get("Content-Type") ?? "").startsWith("multipart/form-data"))
    return failure({ file: "Choose the program's .json file (exported from a program's settings)." });
  let form: FormData;
  try {
    form = await unstable_parseMultipartFormData(request, unstable_createMemoryUploadHandler({ maxPartSize: MAX_UPLOAD_BYTES }));
  } catch (error) {
    if (error instanceof MaxPartSizeExceededError) return failure({ file: TOO_LARGE }, {}, 413);
    return failure({ file: "The upload could not be read. Send the file from this page." });
  }
  const file = form.get("file");
  if (!file || typeof file === "string" || file.size === 0)
    return failure({ file: "Choose the program's .json file (exported from a program's settings)." });
  const text = new TextDecoder("utf-8").decode(new Uint8Array(await file.arrayBuffer()));
  const parsed = parseDocument(text);
  if (!parsed.ok) return failure({ file: `Nothing was imported. ${parsed.problems.slice(0, 5).join(" · ")}` });
  return attempt({}, async () => {
    const summary = await importProgram(getDb(), parsed.document, { actor: user });
    return { summary, fileName: file.name };
  });
}

const SECTION_LABELS: Record<string, string> = {
  waves: "waves",
  programTeams: "teams in the plan",
  milestones: "milestones",
  stakeholders: "stakeholders",
  risks: "risks",
  coaches: "coaches",
  coachAssignments: "coach assignments",
  supportSessions: "support sessions",
  escalations: "escalations",
  learnings: "learnings",
  activities: "RACI activities",
  roles: "RACI roles",
  cycles: "OKR cycles",
  objectives: "objectives",
  keyResults: "key results",
  checkIns: "check-ins",
  modules: "enablement modules",
  requirements: "training requirements",
  trainingSessions: "training sessions",
  completions: "completions",
  statusReports: "status reports",
  decisions: "decisions",
  budgetLines: "budget lines",
};

function Summary({ summary, fileName }: { summary: ImportSummary; fileName: string }) {
  const org = summary.organization;
  const shown = summary.sections.filter((s) => SECTION_LABELS[s.section] && s.rows > 0);
  return (
    <section className="card" aria-labelledby="import-done">
      <h2 id="import-done">{`Imported “${summary.programName}”`}</h2>
      <p role="status">
        {[
          `From ${fileName}${summary.exportedAt ? `, exported ${summary.exportedAt.slice(0, 10)}` : ""}.`,
          summary.renamedFrom
            ? `A program named “${summary.renamedFrom}” exists here already, so the new one is called “${summary.programName}”.`
            : "",
        ].join(" ")}
      </p>
      <p>
        <Link className="button" to={`/programs/${summary.programId}`}>
          Open the imported program
        </Link>
      </p>
      <h3>Organization</h3>
      <ul>
        <li>
          People: {org.people.matched} matched by employee number or email, {org.people.created} added
        </li>
        <li>
          Teams: {org.teams.matched} matched, {org.teams.created} added
        </li>
        <li>
          Units: {org.units.matched} matched, {org.units.created} added
        </li>
        <li>
          Accounts named in the file: {summary.accounts.matched} found here by email
          {summary.accounts.unmatched ? `, ${summary.accounts.unmatched} not (their rows keep the name only)` : ""}
        </li>
      </ul>
      <h3>Program</h3>
      {shown.length ? null : <p>The program itself, with nothing in it yet.</p>}
      <ul>
        {shown.map((s) => (
          <li key={s.section}>
            {s.rows} {SECTION_LABELS[s.section]}
          </li>
        ))}
      </ul>
    </section>
  );
}

export default function ImportProgram() {
  const result = useActionData<typeof action>();
  const error = result && "errors" in result ? result.errors.file : undefined;
  const done = result && "summary" in result ? result : null;
  return (
    <>
      <h1>Import a program</h1>
      <p className="lead">
        Bring in a program exported from another Rollout Desk installation (<em>Program settings › Export the whole program</em>): its plan,
        coaching, RACI matrix, OKR cycles, enablement and reports. It becomes a new program here. People, teams and units are matched by
        employee number, email and name, and added when missing; accounts are not moved — a row an unknown account wrote keeps only the
        name.
      </p>
      {done ? <Summary summary={done.summary} fileName={done.fileName} /> : null}
      {done ? <h2>Import another program</h2> : null}
      <Form method="post" encType="multipart/form-data" action="/programs/import">
        <div className={error ? "field field--invalid" : "field"}>
          <label htmlFor="program-import-file">Program export (.json)</label>
          <input
            id="program-import-file"
            type="file"
            name="file"
            accept=".json,application/json"
            required
            aria-describedby={error ? "program-import-file-hint program-import-file-error" : "program-import-file-hint"}
            aria-invalid={error ? true : undefined}
          />
          {error ? (
            <p className="field__error" role="alert" id="program-import-file-error">
              {error}
            </p>
          ) : null}
          <p className="field__hint" id="program-import-file-hint">
            The file as the export wrote it, up to {MAX_MB} MB. Nothing is written unless all of it can be imported.
          </p>
        </div>
        <SubmitButton pendingText="Importing…">Import program</SubmitButton> <Link to="/programs">Cancel</Link>
      </Form>
    </>
  );
}

export const meta: MetaFunction = () => [{ title: "Import a program · Rollout Desk" }];

export { RouteErrorBoundary as ErrorBoundary } from "~/components/error-message";
