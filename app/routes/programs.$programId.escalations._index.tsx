import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData, useLocation } from "@remix-run/react";
import { URGENCIES } from "../../db/schema";
import { ServerTable, type ServerColumn } from "~/components/data-table/server-table";
import { ageText, CoachingNav, EscalationStatusBadge, NotACoach, UrgencyBadge } from "~/components/sessions/coaching-bits";
import { ESCALATION_LIST_SPEC, listEscalations, listOwnerOptions, type EscalationListRow } from "~/models/coaching/escalations.server";
import { getDb } from "~/utils/db.server";
import { parseListParams } from "~/utils/list-params";
import {
  ESCALATION_CATEGORY_LABELS,
  ESCALATION_STATUS_FILTER_LABELS,
  ESCALATION_STATUS_FILTERS,
  escalationStatusParam,
  URGENCY_LABELS,
} from "~/validation/sessions";
import { requireCoachingViewer } from "~/utils/coaching-http.server";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: "/styles/sessions.css" }];

// The escalation queue: the PLO sees every coach's questions (status, urgency, owner, age) and
// takes them; a coach sees their own questions and their answers.

export async function loader({ request, params: routeParams }: LoaderFunctionArgs) {
  const { program, viewer, user } = await requireCoachingViewer(request, routeParams, "sessions:read");
  const base = { program: { id: program.id, name: program.name }, manage: viewer.manage, userId: user.id };
  if (!viewer.manage && !viewer.coach) return { ...base, notACoach: true as const };
  const params = parseListParams(new URL(request.url).searchParams, ESCALATION_LIST_SPEC);
  const db = getDb();
  const [page, owners] = await Promise.all([
    listEscalations(db, viewer, program.id, params),
    viewer.manage ? listOwnerOptions(db) : Promise.resolve([]),
  ]);
  return {
    ...base,
    notACoach: false as const,
    rows: page.rows,
    total: page.total,
    params,
    owners,
    status: escalationStatusParam(params.filters.status),
  };
}

function TakeButton({ programId, row, back }: { programId: string; row: EscalationListRow; back: string }) {
  return (
    <Form method="post" action={`/programs/${programId}/escalations/${row.id}`} className="coaching-inline-form">
      <input type="hidden" name="back" value={back} />
      <button type="submit" name="intent" value="take" className="link-button">
        Take it<span className="visually-hidden"> ({row.questionExcerpt.slice(0, 40)})</span>
      </button>
    </Form>
  );
}

function columns(programId: string, manage: boolean, userId: string, back: string): ServerColumn<EscalationListRow>[] {
  return [
    {
      id: "question",
      accessorKey: "questionExcerpt",
      header: "Question",
      enableSorting: false,
      cell: (info) => {
        const row = info.row.original;
        const unread = !manage && row.answeredAt && !row.answerSeenAt;
        return (
          <>
            <Link to={`/programs/${programId}/escalations/${row.id}`}>{row.questionExcerpt}</Link>
            {unread ? <span className="pill pill--warning">New answer</span> : null}
          </>
        );
      },
    },
    { id: "category", accessorKey: "category", header: "About", cell: (info) => ESCALATION_CATEGORY_LABELS[info.row.original.category] },
    { id: "urgency", accessorKey: "urgency", header: "Urgency", cell: (info) => <UrgencyBadge urgency={info.row.original.urgency} /> },
    { id: "team", accessorKey: "teamName", header: "Team", cell: (info) => info.row.original.teamName ?? <span className="muted">—</span> },
    ...(manage ? [{ id: "coach", accessorKey: "coachName", header: "Coach" } satisfies ServerColumn<EscalationListRow>] : []),
    { id: "status", accessorKey: "status", header: "Status", cell: (info) => <EscalationStatusBadge status={info.row.original.status} /> },
    {
      id: "owner",
      accessorKey: "ownerName",
      header: "Owner",
      cell: (info) => {
        const row = info.row.original;
        if (row.ownerId === userId) return "Me";
        return (
          <>
            {row.ownerName ?? <span className="muted">Nobody</span>}
            {manage && row.status !== "closed" ? (
              <>
                {" "}
                <TakeButton programId={programId} row={row} back={back} />
              </>
            ) : null}
          </>
        );
      },
    },
    { id: "age", accessorKey: "ageDays", header: "Age", cell: (info) => ageText(info.row.original.ageDays) },
  ];
}

export default function EscalationQueue() {
  const loaded = useLoaderData<typeof loader>();
  const location = useLocation();
  if (loaded.notACoach) return <NotACoach programName={loaded.program.name} title="My questions" />;
  const { program, manage, userId, rows, total, params, owners, status } = loaded;
  const f = params.filters;
  return (
    <>
      <CoachingNav programId={program.id} manage={manage} />
      <div className="page-header">
        <h1>{manage ? "Escalation queue" : "My questions"}</h1>
        {manage ? null : (
          <Link className="button" to={`/programs/${program.id}/escalations/new`}>
            Ask the PLO
          </Link>
        )}
      </div>
      <p className="lead">
        {manage
          ? "Questions coaches raised to the Program Lead Office: most urgent and oldest first. Take one to own it, answer it, close it."
          : "The questions you asked the Program Lead Office, and their answers."}
      </p>
      <ServerTable
        caption={manage ? "Escalation queue" : "My questions"}
        rows={rows}
        total={total}
        params={params}
        columns={columns(program.id, manage, userId, location.pathname + location.search)}
        getRowId={(e) => e.id}
        searchLabel="Search questions, teams and coaches"
        emptyMessage={manage ? "No questions yet." : "You have not asked a question yet."}
        filters={
          <>
            <label>
              <span className="visually-hidden">Status</span>
              <select name="status" defaultValue={status === "active" ? "" : status}>
                {ESCALATION_STATUS_FILTERS.map((s) => (
                  <option key={s} value={s === "active" ? "" : s}>
                    {ESCALATION_STATUS_FILTER_LABELS[s]}
                  </option>
                ))}
              </select>
            </label>
            <label>
              <span className="visually-hidden">Urgency</span>
              <select name="urgency" defaultValue={f.urgency ?? ""}>
                <option value="">Any urgency</option>
                {URGENCIES.map((u) => (
                  <option key={u} value={u}>
                    {URGENCY_LABELS[u]}
                  </option>
                ))}
              </select>
            </label>
            {manage ? (
              <label>
                <span className="visually-hidden">Owner</span>
                <select name="owner" defaultValue={f.owner ?? ""}>
                  <option value="">Any owner</option>
                  <option value="me">Me</option>
                  <option value="none">Nobody yet</option>
                  {owners
                    .filter((o) => o.id !== userId)
                    .map((o) => (
                      <option key={o.id} value={o.id}>
                        {o.name}
                      </option>
                    ))}
                </select>
              </label>
            ) : null}
          </>
        }
      />
    </>
  );
}

export const meta: MetaFunction = () => [{ title: "Escalations · Rollout Desk" }];

export { RouteErrorBoundary as ErrorBoundary } from "~/components/error-message";
