import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { CoachingNav, MaturityText } from "~/components/sessions/coaching-bits";
import { EditSessionForm, type UndoResult } from "~/components/sessions/log-session-form";
import { DangerZone } from "~/components/ui/danger-zone";
import { deleteSession, sessionUndoWindowMs, updateSession } from "~/models/coaching/sessions.server";
import { getSupportSession } from "~/models/coaching/session-history.server";
import { listSessionCoachOptions, listSessionTeamOptions } from "~/models/coaching/session-options.server";
import { getDb } from "~/utils/db.server";
import { parseForm, type FormFailure, unconfirmed } from "~/utils/forms";
import { redirectWithToast } from "~/utils/toast.server";
import { SESSION_TYPE_LABELS, sessionSchema } from "~/validation/sessions";
import { eventChoicesNear } from "~/models/cycles/cycles.server";
import { requireCoachingViewer } from "~/utils/coaching-http.server";
import { domainFailure, asErrorResponse } from "~/utils/action.server";
import * as dates from "~/utils/dates";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: "/styles/sessions.css" }];

const NOT_FOUND = "This session does not exist in this program (or was deleted).";

/** A model refusal (another coach's session) as a 403 page. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { program, viewer } = await requireCoachingViewer(request, params, "sessions:read");
  const db = getDb();
  const session = await getSupportSession(db, viewer, program.id, params.sessionId ?? "").catch(asErrorResponse);
  if (!session) throw new Response(NOT_FOUND, { status: 404 });
  const today = dates.today();
  const [teams, coaches, events] = await Promise.all([
    listSessionTeamOptions(db, viewer, program.id, today, { include: session.teamId, coachId: session.coachId }),
    viewer.manage ? listSessionCoachOptions(db, program.id) : Promise.resolve(null),
    eventChoicesNear(db, program.id, session.heldOn, session.cycleEventId),
  ]);
  // The session's own team stays choosable even when it is no longer assigned.
  const teamChoices = teams.map((t) => ({ id: t.id, name: t.name, current: t.current }));
  if (!teamChoices.some((t) => t.id === session.teamId))
    teamChoices.unshift({ id: session.teamId, name: session.teamName, current: false });
  return {
    program: { id: program.id, name: program.name },
    manage: viewer.manage,
    /** Questions are raised by the coach who held the session. */
    ownSession: session.coachId === viewer.coach?.id,
    session,
    teams: teamChoices,
    coaches,
    events,
    maxDate: dates.addDays(today, 1),
  };
}

type Failure = FormFailure & { intent: string; ok: false };

export async function action({ request, params }: ActionFunctionArgs) {
  const { program, viewer } = await requireCoachingViewer(request, params, "sessions:write");
  const id = params.sessionId ?? "";
  const db = getDb();
  // Another coach's session is refused (403) whatever the form asks; an unknown one is a 404.
  if (!(await getSupportSession(db, viewer, program.id, id).catch(asErrorResponse))) throw new Response(NOT_FOUND, { status: 404 });
  const formData = await request.formData();
  const intent = String(formData.get("intent") ?? "");
  const stay = formData.get("_stay") === "1";
  const fail = (errors: Record<string, string>, values: Record<string, string> = {}) =>
    data<Failure>({ ok: false, intent, errors, values }, { status: 400 });
  switch (intent) {
    case "save": {
      const parsed = parseForm(sessionSchema(), formData);
      if (!parsed.ok) return fail(parsed.errors, parsed.values);
      let saved;
      try {
        saved = await updateSession(db, viewer, program.id, id, parsed.data);
      } catch (error) {
        return domainFailure(error, parsed.values, { ok: false as const, intent });
      }
      if (!saved) throw new Response(NOT_FOUND, { status: 404 });
      return redirectWithToast(request, `/programs/${program.id}/sessions/${id}`, `Session with ${saved.teamName} saved.`);
    }
    case "delete":
    case "undo": {
      // "undo" comes right after logging (the confirmation's link): no extra confirmation needed.
      const unticked = intent === "delete" ? unconfirmed(formData) : null;
      if (unticked) return fail(unticked);
      const removed = await deleteSession(
        db,
        viewer,
        program.id,
        id,
        intent === "undo" ? { undoWithinMs: sessionUndoWindowMs() } : {},
      ).catch(asErrorResponse);
      if (!removed) throw new Response(NOT_FOUND, { status: 404 });
      if (stay) return data<UndoResult>({ ok: true, deleted: { teamName: removed.teamName } });
      const target =
        intent === "undo"
          ? `/programs/${program.id}/sessions/new?team=${encodeURIComponent(removed.teamId)}`
          : `/programs/${program.id}/sessions`;
      return redirectWithToast(request, target, `Session with ${removed.teamName} on ${dates.formatDate(removed.heldOn)} deleted.`);
    }
    default:
      return fail({ _form: "Unknown action." });
  }
}

export default function SessionDetail() {
  const { program, manage, ownSession, session, teams, coaches, events, maxDate } = useLoaderData<typeof loader>();
  const linkedEvent = events.find((e) => e.id === session.cycleEventId);
  const failure = useActionData<typeof action>();
  const errorsFor = (intent: string) => (failure && !failure.ok && "intent" in failure && failure.intent === intent ? failure.errors : {});
  const values =
    failure && !failure.ok && "intent" in failure && failure.intent === "save"
      ? failure.values
      : {
          coachId: session.coachId,
          teamId: session.teamId,
          heldOn: session.heldOn,
          type: session.type,
          durationMinutes: String(session.durationMinutes),
          attendees: String(session.attendees),
          maturity: session.maturity === null ? "" : String(session.maturity),
          notes: session.notes,
          followUps: session.followUps,
          cycleEventId: session.cycleEventId ?? "",
        };
  const deleteErrors = errorsFor("delete");
  return (
    <>
      <CoachingNav programId={program.id} manage={manage} />
      <p>
        <Link to={`/programs/${program.id}/sessions`}>← {manage ? "All sessions" : "My sessions"}</Link>
      </p>
      <h1>
        {SESSION_TYPE_LABELS[session.type]} with {session.teamName}
      </h1>
      <dl className="facts">
        <div>
          <dt>Date</dt>
          <dd>{dates.formatDate(session.heldOn)}</dd>
        </div>
        <div>
          <dt>Coach</dt>
          <dd>{session.coachName}</dd>
        </div>
        <div>
          <dt>Duration</dt>
          <dd>{session.durationMinutes} minutes</dd>
        </div>
        <div>
          <dt>Attendees</dt>
          <dd>{session.attendees}</dd>
        </div>
        <div>
          <dt>Team maturity</dt>
          <dd>
            <MaturityText value={session.maturity} />
          </dd>
        </div>
        <div>
          <dt>Cycle event</dt>
          <dd>{linkedEvent ? linkedEvent.label : "None"}</dd>
        </div>
      </dl>
      <p className="button-row">
        {ownSession ? (
          <Link className="button button--secondary button--small" to={`/programs/${program.id}/escalations/new?session=${session.id}`}>
            Ask the PLO about this session
          </Link>
        ) : null}
        <Link className="button button--secondary button--small" to={`/learnings/new?session=${session.id}`}>
          Share a learning from it
        </Link>
        <Link className="button button--secondary button--small" to={`/programs/${program.id}/sessions/new?team=${session.teamId}`}>
          Log another session with {session.teamName}
        </Link>
      </p>
      <section className="card" aria-labelledby="edit-session">
        <h2 id="edit-session">Edit</h2>
        <EditSessionForm teams={teams} coaches={coaches} values={values} errors={errorsFor("save")} maxDate={maxDate} events={events} />
      </section>
      <DangerZone
        title="Delete"
        confirmLabel="Yes, delete this session"
        intent="delete"
        submitLabel="Delete session"
        errors={deleteErrors}
        formClassName="coaching-inline-form"
      />
    </>
  );
}

export const meta: MetaFunction = () => [{ title: "Support session · Rollout Desk" }];

export { RouteErrorBoundary as ErrorBoundary } from "~/components/error-message";
