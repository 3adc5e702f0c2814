import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { EnablementNav } from "~/components/enablement/enablement-bits";
import { FormError, InputField, SelectField } from "~/components/ui/field";
import { SubmitButton } from "~/components/ui/submit-button";
import { moduleOptions } from "~/models/enablement/curriculum.server";
import { createRequirement, deleteRequirement, listRequirements } from "~/models/enablement/requirements.server";
import { loadUnitIndex } from "~/models/org/org.server";
import { listWaveOptions } from "~/models/plan/refs.server";
import { attempt, failure, unknownIntent } from "~/utils/action.server";
import { formatDate } from "~/utils/dates";
import { getDb } from "~/utils/db.server";
import { parseForm } from "~/utils/forms";
import { requireProgram } from "~/utils/program-access.server";
import { redirectWithToast } from "~/utils/toast.server";
import { AUDIENCE_LABELS, DUE_RULE_LABELS, requirementSchema, SCOPE_LABELS } from "~/validation/enablement";
import { AUDIENCES, DUE_RULES, REQUIREMENT_SCOPES } from "../../db/schema";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: "/styles/enablement.css" }];

// Who needs which module and by when. Requirements resolve to people through the organization
// and the plan every time they are read (nothing to maintain per person).

const deleteSchema = z.object({ requirementId: z.string().trim().min(1, "Choose a requirement.").max(64, "Choose a requirement.") });

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { program } = await requireProgram(request, params, "enablement:manage");
  const db = getDb();
  const [requirements, modules, waves, units] = await Promise.all([
    listRequirements(db, program.id),
    moduleOptions(db, program.id),
    listWaveOptions(db, program.id),
    loadUnitIndex(db),
  ]);
  return {
    program: { id: program.id, name: program.name },
    requirements,
    modules,
    waves: waves.map((w) => ({ id: w.id, name: w.name })),
    units: units.units.filter((u) => !u.archivedAt).map((u) => ({ id: u.id, path: u.path })),
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { user, program } = await requireProgram(request, params, "enablement:manage");
  const formData = await request.formData();
  const intent = String(formData.get("intent") ?? "");
  const here = `/programs/${program.id}/enablement/requirements`;
  if (intent === "create") {
    const parsed = parseForm(requirementSchema, formData);
    if (!parsed.ok) return failure(parsed.errors, parsed.values, 400, { intent });
    return attempt(
      parsed.values,
      async () => {
        await createRequirement(getDb(), user, program.id, parsed.data);
        return redirectWithToast(request, here, "Requirement added.");
      },
      { intent },
    );
  }
  if (intent === "delete") {
    const parsed = parseForm(deleteSchema, formData);
    if (!parsed.ok) return failure(parsed.errors, parsed.values, 400, { intent });
    return attempt(parsed.values, async () => {
      await deleteRequirement(getDb(), user, program.id, parsed.data.requirementId);
      return redirectWithToast(request, here, "Requirement removed.");
    });
  }
  return unknownIntent(intent);
}

export default function Requirements() {
  const { program, requirements, modules, waves, units } = useLoaderData<typeof loader>();
  const failed = useActionData<typeof action>();
  const e = failed?.errors ?? {};
  const v = failed?.values ?? {};
  return (
    <>
      <EnablementNav programId={program.id} manage />
      <h1>Requirements</h1>
      {requirements.length === 0 ? (
        <p className="muted">No requirement yet.</p>
      ) : (
        <table className="simple-table">
          <thead>
            <tr>
              <th scope="col">Module</th>
              <th scope="col">Who</th>
              <th scope="col">Where</th>
              <th scope="col">Required</th>
              <th scope="col">Due</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {requirements.map((r) => (
              <tr key={r.id}>
                <th scope="row">{r.moduleTitle}</th>
                <td>{AUDIENCE_LABELS[r.audience]}</td>
                <td>{r.waveName ? `Wave ${r.waveName}` : r.unitName ? `Unit ${r.unitName}` : "Everyone"}</td>
                <td>{r.necessity === "required" ? "Required" : "Recommended"}</td>
                <td>
                  {r.dueRule === "fixed"
                    ? `By ${formatDate(r.dueOn)}`
                    : DUE_RULE_LABELS[r.dueRule].replace("N days", `${r.dueDays} day${r.dueDays === 1 ? "" : "s"}`)}
                </td>
                <td>
                  <Form method="post">
                    <input type="hidden" name="intent" value="delete" />
                    <input type="hidden" name="requirementId" value={r.id} />
                    <button type="submit" className="button button--secondary button--small">
                      Remove
                      <span className="visually-hidden">
                        {" "}
                        {r.moduleTitle} for {AUDIENCE_LABELS[r.audience]}
                      </span>
                    </button>
                  </Form>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <section className="card" aria-labelledby="new-requirement">
        <h2 id="new-requirement">Add a requirement</h2>
        <Form method="post">
          <input type="hidden" name="intent" value="create" />
          <FormError error={e._form} />
          <SelectField
            label="Module"
            name="moduleId"
            defaultValue={v.moduleId ?? ""}
            error={e.moduleId}
            options={modules.map((m) => ({ value: m.id, label: m.title }))}
          />
          <SelectField
            label="Who"
            name="audience"
            defaultValue={v.audience ?? "team_member"}
            error={e.audience}
            options={AUDIENCES.map((a) => ({ value: a, label: AUDIENCE_LABELS[a] }))}
          />
          <SelectField
            label="Scope"
            name="scope"
            defaultValue={v.scope ?? "all"}
            error={e.scope}
            options={REQUIREMENT_SCOPES.map((s) => ({ value: s, label: SCOPE_LABELS[s] }))}
          />
          <SelectField
            label="Wave (scope: a wave)"
            name="waveId"
            defaultValue={v.waveId ?? ""}
            error={e.waveId}
            options={[{ value: "", label: "–" }, ...waves.map((w) => ({ value: w.id, label: w.name }))]}
          />
          <SelectField
            label="Unit (scope: a unit and below)"
            name="unitId"
            defaultValue={v.unitId ?? ""}
            error={e.unitId}
            options={[{ value: "", label: "–" }, ...units.map((u) => ({ value: u.id, label: u.path }))]}
          />
          <SelectField
            label="Required or recommended"
            name="necessity"
            defaultValue={v.necessity ?? "required"}
            error={e.necessity}
            options={[
              { value: "required", label: "Required" },
              { value: "recommended", label: "Recommended" },
            ]}
          />
          <SelectField
            label="Due"
            name="dueRule"
            defaultValue={v.dueRule ?? "before_wave"}
            error={e.dueRule}
            options={DUE_RULES.map((d) => ({ value: d, label: DUE_RULE_LABELS[d] }))}
          />
          <InputField label="N days" name="dueDays" inputMode="numeric" defaultValue={v.dueDays ?? "14"} error={e.dueDays} />
          <InputField label="Fixed due date" name="dueOn" type="date" defaultValue={v.dueOn ?? ""} error={e.dueOn} />
          <SubmitButton>Add requirement</SubmitButton>
        </Form>
      </section>
    </>
  );
}

export const meta: MetaFunction = () => [{ title: "Enablement requirements · Rollout Desk" }];

export { RouteErrorBoundary as ErrorBoundary } from "~/components/error-message";
