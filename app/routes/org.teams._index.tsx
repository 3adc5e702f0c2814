import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { ServerTable, type ServerColumn } from "~/components/data-table/server-table";
import { OrgStatus, StatusFilter, UnitFilter } from "~/components/org/org-status";
import { listTeams, loadUnitIndex, TEAM_LIST_SPEC, type TeamListRow } from "~/models/org/org.server";
import { requirePermission } from "~/utils/auth.server";
import { getDb } from "~/utils/db.server";
import { listSearch, parseListParams } from "~/utils/list-params";
import { can } from "~/utils/permissions";

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "org:read");
  const params = parseListParams(new URL(request.url).searchParams, TEAM_LIST_SPEC);
  const db = getDb();
  const index = await loadUnitIndex(db);
  const page = await listTeams(db, params, index);
  return {
    rows: page.rows,
    total: page.total,
    params,
    unitOptions: index.units.map((u) => ({ value: u.id, label: u.archivedAt ? `${u.path} (archived)` : u.path })),
    canWrite: can(user.role, "org:write"),
  };
}

const columns: ServerColumn<TeamListRow>[] = [
  {
    id: "name",
    accessorKey: "name",
    header: "Team",
    cell: (info) => <Link to={`/org/teams/${info.row.original.id}`}>{info.row.original.name}</Link>,
  },
  {
    id: "unit",
    accessorKey: "unitPath",
    header: "Unit",
    cell: (info) => <Link to={`/org/units/${info.row.original.unitId}`}>{info.row.original.unitPath}</Link>,
  },
  {
    id: "lead",
    accessorKey: "leadName",
    header: "Lead",
    cell: (info) =>
      info.row.original.leadId ? (
        <Link to={`/org/people/${info.row.original.leadId}`}>{info.row.original.leadName}</Link>
      ) : (
        <span className="muted">No lead</span>
      ),
  },
  {
    id: "size",
    accessorKey: "size",
    header: "Size",
    cell: (info) => {
      const t = info.row.original;
      if (t.size === null) return <span className="muted">—</span>;
      return t.memberCount > 0 ? (
        t.size
      ) : (
        <span title="Headcount stored on the team; no people are assigned to it">{t.size} (headcount)</span>
      );
    },
  },
  {
    id: "status",
    accessorFn: (t) => (t.archivedAt ? "archived" : "active"),
    header: "Status",
    cell: (info) => <OrgStatus archivedAt={info.row.original.archivedAt} />,
  },
];

export default function Teams() {
  const { rows, total, params, unitOptions, canWrite } = useLoaderData<typeof loader>();
  return (
    <>
      <div className="page-header">
        <h1>Teams</h1>
        {canWrite ? (
          <Link
            className="button"
            to={params.filters.unit ? `/org/teams/new?unit=${encodeURIComponent(params.filters.unit)}` : "/org/teams/new"}
          >
            New team
          </Link>
        ) : null}
      </div>
      <p className="lead">
        Size is the number of active people in the team; for teams without assigned people, the headcount stored on the team.
      </p>
      <ServerTable
        caption="Teams"
        rows={rows}
        total={total}
        params={params}
        columns={columns}
        getRowId={(t) => t.id}
        csvHref={`/org/teams.csv${listSearch(params, { page: 1 })}`}
        searchLabel="Search teams by name"
        filters={
          <>
            <UnitFilter value={params.filters.unit} options={unitOptions} />
            <StatusFilter value={params.filters.status} />
          </>
        }
        emptyMessage="No teams yet."
      />
    </>
  );
}

export const meta: MetaFunction = () => [{ title: "Teams · Organization · Rollout Desk" }];

export { RouteErrorBoundary as ErrorBoundary } from "~/components/error-message";
