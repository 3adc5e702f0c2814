import { CSV_ACCEPT } from "~/utils/csv";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, unstable_parseMultipartFormData, unstable_createMemoryUploadHandler, MaxPartSizeExceededError } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { SubmitButton } from "~/components/ui/submit-button";
import { csvToMatrix } from "~/models/raci/csv";
import { getMatrix } from "~/models/raci/matrix.server";
import { replaceContent } from "~/models/raci/restore.server";
import { getDb } from "~/utils/db.server";
import { requireProgram } from "~/utils/program-access.server";
import { redirectWithToast } from "~/utils/toast.server";

const MAX_BYTES = 1_000_000;

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { program } = await requireProgram(request, params, "raci:write");
  if (!(await getMatrix(getDb(), program.id))) throw new Response("Create the matrix before importing into it.", { status: 404 });
  return { programId: program.id };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { user, program } = await requireProgram(request, params, "raci:write");
  let text: string;
  try {
    const form = await unstable_parseMultipartFormData(request, unstable_createMemoryUploadHandler({ maxPartSize: MAX_BYTES }));
    const file = form.get("file");
    if (!file || typeof file === "string" || file.size === 0) return data({ errors: ["Choose a CSV file to import."] }, { status: 400 });
    text = await file.text();
  } catch (error) {
    if (error instanceof MaxPartSizeExceededError)
      return data({ errors: ["The file is larger than 1 MB; a RACI matrix is much smaller."] }, { status: 400 });
    return data({ errors: ["The upload could not be read. Send the file from this form."] }, { status: 400 });
  }
  const parsed = csvToMatrix(text);
  if (!parsed.ok) return data({ errors: parsed.errors }, { status: 400 });
  const result = await replaceContent(getDb(), user, program.id, parsed.content, "a CSV file");
  return redirectWithToast(
    request,
    `/programs/${program.id}/raci`,
    result.changes
      ? `Imported: ${result.changes} change${result.changes === 1 ? "" : "s"} applied. The previous version is in the history.`
      : "Imported: the file matches the matrix, nothing changed.",
  );
}

export default function ImportRaci() {
  const { programId } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <section className="card narrow">
      <h1>Import the RACI matrix from CSV</h1>
      <p>
        The file replaces the whole matrix (roles, activities, cells), as one change you can undo from the history. Use the layout of the
        export: <code>Group, Activity, role…</code>, an optional <code>Filled by</code> row, then one row per activity with R, A, C, I or
        nothing.
      </p>
      {result?.errors?.length ? (
        <div className="form-error" role="alert">
          <p>Nothing was imported:</p>
          <ul>
            {result.errors.map((e: string) => (
              <li key={e}>{e}</li>
            ))}
          </ul>
        </div>
      ) : null}
      <Form method="post" encType="multipart/form-data">
        <div className="field">
          <label htmlFor="raci-file">CSV file</label>
          <input id="raci-file" type="file" name="file" accept={CSV_ACCEPT} required />
        </div>
        <SubmitButton pendingText="Importing…">Import</SubmitButton> <Link to={`/programs/${programId}/raci`}>Cancel</Link>
      </Form>
    </section>
  );
}

export const meta: MetaFunction = () => [{ title: "Import RACI · Rollout Desk" }];

export { RouteErrorBoundary as ErrorBoundary } from "~/components/error-message";
