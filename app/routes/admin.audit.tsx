import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData, useSearchParams } from "@remix-run/react";
import { z } from "zod";
import { DataTable, type DataColumn } from "~/components/data-table/data-table";
import { listAuditActions, listAuditEvents } from "~/models/audit/audit.server";
import { requirePermission } from "~/utils/auth.server";
import { formatDateTime } from "~/utils/dates";
import { getDb } from "~/utils/db.server";

const PAGE_SIZE = 50;

const filterSchema = z.object({
  action: z.string().trim().max(100).optional().catch(undefined),
  q: z.string().trim().max(200).optional().catch(undefined),
  before: z.coerce.number().int().min(1).optional().catch(undefined),
});

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, "audit:read");
  const params = Object.fromEntries(new URL(request.url).searchParams);
  const filter = filterSchema.parse(params);
  const db = getDb();
  // Newest first, paged by id (keyset): fast on a log of millions, and stable while it grows.
  const [{ events, olderBeforeId }, actions] = await Promise.all([
    listAuditEvents(db, {
      action: filter.action || undefined,
      q: filter.q || undefined,
      page: 1,
      pageSize: PAGE_SIZE,
      beforeId: filter.before ?? Number.MAX_SAFE_INTEGER,
    }),
    listAuditActions(db),
  ]);
  return { events, actions, olderBeforeId, isFirstPage: filter.before === undefined };
}

type Row = Awaited<ReturnType<typeof loader>>["events"][number];

const columns: DataColumn<Row>[] = [
  { accessorKey: "id", header: "#", cell: (info) => <span className="event-id">{info.row.original.id}</span> },
  { accessorFn: (e) => new Date(e.at).getTime(), id: "at", header: "When", cell: (info) => formatDateTime(info.row.original.at) },
  { accessorFn: (e) => e.actorLabel ?? "—", id: "actor", header: "Who" },
  {
    // One readable line (who did what to what); the event's code beside it, muted.
    accessorKey: "summary",
    header: "What",
    cell: (info) => (
      <span className="audit-what">
        {info.row.original.summary} <code className="muted audit-action">{info.row.original.action}</code>
      </span>
    ),
  },
  {
    // The details on demand, so fifty rows stay a screen or two tall.
    accessorFn: (e) => (Object.keys(e.details ?? {}).length ? JSON.stringify(e.details) : ""),
    id: "details",
    header: "Details",
    enableSorting: false,
    cell: (info) => {
      const details = info.row.original.details ?? {};
      const keys = Object.keys(details);
      if (keys.length === 0) return null;
      return (
        <details className="audit-details">
          <summary>
            {`${keys.length} field${keys.length === 1 ? "" : "s"}`}
            <span className="visually-hidden"> of event {info.row.original.id}</span>
          </summary>
          <pre>{JSON.stringify(details, null, 2)}</pre>
        </details>
      );
    },
  },
  { accessorFn: (e) => e.ip ?? "", id: "ip", header: "IP" },
];

export default function AuditLog() {
  const { events, actions, olderBeforeId, isFirstPage } = useLoaderData<typeof loader>();
  const [searchParams] = useSearchParams();
  const link = (before: number | null) => {
    const next = new URLSearchParams(searchParams);
    if (before === null) next.delete("before");
    else next.set("before", String(before));
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
        {isFirstPage ? null : <Link to={link(null)}>← Newest</Link>}
        {olderBeforeId ? <Link to={link(olderBeforeId)}>Older events →</Link> : <span className="muted">This is the oldest event.</span>}
      </nav>
    </>
  );
}

export const meta: MetaFunction = () => [{ title: "Audit log · Rollout Desk" }];

export { RouteErrorBoundary as ErrorBoundary } from "~/components/error-message";
