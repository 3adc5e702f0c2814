import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useMemo } from "react";
import { StakeholderForm } from "~/components/plan-details/stakeholder-form";
import { StakeholderGrid } from "~/components/plan-details/stakeholder-grid";
import { StakeholderTable } from "~/components/plan-details/stakeholder-table";
import { CheckboxField, SelectField } from "~/components/ui/field";
import { createStakeholder, hideAttitude, listStakeholders } from "~/models/plan/stakeholders.server";
import { getDb } from "~/utils/db.server";
import { parseForm, type FormFailure } from "~/utils/forms";
import { can } from "~/utils/permissions";
import { requireProgram } from "~/utils/program-access.server";
import { redirectWithToast } from "~/utils/toast.server";
import {
  ATTITUDE_LABELS,
  filterSearch,
  parseStakeholderFilter,
  QUADRANT_LABELS,
  QUADRANTS,
  stakeholderSchema,
} from "~/validation/plan-details";
import { ATTITUDES } from "../../db/schema";
import { domainFailure } from "~/utils/action.server";
import * as dates from "~/utils/dates";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: "/styles/plan-details.css" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user, program } = await requireProgram(request, params, "plan:read");
  const showAttitudes = can(user.role, "stakeholders:attitudes");
  const parsed = parseStakeholderFilter(new URL(request.url).searchParams);
  // Filtering by attitude would reveal it: only for those who may see attitudes.
  const filter = showAttitudes ? parsed : { ...parsed, attitude: null };
  const today = dates.today();
  // One query: the grid shows everyone, the table what the filters keep (filtered here, the list is small).
  const rows = await listStakeholders(getDb(), program.id, today);
  const all = showAttitudes ? rows : rows.map(hideAttitude);
  const shown = all.filter(
    (s) =>
      (!filter.quadrant || s.quadrant === filter.quadrant) &&
      (!filter.attitude || s.attitude === filter.attitude) &&
      (!filter.overdue || s.overdue),
  );
  return {
    program: { id: program.id, name: program.name },
    all,
    // The table's rows by id: the grid shows everyone, so the rows travel once.
    shownIds: shown.map((s) => s.id),
    overdue: all.filter((s) => s.overdue).length,
    filter,
    canWrite: can(user.role, "plan:write"),
    showAttitudes,
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { user, program } = await requireProgram(request, params, "plan:write");
  const formData = await request.formData();
  if (formData.get("intent") !== "create") return data<FormFailure>({ errors: { _form: "Unknown action." }, values: {} }, { status: 400 });
  const parsed = parseForm(stakeholderSchema, formData);
  if (!parsed.ok) return data<FormFailure>({ errors: parsed.errors, values: parsed.values }, { status: 400 });
  try {
    await createStakeholder(getDb(), user, program.id, parsed.data);
  } catch (error) {
    return domainFailure(error, parsed.values);
  }
  return redirectWithToast(request, `/programs/${program.id}/stakeholders`, `Stakeholder ${parsed.data.personEmail} added.`);
}

export default function Stakeholders() {
  const { program, all, shownIds, overdue, filter, canWrite, showAttitudes } = useLoaderData<typeof loader>();
  const shown = useMemo(() => {
    const ids = new Set(shownIds);
    return all.filter((s) => ids.has(s.id));
  }, [all, shownIds]);
  const failure = useActionData<typeof action>();
  const filtered = Boolean(filter.quadrant || filter.attitude || filter.overdue);
  const search = filterSearch({ quadrant: filter.quadrant, attitude: filter.attitude, overdue: filter.overdue });
  return (
    <>
      <div className="page-header">
        <h1>Stakeholders</h1>
      </div>
      <ul className="plan-counts" aria-label="Stakeholders">
        <li>{all.length} in total</li>
        <li className={overdue ? "plan-counts__alert" : undefined}>
          <Link to="?overdue=1">{overdue} with a contact overdue</Link>
        </li>
      </ul>
      <StakeholderGrid programId={program.id} stakeholders={all} />
      <h2>All stakeholders</h2>
      <Form method="get" className="filter-bar" aria-label="Filter stakeholders">
        <SelectField
          label="Grid"
          name="quadrant"
          defaultValue={filter.quadrant ?? ""}
          options={[{ value: "", label: "Anywhere" }, ...QUADRANTS.map((q) => ({ value: q.id, label: QUADRANT_LABELS[q.id] }))]}
        />
        {showAttitudes ? (
          <SelectField
            label="Attitude"
            name="attitude"
            defaultValue={filter.attitude ?? ""}
            options={[{ value: "", label: "Any attitude" }, ...ATTITUDES.map((a) => ({ value: a, label: ATTITUDE_LABELS[a] }))]}
          />
        ) : null}
        <CheckboxField label="Contact overdue only" name="overdue" defaultChecked={filter.overdue} />
        <button type="submit" className="button button--secondary">
          Filter
        </button>
        {filtered ? <Link to=".">Clear filters</Link> : null}
      </Form>
      <StakeholderTable
        programId={program.id}
        csvHref={`/programs/${program.id}/stakeholders.csv${search}`}
        stakeholders={shown}
        caption={`Stakeholders of ${program.name}`}
        canWrite={canWrite}
      />
      {canWrite ? (
        <section className="card plan-create" aria-labelledby="new-stakeholder">
          <h2 id="new-stakeholder">Add a stakeholder</h2>
          <StakeholderForm values={failure?.values ?? {}} errors={failure?.errors ?? {}} submitLabel="Add stakeholder" intent="create" />
        </section>
      ) : null}
    </>
  );
}

export const meta: MetaFunction = () => [{ title: "Stakeholders · Rollout Desk" }];

export { RouteErrorBoundary as ErrorBoundary } from "~/components/error-message";
