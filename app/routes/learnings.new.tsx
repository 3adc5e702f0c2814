import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { LearningForm } from "~/components/sessions/learning-form";
import { createLearning, resolveSource, sourceLabel } from "~/models/coaching/learnings.server";
import { requirePermission } from "~/utils/auth.server";
import { getDb } from "~/utils/db.server";
import { parseForm, type FormFailure } from "~/utils/forms";
import { redirectWithToast } from "~/utils/toast.server";
import { learningSchema } from "~/validation/sessions";
import { domainFailure } from "~/utils/action.server";
import { FieldError } from "~/models/errors";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: "/styles/sessions.css" }];

const param = (url: URL, name: string) => (url.searchParams.get(name) ?? "").replaceAll("\u0000", "").trim().slice(0, 64) || null;

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "learnings:write");
  const url = new URL(request.url);
  // Written from a session (?session=), a team (?team=) or a program page (?program=); a source the
  // user may not cite is simply left out.
  const source = await resolveSource(getDb(), user, {
    sessionId: param(url, "session"),
    teamId: param(url, "team"),
    programId: param(url, "program"),
  }).catch((error: unknown) => {
    if (error instanceof FieldError) return null;
    throw error;
  });
  return {
    source: {
      sessionId: source?.sessionId ?? null,
      teamId: source?.teamId ?? null,
      programId: source?.programId ?? null,
      label: source ? sourceLabel(source) : null,
    },
  };
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requirePermission(request, "learnings:write");
  const formData = await request.formData();
  const parsed = parseForm(learningSchema, formData);
  if (!parsed.ok) return data<FormFailure>({ errors: parsed.errors, values: parsed.values }, { status: 400 });
  let created;
  try {
    created = await createLearning(getDb(), user, parsed.data);
  } catch (error) {
    return domainFailure(error, parsed.values);
  }
  return redirectWithToast(request, `/learnings/${created.id}`, `Thanks for sharing “${parsed.data.title}”.`);
}

export default function NewLearning() {
  const { source } = useLoaderData<typeof loader>();
  const failure = useActionData<typeof action>();
  return (
    <>
      <p>
        <Link to="/learnings">← Learnings</Link>
      </p>
      <h1>Share a learning</h1>
      <p className="lead">A practice that worked or a lesson learned, for every coach of the community.</p>
      <section className="card">
        <LearningForm values={failure?.values ?? {}} errors={failure?.errors ?? {}} source={source} submitLabel="Share it" />
      </section>
    </>
  );
}

export const meta: MetaFunction = () => [{ title: "Share a learning · Rollout Desk" }];

export { RouteErrorBoundary as ErrorBoundary } from "~/components/error-message";
