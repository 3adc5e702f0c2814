import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { FormError } from "~/components/ui/field";
import { SubmitButton } from "~/components/ui/submit-button";
import { saveScores, scoreSheet, suggestedScore } from "~/models/cycles/scoring.server";
import { attempt, failure, orErrorResponse } from "~/utils/action.server";
import { today } from "~/utils/dates";
import { getDb } from "~/utils/db.server";
import { formValues } from "~/utils/forms";
import { requireProgram } from "~/utils/program-access.server";
import { redirectWithToast } from "~/utils/toast.server";
import { parseScoreForm } from "~/validation/checkins";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: "/styles/checkins.css" }];

// Scoring a team's key results at the end of the cycle (one form); objective scores follow as
// the weighted mean. See ~/models/cycles/scoring.server.

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user, program } = await requireProgram(request, params, "checkins:write");
  const sheet = await orErrorResponse(() => scoreSheet(getDb(), user, program.id, params.cycleId ?? "", params.teamId ?? "", today()));
  return { program: { id: program.id, name: program.name }, ...sheet };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { user, program } = await requireProgram(request, params, "checkins:write");
  const form = await request.formData();
  const values = formValues(form);
  const parsed = parseScoreForm(form);
  if (!parsed.ok) return failure(parsed.errors, values);
  return attempt(values, async () => {
    const { saved } = await saveScores(getDb(), user, program.id, params.cycleId ?? "", params.teamId ?? "", parsed.rows);
    return redirectWithToast(request, new URL(request.url).pathname, `Saved ${saved} score${saved === 1 ? "" : "s"}.`);
  });
}

const pct = (n: number | null) => (n === null ? "—" : `${Math.round(n * 100)} %`);

export default function ScoreTeam() {
  const { program, cycle, team, objectives, open } = useLoaderData<typeof loader>();
  const failed = useActionData<typeof action>();
  const errors: Record<string, string> = failed?.errors ?? {};
  const typed = failed?.values ?? null;
  const base = `/programs/${program.id}/cycles/${cycle.id}/teams/${team.id}`;
  return (
    <>
      <p>
        <Link to={`/programs/${program.id}/teams/${team.id}`}>← {team.name}</Link>
      </p>
      <h1>
        Scores: {team.name} · {cycle.name}
      </h1>
      <p className="lead">
        Score each key result from 0 to 1. The suggestion is its progress; objective scores are the weighted mean of their key results.
      </p>
      {!open ? (
        <p className="muted">
          {cycle.state === "closed" ? "This cycle is closed: its scores are final." : "Scoring opens once the cycle is executing."}
        </p>
      ) : null}
      <Form method="post" className="score-form">
        <FormError error={errors._form} />
        <table className="score-table">
          <thead>
            <tr>
              <th scope="col">Key result</th>
              <th scope="col">Progress</th>
              <th scope="col">Weight</th>
              <th scope="col">Score</th>
            </tr>
          </thead>
          {objectives.map((o) => (
            <tbody key={o.id}>
              <tr>
                <th scope="rowgroup" colSpan={3}>
                  {o.title}
                </th>
                <td>
                  Objective score: <strong>{pct(o.score)}</strong>
                </td>
              </tr>
              {o.keyResults.map((kr) => {
                const name = `score:${kr.id}`;
                const shown = typed ? (typed[name] ?? "") : String(kr.score ?? suggestedScore(kr.flags.progress));
                return (
                  <tr key={kr.id}>
                    <td>{kr.title}</td>
                    <td>{pct(kr.flags.progress)}</td>
                    <td>{kr.weight}</td>
                    <td>
                      <input type="hidden" name="kr" value={kr.id} />
                      <input type="hidden" name={`version:${kr.id}`} value={kr.version} />
                      <label className="visually-hidden" htmlFor={`${kr.id}-score`}>
                        Score of {kr.title}
                      </label>
                      <input
                        id={`${kr.id}-score`}
                        name={name}
                        inputMode="decimal"
                        defaultValue={shown}
                        disabled={!open}
                        aria-invalid={errors[name] ? true : undefined}
                      />
                      {kr.score === null ? <span className="muted"> suggested</span> : null}
                      {errors[name] ? (
                        <p className="field__error" role="alert">
                          {errors[name]}
                        </p>
                      ) : null}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          ))}
        </table>
        {open ? <SubmitButton>Save scores</SubmitButton> : null}
      </Form>
      <p>
        <Link to={`${base}/retro`}>Retrospective</Link> · <Link to={`${base}/carry-forward`}>Carry unfinished objectives forward</Link>
      </p>
    </>
  );
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `Scores · ${data.team.name} · ${data.cycle.name} · Rollout Desk` : "Scores · Rollout Desk" },
];

export { RouteErrorBoundary as ErrorBoundary } from "~/components/error-message";
