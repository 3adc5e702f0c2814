import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData, useSearchParams } from "@remix-run/react";
import { z } from "zod";
import { DataTable, type DataColumn } from "~/components/data-table/data-table";
import { listAuditActions, listAuditEvents } from "~/models/audit.server";
import { requirePermission } from "~/utils/auth.server";
import { formatDateTime } from "~/utils/dates";
import { getDb } from "~/utils/db.server";

const PAGE_SIZE = 50;

const filterSchema = z.object({
  action: z.string().trim().max(100).optional().catch(undefined),
  q: z.string().trim().max(200).optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(100_000).catch(1),
});

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, "audit:read");
  const params = Object.fromEntries(new URL(request.url).searchParams);
  const filter = filterSchema.parse(params);
  const db = getDb();
  const [{ events, total }, actions] = await Promise.all([
    listAuditEvents(db, { action: filter.action || undefined, q: filter.q || undefined, page: filter.page, pageSize: PAGE_SIZE }),
    listAuditActions(db),
  ]);
  return { events, total, actions, page: filter.page, pages: Math.max(1, Math.ceil(total / PAGE_SIZE)) };
}

type Row = Awaited<ReturnType<typeof loader>>["events"][number];

const columns: DataColumn<Row>[] = [
  { accessorFn: (e) => new Date(e.at).getTime(), id: "at", header: "When", cell: (info) => formatDateTime(info.row.original.at) },
  { accessorFn: (e) => e.actorLabel ?? "—", id: "actor", header: "Who" },
  { accessorKey: "action", header: "Action" },
  { accessorKey: "summary", header: "What" },
  {
    accessorFn: (e) => (Object.keys(e.details ?? {}).length ? JSON.stringify(e.details) : ""),
    id: "details",
    header: "Details",
    enableSorting: false,
    cell: (info) => {
      const text = info.getValue() as string;
      return text ? <code className="details">{text}</code> : null;
    },
  },
  { accessorFn: (e) => e.ip ?? "", id: "ip", header: "IP" },
];

export default function AuditLog() {
  const { events, total, actions, page, pages } = useLoaderData<typeof loader>();
  const [searchParams] = useSearchParams();
  const pageLink = (p: number) => {
    const next = new URLSearchParams(searchParams);
    next.set("page", String(p));
    return `?${next.toString()}`;
  };
  return (
    <>
      <h1>Audit log</h1>
      <p className="lead">Every sign-in and every change, newest first: who did what, and when.</p>
      <Form method="get" className="filter-bar">
        <label>
          Action{" "}
          <select name="action" defaultValue={searchParams.get("action") ?? ""}>
            <option value="">All actions</option>
            {actions.map((a) => (
              <option key={a} value={a}>
                {a}
              </option>
            ))}
          </select>
        </label>
        <label>
          Contains <input type="search" name="q" defaultValue={searchParams.get("q") ?? ""} />
        </label>
        <button type="submit" className="button button--small">
          Filter
        </button>
      </Form>
      <DataTable data={events} columns={columns} caption="Audit events" getRowId={(e) => String(e.id)} emptyMessage="No events match." />
      <nav aria-label="Pages" className="pager">
        <span>
          {total} event{total === 1 ? "" : "s"} · page {page} of {pages}
        </span>
        {page > 1 ? <Link to={pageLink(page - 1)}>← Newer</Link> : null}
        {page < pages ? <Link to={pageLink(page + 1)}>Older →</Link> : null}
      </nav>
    </>
  );
}

export const meta: MetaFunction = () => [{ title: "Audit log · Rollout Desk" }];

export { RouteErrorBoundary as ErrorBoundary } from "~/components/error-message";
