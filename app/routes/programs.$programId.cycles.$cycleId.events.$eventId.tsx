import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { EventFields } from "~/components/cycles/event-fields";
import { DangerZone } from "~/components/ui/danger-zone";
import { FormError } from "~/components/ui/field";
import { SubmitButton } from "~/components/ui/submit-button";
import { deleteEvent, eventFormOptions, getEvent, sessionsOfEvent, updateEvent } from "~/models/cycles/cycles.server";
import { attempt, failure, orErrorResponse, unknownIntent } from "~/utils/action.server";
import { requireCycles } from "~/utils/cycles-http.server";
import { formatDate, formatDay } from "~/utils/dates";
import { getDb } from "~/utils/db.server";
import { parseForm, unconfirmed } from "~/utils/forms";
import { redirectWithToast } from "~/utils/toast.server";
import { eventEditSchema } from "~/validation/cycles";
import { SESSION_TYPE_LABELS } from "~/validation/sessions";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: "/styles/cycles.css" }];

// One event of a cycle's calendar, as the PLO edits it (date, scope, facilitator, place, state).

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { program } = await requireCycles(request, params, "cycles:manage");
  const db = getDb();
  const [event, options] = await Promise.all([
    orErrorResponse(() => getEvent(db, program.id, params.cycleId ?? "", params.eventId ?? "")),
    eventFormOptions(db, program.id),
  ]);
  return { programId: program.id, event, options, sessions: await sessionsOfEvent(db, program.id, event.id) };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { program, viewer } = await requireCycles(request, params, "cycles:manage");
  const db = getDb();
  const cycleId = params.cycleId ?? "";
  const eventId = params.eventId ?? "";
  const back = `/programs/${program.id}/cycles/${cycleId}`;
  const formData = await request.formData();
  const intent = String(formData.get("intent") ?? "");
  switch (intent) {
    case "save": {
      const parsed = parseForm(eventEditSchema, formData);
      if (!parsed.ok) return failure(parsed.errors, parsed.values, 400, { intent });
      return attempt(
        parsed.values,
        async () => {
          await updateEvent(db, viewer, program.id, cycleId, eventId, parsed.data);
          return redirectWithToast(request, back, "Event saved.");
        },
        { intent },
      );
    }
    case "delete": {
      const unticked = unconfirmed(formData);
      if (unticked) return failure(unticked, {}, 400, { intent });
      return attempt(
        {},
        async () => {
          const { label } = await deleteEvent(db, viewer, program.id, cycleId, eventId);
          return redirectWithToast(request, back, `Event “${label}” deleted.`);
        },
        { intent },
      );
    }
    default:
      return unknownIntent(intent);
  }
}

export default function EventDetail() {
  const { programId, event, options, sessions } = useLoaderData<typeof loader>();
  const failed = useActionData<typeof action>();
  const errorsFor = (intent: string) => (failed?.intent === intent ? failed.errors : {});
  const values =
    failed?.intent === "save"
      ? failed.values
      : {
          kind: event.kind,
          title: event.title,
          occursOn: event.occursOn,
          startsAt: event.startsAt ?? "",
          durationMinutes: event.durationMinutes === null ? "" : String(event.durationMinutes),
          scope: event.scope,
          waveId: event.waveId ?? "",
          unitId: event.unitId ?? "",
          facilitatorEmail: event.facilitatorEmail ?? "",
          location: event.location,
          state: event.state,
          notes: event.notes,
        };
  return (
    <>
      <p>
        <Link to={`/programs/${programId}/cycles/${event.cycleId}`}>← {event.cycleName}</Link>
      </p>
      <h1>
        {event.label} <span className="muted">· {formatDay(event.occursOn)}</span>
      </h1>
      <section className="card">
        <Form method="post">
          <input type="hidden" name="intent" value="save" />
          <input type="hidden" name="version" value={event.version} />
          <FormError error={errorsFor("save")._form} />
          <EventFields values={values} errors={errorsFor("save")} waves={options.waves} units={options.units} />
          <SubmitButton>Save event</SubmitButton>
        </Form>
      </section>
      <section className="card" aria-labelledby="event-sessions">
        <h2 id="event-sessions">Support sessions that delivered it</h2>
        {sessions.length === 0 ? (
          <p className="muted">No coach has linked a session to this event yet (coaches pick the event when they log a session).</p>
        ) : (
          <table className="simple-table">
            <caption className="visually-hidden">Support sessions logged for {event.label}</caption>
            <thead>
              <tr>
                <th scope="col">Date</th>
                <th scope="col">Team</th>
                <th scope="col">Coach</th>
                <th scope="col">Kind</th>
                <th scope="col">Minutes</th>
              </tr>
            </thead>
            <tbody>
              {sessions.map((s) => (
                <tr key={s.id}>
                  <td>
                    <Link to={`/programs/${programId}/sessions/${s.id}`}>{formatDate(s.heldOn)}</Link>
                  </td>
                  <td>{s.teamName}</td>
                  <td>{s.coachName}</td>
                  <td>{SESSION_TYPE_LABELS[s.type]}</td>
                  <td>{s.durationMinutes}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      <DangerZone
        title="Delete event"
        confirmLabel={`Yes, delete “${event.label}”`}
        intent="delete"
        submitLabel="Delete event"
        errors={errorsFor("delete")}
      >
        <p className="muted">To keep a record that it did not take place, mark it cancelled instead.</p>
      </DangerZone>
    </>
  );
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.event.label} · Rollout Desk` : "Event · Rollout Desk" },
];

export { RouteErrorBoundary as ErrorBoundary } from "~/components/error-message";
