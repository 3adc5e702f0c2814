import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { ChoiceFilter } from "~/components/data-table/list-filters";
import { ServerTable, type ServerColumn } from "~/components/data-table/server-table";
import { listUsers, USER_LIST_SPEC, type PublicUser } from "~/models/accounts/users.server";
import { requirePermission } from "~/utils/auth.server";
import { formatDateTime } from "~/utils/dates";
import { getDb } from "~/utils/db.server";
import { listSearch, parseListParams } from "~/utils/list-params";
import { ROLE_LABELS } from "~/utils/permissions";

// Every account, one server page at a time (an installation can hold thousands): search by name
// or email, filter by role and status, sort by any column.

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, "users:manage");
  const params = parseListParams(new URL(request.url).searchParams, USER_LIST_SPEC);
  const page = await listUsers(getDb(), params);
  return { rows: page.rows, total: page.total, params };
}

type Row = Omit<PublicUser, "created_at" | "last_login_at"> & { created_at: string | Date; last_login_at: string | Date | null };

const columns: ServerColumn<Row>[] = [
  {
    id: "name",
    accessorKey: "name",
    header: "Name",
    cell: (info) => <Link to={`/admin/users/${info.row.original.id}`}>{info.row.original.name}</Link>,
  },
  { id: "email", accessorKey: "email", header: "Email" },
  { id: "role", accessorFn: (u) => ROLE_LABELS[u.role], header: "Role" },
  { id: "active", accessorFn: (u) => (u.active ? "Active" : "Deactivated"), header: "Status" },
  {
    id: "last_login_at",
    accessorFn: (u) => (u.last_login_at ? formatDateTime(u.last_login_at) : "Never"),
    header: "Last sign-in",
  },
];

const ROLE_OPTIONS = Object.entries(ROLE_LABELS).map(([value, label]) => ({ value, label }));
const STATUS_OPTIONS = [
  { value: "active", label: "Active" },
  { value: "deactivated", label: "Deactivated" },
];

export default function Users() {
  const { rows, total, params } = useLoaderData<typeof loader>();
  return (
    <>
      <div className="page-header">
        <h1>Users</h1>
        <Link className="button" to="/admin/users/new">
          New user
        </Link>
      </div>
      <p className="lead">Accounts and their roles. A role decides what someone may see and change.</p>
      <ServerTable
        caption="Users"
        rows={rows}
        total={total}
        params={params}
        columns={columns}
        getRowId={(u) => u.id}
        csvHref={`/admin/users.csv${listSearch(params, { page: 1 })}`}
        searchLabel="Search users"
        filters={
          <>
            <ChoiceFilter name="role" label="Role" allLabel="All roles" options={ROLE_OPTIONS} value={params.filters.role} />
            <ChoiceFilter
              name="status"
              label="Status"
              allLabel="Active and deactivated"
              options={STATUS_OPTIONS}
              value={params.filters.status}
            />
          </>
        }
        emptyMessage="No accounts yet."
      />
    </>
  );
}

export const meta: MetaFunction = () => [{ title: "Users · Rollout Desk" }];

export { RouteErrorBoundary as ErrorBoundary } from "~/components/error-message";
