import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useActionData, useFetcher, useLoaderData } from "@remix-run/react";
import { useEffect, useRef } from "react";
import { ageText, CoachingNav, EscalationStatusBadge, UrgencyBadge } from "~/components/sessions/coaching-bits";
import { FormError, InputField, TextAreaField } from "~/components/ui/field";
import { SubmitButton } from "~/components/ui/submit-button";
import {
  answerEscalation,
  closeEscalation,
  getEscalation,
  markAnswerSeen,
  promoteToFaq,
  takeEscalation,
} from "~/models/coaching/escalations.server";
import { formatDate, formatDateTime } from "~/utils/dates";
import { getDb } from "~/utils/db.server";
import { parseForm, type FormFailure } from "~/utils/forms";
import { redirectWithToast } from "~/utils/toast.server";
import { answerSchema, ESCALATION_CATEGORY_LABELS, promoteSchema, SESSION_TYPE_LABELS } from "~/validation/sessions";
import { requireCoachingViewer } from "~/utils/coaching-http.server";
import { domainFailure, asErrorResponse } from "~/utils/action.server";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: "/styles/sessions.css" }];

const NOT_FOUND = "This question does not exist in this program.";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { program, viewer, user } = await requireCoachingViewer(request, params, "sessions:read");
  const db = getDb();
  const id = params.escalationId ?? "";
  const escalation = await getEscalation(db, viewer, program.id, id).catch(asErrorResponse);
  if (!escalation) throw new Response(NOT_FOUND, { status: 404 });
  // Reading changes nothing: a prefetch, a crawler or another reader must not mark the answer
  // read. The asking coach's page marks it (a post, below) once it is open in their browser.
  const unseenByAsker = Boolean(escalation.answer && !escalation.answerSeenAt && escalation.coachId === viewer.coach?.id);
  return { program: { id: program.id, name: program.name }, manage: viewer.manage, userId: user.id, escalation, unseenByAsker };
}

type Failure = FormFailure & { intent: string };

/** Only a same-site path back to this program's escalation pages (the queue's "take it"). */
function safeBack(value: FormDataEntryValue | null, programId: string): string | null {
  const text = typeof value === "string" ? value : "";
  return text.startsWith(`/programs/${programId}/escalations`) && !text.startsWith("//") && !text.includes("\\") ? text : null;
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { program, viewer } = await requireCoachingViewer(request, params, "sessions:read");
  const db = getDb();
  const id = params.escalationId ?? "";
  const formData = await request.formData();
  const intent = String(formData.get("intent") ?? "");
  const here = `/programs/${program.id}/escalations/${id}`;
  const fail = (errors: Record<string, string>, values: Record<string, string> = {}) =>
    data<Failure>({ intent, errors, values }, { status: 400 });
  if (intent === "seen") {
    // Only the coach who asked marks their answer read: from the page itself (automatically
    // once it is open, or with the button without JavaScript).
    const escalation = await getEscalation(db, viewer, program.id, id).catch(asErrorResponse);
    if (!escalation) throw new Response(NOT_FOUND, { status: 404 });
    if (escalation.coachId !== viewer.coach?.id) {
      throw new Response("Only the coach who asked can mark the answer as read.", { status: 403, statusText: "Forbidden" });
    }
    const seen = await markAnswerSeen(db, viewer, program.id, id);
    if (formData.get("from") === "page-script") return { intent, seen };
    return redirectWithToast(request, here, "Marked as read.");
  }
  if (!viewer.manage) throw new Response("Only the Program Lead Office works the questions.", { status: 403, statusText: "Forbidden" });
  switch (intent) {
    case "take": {
      if (!(await takeEscalation(db, viewer, program.id, id).catch(asErrorResponse))) throw new Response(NOT_FOUND, { status: 404 });
      return redirectWithToast(request, safeBack(formData.get("back"), program.id) ?? here, "You own this question now.");
    }
    case "answer": {
      const parsed = parseForm(answerSchema, formData);
      if (!parsed.ok) return fail(parsed.errors, parsed.values);
      if (!(await answerEscalation(db, viewer, program.id, id, parsed.data.answer).catch(asErrorResponse)))
        throw new Response(NOT_FOUND, { status: 404 });
      return redirectWithToast(request, here, "Answer sent: the coach sees it on their home page.");
    }
    case "close": {
      if (!(await closeEscalation(db, viewer, program.id, id).catch(asErrorResponse))) throw new Response(NOT_FOUND, { status: 404 });
      return redirectWithToast(request, here, "Question closed.");
    }
    case "promote": {
      const parsed = parseForm(promoteSchema, formData);
      if (!parsed.ok) return fail(parsed.errors, parsed.values);
      let promoted;
      try {
        promoted = await promoteToFaq(db, viewer, program.id, id, parsed.data);
      } catch (error) {
        return domainFailure(error, parsed.values, { intent });
      }
      if (!promoted) throw new Response(NOT_FOUND, { status: 404 });
      return redirectWithToast(
        request,
        `/learnings/${promoted.learningId}`,
        `Added “${parsed.data.title}” to the learnings library as an FAQ entry.`,
      );
    }
    default:
      return fail({ _form: "Unknown action." });
  }
}

export default function EscalationDetail() {
  const { program, manage, userId, escalation: e, unseenByAsker } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const failure = actionData && "errors" in actionData ? actionData : undefined;
  const errorsFor = (intent: string) => (failure?.intent === intent ? failure.errors : {});
  const valuesFor = (intent: string) => (failure?.intent === intent ? failure.values : null);
  // The asker has the answer open in their browser: mark it read (not on a prefetch, which never renders).
  const seen = useFetcher<typeof action>();
  const sent = useRef(false);
  const justSeen = Boolean(seen.data && "seen" in seen.data && seen.data.seen);
  useEffect(() => {
    if (!unseenByAsker || sent.current) return;
    sent.current = true;
    seen.submit({ intent: "seen", from: "page-script" }, { method: "post" });
  }, [unseenByAsker, seen]);
  const base = `/programs/${program.id}`;
  const defaultTitle = e.question.replace(/\s+/g, " ").trim().slice(0, 120);
  return (
    <>
      <CoachingNav programId={program.id} manage={manage} />
      <p>
        <Link to={`${base}/escalations`}>← {manage ? "Escalation queue" : "My questions"}</Link>
      </p>
      <h1>Question about {ESCALATION_CATEGORY_LABELS[e.category].toLowerCase()}</h1>
      {justSeen ? (
        <p className="muted" role="status">
          Marked as read.
        </p>
      ) : unseenByAsker ? (
        <Form method="post" className="button-row">
          <SubmitButton name="intent" value="seen" className="button button--secondary">
            Mark the answer as read
          </SubmitButton>
        </Form>
      ) : null}
      <dl className="facts">
        <div>
          <dt>Status</dt>
          <dd>
            <EscalationStatusBadge status={e.status} />
          </dd>
        </div>
        <div>
          <dt>Urgency</dt>
          <dd>
            <UrgencyBadge urgency={e.urgency} />
          </dd>
        </div>
        <div>
          <dt>Asked by</dt>
          <dd>
            {e.coachName}, {ageText(e.ageDays) === "today" ? "today" : `${ageText(e.ageDays)} ago`}
          </dd>
        </div>
        <div>
          <dt>Team</dt>
          <dd>{e.teamName ?? "None in particular"}</dd>
        </div>
        <div>
          <dt>Owner</dt>
          <dd>{e.ownerId === userId ? "Me" : (e.ownerName ?? "Nobody yet")}</dd>
        </div>
      </dl>
      {e.sessionId && e.sessionType && e.sessionHeldOn ? (
        <p>
          Raised from the{" "}
          <Link to={`${base}/sessions/${e.sessionId}`}>
            {SESSION_TYPE_LABELS[e.sessionType].toLowerCase()} session of {formatDate(e.sessionHeldOn)}
          </Link>
          .
        </p>
      ) : null}
      <section className="card" aria-labelledby="question-heading">
        <h2 id="question-heading">Question</h2>
        <p className="coaching-text">{e.question}</p>
      </section>
      <section className="card" aria-labelledby="answer-heading">
        <h2 id="answer-heading">Answer</h2>
        {e.answer ? (
          <>
            <p className="coaching-text">{e.answer}</p>
            <p className="muted">
              {e.answeredByName ? `${e.answeredByName}, ` : ""}
              {e.answeredAt ? formatDateTime(e.answeredAt) : ""}
              {manage ? (e.answerSeenAt ? " · read by the coach" : " · not read by the coach yet") : ""}
            </p>
          </>
        ) : (
          <p className="muted">Not answered yet.</p>
        )}
        {e.learningId ? (
          <p>
            In the library: <Link to={`/learnings/${e.learningId}`}>the FAQ entry made from this answer</Link>.
          </p>
        ) : null}
      </section>
      {manage ? (
        <>
          <div className="button-row">
            {e.ownerId !== userId ? (
              <Form method="post">
                <SubmitButton name="intent" value="take" className="button button--secondary">
                  Take it
                </SubmitButton>
              </Form>
            ) : null}
            {e.status !== "closed" ? (
              <Form method="post">
                <SubmitButton name="intent" value="close" className="button button--secondary">
                  Close the question
                </SubmitButton>
              </Form>
            ) : null}
          </div>
          <section className="card" aria-labelledby="answer-form">
            <h2 id="answer-form">{e.answer ? "Change the answer" : "Answer"}</h2>
            <Form method="post" noValidate className="form-grid">
              <FormError error={errorsFor("answer")._form} />
              <TextAreaField
                label="Answer"
                name="answer"
                rows={6}
                required
                maxLength={4000}
                defaultValue={valuesFor("answer")?.answer ?? e.answer ?? ""}
                error={errorsFor("answer").answer}
              />
              <div className="button-row">
                <SubmitButton name="intent" value="answer">
                  Send the answer
                </SubmitButton>
              </div>
            </Form>
          </section>
          {e.answer && !e.learningId ? (
            <section className="card" aria-labelledby="promote-form">
              <h2 id="promote-form">Add to the learnings library</h2>
              <p className="muted">The question and its answer become an FAQ entry every coach can find.</p>
              <Form method="post" noValidate className="form-grid">
                <FormError error={errorsFor("promote")._form} />
                <InputField
                  label="Title"
                  name="title"
                  required
                  maxLength={200}
                  defaultValue={valuesFor("promote")?.title ?? defaultTitle}
                  error={errorsFor("promote").title}
                />
                <InputField
                  label="Tags"
                  name="tags"
                  defaultValue={valuesFor("promote")?.tags ?? e.category.replace("_", " ")}
                  error={errorsFor("promote").tags}
                  hint="Separated by commas, e.g. “drafting, key results”."
                />
                <div className="button-row">
                  <SubmitButton name="intent" value="promote">
                    Add as FAQ entry
                  </SubmitButton>
                </div>
              </Form>
            </section>
          ) : null}
        </>
      ) : null}
    </>
  );
}

export const meta: MetaFunction = () => [{ title: "Question to the PLO · Rollout Desk" }];

export { RouteErrorBoundary as ErrorBoundary } from "~/components/error-message";
