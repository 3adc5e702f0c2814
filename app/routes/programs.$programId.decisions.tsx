import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { InputField, TextAreaField } from "~/components/ui/field";
import { SubmitButton } from "~/components/ui/submit-button";
import { addCommitment, listCommitments, markCommitmentDone } from "~/models/reports/commitments.server";
import { decide, listDecisions, requestDecision } from "~/models/reports/decisions.server";
import { attempt, failure, unknownIntent } from "~/utils/action.server";
import { formatDate, formatDateTime, today as todayDay } from "~/utils/dates";
import { getDb } from "~/utils/db.server";
import { parseForm } from "~/utils/forms";
import { can, type Permission } from "~/utils/permissions";
import { requireProgram } from "~/utils/program-access.server";
import { redirectWithToast } from "~/utils/toast.server";
import { commitmentIdSchema, commitmentSchema, decideSchema, decisionRequestSchema } from "~/validation/reports";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: "/styles/reports.css" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user, program } = await requireProgram(request, params, "status:read");
  const db = getDb();
  const today = todayDay();
  const [decisions, commitments] = await Promise.all([listDecisions(db, program.id, today), listCommitments(db, program.id, today)]);
  return {
    programId: program.id,
    decisions: decisions.map((d) => ({
      ...d,
      decidedAt: d.decidedAt ? formatDateTime(d.decidedAt) : null,
      createdAt: formatDateTime(d.createdAt),
    })),
    commitments: commitments.map((c) => ({ ...c, doneAt: c.doneAt ? formatDateTime(c.doneAt) : null })),
    canWrite: can(user.role, "reports:write"),
    mayDecide: can(user.role, "reports:respond"),
  };
}

// Commitments are recorded and ticked off by the PLO or the sponsor; decisions are the sponsor's.
const INTENTS: Record<string, Permission[]> = {
  decide: ["reports:respond"],
  "request-decision": ["reports:write"],
  "add-commitment": ["reports:write", "reports:respond"],
  "commitment-done": ["reports:write", "reports:respond"],
};

export async function action({ request, params }: ActionFunctionArgs) {
  const { user, program } = await requireProgram(request, params, "status:read");
  const formData = await request.formData();
  const intent = String(formData.get("intent") ?? "");
  // Own keys only: an intent named "toString" must not find Object.prototype's.
  const needs = Object.hasOwn(INTENTS, intent) ? INTENTS[intent] : undefined;
  if (!needs) return unknownIntent(intent);
  if (!needs.some((p) => can(user.role, p))) throw new Response("Your role does not allow this.", { status: 403 });
  const db = getDb();
  const here = `/programs/${program.id}/decisions`;
  const extra = { intent };
  switch (intent) {
    case "decide": {
      const parsed = parseForm(decideSchema, formData);
      if (!parsed.ok) return failure(parsed.errors, parsed.values, 400, extra);
      return attempt(
        parsed.values,
        async () => {
          await decide(db, { id: user.id, name: user.name, mayDecide: true }, program.id, parsed.data.decisionId, parsed.data.decision);
          return redirectWithToast(request, here, "Decision recorded.");
        },
        extra,
      );
    }
    case "request-decision": {
      const parsed = parseForm(decisionRequestSchema, formData);
      if (!parsed.ok) return failure(parsed.errors, parsed.values, 400, extra);
      return attempt(
        parsed.values,
        async () => {
          await requestDecision(db, user, program.id, null, parsed.data);
          return redirectWithToast(request, here, "Decision requested.");
        },
        extra,
      );
    }
    case "add-commitment": {
      const parsed = parseForm(commitmentSchema, formData);
      if (!parsed.ok) return failure(parsed.errors, parsed.values, 400, extra);
      return attempt(
        parsed.values,
        async () => {
          await addCommitment(db, user, program.id, parsed.data);
          return redirectWithToast(request, here, "Commitment recorded.");
        },
        extra,
      );
    }
    default: {
      const parsed = parseForm(commitmentIdSchema, formData);
      if (!parsed.ok) return failure(parsed.errors, parsed.values, 400, extra);
      return attempt(
        parsed.values,
        async () => {
          await markCommitmentDone(db, user, program.id, parsed.data.commitmentId);
          return redirectWithToast(request, here, "Commitment marked done.");
        },
        extra,
      );
    }
  }
}

export default function DecisionLog() {
  const { programId, decisions, commitments, canWrite, mayDecide } = useLoaderData<typeof loader>();
  const failed = useActionData<typeof action>();
  const errorsFor = (intent: string) => (failed?.intent === intent ? failed.errors : {});
  const valuesFor = (intent: string) => (failed?.intent === intent ? failed.values : {});
  return (
    <>
      <p>
        <Link to={`/programs/${programId}/reports`}>Status reports</Link> · <Link to={`/programs/${programId}/status`}>Live status</Link>
      </p>
      <h1>Decision log</h1>
      {failed?.errors?._form ? (
        <p className="form-error" role="alert">
          {failed.errors._form}
        </p>
      ) : null}
      {decisions.length === 0 ? <p className="muted">No decision has been requested yet.</p> : null}
      <ul className="decision-list">
        {decisions.map((d) => (
          <li key={d.id} data-decision={d.id}>
            <p>
              <strong>{d.question}</strong> <span className="muted">due {formatDate(d.dueOn)}</span>{" "}
              {d.state === "decided" ? (
                <span>
                  · decided by {d.decidedBy} on {d.decidedAt}: <strong>{d.decision}</strong>
                </span>
              ) : d.overdue ? (
                <strong>· overdue</strong>
              ) : (
                <span>· open</span>
              )}
            </p>
            {d.options ? <p className="report-text">Options: {d.options}</p> : null}
            {d.recommendation ? <p>Recommendation: {d.recommendation}</p> : null}
            {d.impactIfLate ? <p>Impact if late: {d.impactIfLate}</p> : null}
            {d.reportId ? (
              <p>
                <Link to={`/programs/${programId}/reports/${d.reportId}#section-decisions`}>Asked in a report</Link>
              </p>
            ) : null}
            {mayDecide && d.state === "open" ? (
              <Form method="post" className="stack">
                <input type="hidden" name="intent" value="decide" />
                <input type="hidden" name="decisionId" value={d.id} />
                <TextAreaField
                  label="Your decision"
                  name="decision"
                  rows={2}
                  maxLength={2000}
                  required
                  error={failed?.intent === "decide" && failed.values?.decisionId === d.id ? failed.errors.decision : undefined}
                />
                <SubmitButton>Record the decision</SubmitButton>
              </Form>
            ) : null}
          </li>
        ))}
      </ul>
      {canWrite ? (
        <details open={failed?.intent === "request-decision"}>
          <summary>Request a decision outside a report</summary>
          <Form method="post" className="stack">
            <input type="hidden" name="intent" value="request-decision" />
            <InputField
              label="Question"
              name="question"
              required
              maxLength={500}
              defaultValue={valuesFor("request-decision").question}
              error={errorsFor("request-decision").question}
            />
            <TextAreaField label="Options (one per line)" name="options" rows={3} defaultValue={valuesFor("request-decision").options} />
            <TextAreaField
              label="Recommendation"
              name="recommendation"
              rows={2}
              defaultValue={valuesFor("request-decision").recommendation}
            />
            <InputField
              label="Due date"
              name="dueOn"
              type="date"
              required
              defaultValue={valuesFor("request-decision").dueOn}
              error={errorsFor("request-decision").dueOn}
            />
            <TextAreaField label="Impact if late" name="impactIfLate" rows={2} defaultValue={valuesFor("request-decision").impactIfLate} />
            <SubmitButton>Request the decision</SubmitButton>
          </Form>
        </details>
      ) : null}

      <h2>Sponsor commitments</h2>
      {commitments.length === 0 ? <p className="muted">No commitment is recorded.</p> : null}
      <ul>
        {commitments.map((c) => (
          <li key={c.id}>
            {c.title} — due {formatDate(c.dueOn)} {c.doneAt ? `· done ${c.doneAt}` : c.overdue ? <strong>· overdue</strong> : "· open"}
            {!c.doneAt && (canWrite || mayDecide) ? (
              <Form method="post" className="inline-form">
                <input type="hidden" name="intent" value="commitment-done" />
                <input type="hidden" name="commitmentId" value={c.id} />
                <SubmitButton className="button button--secondary">Mark done</SubmitButton>
              </Form>
            ) : null}
          </li>
        ))}
      </ul>
      {canWrite || mayDecide ? (
        <Form method="post" className="stack card">
          <input type="hidden" name="intent" value="add-commitment" />
          <InputField
            label="Commitment"
            name="title"
            required
            maxLength={300}
            defaultValue={valuesFor("add-commitment").title}
            error={errorsFor("add-commitment").title}
          />
          <InputField
            label="Due date"
            name="dueOn"
            type="date"
            required
            defaultValue={valuesFor("add-commitment").dueOn}
            error={errorsFor("add-commitment").dueOn}
          />
          <SubmitButton>Record the commitment</SubmitButton>
        </Form>
      ) : null}
    </>
  );
}

export const meta: MetaFunction = () => [{ title: "Decision log · Rollout Desk" }];

export { RouteErrorBoundary as ErrorBoundary } from "~/components/error-message";
