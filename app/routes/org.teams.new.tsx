import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { TeamForm } from "~/components/org/org-forms";
import { createTeam, loadUnitIndex, unitOptions } from "~/models/org/org.server";
import { requirePermission } from "~/utils/auth.server";
import { getDb } from "~/utils/db.server";
import { parseForm, type FormFailure } from "~/utils/forms";
import { redirectWithToast } from "~/utils/toast.server";
import { teamSchema } from "~/validation/org";
import { domainFailure } from "~/utils/action.server";

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, "org:write");
  const index = await loadUnitIndex(getDb());
  const unit = new URL(request.url).searchParams.get("unit") ?? "";
  return { unitOptions: unitOptions(index), unitId: index.byId.get(unit)?.archivedAt === null ? unit : "" };
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requirePermission(request, "org:write");
  const parsed = parseForm(teamSchema, await request.formData());
  if (!parsed.ok) return data<FormFailure>({ errors: parsed.errors, values: parsed.values }, { status: 400 });
  try {
    const team = await createTeam(getDb(), user, parsed.data);
    return redirectWithToast(request, `/org/teams/${team.id}`, `Team “${team.name}” created in ${team.unitPath}.`);
  } catch (error) {
    return domainFailure(error, parsed.values);
  }
}

export default function NewTeam() {
  const { unitOptions, unitId } = useLoaderData<typeof loader>();
  const failure = useActionData<typeof action>();
  return (
    <>
      <h1>New team</h1>
      <p className="lead">A team belongs to one unit; its name is unique within that unit.</p>
      <section className="card">
        <TeamForm
          values={failure?.values ?? { unitId }}
          errors={failure?.errors ?? {}}
          unitOptions={unitOptions}
          submitLabel="Create team"
          intent="create"
        />
      </section>
    </>
  );
}

export const meta: MetaFunction = () => [{ title: "New team · Rollout Desk" }];

export { RouteErrorBoundary as ErrorBoundary } from "~/components/error-message";
