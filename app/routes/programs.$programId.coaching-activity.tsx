import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { WeekBars } from "~/components/coaching/load";
import { ServerTable, type ServerColumn } from "~/components/data-table/server-table";
import { UnitFilter, WaveFilter } from "~/components/data-table/list-filters";
import {
  activitySummary,
  activityWeeks,
  listCoachActivity,
  listTeamActivity,
  listWaveRefs,
  type CoachActivityRow,
  type TeamActivityRow,
} from "~/models/coaching/coaches.server";
import { listUnitOptions } from "~/models/org/org.server";
import { formatHours } from "~/utils/numbers";
import { getDb } from "~/utils/db.server";
import { listSearch, parseListParams } from "~/utils/list-params";
import { cachedRead } from "~/utils/read-cache.server";
import { requireProgram } from "~/utils/program-access.server";
import { ACTIVITY_LIST_SPEC, ACTIVITY_WEEKS, activityView, QUIET_WEEK_CHOICES, quietWeeks } from "~/validation/coaching";
import * as dates from "~/utils/dates";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: "/styles/coaching.css" }];

// Coaching activity: support sessions per team or per coach, week by week over the last 12
// weeks, and the teams nobody has met for N weeks. Aggregates only (counts, minutes, dates):
// sponsors read this page, so no session notes ever reach it.

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { program, dataVersion } = await requireProgram(request, params, "coaching:read");
  const db = getDb();
  const list = parseListParams(new URL(request.url).searchParams, ACTIVITY_LIST_SPEC);
  const view = activityView(list.filters.view);
  const today = dates.today();
  const filters = { wave: list.filters.wave, unit: list.filters.unit, weeks: list.filters.weeks };
  const [summary, waves, units, teams, coaches] = await cachedRead(`activity|${dataVersion}|${today}|${JSON.stringify(list)}`, () =>
    Promise.all([
      activitySummary(db, program.id, filters, today),
      listWaveRefs(db, program.id),
      listUnitOptions(db),
      view === "teams" ? listTeamActivity(db, program.id, list, today) : Promise.resolve(null),
      view === "coaches" ? listCoachActivity(db, program.id, list, today) : Promise.resolve(null),
    ]),
  );
  return {
    program: { id: program.id, name: program.name },
    params: list,
    view,
    weeks: quietWeeks(list.filters.weeks),
    summary,
    waves: waves.map((w) => ({ id: w.id, name: w.name })),
    units,
    teams,
    coaches,
    firstWeek: activityWeeks(today)[0],
  };
}

export default function CoachingActivity() {
  const { program, params, view, weeks, summary, waves, units, teams, coaches, firstWeek } = useLoaderData<typeof loader>();
  const base = `/programs/${program.id}`;
  const tabLink = (to: "teams" | "coaches") =>
    listSearch(params, { page: 1, sort: "name", dir: "asc", filters: { view: to === "coaches" ? "coaches" : "" } });
  const csvHref = `${base}/coaching-activity.csv${listSearch(params, { page: 1 })}`;
  const quietWord = `no session in ${weeks} week${weeks === 1 ? "" : "s"}`;

  const filters = (
    <>
      {view === "coaches" ? <input type="hidden" name="view" value="coaches" /> : null}
      <WaveFilter waves={waves} value={params.filters.wave} />
      <UnitFilter units={units} value={params.filters.unit} />
      <label className="filter">
        <span className="visually-hidden">Quiet after</span>
        <select name="weeks" defaultValue={String(weeks)}>
          {QUIET_WEEK_CHOICES.map((n) => (
            <option key={n} value={n}>
              Quiet after {n} week{n === 1 ? "" : "s"}
            </option>
          ))}
        </select>
      </label>
      <label className="filter">
        <span className="visually-hidden">Show</span>
        <select name="quiet" defaultValue={params.filters.quiet ?? ""}>
          <option value="">All {view === "coaches" ? "coaches" : "teams"}</option>
          <option value="yes">
            Only {view === "coaches" ? "coaches" : "teams"} with {quietWord}
          </option>
        </select>
      </label>
    </>
  );

  const lastCell = (row: { lastHeldOn: string | null }, quiet: boolean) => (
    <>
      {dates.formatDate(row.lastHeldOn) ?? <span className="muted">Never</span>}
      {quiet ? (
        <>
          {" "}
          <span className="quiet">⚠ quiet</span>
        </>
      ) : null}
    </>
  );

  const teamColumns = (max: number): ServerColumn<TeamActivityRow>[] => [
    {
      id: "name",
      accessorKey: "name",
      header: "Team",
      cell: (info) => <a href={`${base}/teams/${info.row.original.id}`}>{info.row.original.name}</a>,
    },
    { id: "unit", accessorKey: "unitName", header: "Unit" },
    {
      id: "wave",
      accessorKey: "waveName",
      header: "Wave",
      cell: (info) => info.row.original.waveName ?? <span className="muted">No wave</span>,
    },
    {
      id: "coach",
      accessorKey: "primary",
      header: "Primary coach",
      enableSorting: false,
      cell: (info) => info.row.original.primary ?? <span className="muted">None</span>,
    },
    {
      id: "bars",
      header: `Weekly sessions`,
      enableSorting: false,
      cell: (info) => <WeekBars weeks={info.row.original.weeks} max={max} label={`Sessions with ${info.row.original.name} per week`} />,
    },
    { id: "sessions", accessorKey: "sessions", header: "Sessions (12 wk)" },
    { id: "minutes", accessorKey: "minutes", header: "Time", enableSorting: false, cell: (info) => formatHours(info.row.original.minutes) },
    { id: "last", accessorKey: "lastHeldOn", header: "Last session", cell: (info) => lastCell(info.row.original, info.row.original.quiet) },
  ];

  const coachColumns = (max: number): ServerColumn<CoachActivityRow>[] => [
    {
      id: "name",
      accessorKey: "name",
      header: "Coach",
      cell: (info) => (
        <>
          <a href={`${base}/coaches/${info.row.original.id}`}>{info.row.original.name}</a>
          {info.row.original.active ? null : <span className="muted"> (deactivated)</span>}
        </>
      ),
    },
    { id: "teams", accessorKey: "teams", header: "Teams met (12 wk)", enableSorting: false },
    {
      id: "bars",
      header: "Weekly sessions",
      enableSorting: false,
      cell: (info) => <WeekBars weeks={info.row.original.weeks} max={max} label={`Sessions of ${info.row.original.name} per week`} />,
    },
    { id: "sessions", accessorKey: "sessions", header: "Sessions (12 wk)" },
    { id: "minutes", accessorKey: "minutes", header: "Time", enableSorting: false, cell: (info) => formatHours(info.row.original.minutes) },
    {
      id: "last",
      accessorKey: "lastHeldOn",
      header: "Last session",
      cell: (info) => lastCell(info.row.original, info.row.original.quiet),
    },
  ];

  return (
    <>
      <div className="page-header">
        <h1>Coaching activity</h1>
        <p className="button-row">
          <Link to={`${base}/coverage`}>Coverage board →</Link>
          <Link to={`${base}/coaches`}>Coaches →</Link>
        </p>
      </div>
      <p className="lead">
        Support sessions logged by the coaches, week by week since {dates.formatDate(firstWeek)} ({ACTIVITY_WEEKS} weeks, oldest week
        first), and the teams nobody has met lately. Teams followed: those with a coach today and those of waves that have started.
      </p>

      <section aria-labelledby="activity-figures">
        <h2 id="activity-figures" className="visually-hidden">
          Figures
        </h2>
        <ul className="figures">
          <li>
            <span className="muted">
              Sessions since {dates.formatDate(summary.since)} ({weeks} week{weeks === 1 ? "" : "s"})
            </span>
            <strong>{summary.sessions.toLocaleString("en")}</strong>
          </li>
          <li>
            <span className="muted">Coaching time</span>
            <strong>{formatHours(summary.minutes)}</strong>
          </li>
          <li>
            <span className="muted">Teams followed</span>
            <strong>{summary.teams.toLocaleString("en")}</strong>
          </li>
          <li className={summary.quietTeams ? "figures--alert" : undefined}>
            <span className="muted">Teams with {quietWord}</span>
            <strong>
              <Link to={listSearch(params, { page: 1, filters: { view: "", quiet: "yes" } })}>
                {summary.quietTeams.toLocaleString("en")}
              </Link>
            </strong>
          </li>
        </ul>
      </section>

      <nav aria-label="Activity views">
        <ul className="view-tabs">
          <li>
            <Link to={tabLink("teams")} aria-current={view === "teams" ? "page" : undefined}>
              By team
            </Link>
          </li>
          <li>
            <Link to={tabLink("coaches")} aria-current={view === "coaches" ? "page" : undefined}>
              By coach
            </Link>
          </li>
        </ul>
      </nav>
      {teams ? (
        <ServerTable
          caption="Coaching activity by team"
          rows={teams.rows}
          total={teams.total}
          params={params}
          columns={teamColumns(Math.max(1, ...teams.rows.flatMap((r) => r.weeks)))}
          getRowId={(row) => row.id}
          csvHref={csvHref}
          filters={filters}
          searchLabel="Search teams, units and leads"
          emptyMessage="No team is in a wave or coached yet."
        />
      ) : null}
      {coaches ? (
        <ServerTable
          caption="Coaching activity by coach"
          rows={coaches.rows}
          total={coaches.total}
          params={params}
          columns={coachColumns(Math.max(1, ...coaches.rows.flatMap((r) => r.weeks)))}
          getRowId={(row) => row.id}
          csvHref={csvHref}
          filters={filters}
          searchLabel="Search coaches by name or focus"
          emptyMessage="No coaches yet."
        />
      ) : null}
    </>
  );
}

export const meta: MetaFunction = () => [{ title: "Coaching activity · Rollout Desk" }];

export { RouteErrorBoundary as ErrorBoundary } from "~/components/error-message";
