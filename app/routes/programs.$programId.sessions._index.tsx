import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { SESSION_TYPES } from "../../db/schema";
import { ServerTable, type ServerColumn } from "~/components/data-table/server-table";
import { CoachingNav, MaturityText, NotACoach } from "~/components/sessions/coaching-bits";
import { findTeam, listSessionCoachOptions, listSessionTeamOptions } from "~/models/coaching/session-options.server";
import { listSupportSessions, SESSION_LIST_SPEC, type SessionListRow } from "~/models/coaching/session-history.server";
import { formatDate, today } from "~/utils/dates";
import { getDb } from "~/utils/db.server";
import { listSearch, parseListParams } from "~/utils/list-params";
import { SESSION_TYPE_LABELS } from "~/validation/sessions";
import { requireCoachingViewer } from "~/utils/coaching-http.server";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: "/styles/sessions.css" }];

export async function loader({ request, params: routeParams }: LoaderFunctionArgs) {
  const { program, viewer } = await requireCoachingViewer(request, routeParams, "sessions:read");
  const base = { program: { id: program.id, name: program.name }, manage: viewer.manage };
  if (!viewer.manage && !viewer.coach) return { ...base, notACoach: true as const };
  const params = parseListParams(new URL(request.url).searchParams, SESSION_LIST_SPEC);
  const db = getDb();
  // A coach filters by their own teams; the PLO (thousands of teams) by coach, and by team from a
  // link (?team=) or the search box, which matches team names.
  const [page, teams, team, coaches] = await Promise.all([
    listSupportSessions(db, viewer, program.id, params),
    viewer.manage ? Promise.resolve([]) : listSessionTeamOptions(db, viewer, program.id, today()),
    viewer.manage && params.filters.team ? findTeam(db, params.filters.team) : Promise.resolve(null),
    viewer.manage ? listSessionCoachOptions(db, program.id) : Promise.resolve(null),
  ]);
  return {
    ...base,
    notACoach: false as const,
    rows: page.rows,
    total: page.total,
    capped: page.capped,
    params,
    teams: teams.map((t) => ({ id: t.id, name: t.name })),
    team,
    coaches,
  };
}

function columns(programId: string, manage: boolean): ServerColumn<SessionListRow>[] {
  return [
    {
      id: "date",
      accessorKey: "heldOn",
      header: "Date",
      cell: (info) => <Link to={`/programs/${programId}/sessions/${info.row.original.id}`}>{formatDate(info.row.original.heldOn)}</Link>,
    },
    { id: "team", accessorKey: "teamName", header: "Team" },
    { id: "type", accessorKey: "type", header: "Type", cell: (info) => SESSION_TYPE_LABELS[info.row.original.type] },
    { id: "duration", accessorKey: "durationMinutes", header: "Minutes" },
    { id: "attendees", accessorKey: "attendees", header: "Attendees" },
    { id: "maturity", accessorKey: "maturity", header: "Maturity", cell: (info) => <MaturityText value={info.row.original.maturity} /> },
    ...(manage ? [{ id: "coach", accessorKey: "coachName", header: "Coach" } satisfies ServerColumn<SessionListRow>] : []),
    {
      id: "notes",
      accessorKey: "notesExcerpt",
      header: "Notes",
      enableSorting: false,
      cell: (info) => <span className="session-notes-excerpt">{info.row.original.notesExcerpt || <span className="muted">—</span>}</span>,
    },
  ];
}

export default function SessionHistory() {
  const loaded = useLoaderData<typeof loader>();
  if (loaded.notACoach) return <NotACoach programName={loaded.program.name} title="My sessions" />;
  const { program, manage, rows, total, capped, params, teams, team, coaches } = loaded;
  const f = params.filters;
  return (
    <>
      <CoachingNav programId={program.id} manage={manage} />
      <div className="page-header">
        <h1>{manage ? "Support sessions" : "My sessions"}</h1>
        <Link className="button" to={`/programs/${program.id}/sessions/new`}>
          Log a session
        </Link>
      </div>
      <p className="lead">
        {manage ? "Every support session logged in this program." : "The support sessions you logged in this program."} The search matches
        team names, notes and follow-ups.
      </p>
      {team ? (
        <p>
          Sessions with <strong>{team.name}</strong>.{" "}
          <Link to={listSearch(params, { page: 1, filters: { team: "" } })}>Show every team</Link>
        </p>
      ) : null}
      {capped ? (
        <p className="muted" role="status">
          More than {total.toLocaleString("en")} sessions match; the pages reach the first {total.toLocaleString("en")} in this order.
          Filter by coach, type or dates to narrow the list, or export the CSV to get all of them.
        </p>
      ) : null}
      <ServerTable
        caption={manage ? "Support sessions" : "My sessions"}
        rows={rows}
        total={total}
        params={params}
        columns={columns(program.id, manage)}
        getRowId={(s) => s.id}
        csvHref={`/programs/${program.id}/sessions.csv${listSearch(params, { page: 1 })}`}
        searchLabel="Search sessions by team, notes or follow-ups"
        emptyMessage={manage ? "No session has been logged in this program yet." : "You have not logged a session yet."}
        filters={
          <>
            {manage ? (
              f.team ? (
                <input type="hidden" name="team" value={f.team} />
              ) : null
            ) : (
              <label>
                <span className="visually-hidden">Team</span>
                <select name="team" defaultValue={f.team ?? ""}>
                  <option value="">Any team</option>
                  {teams.map((t) => (
                    <option key={t.id} value={t.id}>
                      {t.name}
                    </option>
                  ))}
                </select>
              </label>
            )}
            <label>
              <span className="visually-hidden">Type</span>
              <select name="type" defaultValue={f.type ?? ""}>
                <option value="">Any type</option>
                {SESSION_TYPES.map((t) => (
                  <option key={t} value={t}>
                    {SESSION_TYPE_LABELS[t]}
                  </option>
                ))}
              </select>
            </label>
            {coaches ? (
              <label>
                <span className="visually-hidden">Coach</span>
                <select name="coach" defaultValue={f.coach ?? ""}>
                  <option value="">Any coach</option>
                  {coaches.map((c) => (
                    <option key={c.id} value={c.id}>
                      {c.name}
                    </option>
                  ))}
                </select>
              </label>
            ) : null}
            <label className="date-filter">
              From <input type="date" name="from" defaultValue={f.from ?? ""} />
            </label>
            <label className="date-filter">
              To <input type="date" name="to" defaultValue={f.to ?? ""} />
            </label>
          </>
        }
      />
    </>
  );
}

export const meta: MetaFunction = () => [{ title: "Support sessions · Rollout Desk" }];

export { RouteErrorBoundary as ErrorBoundary } from "~/components/error-message";
