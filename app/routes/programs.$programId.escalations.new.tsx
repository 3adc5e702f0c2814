import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { ESCALATION_CATEGORIES, URGENCIES } from "../../db/schema";
import { CoachingNav, NotACoach } from "~/components/sessions/coaching-bits";
import { FormError, SelectField, TextAreaField } from "~/components/ui/field";
import { SubmitButton } from "~/components/ui/submit-button";
import { raiseEscalation, sessionForEscalation } from "~/models/coaching/escalations.server";
import { listSessionTeamOptions } from "~/models/coaching/session-options.server";
import { formatDate, today } from "~/utils/dates";
import { getDb } from "~/utils/db.server";
import { parseForm, type FormFailure } from "~/utils/forms";
import { redirectWithToast } from "~/utils/toast.server";
import { ESCALATION_CATEGORY_LABELS, escalationSchema, SESSION_TYPE_LABELS, URGENCY_LABELS } from "~/validation/sessions";
import { requireCoachingViewer } from "~/utils/coaching-http.server";
import { domainFailure } from "~/utils/action.server";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: "/styles/sessions.css" }];

const param = (url: URL, name: string) => (url.searchParams.get(name) ?? "").replaceAll("\u0000", "").trim().slice(0, 64);

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { program, viewer } = await requireCoachingViewer(request, params, "sessions:write");
  const base = { program: { id: program.id, name: program.name }, manage: viewer.manage };
  // Questions come from coaches: whoever has no coach row here (a PLO member too) has nothing to ask from.
  if (!viewer.coach) return { ...base, notACoach: true as const };
  const url = new URL(request.url);
  const db = getDb();
  const sessionId = param(url, "session");
  const coachView = { ...viewer, manage: false };
  const [teams, session] = await Promise.all([
    listSessionTeamOptions(db, coachView, program.id, today()),
    sessionId ? sessionForEscalation(db, coachView, program.id, sessionId) : Promise.resolve(null),
  ]);
  const teamId = session?.teamId ?? param(url, "team");
  return {
    ...base,
    notACoach: false as const,
    teams: teams.map((t) => ({ id: t.id, name: t.name })),
    session,
    defaults: {
      teamId: teams.some((t) => t.id === teamId) ? teamId : "",
      sessionId: session?.id ?? "",
      urgency: "normal",
      category: "",
      question: "",
    },
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { program, viewer } = await requireCoachingViewer(request, params, "sessions:write");
  const formData = await request.formData();
  const parsed = parseForm(escalationSchema, formData);
  if (!parsed.ok) return data<FormFailure>({ errors: parsed.errors, values: parsed.values }, { status: 400 });
  let raised;
  try {
    raised = await raiseEscalation(getDb(), viewer, program.id, parsed.data);
  } catch (error) {
    return domainFailure(error, parsed.values);
  }
  return redirectWithToast(
    request,
    `/programs/${program.id}/escalations/${raised.id}`,
    "Your question was sent to the Program Lead Office.",
  );
}

export default function NewEscalation() {
  const loaded = useLoaderData<typeof loader>();
  const failure = useActionData<typeof action>();
  if (loaded.notACoach) return <NotACoach programName={loaded.program.name} title="Ask the PLO" />;
  const { program, manage, teams, session, defaults } = loaded;
  const values = failure?.values ?? defaults;
  const errors = failure?.errors ?? {};
  return (
    <>
      <CoachingNav programId={program.id} manage={manage} />
      <h1>Ask the Program Lead Office</h1>
      <p className="lead">A question you cannot answer with the team: the PLO answers it here, and you see the answer on your home page.</p>
      <section className="card">
        <Form method="post" noValidate className="form-grid">
          <FormError error={errors._form} />
          {session ? (
            <p>
              About the {SESSION_TYPE_LABELS[session.type].toLowerCase()} session with <strong>{session.teamName}</strong> on{" "}
              {formatDate(session.heldOn)}.
              <input type="hidden" name="sessionId" value={session.id} />
              <input type="hidden" name="teamId" value={session.teamId} />
            </p>
          ) : null}
          {errors.sessionId ? (
            <p className="field__error" role="alert">
              {errors.sessionId}
            </p>
          ) : null}
          <div className="field-row">
            <SelectField
              label="About"
              name="category"
              required
              defaultValue={values.category ?? ""}
              error={errors.category}
              options={[
                { value: "", label: "Choose…" },
                ...ESCALATION_CATEGORIES.map((c) => ({ value: c, label: ESCALATION_CATEGORY_LABELS[c] })),
              ]}
            />
            <SelectField
              label="Urgency"
              name="urgency"
              defaultValue={values.urgency || "normal"}
              error={errors.urgency}
              options={URGENCIES.map((u) => ({ value: u, label: URGENCY_LABELS[u] }))}
            />
            {session ? null : (
              <SelectField
                label="Team (optional)"
                name="teamId"
                defaultValue={values.teamId ?? ""}
                error={errors.teamId}
                options={[{ value: "", label: "No particular team" }, ...teams.map((t) => ({ value: t.id, label: t.name }))]}
              />
            )}
          </div>
          <TextAreaField
            label="Question"
            name="question"
            rows={5}
            required
            maxLength={4000}
            defaultValue={values.question}
            error={errors.question}
          />
          <div className="button-row">
            <SubmitButton>Send the question</SubmitButton>
          </div>
        </Form>
      </section>
    </>
  );
}

export const meta: MetaFunction = () => [{ title: "Ask the PLO · Rollout Desk" }];

export { RouteErrorBoundary as ErrorBoundary } from "~/components/error-message";
