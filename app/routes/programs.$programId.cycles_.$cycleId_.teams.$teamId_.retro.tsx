import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { CheckboxField, FormError, InputField, TextAreaField } from "~/components/ui/field";
import { SubmitButton } from "~/components/ui/submit-button";
import { retroPage, saveRetro } from "~/models/cycles/retros.server";
import { attempt, failure, orErrorResponse } from "~/utils/action.server";
import { formatDate, today } from "~/utils/dates";
import { getDb } from "~/utils/db.server";
import { parseForm } from "~/utils/forms";
import { requireProgram } from "~/utils/program-access.server";
import { redirectWithToast } from "~/utils/toast.server";
import { retroSchema } from "~/validation/checkins";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: "/styles/checkins.css" }];

// A team's retrospective of a cycle; it can feed the learnings library. See ~/models/cycles/retros.server.

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user, program } = await requireProgram(request, params, "programs:read");
  const page = await orErrorResponse(() => retroPage(getDb(), user, program.id, params.cycleId ?? "", params.teamId ?? "", today()));
  return { program: { id: program.id, name: program.name }, ...page, today: today() };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { user, program } = await requireProgram(request, params, "retros:write");
  const parsed = parseForm(retroSchema, await request.formData());
  if (!parsed.ok) return failure(parsed.errors, parsed.values);
  return attempt(parsed.values, async () => {
    const saved = await saveRetro(getDb(), user, program.id, params.cycleId ?? "", params.teamId ?? "", parsed.data, today());
    const message = `Retrospective ${saved.created ? "recorded" : "saved"}${parsed.data.share ? "; it is in the learnings library" : ""}.`;
    return redirectWithToast(request, new URL(request.url).pathname, message);
  });
}

export default function TeamRetro() {
  const { program, cycle, team, retro, rights, today: day } = useLoaderData<typeof loader>();
  const failed = useActionData<typeof action>();
  const errors: Record<string, string> = failed?.errors ?? {};
  const v = failed?.values ?? {
    wentWell: retro?.wentWell ?? "",
    toImprove: retro?.toImprove ?? "",
    processFeedback: retro?.processFeedback ?? "",
    heldOn: retro?.heldOn ?? day,
  };
  return (
    <>
      <p>
        <Link to={`/programs/${program.id}/teams/${team.id}`}>← {team.name}</Link>
      </p>
      <h1>
        Retrospective: {team.name} · {cycle.name}
      </h1>
      {retro?.heldOn ? <p className="lead">Held {formatDate(retro.heldOn)}</p> : <p className="lead muted">Not held yet.</p>}
      {retro?.learningId ? (
        <p>
          Shared in the learnings library: <Link to={`/learnings/${retro.learningId}`}>read it</Link>.
        </p>
      ) : null}
      {rights.edit ? (
        <Form method="post" className="card">
          <FormError error={errors._form} />
          <input type="hidden" name="version" value={retro?.version ?? 0} />
          <InputField label="Held on" name="heldOn" type="date" defaultValue={v.heldOn} error={errors.heldOn} />
          <TextAreaField label="What went well" name="wentWell" rows={4} defaultValue={v.wentWell} error={errors.wentWell} />
          <TextAreaField label="What to improve" name="toImprove" rows={4} defaultValue={v.toImprove} error={errors.toImprove} />
          <TextAreaField
            label="Feedback on the OKR process"
            name="processFeedback"
            rows={4}
            defaultValue={v.processFeedback}
            error={errors.processFeedback}
            hint="For the PLO: what helped, what got in the way."
          />
          {retro?.learningId ? null : <CheckboxField label="Share it in the learnings library" name="share" />}
          <SubmitButton>Save retrospective</SubmitButton>
        </Form>
      ) : retro ? (
        <dl className="facts">
          <div>
            <dt>What went well</dt>
            <dd className="plan-notes">{retro.wentWell || "—"}</dd>
          </div>
          <div>
            <dt>What to improve</dt>
            <dd className="plan-notes">{retro.toImprove || "—"}</dd>
          </div>
          <div>
            <dt>Feedback on the OKR process</dt>
            <dd className="plan-notes">{retro.processFeedback || "—"}</dd>
          </div>
        </dl>
      ) : null}
    </>
  );
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `Retrospective · ${data.team.name} · ${data.cycle.name} · Rollout Desk` : "Retrospective · Rollout Desk" },
];

export { RouteErrorBoundary as ErrorBoundary } from "~/components/error-message";
