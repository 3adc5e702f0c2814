import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { ServerTable, type ServerColumn } from "~/components/data-table/server-table";
import { OrgStatus, StatusFilter, UnitFilter } from "~/components/org/org-status";
import { findTeamName, listPeople, loadUnitIndex, PEOPLE_LIST_SPEC, type PersonListRow } from "~/models/org/org.server";
import { requirePermission } from "~/utils/auth.server";
import { getDb } from "~/utils/db.server";
import { listSearch, parseListParams } from "~/utils/list-params";
import { can, ROLE_LABELS } from "~/utils/permissions";

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "org:read");
  const params = parseListParams(new URL(request.url).searchParams, PEOPLE_LIST_SPEC);
  const db = getDb();
  const [index, team] = await Promise.all([
    loadUnitIndex(db),
    params.filters.team ? findTeamName(db, params.filters.team) : Promise.resolve(null),
  ]);
  const page = await listPeople(db, params, index);
  return {
    rows: page.rows,
    total: page.total,
    params,
    team,
    unitOptions: index.units.map((u) => ({ value: u.id, label: u.archivedAt ? `${u.path} (archived)` : u.path })),
    canWrite: can(user.role, "org:write"),
  };
}

const columns: ServerColumn<PersonListRow>[] = [
  {
    id: "name",
    accessorKey: "name",
    header: "Name",
    cell: (info) => <Link to={`/org/people/${info.row.original.id}`}>{info.row.original.name}</Link>,
  },
  { id: "email", accessorKey: "email", header: "Email" },
  { id: "title", accessorKey: "title", header: "Title" },
  {
    id: "unit",
    accessorKey: "unitPath",
    header: "Unit",
    cell: (info) =>
      info.row.original.unitId ? (
        <Link to={`/org/units/${info.row.original.unitId}`}>{info.row.original.unitPath}</Link>
      ) : (
        <span className="muted">—</span>
      ),
  },
  {
    id: "team",
    accessorKey: "teamName",
    header: "Team",
    cell: (info) =>
      info.row.original.teamId ? (
        <Link to={`/org/teams/${info.row.original.teamId}`}>{info.row.original.teamName}</Link>
      ) : (
        <span className="muted">—</span>
      ),
  },
  {
    id: "account",
    accessorKey: "accountRole",
    header: "Account",
    cell: (info) => (info.row.original.accountRole ? ROLE_LABELS[info.row.original.accountRole] : <span className="muted">None</span>),
  },
  {
    id: "status",
    accessorFn: (p) => (p.archivedAt ? "archived" : "active"),
    header: "Status",
    cell: (info) => <OrgStatus archivedAt={info.row.original.archivedAt} />,
  },
];

export default function People() {
  const { rows, total, params, team, unitOptions, canWrite } = useLoaderData<typeof loader>();
  return (
    <>
      <div className="page-header">
        <h1>People</h1>
        {canWrite ? (
          <Link className="button" to={team ? `/org/people/new?team=${team.id}` : "/org/people/new"}>
            New person
          </Link>
        ) : null}
      </div>
      {params.filters.team ? (
        <p className="lead">
          Members of {team ? <Link to={`/org/teams/${team.id}`}>{team.name}</Link> : "an unknown team"}.{" "}
          <Link to={listSearch(params, { page: 1, filters: { team: "" } })}>Show everyone</Link>
        </p>
      ) : (
        <p className="lead">Everyone in the organization. The search matches names, emails, titles and team names.</p>
      )}
      <ServerTable
        caption="People"
        rows={rows}
        total={total}
        params={params}
        columns={columns}
        getRowId={(p) => p.id}
        csvHref={`/org/people.csv${listSearch(params, { page: 1 })}`}
        searchLabel="Search people by name, email, title or team"
        filters={
          <>
            {params.filters.team ? <input type="hidden" name="team" value={params.filters.team} /> : null}
            <UnitFilter value={params.filters.unit} options={unitOptions} />
            <StatusFilter value={params.filters.status} />
          </>
        }
        emptyMessage="No people yet."
      />
    </>
  );
}

export const meta: MetaFunction = () => [{ title: "People · Organization · Rollout Desk" }];

export { RouteErrorBoundary as ErrorBoundary } from "~/components/error-message";
