import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { EnablementNav, StateBadge } from "~/components/enablement/enablement-bits";
import { CheckboxField, FormError, InputField, SelectField } from "~/components/ui/field";
import { SubmitButton } from "~/components/ui/submit-button";
import { FieldError } from "~/models/errors";
import { giveFeedback } from "~/models/enablement/feedback.server";
import { myEnablement } from "~/models/enablement/mine.server";
import { attempt, failure, unknownIntent } from "~/utils/action.server";
import { formatDate, today } from "~/utils/dates";
import { getDb } from "~/utils/db.server";
import { parseForm } from "~/utils/forms";
import { can } from "~/utils/permissions";
import { requireProgram } from "~/utils/program-access.server";
import { redirectWithToast } from "~/utils/toast.server";
import { AUDIENCE_LABELS, feedbackSchema, ROSTER_STATUS_LABELS } from "~/validation/enablement";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: "/styles/enablement.css" }];

// What I still need: the signed-in person's training requirements and their state, upcoming
// sessions of the modules they lack, and feedback on the sessions they attended.

const sessionField = z.object({ sessionId: z.string().trim().min(1, "Choose a session.").max(64, "Choose a session.") });

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user, program } = await requireProgram(request, params, "programs:read");
  const mine = await myEnablement(getDb(), program.id, user.id, today());
  return { program: { id: program.id, name: program.name }, manage: can(user.role, "enablement:manage"), mine };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { user, program } = await requireProgram(request, params, "programs:read");
  const formData = await request.formData();
  const intent = String(formData.get("intent") ?? "");
  if (intent !== "feedback") return unknownIntent(intent);
  const target = parseForm(sessionField, formData);
  const parsed = parseForm(feedbackSchema, formData);
  if (!target.ok) return failure(target.errors, target.values);
  if (!parsed.ok) return failure(parsed.errors, parsed.values);
  return attempt(parsed.values, async () => {
    const db = getDb();
    const mine = await myEnablement(db, program.id, user.id, today());
    if (!mine.personId) throw FieldError.on("sessionId", "Your account is not linked to a person of the organization.");
    await giveFeedback(db, user, program.id, target.data.sessionId, mine.personId, parsed.data);
    return redirectWithToast(request, `/programs/${program.id}/enablement/mine`, "Thank you for your feedback.");
  });
}

export default function Mine() {
  const { program, manage, mine } = useLoaderData<typeof loader>();
  const failed = useActionData<typeof action>();
  const e = failed?.errors ?? {};
  const open = mine.states.filter((s) => s.state !== "met" && s.state !== "waived");
  const attended = mine.roster.filter((r) => r.status === "attended" && !r.feedbackGiven);
  return (
    <>
      <EnablementNav programId={program.id} manage={manage} />
      <h1>What I still need</h1>
      {!mine.personId ? (
        <p className="muted">Your account is not linked to a person of the organization, so no training applies to you here.</p>
      ) : mine.states.length === 0 ? (
        <p className="muted">No training is required of you in this program.</p>
      ) : (
        <>
          <p>{open.length === 0 ? "You have everything you need." : `${open.length} of ${mine.states.length} still open.`}</p>
          <table className="simple-table">
            <thead>
              <tr>
                <th scope="col">Module</th>
                <th scope="col">As</th>
                <th scope="col">State</th>
                <th scope="col">Due</th>
                <th scope="col">Completed</th>
              </tr>
            </thead>
            <tbody>
              {mine.states.map((s) => (
                <tr key={s.requirementId}>
                  <th scope="row">
                    {s.moduleTitle}
                    {s.necessity === "recommended" ? <span className="muted"> (recommended)</span> : null}
                  </th>
                  <td>{AUDIENCE_LABELS[s.audience]}</td>
                  <td>
                    <StateBadge state={s.state} />
                  </td>
                  <td>{formatDate(s.dueOn) ?? "–"}</td>
                  <td>{formatDate(s.completedOn) ?? "–"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
      {mine.upcoming.length > 0 ? (
        <section className="card" aria-labelledby="upcoming">
          <h2 id="upcoming">Upcoming sessions for what you lack</h2>
          <ul>
            {mine.upcoming.map((s) => (
              <li key={s.id}>
                {s.moduleTitle} · {formatDate(s.localDay)} {s.localTime} ({s.timeZone}) ·{" "}
                {s.url ? <a href={s.url}>{s.location || "Online"}</a> : s.location}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      {mine.roster.length > 0 ? (
        <section className="card" aria-labelledby="my-sessions">
          <h2 id="my-sessions">My sessions</h2>
          <ul>
            {mine.roster.map((r) => (
              <li key={r.sessionId}>
                {r.moduleTitle} · {formatDate(r.localDay)} · {ROSTER_STATUS_LABELS[r.status]}
              </li>
            ))}
          </ul>
          {attended.length > 0 ? (
            <Form method="post">
              <h3>Feedback</h3>
              <input type="hidden" name="intent" value="feedback" />
              <FormError error={e._form} />
              <SelectField
                label="Session"
                name="sessionId"
                error={e.sessionId}
                options={attended.map((r) => ({ value: r.sessionId, label: `${r.moduleTitle} · ${r.localDay}` }))}
              />
              <SelectField
                label="Rating"
                name="rating"
                defaultValue="4"
                error={e.rating}
                options={["5", "4", "3", "2", "1"].map((n) => ({ value: n, label: `${n} of 5` }))}
              />
              <InputField label="Comment" name="comment" maxLength={2000} error={e.comment} />
              <CheckboxField label="Give it anonymously" name="anonymous" />
              <SubmitButton>Send feedback</SubmitButton>
            </Form>
          ) : null}
        </section>
      ) : null}
    </>
  );
}

export const meta: MetaFunction = () => [{ title: "What I still need · Rollout Desk" }];

export { RouteErrorBoundary as ErrorBoundary } from "~/components/error-message";
