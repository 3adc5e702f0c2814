import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { DataTable, type DataColumn } from "~/components/data-table/data-table";
import { listUsers, type PublicUser } from "~/models/accounts/users.server";
import { requirePermission } from "~/utils/auth.server";
import { formatDateTime } from "~/utils/dates";
import { getDb } from "~/utils/db.server";
import { ROLE_LABELS } from "~/utils/permissions";

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, "users:manage");
  return { users: await listUsers(getDb()) };
}

type Row = Omit<PublicUser, "created_at" | "last_login_at"> & { created_at: string | Date; last_login_at: string | Date | null };

const columns: DataColumn<Row>[] = [
  {
    accessorKey: "name",
    header: "Name",
    cell: (info) => <Link to={`/admin/users/${info.row.original.id}`}>{info.row.original.name}</Link>,
  },
  { accessorKey: "email", header: "Email" },
  { accessorFn: (u) => ROLE_LABELS[u.role], id: "role", header: "Role" },
  { accessorFn: (u) => (u.active ? "Active" : "Deactivated"), id: "active", header: "Status" },
  {
    accessorFn: (u) => (u.last_login_at ? new Date(u.last_login_at).getTime() : 0),
    id: "last_login_at",
    header: "Last sign-in",
    cell: (info) => (info.row.original.last_login_at ? formatDateTime(info.row.original.last_login_at) : "Never"),
  },
];

export default function Users() {
  const { users } = useLoaderData<typeof loader>();
  return (
    <>
      <div className="page-header">
        <h1>Users</h1>
        <Link className="button" to="/admin/users/new">
          New user
        </Link>
      </div>
      <p className="lead">Accounts and their roles. A role decides what someone may see and change.</p>
      <DataTable
        data={users}
        columns={columns}
        caption="Users"
        getRowId={(u) => u.id}
        toCsvRow={(u) => ({ name: u.name, email: u.email, role: u.role, active: u.active, last_login_at: u.last_login_at ?? "" })}
      />
    </>
  );
}

export const meta: MetaFunction = () => [{ title: "Users · Rollout Desk" }];

export { RouteErrorBoundary as ErrorBoundary } from "~/components/error-message";
