import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { AddCoachForm } from "~/components/coaching/coach-form";
import { AccountBadge, LoadMeter } from "~/components/coaching/load";
import { ServerTable, type ServerColumn } from "~/components/data-table/server-table";
import { createCoach, listCoaches, type CoachRow } from "~/models/coaching/coaches.server";
import { getDb } from "~/utils/db.server";
import { parseForm, type FormFailure } from "~/utils/forms";
import { listSearch, parseListParams } from "~/utils/list-params";
import { can } from "~/utils/permissions";
import { requireProgram } from "~/utils/program-access.server";
import { redirectWithToast } from "~/utils/toast.server";
import { coachSchema, COACH_LIST_SPEC } from "~/validation/coaching";
import { domainFailure } from "~/utils/action.server";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: "/styles/coaching.css" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user, program } = await requireProgram(request, params, "coaching:read");
  const list = parseListParams(new URL(request.url).searchParams, COACH_LIST_SPEC);
  const page = await listCoaches(getDb(), program.id, list);
  return { program: { id: program.id, name: program.name }, page, params: list, canManage: can(user.role, "coaching:manage") };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { user, program } = await requireProgram(request, params, "coaching:manage");
  const formData = await request.formData();
  if (formData.get("intent") !== "create") return data<FormFailure>({ errors: { _form: "Unknown action." }, values: {} }, { status: 400 });
  const parsed = parseForm(coachSchema, formData);
  if (!parsed.ok) return data<FormFailure>({ errors: parsed.errors, values: parsed.values }, { status: 400 });
  try {
    const coach = await createCoach(getDb(), user, program.id, parsed.data);
    return redirectWithToast(
      request,
      `/programs/${program.id}/coaches/${coach.id}`,
      `${coach.name} is now a coach of this program. Assign their teams below.`,
    );
  } catch (error) {
    return domainFailure(error, parsed.values);
  }
}

export default function Coaches() {
  const { program, page, params, canManage } = useLoaderData<typeof loader>();
  const failure = useActionData<typeof action>();
  const base = `/programs/${program.id}`;
  const missingOnPage = page.rows.filter((r) => r.active && r.account !== "coach").length;

  const columns: ServerColumn<CoachRow>[] = [
    {
      id: "name",
      accessorKey: "name",
      header: "Coach",
      cell: (info) => (
        <>
          <a href={`${base}/coaches/${info.row.original.id}`}>{info.row.original.name}</a>
          <br />
          <span className="muted">{info.row.original.email}</span>
        </>
      ),
    },
    {
      id: "focus",
      accessorKey: "focus",
      header: "Focus",
      enableSorting: false,
      cell: (info) => info.row.original.focus || <span className="muted">—</span>,
    },
    { id: "capacity", accessorKey: "capacity", header: "Capacity" },
    {
      id: "load",
      accessorKey: "load",
      header: "Load",
      cell: (info) => <LoadMeter load={info.row.original.load} capacity={info.row.original.capacity} />,
    },
    {
      id: "account",
      accessorKey: "account",
      header: "Sign-in",
      enableSorting: false,
      cell: (info) => <AccountBadge state={info.row.original.account} />,
    },
    {
      id: "status",
      accessorKey: "active",
      header: "Status",
      enableSorting: false,
      cell: (info) => (info.row.original.active ? "Active" : <span className="state state--inactive">Deactivated</span>),
    },
  ];

  const filters = (
    <>
      <label className="filter">
        <span className="visually-hidden">Status</span>
        <select name="status" defaultValue={params.filters.status ?? ""}>
          <option value="">Active coaches</option>
          <option value="inactive">Deactivated coaches</option>
          <option value="all">All coaches</option>
        </select>
      </label>
      <label className="filter">
        <span className="visually-hidden">Load</span>
        <select name="load" defaultValue={params.filters.load ?? ""}>
          <option value="">Any load</option>
          <option value="overloaded">Overloaded</option>
          <option value="full">Full</option>
          <option value="free">With free capacity</option>
        </select>
      </label>
      <label className="filter">
        <span className="visually-hidden">Sign-in</span>
        <select name="account" defaultValue={params.filters.account ?? ""}>
          <option value="">Any account</option>
          <option value="missing">No coach account</option>
        </select>
      </label>
    </>
  );

  return (
    <>
      <div className="page-header">
        <h1>Coaches</h1>
        <p className="button-row">
          <Link to={`${base}/coverage`}>Coverage board →</Link>
          {canManage ? <Link to={`${base}/assignments`}>Assign teams →</Link> : null}
          <Link to={`${base}/coaching-activity`}>Coaching activity →</Link>
        </p>
      </div>
      <p className="lead">
        The program's OKR coaches: how many teams each can support at once (capacity) and how many they coach today (load).
      </p>
      {missingOnPage > 0 ? (
        <p className="coach-warning" role="status">
          <span aria-hidden="true">⚠</span>{" "}
          {missingOnPage === 1 ? "1 coach on this page has" : `${missingOnPage} coaches on this page have`} no coach account linked to their
          person: they cannot sign in or log sessions. An administrator creates the account (role “OKR coach”) and links it on the person's
          page. <Link to={listSearch(params, { page: 1, filters: { account: "missing" } })}>Show them all</Link>
        </p>
      ) : null}
      <ServerTable
        caption="Coaches"
        rows={page.rows}
        total={page.total}
        params={params}
        columns={columns}
        getRowId={(row) => row.id}
        csvHref={`${base}/coaches.csv${listSearch(params, { page: 1 })}`}
        filters={filters}
        searchLabel="Search coaches by name, email or focus"
        emptyMessage="No coaches yet. Add the first one below."
      />
      {canManage ? (
        <section className="card narrow" aria-labelledby="add-coach">
          <h2 id="add-coach">Add a coach</h2>
          <AddCoachForm errors={failure?.errors ?? {}} values={failure?.values ?? {}} />
        </section>
      ) : null}
    </>
  );
}

export const meta: MetaFunction = () => [{ title: "Coaches · Rollout Desk" }];

export { RouteErrorBoundary as ErrorBoundary } from "~/components/error-message";
