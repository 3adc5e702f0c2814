import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { failureOf, ObjectiveCard } from "~/components/cycles/objective-card";
import { ObjectiveFields } from "~/components/cycles/okr-fields";
import { FormError, SelectField } from "~/components/ui/field";
import { SubmitButton } from "~/components/ui/submit-button";
import { mayWriteUpperLevels } from "~/models/cycles/access.server";
import { eventFormOptions, getCycle } from "~/models/cycles/cycles.server";
import { createObjective, upperObjectives } from "~/models/cycles/okrs.server";
import { attempt, failure, orErrorResponse } from "~/utils/action.server";
import { requireCycles } from "~/utils/cycles-http.server";
import { today as todayOf } from "~/utils/dates";
import { getDb } from "~/utils/db.server";
import { parseForm } from "~/utils/forms";
import { okrIntent } from "~/utils/okr-forms.server";
import { redirectWithToast } from "~/utils/toast.server";
import { objectiveSchema, upperTargetSchema } from "~/validation/cycles";

// The company's and the units' objectives of a cycle: what team objectives align to. Every
// program reader reads them; the sponsor and the PLO write them.

export const links: LinksFunction = () => [{ rel: "stylesheet", href: "/styles/cycles.css" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { program, viewer } = await requireCycles(request, params);
  const db = getDb();
  const cycle = await orErrorResponse(() => getCycle(db, program.id, params.cycleId ?? ""));
  const write = mayWriteUpperLevels(viewer);
  const [objectives, options] = await Promise.all([
    upperObjectives(db, cycle.id),
    write ? eventFormOptions(db, program.id) : Promise.resolve({ waves: [], units: [] }),
  ]);
  return {
    programId: program.id,
    cycle,
    objectives,
    units: options.units,
    rights: { read: true, editSet: write, editDrafts: write, comment: write, resolve: write },
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { program, viewer } = await requireCycles(request, params, "okrs:upper");
  const db = getDb();
  const today = todayOf();
  const cycleId = params.cycleId ?? "";
  const here = `/programs/${program.id}/cycles/${cycleId}/objectives`;
  const formData = await request.formData();
  const intent = String(formData.get("intent") ?? "");
  if (intent === "add-objective") {
    const parsed = parseForm(objectiveSchema.and(upperTargetSchema), formData);
    if (!parsed.ok) return failure(parsed.errors, parsed.values, 400, { intent });
    return attempt(
      parsed.values,
      async () => {
        await createObjective(
          db,
          viewer,
          program.id,
          cycleId,
          { level: parsed.data.level, unitId: parsed.data.unitId },
          parsed.data,
          today,
        );
        return redirectWithToast(request, here, `Objective “${parsed.data.title}” added.`);
      },
      { intent },
    );
  }
  return okrIntent(intent, formData, { request, viewer, programId: program.id, here, today });
}

export default function UpperObjectives() {
  const { programId, cycle, objectives, units, rights } = useLoaderData<typeof loader>();
  const failed = useActionData<typeof action>();
  const addFailed = failureOf(failed, "add-objective");
  const companyParents = objectives.filter((o) => o.level === "company").map((o) => ({ id: o.id, title: o.title, level: o.level }));
  const withKrComments = objectives.map((o) => ({
    ...o,
    keyResults: o.keyResults.map((kr) => ({ ...kr, comments: o.comments.filter((c) => c.keyResultId === kr.id) })),
  }));
  return (
    <>
      <p>
        <Link to={`/programs/${programId}/cycles/${cycle.id}`}>← {cycle.name}</Link>
      </p>
      <h1>
        Company and unit objectives <span className="muted">· {cycle.name}</span>
      </h1>
      <p className="lead">Team objectives align to these. The executive sponsor and the Program Lead Office write them.</p>
      {objectives.length === 0 ? <p className="empty-state">No company or unit objective for this cycle yet.</p> : null}
      {withKrComments.map((o) => (
        <div key={o.id}>
          <p className="eyebrow">{o.level === "company" ? "Company" : `Unit: ${o.unitName ?? ""}`}</p>
          <ObjectiveCard objective={o} rights={rights} parents={o.level === "unit" ? companyParents : null} />
        </div>
      ))}
      {rights.editDrafts ? (
        <section className="card" aria-labelledby="add-upper">
          <h2 id="add-upper">Add an objective</h2>
          <Form method="post">
            <input type="hidden" name="intent" value="add-objective" />
            <FormError error={addFailed?.errors._form} />
            <div className="form-grid">
              <SelectField
                label="Level"
                name="level"
                defaultValue={addFailed?.values.level ?? "company"}
                options={[
                  { value: "company", label: "Company" },
                  { value: "unit", label: "Unit" },
                ]}
                error={addFailed?.errors.level}
              />
              <SelectField
                label="Unit (for a unit objective)"
                name="unitId"
                defaultValue={addFailed?.values.unitId ?? ""}
                options={[{ value: "", label: "—" }, ...units.map((u) => ({ value: u.id, label: u.name }))]}
                error={addFailed?.errors.unitId}
              />
            </div>
            <ObjectiveFields
              idPrefix="new"
              values={addFailed?.values ?? {}}
              errors={addFailed?.errors ?? {}}
              parents={companyParents}
              selectedParents={[]}
            />
            <SubmitButton>Add objective</SubmitButton>
          </Form>
        </section>
      ) : null}
    </>
  );
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `Company and unit objectives · ${data.cycle.name} · Rollout Desk` : "Objectives · Rollout Desk" },
];

export { RouteErrorBoundary as ErrorBoundary } from "~/components/error-message";
