import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { ASSIGN_FORM_ID, BulkAssignForm } from "~/components/coaching/assign-form";
import { ServerTable, type ServerColumn } from "~/components/data-table/server-table";
import { UnitFilter, WaveFilter } from "~/components/data-table/list-filters";
import { FormError } from "~/components/ui/field";
import { listCoachOptions, listTeamCoaches, listWaveRefs, type TeamCoachRow } from "~/models/coaching/coaches.server";
import { listUnitOptions } from "~/models/org/org.server";
import { getDb } from "~/utils/db.server";
import { parseListParams } from "~/utils/list-params";
import { can } from "~/utils/permissions";
import { assignTeamsAction } from "~/utils/coaching-http.server";
import { requireProgram } from "~/utils/program-access.server";
import { ASSIGNMENT_LIST_SPEC } from "~/validation/coaching";
import * as dates from "~/utils/dates";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: "/styles/coaching.css" }];

// Staffing teams with coaches in bulk: the organization's active teams with their wave and
// current coaches, filtered by wave, unit and whether they have a primary coach; select teams
// and assign them to one coach as primary or secondary from a date.

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user, program } = await requireProgram(request, params, "coaching:read");
  const db = getDb();
  const url = new URL(request.url);
  const list = parseListParams(url.searchParams, ASSIGNMENT_LIST_SPEC);
  const canManage = can(user.role, "coaching:manage");
  const today = dates.today();
  const [page, waves, units, coaches] = await Promise.all([
    listTeamCoaches(db, program.id, list, today),
    listWaveRefs(db, program.id),
    listUnitOptions(db),
    canManage ? listCoachOptions(db, program.id, today) : Promise.resolve([]),
  ]);
  const preselected = url.searchParams.get("coach") ?? "";
  return {
    program: { id: program.id, name: program.name },
    page,
    params: list,
    waves: waves.map((w) => ({ id: w.id, name: w.name })),
    units,
    coaches,
    defaultCoachId: coaches.some((c) => c.id === preselected) ? preselected : "",
    canManage,
    today,
  };
}

// The bulk assign form (shared with the coverage board).
export const action = assignTeamsAction;

export default function Assignments() {
  const { program, page, params, waves, units, coaches, defaultCoachId, canManage, today } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const base = `/programs/${program.id}`;
  const bulkErrors = result?.intent === "assign" ? result.errors : {};

  const columns: ServerColumn<TeamCoachRow>[] = [
    {
      id: "team",
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
      id: "primary",
      accessorKey: "primary",
      header: "Primary coach",
      enableSorting: false,
      cell: (info) => info.row.original.primary ?? <span className="uncovered">⚠ None</span>,
    },
    {
      id: "secondary",
      accessorKey: "secondaries",
      header: "Secondary coaches",
      enableSorting: false,
      cell: (info) => (info.row.original.secondaries.length ? info.row.original.secondaries.join(", ") : <span className="muted">—</span>),
    },
  ];

  const filters = (
    <>
      <WaveFilter waves={waves} value={params.filters.wave} />
      <UnitFilter units={units} value={params.filters.unit} />
      <label className="filter">
        <span className="visually-hidden">Primary coach</span>
        <select name="primary" defaultValue={params.filters.primary ?? ""}>
          <option value="">With or without a primary coach</option>
          <option value="no">Without a primary coach</option>
          <option value="yes">With a primary coach</option>
        </select>
      </label>
    </>
  );

  return (
    <>
      <div className="page-header">
        <h1>Coach assignments</h1>
        <p className="button-row">
          <Link to={`${base}/coverage`}>Coverage board →</Link>
          <Link to={`${base}/coaches`}>Coaches →</Link>
        </p>
      </div>
      <p className="lead">
        Every active team with its wave and current coaches.
        {canManage ? " Select teams and assign them to a coach; a team has at most one primary coach at a time." : ""}
      </p>
      <FormError error={result && result.intent !== "assign" ? result.errors._form : undefined} />
      {canManage && coaches.length === 0 ? <FormError error="This program has no active coaches yet: add coaches first." /> : null}
      <ServerTable
        caption="Teams and their coaches"
        rows={page.rows}
        total={page.total}
        params={params}
        columns={columns}
        getRowId={(row) => row.id}
        filters={filters}
        searchLabel="Search teams, units and leads"
        emptyMessage="The organization has no active teams yet."
        selection={canManage ? { name: "teamId", formId: ASSIGN_FORM_ID, label: (row) => row.name } : undefined}
        bulkActions={
          canManage
            ? (selected) => (
                <BulkAssignForm
                  selectedCount={selected}
                  coaches={coaches}
                  today={today}
                  errors={bulkErrors}
                  values={result?.intent === "assign" ? result.values : {}}
                  defaultCoachId={defaultCoachId}
                />
              )
            : undefined
        }
      />
    </>
  );
}

export const meta: MetaFunction = () => [{ title: "Coach assignments · Rollout Desk" }];

export { RouteErrorBoundary as ErrorBoundary } from "~/components/error-message";
