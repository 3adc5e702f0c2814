import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { FormError, InputField } from "~/components/ui/field";
import { SubmitButton } from "~/components/ui/submit-button";
import { getMatrix, setCell } from "~/models/raci/matrix.server";
import { updateActivity } from "~/models/raci/rows.server";
import { inTransaction, getDb } from "~/utils/db.server";
import { formValues, parseForm, type FormFailure } from "~/utils/forms";
import { requireProgram } from "~/utils/program-access.server";
import { redirectWithToast } from "~/utils/toast.server";
import { activitySchema, cellValue } from "~/validation/raci";
import { RACI_VALUES, type RaciValue } from "../../db/schema";
import { domainFailure } from "~/utils/action.server";

// One activity's row as a plain form: the same edits as the grid, without JavaScript.

async function loadRow(request: Request, params: LoaderFunctionArgs["params"], permission: "raci:read" | "raci:write") {
  const { user, program } = await requireProgram(request, params, permission);
  const matrix = await getMatrix(getDb(), program.id);
  const activity = matrix?.activities.find((a) => a.id === params.activityId);
  if (!matrix || !activity) throw new Response("This activity does not exist in the matrix.", { status: 404 });
  return { user, program, matrix, activity };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { program, matrix, activity } = await loadRow(request, params, "raci:write");
  const cells = matrix.cells.filter((c) => c.activityId === activity.id);
  return {
    programId: program.id,
    activity,
    roles: matrix.roles.map((r) => {
      const cell = cells.find((c) => c.roleId === r.id);
      return { id: r.id, name: r.name, value: cell?.value ?? null, version: cell?.version ?? 0 };
    }),
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { user, program, matrix, activity } = await loadRow(request, params, "raci:write");
  const formData = await request.formData();
  const parsed = parseForm(activitySchema, formData);
  if (!parsed.ok)
    return data<FormFailure & { intent: string }>({ intent: "row", errors: parsed.errors, values: parsed.values }, { status: 400 });
  const edits: Array<{ roleId: string; value: RaciValue | null; version: number }> = [];
  for (const role of matrix.roles) {
    const value = cellValue.safeParse(formData.get(`cell-${role.id}`) ?? "");
    const version = Number(formData.get(`version-${role.id}`) ?? 0);
    if (!value.success || !Number.isInteger(version)) {
      return data<FormFailure & { intent: string }>(
        { intent: "row", errors: { [`cell-${role.id}`]: "A cell holds R, A, C, I or nothing." }, values: parsed.values },
        { status: 400 },
      );
    }
    const current = matrix.cells.find((c) => c.activityId === activity.id && c.roleId === role.id);
    if ((current?.value ?? null) !== value.data || (current?.version ?? 0) !== version)
      edits.push({ roleId: role.id, value: value.data, version });
  }
  try {
    // All of the row or nothing.
    await inTransaction(getDb(), async (trx) => {
      if (parsed.data.name !== activity.name || parsed.data.groupName !== activity.groupName) {
        await updateActivity(trx, user, program.id, activity.id, Number(formData.get("activityVersion")), parsed.data);
      }
      for (const edit of edits) {
        await setCell(trx, user, program.id, {
          activityId: activity.id,
          roleId: edit.roleId,
          value: edit.value,
          expectedVersion: edit.version,
        });
      }
    });
  } catch (error) {
    return domainFailure(error, formValues(formData), { intent: "row" });
  }
  return redirectWithToast(request, `/programs/${program.id}/raci`, `Saved “${parsed.data.name}”.`);
}

export default function EditActivityRow() {
  const { programId, activity, roles } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const errors = result?.errors ?? {};
  return (
    <section className="card narrow">
      <h1>Edit activity</h1>
      <Form method="post">
        <FormError error={errors._form} />
        <input type="hidden" name="activityVersion" value={activity.version} />
        <InputField
          label="Group"
          name="groupName"
          required
          maxLength={80}
          defaultValue={result?.values.groupName ?? activity.groupName}
          error={errors.groupName}
        />
        <InputField
          label="Activity"
          name="name"
          required
          maxLength={200}
          defaultValue={result?.values.name ?? activity.name}
          error={errors.name}
        />
        <fieldset className="row-cells">
          <legend>Who does what</legend>
          {roles.map((role) => (
            <div key={role.id} className="field">
              <label htmlFor={`cell-${role.id}`}>{role.name}</label>
              <select id={`cell-${role.id}`} name={`cell-${role.id}`} defaultValue={role.value ?? ""}>
                <option value="">—</option>
                {RACI_VALUES.map((v) => (
                  <option key={v} value={v}>
                    {v} · {{ R: "Responsible", A: "Accountable", C: "Consulted", I: "Informed" }[v]}
                  </option>
                ))}
              </select>
              <input type="hidden" name={`version-${role.id}`} value={role.version} />
              {errors[`cell-${role.id}`] ? <p className="field__error">{errors[`cell-${role.id}`]}</p> : null}
            </div>
          ))}
        </fieldset>
        <SubmitButton>Save row</SubmitButton> <Link to={`/programs/${programId}/raci`}>Cancel</Link>
      </Form>
    </section>
  );
}

export const meta: MetaFunction = () => [{ title: "Edit activity · RACI · Rollout Desk" }];

export { RouteErrorBoundary as ErrorBoundary } from "~/components/error-message";
