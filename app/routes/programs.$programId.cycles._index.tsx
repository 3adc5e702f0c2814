import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { currentCycle, listCycles } from "~/models/cycles/cycles.server";
import { viewerTeams } from "~/models/cycles/okrs.server";
import { requireCycles } from "~/utils/cycles-http.server";
import { formatDay, today as todayOf } from "~/utils/dates";
import { getDb } from "~/utils/db.server";
import { CYCLE_STATE_LABELS } from "~/validation/cycles";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: "/styles/cycles.css" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { program, viewer } = await requireCycles(request, params);
  const db = getDb();
  const today = todayOf();
  const [cycles, current, teams] = await Promise.all([
    listCycles(db, program.id),
    currentCycle(db, program.id, today),
    viewerTeams(db, viewer, program.id, today),
  ]);
  // From a team's page (?team=): each cycle links to that team's set.
  const team = new URL(request.url).searchParams.get("team");
  return {
    programId: program.id,
    cycles,
    current,
    teams,
    teamId: team && /^[\w-]{1,64}$/.test(team) ? team : null,
    canManage: viewer.manage,
  };
}

const RELATION_LABELS = { lead: "you lead it", member: "your team", coach: "you coach it" } as const;

export default function Cycles() {
  const { programId, cycles, current, teams, teamId, canManage } = useLoaderData<typeof loader>();
  return (
    <>
      <div className="page-header">
        <h1>OKR cycles</h1>
        <span>
          <Link to={`/programs/${programId}/calendar`}>Calendar</Link>
          {canManage ? (
            <>
              {" · "}
              <Link to={`/programs/${programId}/cycles/new`} className="button">
                New cycle
              </Link>
            </>
          ) : null}
        </span>
      </div>
      <p className="lead">
        Each cycle (a quarter, usually) has a calendar of events and produces the teams&apos; OKR sets: drafted, aligned, checked in on,
        scored and looked back on.
      </p>
      {current && teams.length > 0 ? (
        <section className="card" aria-labelledby="your-teams">
          <h2 id="your-teams">Your teams in {current.name}</h2>
          <ul>
            {teams.map((t) => (
              <li key={t.id}>
                <Link to={`/programs/${programId}/cycles/${current.id}/teams/${t.id}`}>{t.name}</Link>{" "}
                <span className="muted">({RELATION_LABELS[t.relation]})</span>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      {cycles.length === 0 ? (
        <p className="empty-state">
          {canManage ? "No cycle yet: create the first one." : "The Program Lead Office has not planned a cycle yet."}
        </p>
      ) : (
        <table className="simple-table">
          <caption className="visually-hidden">Cycles</caption>
          <thead>
            <tr>
              <th scope="col">Cycle</th>
              <th scope="col">Dates</th>
              <th scope="col">State</th>
              <th scope="col">Check-ins every</th>
              <th scope="col">Objectives per team</th>
              {teamId ? <th scope="col">Team</th> : null}
            </tr>
          </thead>
          <tbody>
            {cycles.map((c) => (
              <tr key={c.id}>
                <td>
                  <Link to={`/programs/${programId}/cycles/${c.id}`}>{c.name}</Link>
                  {current?.id === c.id ? <span className="badge">current</span> : null}
                </td>
                <td>
                  {formatDay(c.startsOn)} – {formatDay(c.endsOn)}
                </td>
                <td>{CYCLE_STATE_LABELS[c.state]}</td>
                <td>{c.checkinCadenceDays} days</td>
                <td>at most {c.maxObjectives}</td>
                {teamId ? (
                  <td>
                    <Link to={`/programs/${programId}/cycles/${c.id}/teams/${teamId}`}>Team OKRs</Link>
                  </td>
                ) : null}
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}

export const meta: MetaFunction = () => [{ title: "OKR cycles · Rollout Desk" }];

export { RouteErrorBoundary as ErrorBoundary } from "~/components/error-message";
