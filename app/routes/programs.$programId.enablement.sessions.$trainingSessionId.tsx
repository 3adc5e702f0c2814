import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { EnablementNav } from "~/components/enablement/enablement-bits";
import { CheckboxField, FormError, InputField, SelectField } from "~/components/ui/field";
import { SubmitButton } from "~/components/ui/submit-button";
import { ForbiddenError } from "~/models/errors";
import {
  assertMayMark,
  excusePerson,
  getSession,
  inviteToSession,
  listRoster,
  markAttendance,
  registerPerson,
  setSessionState,
} from "~/models/enablement/sessions.server";
import { loadUnitIndex } from "~/models/org/org.server";
import { listWaveOptions } from "~/models/plan/refs.server";
import { attempt, failure, orErrorResponse, unknownIntent } from "~/utils/action.server";
import { formatDate, today } from "~/utils/dates";
import { getDb } from "~/utils/db.server";
import { parseForm } from "~/utils/forms";
import { can } from "~/utils/permissions";
import { requireProgram } from "~/utils/program-access.server";
import { redirectWithToast } from "~/utils/toast.server";
import {
  attendanceSchema,
  AUDIENCE_LABELS,
  inviteSchema,
  personEmailSchema,
  personIdSchema,
  ROSTER_STATUS_LABELS,
  SESSION_STATE_LABELS,
  sessionStateSchema,
} from "~/validation/enablement";
import { AUDIENCES, TRAINING_SESSION_STATES } from "../../db/schema";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: "/styles/enablement.css" }];

// One training session: its roster (invite in bulk, register one person, excuse someone — the
// waiting list moves up) for the PLO, and the class list where the PLO or the session's own
// trainer marks attendance in one go.

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user, program } = await requireProgram(request, params, "enablement:read");
  const manage = can(user.role, "enablement:manage");
  const db = getDb();
  const session = await orErrorResponse(async () => {
    const found = await getSession(db, program.id, (params.trainingSessionId ?? "").slice(0, 64));
    assertMayMark({ userId: user.id, manage }, found);
    return found;
  });
  const [roster, waves, units] = await Promise.all([
    listRoster(db, session.id),
    manage ? listWaveOptions(db, program.id) : Promise.resolve([]),
    manage ? loadUnitIndex(db) : Promise.resolve(null),
  ]);
  return {
    program: { id: program.id, name: program.name },
    manage,
    session: { ...session, startsAt: session.startsAt.toISOString() },
    roster,
    waves: waves.map((w) => ({ id: w.id, name: w.name })),
    units: units ? units.units.filter((u) => !u.archivedAt).map((u) => ({ id: u.id, path: u.path })) : [],
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { user, program } = await requireProgram(request, params, "enablement:read");
  const manage = can(user.role, "enablement:manage");
  const sessionId = (params.trainingSessionId ?? "").slice(0, 64);
  const here = `/programs/${program.id}/enablement/sessions/${sessionId}`;
  const formData = await request.formData();
  const intent = String(formData.get("intent") ?? "");
  const db = getDb();
  if (intent === "attendance") {
    const parsed = parseForm(attendanceSchema, formData);
    if (!parsed.ok) return failure(parsed.errors, parsed.values, 400, { intent });
    return attempt(
      parsed.values,
      async () => {
        const result = await markAttendance(db, { userId: user.id, manage }, user, program.id, sessionId, parsed.data);
        return redirectWithToast(
          request,
          here,
          `Attendance saved: ${result.attended} attended, ${result.noShow} no-show, ${result.excused} excused.`,
        );
      },
      { intent },
    );
  }
  if (!manage) return attempt({}, () => Promise.reject(new ForbiddenError("Only the Program Lead Office changes the roster.")));
  if (intent === "invite") {
    const parsed = parseForm(inviteSchema, formData);
    if (!parsed.ok) return failure(parsed.errors, parsed.values, 400, { intent });
    return attempt(
      parsed.values,
      async () => {
        const r = await inviteToSession(db, user, program.id, sessionId, parsed.data, today());
        return redirectWithToast(
          request,
          here,
          `Invited ${r.invited}; ${r.waitlisted} on the waiting list; ${r.alreadyMet} left out (already met); ${r.alreadyOnRoster} already on the roster.`,
        );
      },
      { intent },
    );
  }
  if (intent === "register") {
    const parsed = parseForm(personEmailSchema, formData);
    if (!parsed.ok) return failure(parsed.errors, parsed.values, 400, { intent });
    return attempt(
      parsed.values,
      async () => {
        const status = await registerPerson(db, user, program.id, sessionId, parsed.data.email);
        return redirectWithToast(request, here, status === "registered" ? "Registered." : "The session is full: on the waiting list.");
      },
      { intent },
    );
  }
  if (intent === "excuse") {
    const parsed = parseForm(personIdSchema, formData);
    if (!parsed.ok) return failure(parsed.errors, parsed.values, 400, { intent });
    return attempt(parsed.values, async () => {
      const promoted = await excusePerson(db, user, program.id, sessionId, parsed.data.personId);
      return redirectWithToast(request, here, promoted.length ? "Excused; the first on the waiting list got the seat." : "Excused.");
    });
  }
  if (intent === "state") {
    const parsed = parseForm(sessionStateSchema, formData);
    if (!parsed.ok) return failure(parsed.errors, parsed.values, 400, { intent });
    return attempt(parsed.values, async () => {
      await setSessionState(db, user, program.id, sessionId, parsed.data.state);
      return redirectWithToast(request, here, `Session ${SESSION_STATE_LABELS[parsed.data.state].toLowerCase()}.`);
    });
  }
  return unknownIntent(intent);
}

export default function TrainingSession() {
  const { program, manage, session, roster, waves, units } = useLoaderData<typeof loader>();
  const failed = useActionData<typeof action>();
  const errorsFor = (intent: string) => (failed && "intent" in failed && failed.intent === intent ? failed.errors : {});
  const formError = failed && !("intent" in failed && failed.intent) ? failed.errors?._form : undefined;
  const markable = roster.filter((r) => r.status !== "waitlisted");
  const waiting = roster.filter((r) => r.status === "waitlisted");
  return (
    <>
      <EnablementNav programId={program.id} manage={manage} />
      <p>
        <Link to={`/programs/${program.id}/enablement/sessions`}>← Sessions</Link>
      </p>
      <h1>{session.moduleTitle}</h1>
      <p>
        {`${formatDate(session.localDay)} ${session.localTime} (${session.timeZone}) · ${session.durationMinutes} min · `}
        {session.url ? <a href={session.url}>{session.location || "Online"}</a> : session.location || "No place yet"}
        {` · Trainer: ${session.trainerName ?? "none"} · ${SESSION_STATE_LABELS[session.state]} · `}
        {`${session.seatsTaken} of ${session.capacity} seats${session.waitlisted ? `, ${session.waitlisted} waiting` : ""}`}
      </p>
      <FormError error={formError} />

      <section className="card" aria-labelledby="class-list">
        <h2 id="class-list">Class list</h2>
        {markable.length === 0 ? (
          <p className="muted">Nobody on the roster yet.</p>
        ) : (
          <Form method="post">
            <input type="hidden" name="intent" value="attendance" />
            <FormError error={errorsFor("attendance")._form ?? errorsFor("attendance").present} />
            <table className="simple-table class-list">
              <thead>
                <tr>
                  <th scope="col">Person</th>
                  <th scope="col">Status</th>
                  <th scope="col">Present</th>
                  <th scope="col">Excused</th>
                </tr>
              </thead>
              <tbody>
                {markable.map((r) => (
                  <tr key={r.personId}>
                    <th scope="row">
                      {r.name} <span className="muted">{r.email}</span>
                    </th>
                    <td>{ROSTER_STATUS_LABELS[r.status]}</td>
                    <td>
                      <input
                        type="checkbox"
                        name="present"
                        value={r.personId}
                        defaultChecked={r.status === "attended"}
                        aria-label={`${r.name} present`}
                      />
                    </td>
                    <td>
                      <input
                        type="checkbox"
                        name="excused"
                        value={r.personId}
                        defaultChecked={r.status === "excused"}
                        aria-label={`${r.name} excused`}
                      />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
            <CheckboxField label="All present" name="allPresent" />
            <SubmitButton>Save attendance</SubmitButton>
          </Form>
        )}
        {manage ? (
          <p className="muted">
            Attendance kept in a meeting or training tool?{" "}
            <Link to={`/programs/${program.id}/enablement/import?session=${session.id}`}>Import its export (CSV)</Link>
          </p>
        ) : null}
        {waiting.length > 0 ? (
          <>
            <h3>Waiting list</h3>
            <ol>
              {waiting.map((r) => (
                <li key={r.personId}>{r.name}</li>
              ))}
            </ol>
          </>
        ) : null}
      </section>

      {manage ? (
        <div className="grid-2">
          <section className="card" aria-labelledby="invite-heading">
            <h2 id="invite-heading">Invite in bulk</h2>
            <p className="muted">People who already meet the module (or are waived) and people on the roster are left out.</p>
            <Form method="post">
              <input type="hidden" name="intent" value="invite" />
              <FormError error={errorsFor("invite")._form} />
              <SelectField
                label="Who"
                name="audience"
                defaultValue="team_lead"
                error={errorsFor("invite").audience}
                options={AUDIENCES.map((a) => ({ value: a, label: AUDIENCE_LABELS[a] }))}
              />
              <SelectField
                label="Wave"
                name="waveId"
                error={errorsFor("invite").waveId}
                options={[{ value: "", label: "Any wave" }, ...waves.map((w) => ({ value: w.id, label: w.name }))]}
              />
              <SelectField
                label="Unit"
                name="unitId"
                error={errorsFor("invite").unitId}
                options={[{ value: "", label: "Any unit" }, ...units.map((u) => ({ value: u.id, label: u.path }))]}
              />
              <InputField
                label="At most"
                name="limit"
                inputMode="numeric"
                error={errorsFor("invite").limit}
                hint="Empty: everyone who still needs it."
              />
              <SubmitButton>Invite</SubmitButton>
            </Form>
          </section>
          <section className="card" aria-labelledby="register-heading">
            <h2 id="register-heading">Register one person</h2>
            <Form method="post">
              <input type="hidden" name="intent" value="register" />
              <InputField label="Email" name="email" type="email" required error={errorsFor("register").email} />
              <SubmitButton>Register</SubmitButton>
            </Form>
            <h2>Someone cannot come</h2>
            <Form method="post">
              <input type="hidden" name="intent" value="excuse" />
              <SelectField label="Person" name="personId" options={markable.map((r) => ({ value: r.personId, label: r.name }))} />
              <SubmitButton className="button button--secondary">Excuse and free the seat</SubmitButton>
            </Form>
            <h2>State</h2>
            <Form method="post">
              <input type="hidden" name="intent" value="state" />
              <SelectField
                label="State"
                name="state"
                defaultValue={session.state}
                options={TRAINING_SESSION_STATES.map((s) => ({ value: s, label: SESSION_STATE_LABELS[s] }))}
              />
              <SubmitButton className="button button--secondary">Change state</SubmitButton>
            </Form>
          </section>
        </div>
      ) : null}
    </>
  );
}

export const meta: MetaFunction = () => [{ title: "Training session · Rollout Desk" }];

export { RouteErrorBoundary as ErrorBoundary } from "~/components/error-message";
