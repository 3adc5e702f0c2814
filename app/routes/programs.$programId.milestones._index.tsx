import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { MilestoneForm, waveOptions } from "~/components/plan-details/milestone-form";
import { MilestoneTable } from "~/components/plan-details/milestone-table";
import { SelectField } from "~/components/ui/field";
import { createMilestone, listMilestones, milestoneCounts } from "~/models/plan/milestones.server";
import { listWaveOptions } from "~/models/plan/refs.server";
import { getDb } from "~/utils/db.server";
import { parseForm, type FormFailure } from "~/utils/forms";
import { can } from "~/utils/permissions";
import { requireProgram } from "~/utils/program-access.server";
import { redirectWithToast } from "~/utils/toast.server";
import { filterSearch, MILESTONE_STATE_LABELS, MILESTONE_STATES, milestoneSchema, parseMilestoneFilter } from "~/validation/plan-details";
import { domainFailure } from "~/utils/action.server";
import * as dates from "~/utils/dates";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: "/styles/plan-details.css" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user, program } = await requireProgram(request, params, "plan:read");
  const filter = parseMilestoneFilter(new URL(request.url).searchParams);
  const today = dates.today();
  const db = getDb();
  const [milestones, waves, counts] = await Promise.all([
    listMilestones(db, program.id, today, filter),
    listWaveOptions(db, program.id),
    milestoneCounts(db, program.id, today),
  ]);
  return {
    program: { id: program.id, name: program.name },
    milestones,
    waves: waves.map((w) => ({ id: w.id, name: w.name })),
    counts,
    filter,
    canWrite: can(user.role, "plan:write"),
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { user, program } = await requireProgram(request, params, "plan:write");
  const formData = await request.formData();
  if (formData.get("intent") !== "create") return data<FormFailure>({ errors: { _form: "Unknown action." }, values: {} }, { status: 400 });
  const parsed = parseForm(milestoneSchema, formData);
  if (!parsed.ok) return data<FormFailure>({ errors: parsed.errors, values: parsed.values }, { status: 400 });
  try {
    await createMilestone(getDb(), user, program.id, parsed.data, dates.today());
  } catch (error) {
    return domainFailure(error, parsed.values);
  }
  return redirectWithToast(request, `/programs/${program.id}/milestones`, `Milestone “${parsed.data.title}” added.`);
}

export default function Milestones() {
  const { program, milestones, waves, counts, filter, canWrite } = useLoaderData<typeof loader>();
  const failure = useActionData<typeof action>();
  const filtered = Boolean(filter.state || filter.waveId);
  const search = filterSearch({ status: filter.state, wave: filter.waveId });
  return (
    <>
      <div className="page-header">
        <h1>Milestones</h1>
        <p className="button-row">
          <Link className="button button--secondary button--small" to={`/programs/${program.id}/timeline`}>
            Timeline
          </Link>
        </p>
      </div>
      <ul className="plan-counts" aria-label="Milestones by status">
        <li>{counts.total} in total</li>
        <li>{counts.planned} planned</li>
        <li>{counts.inProgress} in progress</li>
        <li>{counts.done} done</li>
        <li className={counts.late ? "plan-counts__alert" : undefined}>
          <Link to="?status=late">{counts.late} late</Link>
        </li>
      </ul>
      <Form method="get" className="filter-bar" aria-label="Filter milestones">
        <SelectField
          label="Status"
          name="status"
          defaultValue={filter.state ?? ""}
          options={[{ value: "", label: "Any status" }, ...MILESTONE_STATES.map((s) => ({ value: s, label: MILESTONE_STATE_LABELS[s] }))]}
        />
        <SelectField
          label="Wave"
          name="wave"
          defaultValue={filter.waveId ?? ""}
          options={[
            { value: "", label: "Any wave" },
            ...waveOptions(waves, "No wave").map((o) => (o.value === "" ? { value: "none", label: o.label } : o)),
          ]}
        />
        <button type="submit" className="button button--secondary">
          Filter
        </button>
        {filtered ? <Link to=".">Clear filters</Link> : null}
      </Form>
      <MilestoneTable
        programId={program.id}
        csvHref={`/programs/${program.id}/milestones.csv${search}`}
        milestones={milestones}
        caption={`Milestones of ${program.name}`}
      />
      {canWrite ? (
        <section className="card plan-create" aria-labelledby="new-milestone">
          <h2 id="new-milestone">Add a milestone</h2>
          <MilestoneForm
            values={failure?.values ?? {}}
            errors={failure?.errors ?? {}}
            waves={waves}
            submitLabel="Add milestone"
            intent="create"
          />
        </section>
      ) : null}
    </>
  );
}

export const meta: MetaFunction = () => [{ title: "Milestones · Rollout Desk" }];

export { RouteErrorBoundary as ErrorBoundary } from "~/components/error-message";
