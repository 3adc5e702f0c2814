import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { useActionData } from "@remix-run/react";
import { ProgramForm } from "~/components/program-form";
import { createProgram } from "~/models/programs/programs.server";
import { requirePermission } from "~/utils/auth.server";
import { getDb } from "~/utils/db.server";
import { parseForm, type FormFailure } from "~/utils/forms";
import { redirectWithToast } from "~/utils/toast.server";
import { programSchema } from "~/validation/program";

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, "programs:write");
  return null;
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requirePermission(request, "programs:write");
  const parsed = parseForm(programSchema, await request.formData());
  if (!parsed.ok) return data<FormFailure>({ errors: parsed.errors, values: parsed.values }, { status: 400 });
  const program = await createProgram(getDb(), user, parsed.data);
  return redirectWithToast(request, `/programs/${program.id}`, `Program “${program.name}” created.`);
}

export default function NewProgram() {
  const failure = useActionData<typeof action>();
  return (
    <>
      <h1>New program</h1>
      <ProgramForm values={failure?.values ?? { status: "planned" }} errors={failure?.errors ?? {}} submitLabel="Create program" />
    </>
  );
}

export const meta: MetaFunction = () => [{ title: "New program · Rollout Desk" }];

export { RouteErrorBoundary as ErrorBoundary } from "~/components/error-message";
