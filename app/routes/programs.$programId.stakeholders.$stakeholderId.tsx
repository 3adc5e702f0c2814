import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { StakeholderForm } from "~/components/plan-details/stakeholder-form";
import { ContactState } from "~/components/plan-details/stakeholder-table";
import { DangerZone } from "~/components/ui/danger-zone";
import { SubmitButton } from "~/components/ui/submit-button";
import { getStakeholder, hideAttitude, markContacted, removeStakeholder, updateStakeholder } from "~/models/plan/stakeholders.server";
import { getDb } from "~/utils/db.server";
import { parseForm, type FormFailure, unconfirmed } from "~/utils/forms";
import { can } from "~/utils/permissions";
import { requireProgram } from "~/utils/program-access.server";
import { redirectWithToast } from "~/utils/toast.server";
import { ATTITUDE_LABELS, QUADRANT_LABELS, stakeholderSchema } from "~/validation/plan-details";
import { domainFailure } from "~/utils/action.server";
import * as dates from "~/utils/dates";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: "/styles/plan-details.css" }];

const NOT_FOUND = "This stakeholder does not exist in this program (or was removed).";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user, program } = await requireProgram(request, params, "plan:read");
  const today = dates.today();
  const found = await getStakeholder(getDb(), program.id, params.stakeholderId ?? "", today);
  if (!found) throw new Response(NOT_FOUND, { status: 404 });
  const stakeholder = can(user.role, "stakeholders:attitudes") ? found : hideAttitude(found);
  return { programId: program.id, stakeholder, today, canWrite: can(user.role, "plan:write") };
}

type Failure = FormFailure & { intent: string };

export async function action({ request, params }: ActionFunctionArgs) {
  const { user, program } = await requireProgram(request, params, "plan:write");
  const id = params.stakeholderId ?? "";
  const db = getDb();
  const formData = await request.formData();
  const intent = String(formData.get("intent") ?? "");
  const list = `/programs/${program.id}/stakeholders`;
  switch (intent) {
    case "save": {
      const parsed = parseForm(stakeholderSchema, formData);
      if (!parsed.ok) return data<Failure>({ intent, errors: parsed.errors, values: parsed.values }, { status: 400 });
      try {
        const saved = await updateStakeholder(db, user, program.id, id, parsed.data);
        if (!saved) throw new Response(NOT_FOUND, { status: 404 });
      } catch (error) {
        return domainFailure(error, parsed.values, { intent });
      }
      return redirectWithToast(request, list, "Stakeholder saved.");
    }
    case "contacted": {
      const name = await markContacted(db, user, program.id, id, dates.today());
      if (name === null) throw new Response(NOT_FOUND, { status: 404 });
      // The quick action on the list comes back to the list; only that one place is allowed.
      const back = formData.get("returnTo") === "list" ? list : `${list}/${id}`;
      return redirectWithToast(request, back, `Contact with ${name} recorded for today.`);
    }
    case "remove": {
      const unticked = unconfirmed(formData, "removal");
      if (unticked) return data<Failure>({ intent, errors: unticked, values: {} }, { status: 400 });
      const name = await removeStakeholder(db, user, program.id, id);
      if (name === null) throw new Response(NOT_FOUND, { status: 404 });
      return redirectWithToast(request, list, `${name} is no longer a stakeholder of this program.`);
    }
    default:
      return data<Failure>({ intent, errors: { _form: "Unknown action." }, values: {} }, { status: 400 });
  }
}

export default function StakeholderDetail() {
  const { programId, stakeholder, canWrite } = useLoaderData<typeof loader>();
  const failure = useActionData<typeof action>();
  const errorsFor = (intent: string) => (failure?.intent === intent ? failure.errors : {});
  const values =
    failure?.intent === "save"
      ? failure.values
      : {
          personEmail: stakeholder.email,
          influence: stakeholder.influence,
          interest: stakeholder.interest,
          attitude: stakeholder.attitude ?? "neutral",
          communicationPlan: stakeholder.communicationPlan,
          contactEveryDays: String(stakeholder.contactEveryDays),
          lastContactOn: stakeholder.lastContactOn ?? "",
        };
  return (
    <>
      <p>
        <Link to={`/programs/${programId}/stakeholders`}>← All stakeholders</Link>
      </p>
      <h1>{stakeholder.name}</h1>
      <p className="muted">{[stakeholder.title, stakeholder.unitName, stakeholder.email].filter(Boolean).join(" · ")}</p>
      <dl className="facts">
        <div>
          <dt>Grid</dt>
          <dd>
            {QUADRANT_LABELS[stakeholder.quadrant]} (influence {stakeholder.influence}, interest {stakeholder.interest})
          </dd>
        </div>
        {stakeholder.attitude ? (
          <div>
            <dt>Attitude</dt>
            <dd>{ATTITUDE_LABELS[stakeholder.attitude]}</dd>
          </div>
        ) : null}
        <div>
          <dt>Last contact</dt>
          <dd>{dates.formatDate(stakeholder.lastContactOn) ?? "Never"}</dd>
        </div>
        <div>
          <dt>Contact</dt>
          <dd>
            <ContactState stakeholder={stakeholder} /> (every {stakeholder.contactEveryDays} days)
          </dd>
        </div>
      </dl>
      {stakeholder.communicationPlan ? (
        <section className="card">
          <h2>Communication plan</h2>
          <p className="plan-notes">{stakeholder.communicationPlan}</p>
        </section>
      ) : null}
      {canWrite ? (
        <>
          <Form method="post" className="button-row">
            <SubmitButton name="intent" value="contacted" className="button">
              Contacted today
            </SubmitButton>
          </Form>
          <section className="card" aria-labelledby="edit-stakeholder">
            <h2 id="edit-stakeholder">Edit</h2>
            <StakeholderForm values={values} errors={errorsFor("save")} submitLabel="Save stakeholder" intent="save" />
          </section>
          <DangerZone
            title="Remove from stakeholders"
            confirmLabel={`Yes, remove ${stakeholder.name}`}
            intent="remove"
            submitLabel="Remove stakeholder"
            errors={errorsFor("remove")}
          >
            <p className="muted">The person stays in the organization; only their place in this program's stakeholder list goes.</p>
          </DangerZone>
        </>
      ) : null}
    </>
  );
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.stakeholder.name} · Stakeholders · Rollout Desk` : "Stakeholder · Rollout Desk" },
];

export { RouteErrorBoundary as ErrorBoundary } from "~/components/error-message";
