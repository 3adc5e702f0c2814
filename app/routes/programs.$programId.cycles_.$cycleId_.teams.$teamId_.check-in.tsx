import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { FormError } from "~/components/ui/field";
import { SubmitButton } from "~/components/ui/submit-button";
import { CONFIDENCE_LABELS, rowField } from "~/models/cycles/checkin-flags";
import { checkInSheet, saveCheckIns, type CheckInConflict } from "~/models/cycles/checkins.server";
import { ConflictError } from "~/models/errors";
import { domainFailure, failure, orErrorResponse } from "~/utils/action.server";
import { formatDate, formatDateTime, today } from "~/utils/dates";
import { getDb } from "~/utils/db.server";
import { formValues } from "~/utils/forms";
import { requireProgram } from "~/utils/program-access.server";
import { redirectWithToast } from "~/utils/toast.server";
import { parseCheckInForm } from "~/validation/checkins";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: "/styles/checkins.css" }];

// The whole team's check-in on one screen, one form, one row per key result: works without
// JavaScript; a failed save shows each row's error beside its field and gives every row back
// what was typed; nothing is saved unless every row is. See ~/models/cycles/checkins.server.

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user, program } = await requireProgram(request, params, "checkins:write");
  const sheet = await orErrorResponse(() => checkInSheet(getDb(), user, program.id, params.cycleId ?? "", params.teamId ?? "", today()));
  return {
    program: { id: program.id, name: program.name },
    cycle: sheet.cycle,
    team: { id: sheet.team.id, name: sheet.team.name },
    objectives: sheet.objectives,
    today: today(),
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { user, program } = await requireProgram(request, params, "checkins:write");
  const form = await request.formData();
  const values = formValues(form);
  const parsed = parseCheckInForm(form);
  if (!parsed.ok) return failure(parsed.errors, values);
  try {
    const { saved } = await saveCheckIns(getDb(), user, program.id, params.cycleId ?? "", params.teamId ?? "", parsed.rows, today());
    return redirectWithToast(request, new URL(request.url).pathname, `Checked in on ${saved} key result${saved === 1 ? "" : "s"}.`);
  } catch (error) {
    if (error instanceof ConflictError && error.current) {
      const current = error.current as CheckInConflict;
      const id = current.keyResultId;
      const shown = current.currentValue === null ? (current.milestoneDone ? "done" : "no value yet") : String(current.currentValue);
      // The user's input stays; the row now carries the version they have seen, so saving again is a deliberate choice.
      return failure(
        {
          _form: error.message,
          [rowField("confidence", id)]:
            `Now: ${shown}${current.lastConfidence ? `, ${CONFIDENCE_LABELS[current.lastConfidence].toLowerCase()}` : ""}.`,
        },
        { ...values, [rowField("version", id)]: String(current.version) },
        409,
        { current },
      );
    }
    return domainFailure(error, values);
  }
}

const CONFIDENCE_OPTIONS = [
  { value: "", label: "— no check-in —" },
  ...Object.entries(CONFIDENCE_LABELS).map(([value, label]) => ({ value, label })),
];

export default function TeamCheckIn() {
  const { program, cycle, team, objectives } = useLoaderData<typeof loader>();
  const failed = useActionData<typeof action>();
  const errors: Record<string, string> = failed?.errors ?? {};
  const typed: Record<string, string> | null = failed ? failed.values : null;
  const krCount = objectives.reduce((n, o) => n + o.keyResults.length, 0);
  return (
    <>
      <p>
        <Link to={`/programs/${program.id}/teams/${team.id}`}>← {team.name}</Link>
      </p>
      <h1>
        Check-in: {team.name} · {cycle.name}
      </h1>
      <p className="lead">
        {formatDate(cycle.startsOn)} – {formatDate(cycle.endsOn)} · check in at least every {cycle.checkinCadenceDays} days
      </p>
      {krCount === 0 ? (
        <p className="muted">This team has no key results in this cycle yet.</p>
      ) : (
        <Form method="post" className="checkin-form" aria-label={`Check-in of ${team.name}`}>
          <FormError error={errors._form} />
          {objectives.map((objective) => (
            <section key={objective.id} className="checkin-objective" aria-labelledby={`o-${objective.id}`}>
              <h2 id={`o-${objective.id}`}>{objective.title}</h2>
              {objective.keyResults.length === 0 ? <p className="muted">No key results.</p> : null}
              {objective.keyResults.map((kr) => {
                const f = (name: Parameters<typeof rowField>[0]) => rowField(name, kr.id);
                const was =
                  kr.kind === "metric" ? (kr.currentValue === null ? "" : String(kr.currentValue)) : kr.milestoneDone ? "done" : "open";
                const val = (name: Parameters<typeof rowField>[0], fallback: string) => (typed ? (typed[f(name)] ?? "") : fallback);
                const err = (name: Parameters<typeof rowField>[0]) => errors[f(name)];
                return (
                  <fieldset key={kr.id} className="checkin-row" data-key-result={kr.id}>
                    <legend>{kr.title}</legend>
                    <p className="checkin-facts">
                      {kr.kind === "metric" ? (
                        <>
                          {kr.startValue ?? "?"} → {kr.targetValue ?? "?"} {kr.unit} · now{" "}
                          <strong>{kr.currentValue ?? "no value yet"}</strong>
                        </>
                      ) : (
                        <>Milestone · {kr.milestoneDone ? <strong>done</strong> : "not done yet"}</>
                      )}
                      {kr.flags.progress !== null ? ` · ${Math.round(kr.flags.progress * 100)} %` : null}
                      {kr.ownerName ? ` · owner ${kr.ownerName}` : " · no owner"}
                      {kr.flags.atRisk ? <span className="flag flag--risk"> At risk</span> : null}
                      {kr.flags.stale ? <span className="flag flag--stale"> Stale ({kr.flags.daysSinceCheckIn} days)</span> : null}
                      {kr.lastCheckInAt ? (
                        <span className="muted">
                          {" "}
                          · last check-in {formatDateTime(kr.lastCheckInAt)}
                          {kr.lastBy ? ` by ${kr.lastBy}` : ""}
                          {kr.lastConfidence ? ` (${CONFIDENCE_LABELS[kr.lastConfidence].toLowerCase()})` : ""}
                        </span>
                      ) : (
                        <span className="muted"> · no check-in yet</span>
                      )}
                    </p>
                    {kr.mayCheckIn ? (
                      <div className="checkin-inputs">
                        <input type="hidden" name="kr" value={kr.id} />
                        <input type="hidden" name={f("version")} value={val("version", String(kr.version))} />
                        <input type="hidden" name={f("was")} value={was} />
                        {kr.kind === "metric" ? (
                          <RowField label={`Value${kr.unit ? ` (${kr.unit})` : ""}`} error={err("value")} id={`${kr.id}-value`}>
                            <input
                              id={`${kr.id}-value`}
                              name={f("value")}
                              inputMode="decimal"
                              defaultValue={val("value", was)}
                              aria-invalid={err("value") ? true : undefined}
                              aria-describedby={err("value") ? `${kr.id}-value-error` : undefined}
                              size={10}
                            />
                          </RowField>
                        ) : (
                          <div className="field field--checkbox">
                            <input
                              type="checkbox"
                              id={`${kr.id}-done`}
                              name={f("done")}
                              defaultChecked={typed ? typed[f("done")] === "on" : kr.milestoneDone}
                            />
                            <label htmlFor={`${kr.id}-done`}>Done</label>
                          </div>
                        )}
                        <RowField label="Confidence" error={err("confidence")} id={`${kr.id}-confidence`}>
                          <select
                            id={`${kr.id}-confidence`}
                            name={f("confidence")}
                            defaultValue={val("confidence", "")}
                            aria-invalid={err("confidence") ? true : undefined}
                            aria-describedby={err("confidence") ? `${kr.id}-confidence-error` : undefined}
                          >
                            {CONFIDENCE_OPTIONS.map((o) => (
                              <option key={o.value} value={o.value}>
                                {o.label}
                              </option>
                            ))}
                          </select>
                        </RowField>
                        <RowField label="Note" error={err("note")} id={`${kr.id}-note`}>
                          <textarea id={`${kr.id}-note`} name={f("note")} rows={2} defaultValue={val("note", "")} />
                        </RowField>
                        <RowField label="Blockers" error={err("blockers")} id={`${kr.id}-blockers`}>
                          <textarea id={`${kr.id}-blockers`} name={f("blockers")} rows={2} defaultValue={val("blockers", "")} />
                        </RowField>
                      </div>
                    ) : (
                      <p className="muted">Checked in by its owner or the team lead.</p>
                    )}
                  </fieldset>
                );
              })}
            </section>
          ))}
          <p className="muted">Rows left at “no check-in” are not saved. Everything is saved together, or nothing.</p>
          <SubmitButton>Save check-in</SubmitButton>
        </Form>
      )}
    </>
  );
}

function RowField({ label, error, id, children }: { label: string; error?: string; id: string; children: React.ReactNode }) {
  return (
    <div className={error ? "field field--invalid" : "field"}>
      <label htmlFor={id}>{label}</label>
      {children}
      {error ? (
        <p className="field__error" role="alert" id={`${id}-error`}>
          {error}
        </p>
      ) : null}
    </div>
  );
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `Check-in · ${data.team.name} · ${data.cycle.name} · Rollout Desk` : "Check-in · Rollout Desk" },
];

export { RouteErrorBoundary as ErrorBoundary } from "~/components/error-message";
