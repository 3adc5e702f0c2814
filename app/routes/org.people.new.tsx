import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { PersonForm } from "~/components/org/org-forms";
import { createPerson, listTeamOptions, loadUnitIndex, unitOptions } from "~/models/org/org.server";
import { requirePermission } from "~/utils/auth.server";
import { getDb } from "~/utils/db.server";
import { parseForm, type FormFailure } from "~/utils/forms";
import { redirectWithToast } from "~/utils/toast.server";
import { personSchema } from "~/validation/org";
import { domainFailure } from "~/utils/action.server";

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, "org:write");
  const db = getDb();
  const index = await loadUnitIndex(db);
  const teams = await listTeamOptions(db, index);
  const search = new URL(request.url).searchParams;
  const team = teams.find((t) => t.id === search.get("team"));
  const unit = search.get("unit") ?? "";
  return {
    unitOptions: unitOptions(index),
    teams,
    defaults: { teamId: team?.id ?? "", unitId: team?.unitId ?? (index.byId.get(unit)?.archivedAt === null ? unit : "") },
  };
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requirePermission(request, "org:write");
  const parsed = parseForm(personSchema, await request.formData());
  if (!parsed.ok) return data<FormFailure>({ errors: parsed.errors, values: parsed.values }, { status: 400 });
  try {
    const person = await createPerson(getDb(), user, parsed.data);
    return redirectWithToast(request, `/org/people/${person.id}`, `${person.name} added to the organization.`);
  } catch (error) {
    return domainFailure(error, parsed.values);
  }
}

export default function NewPerson() {
  const { unitOptions, teams, defaults } = useLoaderData<typeof loader>();
  const failure = useActionData<typeof action>();
  return (
    <>
      <h1>New person</h1>
      <p className="lead">Someone in the organization: a team member, lead, coach or stakeholder. Emails are unique.</p>
      <section className="card">
        <PersonForm
          values={failure?.values ?? defaults}
          errors={failure?.errors ?? {}}
          unitOptions={unitOptions}
          teams={teams}
          submitLabel="Add person"
          intent="create"
        />
      </section>
    </>
  );
}

export const meta: MetaFunction = () => [{ title: "New person · Rollout Desk" }];

export { RouteErrorBoundary as ErrorBoundary } from "~/components/error-message";
