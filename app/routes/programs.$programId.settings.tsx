import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { ProgramForm } from "~/components/program-form";
import { SubmitButton } from "~/components/ui/submit-button";
import { setProgramArchived, updateProgram } from "~/models/programs/programs.server";
import { getDb } from "~/utils/db.server";
import { parseForm, type FormFailure } from "~/utils/forms";
import { requireProgram } from "~/utils/program-access.server";
import { redirectWithToast } from "~/utils/toast.server";
import { programSchema } from "~/validation/program";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { program } = await requireProgram(request, params, "programs:write");
  return { program };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { user, program } = await requireProgram(request, params, "programs:write");
  const formData = await request.formData();
  const intent = formData.get("intent");
  const db = getDb();
  switch (intent) {
    case "save": {
      const parsed = parseForm(programSchema, formData);
      if (!parsed.ok) return data<FormFailure>({ errors: parsed.errors, values: parsed.values }, { status: 400 });
      await updateProgram(db, user, program.id, parsed.data);
      return redirectWithToast(request, `/programs/${program.id}`, "Program saved.");
    }
    case "archive":
    case "unarchive": {
      await setProgramArchived(db, user, program.id, intent === "archive");
      return redirectWithToast(
        request,
        intent === "archive" ? "/programs" : `/programs/${program.id}`,
        intent === "archive" ? `Program “${program.name}” archived.` : `Program “${program.name}” restored.`,
      );
    }
    default:
      return data<FormFailure>({ errors: { _form: "Unknown action." }, values: {} }, { status: 400 });
  }
}

export default function ProgramSettings() {
  const { program } = useLoaderData<typeof loader>();
  const failure = useActionData<typeof action>();
  const values = failure?.values ?? {
    name: program.name,
    description: program.description,
    startsOn: program.starts_on ?? "",
    endsOn: program.ends_on ?? "",
    status: program.status,
  };
  const archived = program.status === "archived";
  return (
    <>
      <h1>Program settings</h1>
      <ProgramForm values={values} errors={failure?.errors ?? {}} submitLabel="Save program" />
      <section className="card" aria-labelledby="program-export">
        <h2 id="program-export">Move to another installation</h2>
        <p className="muted">
          One JSON file with everything of this program — plan, coaching (with session notes), RACI matrix, OKR cycles, enablement and
          reports — and the people, teams and units it names. An administrator of the other installation imports it under{" "}
          <em>Programs › Import a program</em>. Accounts are not part of it. Keep the file as private as the program itself.
        </p>
        <a className="button button--secondary" href={`/programs/${program.id}/export.json`} download>
          Export the whole program (JSON)
        </a>
      </section>
      <section className="card danger-zone">
        <h2>{archived ? "Restore program" : "Archive program"}</h2>
        <p className="muted">
          {archived
            ? "Restoring makes the program active again and shows it in the program switcher."
            : "Archiving hides the program from the switcher. Nothing is deleted: its history stays readable and it can be restored."}
        </p>
        <Form method="post">
          <SubmitButton name="intent" value={archived ? "unarchive" : "archive"} className="button button--secondary">
            {archived ? "Restore program" : "Archive program"}
          </SubmitButton>
        </Form>
      </section>
    </>
  );
}

export { RouteErrorBoundary as ErrorBoundary } from "~/components/error-message";
