import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { RaciEditor } from "~/components/raci/raci-editor";
import { RolePicker } from "~/components/raci/role-picker";
import { FormError, InputField, TextAreaField } from "~/components/ui/field";
import { SubmitButton } from "~/components/ui/submit-button";
import { createMatrix, getMatrix, programsWithMatrix, setOverloadShare } from "~/models/raci/matrix.server";
import { addActivity, addRole, moveRow, removeRow, updateActivity, updateRole } from "~/models/raci/rows.server";
import { getDb } from "~/utils/db.server";
import { formValues, parseForm, type FormFailure } from "~/utils/forms";
import { can } from "~/utils/permissions";
import { requireProgram } from "~/utils/program-access.server";
import { compactCells } from "~/models/raci/rules";
import { redirectWithToast } from "~/utils/toast.server";
import {
  activitySchema,
  createMatrixSchema,
  moveSchema,
  overloadSchema,
  removeSchema,
  roleSchema,
  updateActivitySchema,
  updateRoleSchema,
} from "~/validation/raci";
import { domainFailure } from "~/utils/action.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user, program } = await requireProgram(request, params, "raci:read");
  const db = getDb();
  const canEdit = can(user.role, "raci:write");
  const matrix = await getMatrix(db, program.id);
  const sources = !matrix && canEdit ? await programsWithMatrix(db, program.id) : [];
  // The grid needs only value and version of each cell, compactly (1,200 cells on a large
  // matrix); the editor validates them itself, live, so no issues are sent.
  const compact = matrix && { ...matrix, cells: compactCells(matrix.activities, matrix.roles, matrix.cells) };
  return { program: { id: program.id, name: program.name }, matrix: compact, sources, canEdit };
}

type ActionResult = FormFailure & { intent: string };

export async function action({ request, params }: ActionFunctionArgs) {
  const { user, program } = await requireProgram(request, params, "raci:write");
  const formData = await request.formData();
  const intent = String(formData.get("intent") ?? "");
  const db = getDb();
  const fail = (errors: Record<string, string>, values: Record<string, string> = {}) =>
    data<ActionResult>({ intent, errors, values }, { status: 400 });
  const here = `/programs/${program.id}/raci`;

  try {
    switch (intent) {
      case "create": {
        const parsed = parseForm(createMatrixSchema, formData);
        if (!parsed.ok) return fail(parsed.errors, parsed.values);
        const source =
          parsed.data.source === "copy" ? { kind: "copy" as const, programId: parsed.data.copyFrom } : { kind: parsed.data.source };
        await createMatrix(db, user, program.id, source);
        return redirectWithToast(request, here, "RACI matrix created.");
      }
      case "add-activity": {
        const parsed = parseForm(activitySchema, formData);
        if (!parsed.ok) return fail(parsed.errors, parsed.values);
        await addActivity(db, user, program.id, parsed.data);
        return data<ActionResult>({ intent, errors: {}, values: {} });
      }
      case "update-activity": {
        const parsed = parseForm(updateActivitySchema, formData);
        if (!parsed.ok) return fail(parsed.errors, parsed.values);
        const { activityId, version, ...input } = parsed.data;
        await updateActivity(db, user, program.id, activityId, version, input);
        return data<ActionResult>({ intent, errors: {}, values: {} });
      }
      case "add-role": {
        const parsed = parseForm(roleSchema, formData);
        if (!parsed.ok) return fail(parsed.errors, parsed.values);
        await addRole(db, user, program.id, parsed.data);
        return data<ActionResult>({ intent, errors: {}, values: {} });
      }
      case "update-role": {
        const parsed = parseForm(updateRoleSchema, formData);
        if (!parsed.ok) return fail(parsed.errors, parsed.values);
        const { roleId, version, ...input } = parsed.data;
        await updateRole(db, user, program.id, roleId, version, input);
        return data<ActionResult>({ intent, errors: {}, values: {} });
      }
      case "move-activity":
      case "move-role": {
        const parsed = parseForm(moveSchema, formData);
        if (!parsed.ok) return fail(parsed.errors);
        await moveRow(db, user, program.id, intent === "move-role" ? "role" : "activity", parsed.data.id, parsed.data.direction);
        return data<ActionResult>({ intent, errors: {}, values: {} });
      }
      case "remove-activity":
      case "remove-role": {
        const parsed = parseForm(removeSchema, formData);
        if (!parsed.ok) return fail(parsed.errors);
        await removeRow(db, user, program.id, intent === "remove-role" ? "role" : "activity", parsed.data.id, parsed.data.version);
        return data<ActionResult>({ intent, errors: {}, values: {} });
      }
      case "settings": {
        const parsed = parseForm(overloadSchema, formData);
        if (!parsed.ok) return fail(parsed.errors, parsed.values);
        await setOverloadShare(db, user, program.id, parsed.data.overloadPercent / 100);
        return data<ActionResult>({ intent, errors: {}, values: {} });
      }
      default:
        return fail({ _form: "Unknown action." });
    }
  } catch (error) {
    return domainFailure(error, formValues(formData), { intent });
  }
}

export default function RaciPage() {
  const { program, matrix, sources, canEdit } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const errorsFor = (intent: string) => (result?.intent === intent ? result.errors : {});
  const valuesFor = (intent: string) => (result?.intent === intent && Object.keys(result.errors).length ? result.values : {});

  if (!matrix) {
    return (
      <>
        <h1>RACI matrix</h1>
        <p className="lead">
          Who is Responsible, Accountable, Consulted and Informed for each rollout activity — linked to this program, its people and its
          history.
        </p>
        {canEdit ? (
          <section className="card narrow">
            <h2>Start the matrix</h2>
            <Form method="post">
              <input type="hidden" name="intent" value="create" />
              <FormError error={errorsFor("create")._form ?? errorsFor("create").source} />
              <fieldset className="choices">
                <legend>Start from</legend>
                <label>
                  <input type="radio" name="source" value="template" defaultChecked /> The default template (28 activities, 9 roles, from
                  the OKR role literature)
                </label>
                {sources.length ? (
                  <label>
                    <input type="radio" name="source" value="copy" /> A copy of another program's matrix:{" "}
                    <select name="copyFrom" aria-label="Program to copy from">
                      {sources.map((s) => (
                        <option key={s.id} value={s.id}>
                          {s.name}
                        </option>
                      ))}
                    </select>
                  </label>
                ) : null}
                <label>
                  <input type="radio" name="source" value="empty" /> An empty matrix
                </label>
              </fieldset>
              <SubmitButton name="intent" value="create" pendingText="Creating…">
                Create matrix
              </SubmitButton>
            </Form>
          </section>
        ) : (
          <div className="empty-state">
            <p>The Program Lead Office has not set up the RACI matrix of {program.name} yet.</p>
          </div>
        )}
      </>
    );
  }

  const groups = [...new Set(matrix.activities.map((a) => a.groupName))];
  return (
    <>
      <div className="page-header">
        <h1>RACI matrix</h1>
        <nav aria-label="RACI views" className="button-row">
          <Link className="button button--secondary button--small" to="history">
            History
          </Link>
          <Link className="button button--secondary button--small" to="print">
            Print view
          </Link>
          <a className="button button--secondary button--small" href={`/programs/${program.id}/raci.csv`} download>
            Export CSV
          </a>
          {canEdit ? (
            <>
              <Link className="button button--secondary button--small" to="structure">
                Roles &amp; order
              </Link>
              <Link className="button button--secondary button--small" to="import">
                Import CSV
              </Link>
            </>
          ) : null}
        </nav>
      </div>
      <RolePicker roles={matrix.roles} label="Everything one role does" action="roles" />
      <RaciEditor
        programId={program.id}
        roles={matrix.roles}
        activities={matrix.activities}
        cells={matrix.cells}
        overloadShare={matrix.overloadShare}
        canEdit={canEdit}
      />
      {canEdit ? (
        <div className="grid-2">
          <section className="card">
            <h2>Add an activity</h2>
            <Form method="post">
              <input type="hidden" name="intent" value="add-activity" />
              <FormError error={errorsFor("add-activity")._form} />
              <InputField
                label="Group"
                name="groupName"
                list="raci-groups"
                required
                maxLength={80}
                defaultValue={valuesFor("add-activity").groupName ?? groups.at(-1) ?? "Rollout setup"}
                error={errorsFor("add-activity").groupName}
              />
              <datalist id="raci-groups">
                {groups.map((g) => (
                  <option key={g} value={g} />
                ))}
              </datalist>
              <InputField
                label="Activity"
                name="name"
                required
                maxLength={200}
                defaultValue={valuesFor("add-activity").name}
                error={errorsFor("add-activity").name}
              />
              <SubmitButton name="intent" value="add-activity">
                Add activity
              </SubmitButton>
            </Form>
          </section>
          <section className="card">
            <h2>Add a role</h2>
            <Form method="post">
              <input type="hidden" name="intent" value="add-role" />
              <FormError error={errorsFor("add-role")._form} />
              <InputField
                label="Role"
                name="name"
                required
                maxLength={80}
                defaultValue={valuesFor("add-role").name}
                error={errorsFor("add-role").name}
              />
              <TextAreaField
                label="Filled by"
                name="holders"
                rows={2}
                hint="The people in this role in this program, one per line."
                defaultValue={valuesFor("add-role").holders}
                error={errorsFor("add-role").holders}
              />
              <SubmitButton name="intent" value="add-role">
                Add role
              </SubmitButton>
            </Form>
          </section>
          <section className="card">
            <h2>Overload warning</h2>
            <Form method="post">
              <input type="hidden" name="intent" value="settings" />
              <InputField
                label="Warn when one role is Accountable for more than (%)"
                name="overloadPercent"
                type="number"
                min={10}
                max={100}
                defaultValue={valuesFor("settings").overloadPercent ?? String(Math.round(matrix.overloadShare * 100))}
                error={errorsFor("settings").overloadPercent}
              />
              <SubmitButton name="intent" value="settings" className="button button--small">
                Save
              </SubmitButton>
            </Form>
          </section>
        </div>
      ) : null}
    </>
  );
}

export const meta: MetaFunction = () => [{ title: "RACI matrix · Rollout Desk" }];

export { RouteErrorBoundary as ErrorBoundary } from "~/components/error-message";
