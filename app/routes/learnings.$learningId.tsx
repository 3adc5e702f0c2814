import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { LearningKindBadge, TagList } from "~/components/sessions/coaching-bits";
import { LearningForm } from "~/components/sessions/learning-form";
import { DangerZone } from "~/components/ui/danger-zone";
import { deleteLearning, getLearning, sourceLabel, updateLearning } from "~/models/coaching/learnings.server";
import { requirePermission } from "~/utils/auth.server";
import { formatDateTime } from "~/utils/dates";
import { getDb } from "~/utils/db.server";
import { parseForm, type FormFailure, unconfirmed } from "~/utils/forms";
import { can } from "~/utils/permissions";
import { redirectWithToast } from "~/utils/toast.server";
import { learningSchema } from "~/validation/sessions";
import { domainFailure } from "~/utils/action.server";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: "/styles/sessions.css" }];

const NOT_FOUND = "This learning does not exist (or was deleted).";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "learnings:read");
  const learning = await getLearning(getDb(), user, params.learningId ?? "");
  if (!learning) throw new Response(NOT_FOUND, { status: 404 });
  return {
    learning,
    // Session pages hold notes sponsors never see: link the session only for those who may open it.
    canOpenSession: can(user.role, "sessions:read"),
    canEdit: learning.canEdit && can(user.role, "learnings:write"),
    source: sourceLabel({ teamName: learning.teamName, sessionHeldOn: learning.sessionHeldOn }),
  };
}

type Failure = FormFailure & { intent: string };

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requirePermission(request, "learnings:write");
  const id = params.learningId ?? "";
  const db = getDb();
  const formData = await request.formData();
  const intent = String(formData.get("intent") ?? "");
  const fail = (errors: Record<string, string>, values: Record<string, string> = {}) =>
    data<Failure>({ intent, errors, values }, { status: 400 });
  // Someone else's learning is refused (403) whatever the form asks; an unknown one is a 404.
  const learning = await getLearning(db, user, id);
  if (!learning) throw new Response(NOT_FOUND, { status: 404 });
  if (!learning.canEdit)
    throw new Response("You can only change the learnings you shared yourself.", { status: 403, statusText: "Forbidden" });
  switch (intent) {
    case "save": {
      const parsed = parseForm(learningSchema, formData);
      if (!parsed.ok) return fail(parsed.errors, parsed.values);
      let saved;
      try {
        saved = await updateLearning(db, user, id, parsed.data);
      } catch (error) {
        return domainFailure(error, parsed.values, { intent });
      }
      if (!saved) throw new Response(NOT_FOUND, { status: 404 });
      return redirectWithToast(request, `/learnings/${id}`, `“${saved.title}” saved.`);
    }
    case "delete": {
      const unticked = unconfirmed(formData);
      if (unticked) return fail(unticked);
      let removed;
      try {
        removed = await deleteLearning(db, user, id);
      } catch (error) {
        return domainFailure(error, {}, { intent });
      }
      if (!removed) throw new Response(NOT_FOUND, { status: 404 });
      return redirectWithToast(request, "/learnings", `“${removed.title}” deleted.`);
    }
    default:
      return fail({ _form: "Unknown action." });
  }
}

export default function LearningDetail() {
  const { learning: l, canOpenSession, canEdit, source } = useLoaderData<typeof loader>();
  const failure = useActionData<typeof action>();
  const errorsFor = (intent: string) => (failure?.intent === intent ? failure.errors : {});
  const values =
    failure?.intent === "save"
      ? failure.values
      : { title: l.title, body: l.body, kind: l.kind === "faq" ? "practice" : l.kind, tags: l.tags.join(", ") };
  return (
    <>
      <p>
        <Link to="/learnings">← Learnings</Link>
      </p>
      <article aria-labelledby="learning-title">
        <h1 id="learning-title">{l.title}</h1>
        <p className="learning-card__meta">
          <LearningKindBadge kind={l.kind} /> {l.authorLabel || "Someone"} · {formatDateTime(l.createdAt)}
          {l.programName ? ` · ${l.programName}` : ""}
        </p>
        {source ? (
          <p className="muted">
            Comes from{" "}
            {l.sessionId && l.programId && canOpenSession ? (
              <Link to={`/programs/${l.programId}/sessions/${l.sessionId}`}>{source}</Link>
            ) : (
              source
            )}
            .
          </p>
        ) : null}
        {l.escalationId && l.programId && canOpenSession ? (
          <p className="muted">
            From <Link to={`/programs/${l.programId}/escalations/${l.escalationId}`}>a coach&apos;s question to the PLO</Link>.
          </p>
        ) : null}
        <div className="coaching-text learning-body">{l.body}</div>
        <TagList tags={l.tags} hrefFor={(tag) => `/learnings?tag=${encodeURIComponent(tag)}`} />
      </article>
      {canEdit ? (
        <>
          <section className="card" aria-labelledby="edit-learning">
            <h2 id="edit-learning">Edit</h2>
            <LearningForm
              values={values}
              errors={errorsFor("save")}
              source={{ sessionId: l.sessionId, teamId: l.teamId, programId: l.programId, label: null }}
              faq={l.kind === "faq"}
              submitLabel="Save"
              intent="save"
            />
          </section>
          <DangerZone
            title="Delete"
            confirmLabel="Yes, delete this learning"
            intent="delete"
            submitLabel="Delete"
            errors={errorsFor("delete")}
            formClassName="coaching-inline-form"
          />
        </>
      ) : null}
    </>
  );
}

export const meta: MetaFunction<typeof loader> = ({ data: loaded }) => [
  { title: loaded ? `${loaded.learning.title} · Learnings · Rollout Desk` : "Learning · Rollout Desk" },
];

export { RouteErrorBoundary as ErrorBoundary } from "~/components/error-message";
