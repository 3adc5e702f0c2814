import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { EnablementNav } from "~/components/enablement/enablement-bits";
import { FormError, InputField, SelectField } from "~/components/ui/field";
import { SubmitButton } from "~/components/ui/submit-button";
import { moduleOptions } from "~/models/enablement/curriculum.server";
import { createSession, listSessions } from "~/models/enablement/sessions.server";
import { attempt, failure, unknownIntent } from "~/utils/action.server";
import { formatDate } from "~/utils/dates";
import { getDb } from "~/utils/db.server";
import { parseForm } from "~/utils/forms";
import { can } from "~/utils/permissions";
import { requireProgram } from "~/utils/program-access.server";
import { redirectWithToast } from "~/utils/toast.server";
import { SESSION_STATE_LABELS, sessionSchema } from "~/validation/enablement";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: "/styles/enablement.css" }];

// The schedule of training sessions. The PLO sees and schedules every session; a trainer (a
// coach, a team lead) sees the sessions they train, to mark attendance.

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user, program } = await requireProgram(request, params, "enablement:read");
  const manage = can(user.role, "enablement:manage");
  const db = getDb();
  const [sessions, modules] = await Promise.all([
    listSessions(db, program.id, manage ? {} : { trainerUserId: user.id }),
    manage ? moduleOptions(db, program.id) : Promise.resolve([]),
  ]);
  return {
    program: { id: program.id, name: program.name },
    manage,
    sessions: sessions.map((s) => ({ ...s, startsAt: s.startsAt.toISOString() })),
    modules,
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { user, program } = await requireProgram(request, params, "enablement:manage");
  const formData = await request.formData();
  const intent = String(formData.get("intent") ?? "");
  if (intent !== "schedule") return unknownIntent(intent);
  const parsed = parseForm(sessionSchema, formData);
  if (!parsed.ok) return failure(parsed.errors, parsed.values, 400, { intent });
  return attempt(
    parsed.values,
    async () => {
      const id = await createSession(getDb(), user, program.id, parsed.data);
      return redirectWithToast(request, `/programs/${program.id}/enablement/sessions/${id}`, "Session scheduled.");
    },
    { intent },
  );
}

export default function TrainingSessions() {
  const { program, manage, sessions, modules } = useLoaderData<typeof loader>();
  const failed = useActionData<typeof action>();
  const e = failed?.errors ?? {};
  const v = failed?.values ?? {};
  return (
    <>
      <EnablementNav programId={program.id} manage={manage} />
      <h1>{manage ? "Training sessions" : "Sessions I train"}</h1>
      {sessions.length === 0 ? (
        <p className="muted">{manage ? "No session scheduled yet." : "You train no session in this program."}</p>
      ) : (
        <table className="simple-table">
          <thead>
            <tr>
              <th scope="col">Session</th>
              <th scope="col">When</th>
              <th scope="col">Where</th>
              <th scope="col">Trainer</th>
              <th scope="col">Seats</th>
              <th scope="col">State</th>
            </tr>
          </thead>
          <tbody>
            {sessions.map((s) => (
              <tr key={s.id}>
                <th scope="row">
                  <Link to={s.id}>{s.moduleTitle}</Link>
                </th>
                <td>
                  {formatDate(s.localDay)} {s.localTime} <span className="muted">{s.timeZone}</span>
                </td>
                <td>{s.url ? <a href={s.url}>{s.location || "Online"}</a> : s.location || "–"}</td>
                <td>{s.trainerName ?? "–"}</td>
                <td>
                  {s.seatsTaken} / {s.capacity}
                  {s.waitlisted > 0 ? ` (+${s.waitlisted} waiting)` : ""}
                </td>
                <td>{SESSION_STATE_LABELS[s.state]}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {manage ? (
        <section className="card" aria-labelledby="schedule-heading">
          <h2 id="schedule-heading">Schedule a session</h2>
          <Form method="post">
            <input type="hidden" name="intent" value="schedule" />
            <FormError error={e._form} />
            <SelectField
              label="Module"
              name="moduleId"
              defaultValue={v.moduleId ?? ""}
              error={e.moduleId}
              options={modules.map((m) => ({ value: m.id, label: m.title }))}
            />
            <InputField label="Date" name="date" type="date" required defaultValue={v.date ?? ""} error={e.date} />
            <InputField label="Time" name="time" type="time" required defaultValue={v.time ?? "09:00"} error={e.time} />
            <InputField
              label="Time zone"
              name="timeZone"
              defaultValue={v.timeZone ?? "Europe/Berlin"}
              error={e.timeZone}
              hint="For example Europe/Berlin or America/New_York."
            />
            <InputField
              label="Duration (minutes)"
              name="durationMinutes"
              inputMode="numeric"
              defaultValue={v.durationMinutes ?? "120"}
              error={e.durationMinutes}
            />
            <InputField label="Place" name="location" maxLength={300} defaultValue={v.location ?? ""} error={e.location} />
            <InputField label="Link" name="url" type="url" defaultValue={v.url ?? ""} error={e.url} />
            <InputField
              label="Trainer's email"
              name="trainerEmail"
              type="email"
              defaultValue={v.trainerEmail ?? ""}
              error={e.trainerEmail}
              hint="The trainer marks the attendance of this session."
            />
            <InputField label="Capacity" name="capacity" inputMode="numeric" defaultValue={v.capacity ?? "20"} error={e.capacity} />
            <SelectField
              label="State"
              name="state"
              defaultValue={v.state ?? "open"}
              error={e.state}
              options={[
                { value: "open", label: SESSION_STATE_LABELS.open },
                { value: "planned", label: SESSION_STATE_LABELS.planned },
              ]}
            />
            <SubmitButton>Schedule session</SubmitButton>
          </Form>
        </section>
      ) : null}
    </>
  );
}

export const meta: MetaFunction = () => [{ title: "Training sessions · Rollout Desk" }];

export { RouteErrorBoundary as ErrorBoundary } from "~/components/error-message";
