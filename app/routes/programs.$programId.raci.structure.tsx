import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { FormError, InputField, TextAreaField } from "~/components/ui/field";
import { SubmitButton } from "~/components/ui/submit-button";
import { getMatrix } from "~/models/raci/matrix.server";
import { getDb } from "~/utils/db.server";
import { requireProgram } from "~/utils/program-access.server";

// Roles (with the people filling them) and the order of activities: the matrix's structure, on
// a page of its own so the editor stays light. Posts go to the same action as the editor.
export { action } from "./programs.$programId.raci._index";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { program } = await requireProgram(request, params, "raci:write");
  const matrix = await getMatrix(getDb(), program.id);
  if (!matrix) throw new Response("This program has no RACI matrix yet.", { status: 404 });
  return { programId: program.id, matrix: { roles: matrix.roles, activities: matrix.activities } };
}

export default function RaciStructure() {
  const { programId, matrix } = useLoaderData<typeof loader>();
  const result = useActionData<{ intent: string; errors: Record<string, string> }>();
  const errorsFor = (intent: string) => (result?.intent === intent ? result.errors : {});
  return (
    <>
      <p>
        <Link to={`/programs/${programId}/raci`}>← RACI matrix</Link>
      </p>
      <h1>Roles and order</h1>
      <div className="grid-2">
        <section className="card">
          <h2>Roles and the people who fill them ({matrix.roles.length})</h2>
          <FormError error={errorsFor("update-role")._form ?? errorsFor("move-role")._form ?? errorsFor("remove-role")._form} />
          <ul className="role-list">
            {matrix.roles.map((role, i) => (
              <li key={role.id}>
                <Form method="post" className="role-list__edit">
                  <input type="hidden" name="intent" value="update-role" />
                  <input type="hidden" name="roleId" value={role.id} />
                  <input type="hidden" name="version" value={role.version} />
                  <InputField label="Role" name="name" defaultValue={role.name} maxLength={80} required />
                  <TextAreaField label="Filled by" name="holders" rows={2} defaultValue={role.holders} />
                  <SubmitButton name="intent" value="update-role" className="button button--small">
                    Save role
                  </SubmitButton>
                </Form>
                <RowTools
                  kind="role"
                  id={role.id}
                  version={role.version}
                  first={i === 0}
                  last={i === matrix.roles.length - 1}
                  name={role.name}
                />
              </li>
            ))}
          </ul>
        </section>
        <section className="card">
          <h2>Order and remove activities ({matrix.activities.length})</h2>
          <FormError error={errorsFor("move-activity")._form ?? errorsFor("remove-activity")._form} />
          <ol className="activity-order">
            {matrix.activities.map((a, i) => (
              <li key={a.id}>
                <span>
                  <span className="muted">{a.groupName} ·</span> {a.name}
                </span>
                <RowTools
                  kind="activity"
                  id={a.id}
                  version={a.version}
                  first={i === 0}
                  last={i === matrix.activities.length - 1}
                  name={a.name}
                />
              </li>
            ))}
          </ol>
        </section>
      </div>
    </>
  );
}

function RowTools({
  kind,
  id,
  version,
  first,
  last,
  name,
}: {
  kind: "role" | "activity";
  id: string;
  version: number;
  first: boolean;
  last: boolean;
  name: string;
}) {
  return (
    <span className="row-tools">
      <Form method="post">
        <input type="hidden" name="intent" value={`move-${kind}`} />
        <input type="hidden" name="id" value={id} />
        <button
          type="submit"
          name="direction"
          value="up"
          className="button button--small button--secondary"
          disabled={first}
          aria-label={`Move ${name} ${kind === "role" ? "left" : "up"}`}
        >
          {kind === "role" ? "←" : "↑"}
        </button>
        <button
          type="submit"
          name="direction"
          value="down"
          className="button button--small button--secondary"
          disabled={last}
          aria-label={`Move ${name} ${kind === "role" ? "right" : "down"}`}
        >
          {kind === "role" ? "→" : "↓"}
        </button>
      </Form>
      <Form
        method="post"
        onSubmit={(e) => {
          if (!confirm(`Remove “${name}”? It stays in the history and can be restored.`)) e.preventDefault();
        }}
      >
        <input type="hidden" name="intent" value={`remove-${kind}`} />
        <input type="hidden" name="id" value={id} />
        <input type="hidden" name="version" value={version} />
        <button type="submit" className="button button--small button--secondary" aria-label={`Remove ${name}`}>
          Remove
        </button>
      </Form>
    </span>
  );
}

export const meta: MetaFunction = () => [{ title: "RACI roles and order · Rollout Desk" }];

export { RouteErrorBoundary as ErrorBoundary } from "~/components/error-message";
