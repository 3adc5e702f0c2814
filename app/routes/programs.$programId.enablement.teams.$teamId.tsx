import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { EnablementNav, StateBadge } from "~/components/enablement/enablement-bits";
import { assertTeamVisible, teamTraining } from "~/models/enablement/coverage.server";
import { orErrorResponse } from "~/utils/action.server";
import { formatDate, today } from "~/utils/dates";
import { getDb } from "~/utils/db.server";
import { can } from "~/utils/permissions";
import { requireProgram } from "~/utils/program-access.server";
import { AUDIENCE_LABELS } from "~/validation/enablement";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: "/styles/enablement.css" }];

// A team's training: what its members and lead still need, by name — for the PLO, the team's
// current coach and its lead (anyone else: 403).

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user, program } = await requireProgram(request, params, "enablement:read");
  const db = getDb();
  const teamId = (params.teamId ?? "").slice(0, 64);
  const day = today();
  await orErrorResponse(() => assertTeamVisible(db, user, program.id, teamId, day));
  const training = await teamTraining(db, program.id, teamId, day);
  if (!training) throw new Response("This team does not exist.", { status: 404 });
  return { program: { id: program.id, name: program.name }, manage: can(user.role, "enablement:manage"), ...training };
}

export default function TeamEnablement() {
  const { program, manage, team, states, gaps } = useLoaderData<typeof loader>();
  return (
    <>
      <EnablementNav programId={program.id} manage={manage} />
      <h1>Training of {team.name}</h1>
      {gaps.length === 0 ? (
        <p>Nobody in the team lacks a required module.</p>
      ) : (
        <ul className="gap-list">
          {gaps.map((g) => (
            <li key={g.moduleId}>
              {g.text}
              {g.overdue ? ` (${g.overdue} overdue)` : ""}
            </li>
          ))}
        </ul>
      )}
      {states.length > 0 ? (
        <table className="simple-table">
          <thead>
            <tr>
              <th scope="col">Person</th>
              <th scope="col">As</th>
              <th scope="col">Module</th>
              <th scope="col">State</th>
              <th scope="col">Due</th>
            </tr>
          </thead>
          <tbody>
            {states.map((s) => (
              <tr key={`${s.personId}:${s.requirementId}`}>
                <td>{s.personName}</td>
                <td>{AUDIENCE_LABELS[s.audience]}</td>
                <td>{s.moduleTitle}</td>
                <td>
                  <StateBadge state={s.state} />
                </td>
                <td>{formatDate(s.dueOn) ?? "–"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </>
  );
}

export const meta: MetaFunction = () => [{ title: "Team training · Rollout Desk" }];

export { RouteErrorBoundary as ErrorBoundary } from "~/components/error-message";
