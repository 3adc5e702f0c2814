import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { FormError } from "~/components/ui/field";
import { SubmitButton } from "~/components/ui/submit-button";
import { carryForward, carryForwardPreview } from "~/models/cycles/carry-forward.server";
import { attempt, orErrorResponse } from "~/utils/action.server";
import { today } from "~/utils/dates";
import { getDb } from "~/utils/db.server";
import { requireProgram } from "~/utils/program-access.server";
import { redirectWithToast } from "~/utils/toast.server";

// Carry a team's unfinished objectives into the next cycle in one action (idempotent).
// See ~/models/cycles/carry-forward.server.

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user, program } = await requireProgram(request, params, "checkins:write");
  const preview = await orErrorResponse(() => carryForwardPreview(getDb(), user, program.id, params.cycleId ?? "", params.teamId ?? ""));
  return { program: { id: program.id, name: program.name }, ...preview };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { user, program } = await requireProgram(request, params, "checkins:write");
  return attempt({}, async () => {
    const result = await carryForward(getDb(), user, program.id, params.cycleId ?? "", params.teamId ?? "", today());
    const message =
      result.created === 0
        ? `Nothing new to carry: ${result.skipped} objective${result.skipped === 1 ? " was" : "s were"} carried to ${result.nextCycle.name} already.`
        : `Carried ${result.created} objective${result.created === 1 ? "" : "s"} to ${result.nextCycle.name} as drafts.`;
    return redirectWithToast(request, new URL(request.url).pathname, message);
  });
}

export default function CarryForward() {
  const { program, cycle, team, next, objectives } = useLoaderData<typeof loader>();
  const failed = useActionData<typeof action>();
  const todo = objectives.filter((o) => !o.carried);
  return (
    <>
      <p>
        <Link to={`/programs/${program.id}/teams/${team.id}`}>← {team.name}</Link>
      </p>
      <h1>
        Carry forward: {team.name} · {cycle.name}
      </h1>
      {next ? (
        <p className="lead">
          Unfinished objectives go to <strong>{next.name}</strong> as drafts, with their unfinished key results, linked to where they came
          from.
        </p>
      ) : (
        <p className="lead">There is no next cycle yet: the PLO creates it first.</p>
      )}
      <FormError error={failed?.errors._form} />
      {objectives.length === 0 ? (
        <p className="muted">Nothing unfinished: every objective was achieved or abandoned.</p>
      ) : (
        <ul className="carry-list">
          {objectives.map((o) => (
            <li key={o.id}>
              <strong>{o.title}</strong> {o.carried ? <span className="muted">(carried already)</span> : null}
              {o.keyResults.length ? (
                <ul>
                  {o.keyResults.map((kr) => (
                    <li key={kr.id}>
                      {kr.title}
                      {kr.progress !== null ? <span className="muted"> · {Math.round(kr.progress * 100)} %</span> : null}
                    </li>
                  ))}
                </ul>
              ) : null}
            </li>
          ))}
        </ul>
      )}
      {next && todo.length > 0 ? (
        <Form method="post">
          <SubmitButton pendingText="Carrying…">
            Carry {todo.length} objective{todo.length === 1 ? "" : "s"} to {next.name}
          </SubmitButton>
        </Form>
      ) : null}
    </>
  );
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `Carry forward · ${data.team.name} · Rollout Desk` : "Carry forward · Rollout Desk" },
];

export { RouteErrorBoundary as ErrorBoundary } from "~/components/error-message";
