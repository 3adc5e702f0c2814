import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { RolePicker } from "~/components/raci/role-picker";
import { getMatrix } from "~/models/raci/matrix.server";
import { getDb } from "~/utils/db.server";
import { requireProgram } from "~/utils/program-access.server";

const ORDER = ["A", "R", "C", "I"] as const;
const LABEL = { A: "Accountable for", R: "Responsible for", C: "Consulted on", I: "Informed about" } as const;

// “Everything the OKR Coach is R or A for”: one role's column, grouped by letter.
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { program } = await requireProgram(request, params, "raci:read");
  const matrix = await getMatrix(getDb(), program.id);
  if (!matrix) throw new Response("This program has no RACI matrix yet.", { status: 404 });
  const roleId = new URL(request.url).searchParams.get("role");
  const role = matrix.roles.find((r) => r.id === roleId) ?? matrix.roles[0];
  if (!role) throw new Response("This matrix has no roles yet.", { status: 404 });
  const activityById = new Map(matrix.activities.map((a) => [a.id, a]));
  const byLetter = Object.fromEntries(
    ORDER.map((letter) => [
      letter,
      matrix.cells
        .filter((c) => c.roleId === role.id && c.value === letter && activityById.has(c.activityId))
        .map((c) => activityById.get(c.activityId)!)
        .sort((a, b) => a.position - b.position)
        .map((a) => ({ id: a.id, name: a.name, groupName: a.groupName })),
    ]),
  ) as Record<(typeof ORDER)[number], Array<{ id: string; name: string; groupName: string }>>;
  return { programId: program.id, role, roles: matrix.roles.map((r) => ({ id: r.id, name: r.name })), byLetter };
}

export default function RaciRoleView() {
  const { programId, role, roles, byLetter } = useLoaderData<typeof loader>();
  return (
    <>
      <p>
        <Link to={`/programs/${programId}/raci`}>← RACI matrix</Link>
      </p>
      <h1>What the {role.name} does</h1>
      {role.holders ? <p className="lead">Filled by {role.holders.split("\n").join(", ")}.</p> : null}
      <RolePicker roles={roles} selected={role.id} label="Role" />
      <div className="grid-2">
        {ORDER.map((letter) => (
          <section key={letter} className="card">
            <h2>
              {LABEL[letter]} ({byLetter[letter].length})
            </h2>
            {byLetter[letter].length ? (
              <ul>
                {byLetter[letter].map((a) => (
                  <li key={a.id}>
                    {a.name} <span className="muted">· {a.groupName}</span>
                  </li>
                ))}
              </ul>
            ) : (
              <p className="muted">Nothing.</p>
            )}
          </section>
        ))}
      </div>
    </>
  );
}

export const meta: MetaFunction = () => [{ title: "RACI by role · Rollout Desk" }];

export { RouteErrorBoundary as ErrorBoundary } from "~/components/error-message";
