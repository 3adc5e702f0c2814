import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { MilestoneForm } from "~/components/plan-details/milestone-form";
import { MilestoneStatePill } from "~/components/plan-details/milestone-table";
import { DangerZone } from "~/components/ui/danger-zone";
import { FormError, InputField } from "~/components/ui/field";
import { SubmitButton } from "~/components/ui/submit-button";
import { deleteMilestone, getMilestone, markMilestoneDone, updateMilestone } from "~/models/plan/milestones.server";
import { listWaveOptions } from "~/models/plan/refs.server";
import { getDb } from "~/utils/db.server";
import { parseForm, type FormFailure, unconfirmed } from "~/utils/forms";
import { can } from "~/utils/permissions";
import { requireProgram } from "~/utils/program-access.server";
import { redirectWithToast } from "~/utils/toast.server";
import { markDoneSchema, milestoneSchema } from "~/validation/plan-details";
import { domainFailure } from "~/utils/action.server";
import * as dates from "~/utils/dates";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: "/styles/plan-details.css" }];

const NOT_FOUND = "This milestone does not exist in this program (or was deleted).";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user, program } = await requireProgram(request, params, "plan:read");
  const db = getDb();
  const today = dates.today();
  const [milestone, waves] = await Promise.all([
    getMilestone(db, program.id, params.milestoneId ?? "", today),
    listWaveOptions(db, program.id),
  ]);
  if (!milestone) throw new Response(NOT_FOUND, { status: 404 });
  return {
    programId: program.id,
    milestone,
    waves: waves.map((w) => ({ id: w.id, name: w.name })),
    today,
    canWrite: can(user.role, "plan:write"),
  };
}

type Failure = FormFailure & { intent: string };

export async function action({ request, params }: ActionFunctionArgs) {
  const { user, program } = await requireProgram(request, params, "plan:write");
  const id = params.milestoneId ?? "";
  const db = getDb();
  const today = dates.today();
  const formData = await request.formData();
  const intent = String(formData.get("intent") ?? "");
  const list = `/programs/${program.id}/milestones`;
  switch (intent) {
    case "save": {
      const parsed = parseForm(milestoneSchema, formData);
      if (!parsed.ok) return data<Failure>({ intent, errors: parsed.errors, values: parsed.values }, { status: 400 });
      try {
        const saved = await updateMilestone(db, user, program.id, id, parsed.data, today);
        if (!saved) throw new Response(NOT_FOUND, { status: 404 });
      } catch (error) {
        return domainFailure(error, parsed.values, { intent });
      }
      return redirectWithToast(request, list, `Milestone “${parsed.data.title}” saved.`);
    }
    case "done": {
      const parsed = parseForm(markDoneSchema, formData);
      if (!parsed.ok) return data<Failure>({ intent, errors: parsed.errors, values: parsed.values }, { status: 400 });
      const done = await markMilestoneDone(db, user, program.id, id, parsed.data.doneOn ?? today);
      if (!done) throw new Response(NOT_FOUND, { status: 404 });
      return redirectWithToast(request, list, `Milestone “${done.title}” marked done.`);
    }
    case "delete": {
      const unticked = unconfirmed(formData);
      if (unticked) return data<Failure>({ intent, errors: unticked, values: {} }, { status: 400 });
      const title = await deleteMilestone(db, user, program.id, id);
      if (title === null) throw new Response(NOT_FOUND, { status: 404 });
      return redirectWithToast(request, list, `Milestone “${title}” deleted.`);
    }
    default:
      return data<Failure>({ intent, errors: { _form: "Unknown action." }, values: {} }, { status: 400 });
  }
}

export default function MilestoneDetail() {
  const { programId, milestone, waves, today, canWrite } = useLoaderData<typeof loader>();
  const failure = useActionData<typeof action>();
  const errorsFor = (intent: string) => (failure?.intent === intent ? failure.errors : {});
  const values =
    failure?.intent === "save"
      ? failure.values
      : {
          title: milestone.title,
          dueOn: milestone.dueOn,
          status: milestone.status,
          doneOn: milestone.doneOn ?? "",
          ownerEmail: milestone.ownerEmail ?? "",
          waveId: milestone.waveId ?? "",
          notes: milestone.notes,
        };
  return (
    <>
      <p>
        <Link to={`/programs/${programId}/milestones`}>← All milestones</Link>
      </p>
      <h1>{milestone.title}</h1>
      <dl className="facts">
        <div>
          <dt>Status</dt>
          <dd>
            <MilestoneStatePill state={milestone.state} />
          </dd>
        </div>
        <div>
          <dt>Due</dt>
          <dd>{dates.formatDate(milestone.dueOn)}</dd>
        </div>
        {milestone.doneOn ? (
          <div>
            <dt>Done on</dt>
            <dd>{dates.formatDate(milestone.doneOn)}</dd>
          </div>
        ) : null}
        <div>
          <dt>Owner</dt>
          <dd>{milestone.ownerName ? `${milestone.ownerName} (${milestone.ownerEmail})` : "Nobody yet"}</dd>
        </div>
        <div>
          <dt>Wave</dt>
          <dd>{milestone.waveName ?? "None"}</dd>
        </div>
      </dl>
      {!canWrite && milestone.notes ? <p className="plan-notes">{milestone.notes}</p> : null}
      {canWrite ? (
        <>
          {milestone.status !== "done" ? (
            <section className="card" aria-labelledby="mark-done">
              <h2 id="mark-done">Mark done</h2>
              <Form method="post" className="inline-form">
                <FormError error={errorsFor("done")._form} />
                <InputField label="Done on" name="doneOn" type="date" defaultValue={today} error={errorsFor("done").doneOn} />
                <SubmitButton name="intent" value="done">
                  Mark done
                </SubmitButton>
              </Form>
            </section>
          ) : null}
          <section className="card" aria-labelledby="edit-milestone">
            <h2 id="edit-milestone">Edit</h2>
            <MilestoneForm values={values} errors={errorsFor("save")} waves={waves} submitLabel="Save milestone" intent="save" />
          </section>
          <DangerZone
            title="Delete milestone"
            confirmLabel={`Yes, delete “${milestone.title}”`}
            intent="delete"
            submitLabel="Delete milestone"
            errors={errorsFor("delete")}
          >
            <p className="muted">Deleting removes the milestone from the plan and the timeline. The audit log keeps a record of it.</p>
          </DangerZone>
        </>
      ) : null}
    </>
  );
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.milestone.title} · Milestones · Rollout Desk` : "Milestone · Rollout Desk" },
];

export { RouteErrorBoundary as ErrorBoundary } from "~/components/error-message";
