import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { EditCoachForm } from "~/components/coaching/coach-form";
import { AccountBadge, LoadMeter } from "~/components/coaching/load";
import { FormError } from "~/components/ui/field";
import { SubmitButton } from "~/components/ui/submit-button";
import {
  assignTeams,
  currentAndNextWave,
  describeAssignment,
  endAssignment,
  gapTeamOptions,
  getCoach,
  listCoachAssignments,
  listWaveRefs,
  setCoachActive,
  updateCoach,
} from "~/models/coaching/coaches.server";
import { getDb } from "~/utils/db.server";
import { formValues, parseForm, type FormFailure } from "~/utils/forms";
import { can } from "~/utils/permissions";
import { requireProgram } from "~/utils/program-access.server";
import { redirectWithToast } from "~/utils/toast.server";
import { AssignTeamForm, EndForm } from "./forms";
import { ASSIGNMENT_KIND_LABELS, assignSchema, coachUpdateSchema, endAssignmentSchema } from "~/validation/coaching";
import { domainFailure } from "~/utils/action.server";
import * as dates from "~/utils/dates";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: "/styles/coaching.css" }];

const notFound = () => new Response("This coach does not exist in this program.", { status: 404 });

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user, program } = await requireProgram(request, params, "coaching:read");
  const db = getDb();
  const today = dates.today();
  const coach = await getCoach(db, program.id, params.coachId ?? "", today);
  if (!coach) throw notFound();
  const canManage = can(user.role, "coaching:manage");
  const [assignments, waves] = await Promise.all([
    listCoachAssignments(db, program.id, coach.id, today),
    canManage ? listWaveRefs(db, program.id) : Promise.resolve([]),
  ]);
  const { current, next } = currentAndNextWave(waves, today);
  const focusWaves = [current, next].filter((w) => w !== null);
  const gapTeams =
    canManage && coach.active
      ? await gapTeamOptions(
          db,
          program.id,
          focusWaves.map((w) => w.id),
          today,
        )
      : [];
  return {
    program: { id: program.id, name: program.name },
    coach,
    assignments,
    gapTeams: gapTeams.map((t) => ({ id: t.id, name: t.name, waveName: t.waveName ?? "" })),
    gapWaves: focusWaves.map((w) => w.name),
    canManage,
    today,
  };
}

type ActionResult = FormFailure & { intent: string };

export async function action({ request, params }: ActionFunctionArgs) {
  const { user, program } = await requireProgram(request, params, "coaching:manage");
  const db = getDb();
  const coachId = params.coachId ?? "";
  const formData = await request.formData();
  const intent = String(formData.get("intent") ?? "");
  const here = `/programs/${program.id}/coaches/${coachId}`;
  const fail = (errors: Record<string, string>, values: Record<string, string> = {}) =>
    data<ActionResult>({ intent, errors, values }, { status: 400 });
  const coach = await getCoach(db, program.id, coachId);
  if (!coach) throw notFound();
  try {
    switch (intent) {
      case "update": {
        const parsed = parseForm(coachUpdateSchema, formData);
        if (!parsed.ok) return fail(parsed.errors, parsed.values);
        const changed = await updateCoach(db, user, program.id, coachId, parsed.data);
        return redirectWithToast(
          request,
          here,
          changed ? `Saved ${coach.name}'s capacity and focus.` : "Nothing to save: capacity and focus were unchanged.",
        );
      }
      case "deactivate":
      case "reactivate": {
        const result = await setCoachActive(db, user, program.id, coachId, intent === "reactivate");
        const message = !result.changed
          ? `${result.name} was already ${intent === "reactivate" ? "active" : "deactivated"}.`
          : intent === "reactivate"
            ? `${result.name} is active again. Assign their teams below.`
            : `Deactivated ${result.name}: ${result.ended} current assignment${result.ended === 1 ? "" : "s"} end today${result.removed ? `, ${result.removed} upcoming one${result.removed === 1 ? " was" : "s were"} removed` : ""}. Their teams now show on the coverage board.`;
        return redirectWithToast(request, here, message);
      }
      case "end": {
        const parsed = parseForm(endAssignmentSchema, formData);
        if (!parsed.ok) return fail(parsed.errors, parsed.values);
        const ended = await endAssignment(db, user, program.id, parsed.data.assignmentId, parsed.data.endsOn, coachId);
        return redirectWithToast(
          request,
          here,
          `${ended.coachName}'s assignment to ${ended.teamName} ends on ${dates.formatDate(ended.endsOn)} (the last day).`,
        );
      }
      case "assign": {
        formData.set("coachId", coachId);
        const parsed = parseForm(assignSchema, formData);
        if (!parsed.ok) return fail(parsed.errors, parsed.values);
        const result = await assignTeams(db, user, program.id, parsed.data);
        return redirectWithToast(request, here, describeAssignment(result));
      }
      default:
        return fail({ _form: "Unknown action." });
    }
  } catch (error) {
    return domainFailure(error, formValues(formData), { intent });
  }
}

export default function CoachPage() {
  const { program, coach, assignments, gapTeams, gapWaves, canManage, today } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const errorsFor = (intent: string) => (result?.intent === intent ? result.errors : {});
  const valuesFor = (intent: string) => (result?.intent === intent ? result.values : {});
  const otherError =
    result && !["update", "end", "assign"].includes(result.intent) ? (result.errors._form ?? Object.values(result.errors)[0]) : undefined;
  const base = `/programs/${program.id}`;
  const endErrors = errorsFor("end");
  const failedEnd = valuesFor("end").assignmentId;
  const open = assignments.filter((a) => a.state !== "ended");
  const ended = assignments.filter((a) => a.state === "ended");

  return (
    <>
      <p className="eyebrow">
        <Link to={`${base}/coaches`}>Coaches</Link>
      </p>
      <div className="page-header">
        <h1>{coach.name}</h1>
        {!coach.active ? <span className="state state--inactive">Deactivated</span> : null}
      </div>
      <dl className="facts">
        <div>
          <dt>Email</dt>
          <dd>{coach.email}</dd>
        </div>
        {coach.title ? (
          <div>
            <dt>Title</dt>
            <dd>{coach.title}</dd>
          </div>
        ) : null}
        <div>
          <dt>Focus</dt>
          <dd>{coach.focus || "—"}</dd>
        </div>
        <div>
          <dt>Load today</dt>
          <dd>
            <LoadMeter load={coach.load} capacity={coach.capacity} />
          </dd>
        </div>
        <div>
          <dt>Sign-in</dt>
          <dd>
            <AccountBadge state={coach.account} detailed />
          </dd>
        </div>
      </dl>
      {coach.account !== "coach" && coach.active ? (
        <p className="coach-warning" role="status">
          <span aria-hidden="true">⚠</span> {coach.name} cannot sign in and log sessions until their person is linked to an active account
          with the role “OKR coach”. <Link to={`/org/people/${coach.personId}`}>Open their person page</Link> to link one (an administrator
          creates accounts under Users).
        </p>
      ) : null}
      <FormError error={otherError} />

      <section aria-labelledby="assignments">
        <h2 id="assignments">Teams</h2>
        {open.length === 0 ? (
          <p className="muted">No current or upcoming assignments.</p>
        ) : (
          <table className="simple-table">
            <caption className="visually-hidden">Current and upcoming assignments of {coach.name}</caption>
            <thead>
              <tr>
                <th scope="col">Team</th>
                <th scope="col">Wave</th>
                <th scope="col">As</th>
                <th scope="col">From</th>
                <th scope="col">Until</th>
                {canManage ? <th scope="col">End</th> : null}
              </tr>
            </thead>
            <tbody>
              {open.map((a) => (
                <tr key={a.id}>
                  <th scope="row">
                    <Link to={`${base}/teams/${a.teamId}`}>{a.teamName}</Link> <span className="muted">{a.unitName}</span>
                  </th>
                  <td>{a.waveName ?? <span className="muted">No wave</span>}</td>
                  <td>
                    {ASSIGNMENT_KIND_LABELS[a.kind]}
                    {a.state === "upcoming" ? <span className="state state--upcoming"> upcoming</span> : null}
                  </td>
                  <td>{dates.formatDate(a.startsOn)}</td>
                  <td>{dates.formatDate(a.endsOn) ?? <span className="muted">open</span>}</td>
                  {canManage ? (
                    <td>
                      <EndForm
                        assignmentId={a.id}
                        teamName={a.teamName}
                        defaultValue={failedEnd === a.id ? (valuesFor("end").endsOn ?? today) : a.startsOn > today ? a.startsOn : today}
                        error={failedEnd === a.id ? (endErrors.endsOn ?? endErrors.assignmentId) : undefined}
                      />
                    </td>
                  ) : null}
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {Object.keys(endErrors).length > 0 && !open.some((a) => a.id === failedEnd) ? (
          <FormError error={endErrors.assignmentId ?? endErrors._form ?? Object.values(endErrors)[0]} />
        ) : null}
        {ended.length > 0 ? (
          <details>
            <summary>Past assignments ({ended.length})</summary>
            <table className="simple-table">
              <caption className="visually-hidden">Past assignments of {coach.name}</caption>
              <thead>
                <tr>
                  <th scope="col">Team</th>
                  <th scope="col">As</th>
                  <th scope="col">From</th>
                  <th scope="col">Until</th>
                </tr>
              </thead>
              <tbody>
                {ended.map((a) => (
                  <tr key={a.id}>
                    <th scope="row">{a.teamName}</th>
                    <td>{ASSIGNMENT_KIND_LABELS[a.kind]}</td>
                    <td>{dates.formatDate(a.startsOn)}</td>
                    <td>{dates.formatDate(a.endsOn)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </details>
        ) : null}
      </section>

      {canManage && coach.active ? (
        <section className="card" aria-labelledby="assign-team">
          <h2 id="assign-team">Assign a team</h2>
          <AssignTeamForm gapTeams={gapTeams} gapWaves={gapWaves} today={today} errors={errorsFor("assign")} values={valuesFor("assign")} />
          <p className="muted">
            Any other team: <Link to={`${base}/assignments?coach=${coach.id}`}>choose teams on the assignment list</Link> (filters by wave,
            unit and coverage).
          </p>
        </section>
      ) : null}

      {canManage ? (
        <section className="card narrow" aria-labelledby="edit-coach">
          <h2 id="edit-coach">Capacity and focus</h2>
          <EditCoachForm
            errors={errorsFor("update")}
            values={result?.intent === "update" ? result.values : { capacity: String(coach.capacity), focus: coach.focus }}
          />
        </section>
      ) : null}

      {canManage ? (
        <section className="card narrow danger-zone" aria-labelledby="status">
          <h2 id="status">{coach.active ? "Deactivate" : "Reactivate"}</h2>
          {coach.active ? (
            <Form method="post">
              <p>
                {coach.name} stops coaching: their current assignments end today and upcoming ones are removed, so their teams show up as
                gaps on the coverage board. Their sessions stay.
              </p>
              <SubmitButton name="intent" value="deactivate" className="button button--secondary" pendingText="Deactivating…">
                Deactivate coach
              </SubmitButton>
            </Form>
          ) : (
            <Form method="post">
              <p>{coach.name} coaches again; assign their teams afterwards.</p>
              <SubmitButton name="intent" value="reactivate" className="button" pendingText="Reactivating…">
                Reactivate coach
              </SubmitButton>
            </Form>
          )}
        </section>
      ) : null}
    </>
  );
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.coach.name} · Coaches · Rollout Desk` : "Coach · Rollout Desk" },
];

export { RouteErrorBoundary as ErrorBoundary } from "~/components/error-message";
