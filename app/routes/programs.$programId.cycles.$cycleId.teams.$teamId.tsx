import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { failureOf, ObjectiveCard } from "~/components/cycles/objective-card";
import { ObjectiveFields } from "~/components/cycles/okr-fields";
import { QualityPanel } from "~/components/cycles/quality-panel";
import { FormError } from "~/components/ui/field";
import { SubmitButton } from "~/components/ui/submit-button";
import type { OkrViewer } from "~/models/cycles/access.server";
import { createObjective, draftingOptions, loadTeamContext, setQuality, teamObjectives } from "~/models/cycles/okrs.server";
import { attempt, domainFailure, failure, orErrorResponse } from "~/utils/action.server";
import { formatDay, today as todayOf } from "~/utils/dates";
import { getDb } from "~/utils/db.server";
import { parseForm } from "~/utils/forms";
import { requireProgram } from "~/utils/program-access.server";
import { okrIntent } from "~/utils/okr-forms.server";
import { redirectWithToast } from "~/utils/toast.server";
import { CYCLE_STATE_LABELS, objectiveSchema } from "~/validation/cycles";

// A team's OKR set for one cycle: drafting with the quality checks beside it, alignment to the
// unit's and the company's objectives, coach comments. Every form posts here with an `intent`;
// the model decides who may do what (team lead: anything of their set; coach: drafts of teams
// they coach, comments; PLO: everything; others read). Works without JavaScript.

export const links: LinksFunction = () => [{ rel: "stylesheet", href: "/styles/cycles.css" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user, program } = await requireProgram(request, params, "cycles:read");
  const db = getDb();
  const today = todayOf();
  const { cycle, team, rights } = await orErrorResponse(() =>
    loadTeamContext(db, user, program.id, params.cycleId ?? "", params.teamId ?? "", today),
  );
  const [objectives, { parents, people }] = await Promise.all([
    teamObjectives(db, cycle.id, team.id),
    rights.editDrafts ? draftingOptions(db, cycle.id, team) : { parents: [], people: [] },
  ]);
  return {
    programId: program.id,
    cycle,
    team,
    rights,
    objectives,
    parents,
    people,
    quality: setQuality(objectives, cycle.maxObjectives),
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { user, program } = await requireProgram(request, params, "cycles:read");
  const db = getDb();
  const today = todayOf();
  const cycleId = params.cycleId ?? "";
  const teamId = params.teamId ?? "";
  const here = `/programs/${program.id}/cycles/${cycleId}/teams/${teamId}`;
  const formData = await request.formData();
  const intent = String(formData.get("intent") ?? "");
  const done = (message: string) => redirectWithToast(request, here, message);
  const run = (values: Record<string, string>, fn: () => Promise<Response>) => attempt(values, fn, { intent });
  // The set must be this team's in this program: reading rights also answers 404/403 for the URL.
  let viewer: OkrViewer;
  try {
    ({ viewer } = await loadTeamContext(db, user, program.id, cycleId, teamId, today));
  } catch (error) {
    return domainFailure(error, {}, { intent });
  }
  switch (intent) {
    case "add-objective": {
      const parsed = parseForm(objectiveSchema, formData);
      if (!parsed.ok) return failure(parsed.errors, parsed.values, 400, { intent });
      return run(parsed.values, async () => {
        await createObjective(db, viewer, program.id, cycleId, { level: "team", teamId }, parsed.data, today);
        return done(`Objective “${parsed.data.title}” added as a draft.`);
      });
    }
    default:
      return okrIntent(intent, formData, { request, viewer, programId: program.id, here, today });
  }
}

export default function TeamOkrs() {
  const { programId, cycle, team, rights, objectives, parents, people, quality } = useLoaderData<typeof loader>();
  const failed = useActionData<typeof action>();
  const addFailed = failureOf(failed, "add-objective");
  const cyclePath = `/programs/${programId}/cycles/${cycle.id}`;
  // Comments of key results are shown with the key result; the objective's own with it.
  const withKrComments = objectives.map((o) => ({
    ...o,
    keyResults: o.keyResults.map((kr) => ({ ...kr, comments: o.comments.filter((c) => c.keyResultId === kr.id) })),
  }));
  return (
    <>
      <p>
        <Link to={cyclePath}>← {cycle.name}</Link> · <Link to={`/programs/${programId}/calendar?team=${team.id}`}>Team calendar</Link>
      </p>
      <h1>
        {team.name} <span className="muted">· OKRs {cycle.name}</span>
      </h1>
      <p className="muted">
        {team.unitName}
        {team.waveName ? ` · ${team.waveName}` : ""} · {formatDay(cycle.startsOn)} – {formatDay(cycle.endsOn)} · cycle{" "}
        {CYCLE_STATE_LABELS[cycle.state].toLowerCase()}
      </p>
      {!rights.editDrafts ? <p className="muted">You can read this set; its team lead and coach edit it.</p> : null}
      <div className="okr-layout">
        <div className="okr-layout__set">
          {objectives.length === 0 ? <p className="empty-state">No objective drafted for this cycle yet.</p> : null}
          {withKrComments.map((o) => (
            <ObjectiveCard key={o.id} objective={o} rights={rights} parents={parents} />
          ))}
          {rights.editDrafts && cycle.state !== "closed" ? (
            <section className="card" aria-labelledby="add-objective">
              <h2 id="add-objective">Add an objective</h2>
              <Form method="post">
                <input type="hidden" name="intent" value="add-objective" />
                <FormError error={addFailed?.errors._form} />
                <ObjectiveFields
                  idPrefix="new"
                  values={addFailed?.values ?? {}}
                  errors={addFailed?.errors ?? {}}
                  parents={parents}
                  selectedParents={[]}
                  peopleListId="team-people"
                />
                <SubmitButton>Add objective</SubmitButton>
              </Form>
            </section>
          ) : null}
        </div>
        <aside className="okr-layout__side">
          <QualityPanel quality={quality} />
        </aside>
      </div>
      <datalist id="team-people">
        {people.map((p) => (
          <option key={p.id} value={p.email}>
            {p.name}
          </option>
        ))}
      </datalist>
    </>
  );
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.team.name} · OKRs ${data.cycle.name} · Rollout Desk` : "Team OKRs · Rollout Desk" },
];

export { RouteErrorBoundary as ErrorBoundary } from "~/components/error-message";
