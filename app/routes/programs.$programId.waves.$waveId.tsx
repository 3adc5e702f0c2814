import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { ReadinessBadge } from "~/components/plan/readiness";
import { WaveLifecycleCard, WaveStateBadge } from "~/components/plan/wave-lifecycle";
import { cachedHealthSummary } from "~/models/health/health-page.server";
import {
  addExitCriterion,
  changeWaveState,
  removeExitCriterion,
  setExitCriterionMet,
  wavesLifecycle,
} from "~/models/plan/wave-lifecycle.server";
import { exitCriterionIdSchema, exitCriterionSchema, waveStateSchema } from "~/validation/health";
import { WaveFields } from "~/components/plan/wave-fields";
import { DangerZone } from "~/components/ui/danger-zone";
import { FormError, InputField, SelectField } from "~/components/ui/field";
import { SubmitButton } from "~/components/ui/submit-button";
import { pivotCounts, teamCountsByWaveAndStatus } from "~/models/plan/program-teams.server";
import {
  addCriterion,
  deleteWave,
  moveWave,
  removeCriterion,
  setCriterionMet,
  updateWave,
  wavesWithReadiness,
} from "~/models/plan/waves.server";
import { formatDate, formatDateTime, today as todayDay } from "~/utils/dates";
import { getDb } from "~/utils/db.server";
import { formValues, parseForm, type FormFailure } from "~/utils/forms";
import { can } from "~/utils/permissions";
import { requireProgram } from "~/utils/program-access.server";
import { redirectWithToast } from "~/utils/toast.server";
import {
  CREATABLE_CRITERION_KINDS,
  CRITERION_KIND_LABELS,
  criterionIdSchema,
  criterionSchema,
  deleteWaveSchema,
  moveWaveSchema,
  ONBOARDING_STATUS_LABELS,
  waveSchema,
} from "~/validation/plan";
import { ONBOARDING_STATUSES } from "../../db/schema";
import { domainFailure } from "~/utils/action.server";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: "/styles/plan.css" }];

const notFound = () => new Response("This wave does not exist (or no longer exists).", { status: 404 });

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user, program, dataVersion } = await requireProgram(request, params, "plan:read");
  const db = getDb();
  const today = todayDay();
  const counts = await teamCountsByWaveAndStatus(db, program.id);
  const [{ waves, readiness }, health] = await Promise.all([
    wavesWithReadiness(db, program.id, today, counts),
    cachedHealthSummary(db, program.id, dataVersion, today),
  ]);
  const index = waves.findIndex((w) => w.id === params.waveId);
  if (index < 0) throw notFound();
  const wave = waves[index];
  const lifecycle = (await wavesLifecycle(db, program.id, health, counts, today))[wave.id];
  const byStatus = pivotCounts(counts)[wave.id];
  return {
    program: { id: program.id, name: program.name },
    wave,
    isFirst: index === 0,
    isLast: index === waves.length - 1,
    readiness: readiness[wave.id],
    lifecycle: can(user.role, "health:read") ? lifecycle : { ...lifecycle, health: null },
    statusCounts: ONBOARDING_STATUSES.map((status) => ({ status, count: byStatus?.[status] ?? 0 })),
    canWrite: can(user.role, "plan:write"),
  };
}

type ActionResult = FormFailure & { intent: string };

export async function action({ request, params }: ActionFunctionArgs) {
  const { user, program } = await requireProgram(request, params, "plan:write");
  const waveId = params.waveId ?? "";
  const formData = await request.formData();
  const intent = String(formData.get("intent") ?? "");
  const db = getDb();
  const here = `/programs/${program.id}/waves/${waveId}`;
  const fail = (errors: Record<string, string>, values: Record<string, string> = {}) =>
    data<ActionResult>({ intent, errors, values }, { status: 400 });
  try {
    switch (intent) {
      case "update": {
        const parsed = parseForm(waveSchema, formData);
        if (!parsed.ok) return fail(parsed.errors, parsed.values);
        const changed = await updateWave(db, user, program.id, waveId, parsed.data);
        return redirectWithToast(request, here, changed ? "Saved the wave." : "Nothing to save: the wave was unchanged.");
      }
      case "add-criterion": {
        const parsed = parseForm(criterionSchema, formData);
        if (!parsed.ok) return fail(parsed.errors, parsed.values);
        await addCriterion(db, user, program.id, waveId, parsed.data);
        return redirectWithToast(request, here, `Added “${parsed.data.label}”.`);
      }
      case "tick":
      case "untick": {
        const parsed = parseForm(criterionIdSchema, formData);
        if (!parsed.ok) return fail(parsed.errors);
        await setCriterionMet(db, user, program.id, waveId, parsed.data.criterionId, intent === "tick");
        return redirectWithToast(request, here, intent === "tick" ? "Ticked the criterion." : "Unticked the criterion.");
      }
      case "remove-criterion": {
        const parsed = parseForm(criterionIdSchema, formData);
        if (!parsed.ok) return fail(parsed.errors);
        await removeCriterion(db, user, program.id, waveId, parsed.data.criterionId);
        return redirectWithToast(request, here, "Removed the criterion.");
      }
      case "state": {
        const parsed = parseForm(waveStateSchema, formData);
        if (!parsed.ok) return fail(parsed.errors);
        await changeWaveState(db, user, program.id, waveId, parsed.data.to, todayDay());
        return redirectWithToast(
          request,
          here,
          `The wave is ${parsed.data.to === "closed" ? "closed: its figures are kept as they are now" : parsed.data.to} now.`,
        );
      }
      case "add-exit": {
        const parsed = parseForm(exitCriterionSchema, formData);
        if (!parsed.ok) return fail(parsed.errors, parsed.values);
        await addExitCriterion(db, user, program.id, waveId, parsed.data);
        return redirectWithToast(request, here, "Added the exit criterion.");
      }
      case "tick-exit":
      case "untick-exit": {
        const parsed = parseForm(exitCriterionIdSchema, formData);
        if (!parsed.ok) return fail(parsed.errors);
        await setExitCriterionMet(db, user, program.id, waveId, parsed.data.exitCriterionId, intent === "tick-exit");
        return redirectWithToast(request, here, intent === "tick-exit" ? "Ticked the exit criterion." : "Unticked the exit criterion.");
      }
      case "remove-exit": {
        const parsed = parseForm(exitCriterionIdSchema, formData);
        if (!parsed.ok) return fail(parsed.errors);
        await removeExitCriterion(db, user, program.id, waveId, parsed.data.exitCriterionId);
        return redirectWithToast(request, here, "Removed the exit criterion.");
      }
      case "move": {
        const parsed = parseForm(moveWaveSchema, formData);
        if (!parsed.ok) return fail(parsed.errors);
        const moved = await moveWave(db, user, program.id, waveId, parsed.data.direction);
        return redirectWithToast(
          request,
          here,
          moved ? `Moved the wave ${parsed.data.direction}.` : "The wave is already at that end of the order.",
        );
      }
      case "delete": {
        const parsed = parseForm(deleteWaveSchema, formData);
        if (!parsed.ok) return fail(parsed.errors);
        const deleted = await deleteWave(db, user, program.id, waveId);
        const teams = deleted.teamCount === 1 ? "1 team is" : `${deleted.teamCount.toLocaleString("en")} teams are`;
        return redirectWithToast(request, `/programs/${program.id}/waves`, `Deleted wave “${deleted.name}”; ${teams} now without a wave.`);
      }
      default:
        return fail({ _form: "Unknown action." });
    }
  } catch (error) {
    return domainFailure(error, formValues(formData), { intent });
  }
}

const CRITERION_STATE = {
  met: { symbol: "✓", label: "Met" },
  unmet: { symbol: "✕", label: "Not met" },
  not_measurable: { symbol: "–", label: "Not yet measurable" },
} as const;

export default function WavePage() {
  const { program, wave, isFirst, isLast, readiness, lifecycle, statusCounts, canWrite } = useLoaderData<typeof loader>();
  const beforeStart = lifecycle.state === "planned" || lifecycle.state === "starting";
  const result = useActionData<typeof action>();
  const errorsFor = (...intents: string[]) => (result && intents.includes(result.intent) ? result.errors : {});
  const teamsHref = (status?: string) => `/programs/${program.id}/teams?wave=${wave.id}${status ? `&status=${status}` : ""}`;
  const checklistError = errorsFor("tick", "untick", "remove-criterion", "move");
  const moveDisabled = { up: isFirst, down: isLast };

  return (
    <>
      <p>
        <Link to={`/programs/${program.id}/waves`}>← Waves</Link>
      </p>
      <div className="page-header">
        <h1>{wave.name}</h1>
        <WaveStateBadge state={lifecycle.state} hint={lifecycle.hint} />
        {beforeStart ? <ReadinessBadge state={readiness.state} /> : null}
      </div>
      <dl className="facts">
        <div>
          <dt>Starts</dt>
          <dd>{formatDate(wave.startsOn) ?? "Not set"}</dd>
        </div>
        <div>
          <dt>Ends</dt>
          <dd>{formatDate(wave.endsOn) ?? "Not set"}</dd>
        </div>
        <div>
          <dt>Teams</dt>
          <dd>
            <Link to={teamsHref()}>{wave.teamCount.toLocaleString("en")}</Link>
          </dd>
        </div>
        <div>
          <dt>Position</dt>
          <dd>Wave {wave.position}</dd>
        </div>
      </dl>
      {wave.goal ? <p className="lead">{wave.goal}</p> : null}

      <WaveLifecycleCard
        lifecycle={lifecycle}
        canWrite={canWrite}
        programId={program.id}
        errors={errorsFor("state", "add-exit", "tick-exit", "untick-exit", "remove-exit")}
        values={result?.intent === "add-exit" ? result.values : {}}
      />

      <div className="grid-2">
        <section className="card" aria-labelledby="criteria-heading">
          <h2 id="criteria-heading">Entry criteria{beforeStart ? "" : " (live)"}</h2>
          {beforeStart ? null : (
            <p className="muted">
              The wave has started: these criteria no longer decide anything; the card above shows them as they were at the start.
            </p>
          )}
          {!beforeStart ? null : readiness.reasons.length > 0 ? (
            <ul className="readiness__reasons">
              {readiness.reasons.map((reason) => (
                <li key={reason}>{reason}</li>
              ))}
            </ul>
          ) : (
            <p className="muted">All entry criteria are met.</p>
          )}
          <FormError error={checklistError._form ?? checklistError.criterionId ?? checklistError.direction} />
          {readiness.criteria.length === 0 ? (
            <p className="muted">This wave has no entry criteria.</p>
          ) : (
            <ul className="criteria">
              {readiness.criteria.map((c) => (
                <li key={c.id} className={`criteria__item criteria__item--${c.state}`}>
                  <span className="criteria__state">
                    <span aria-hidden="true">{CRITERION_STATE[c.state].symbol}</span> {CRITERION_STATE[c.state].label}
                  </span>
                  <div className="criteria__body">
                    <strong>{c.label}</strong>
                    <p className="muted">
                      {c.kind === "manual"
                        ? c.metAt
                          ? `Ticked by ${c.metByLabel ?? "someone"} on ${formatDateTime(c.metAt)}`
                          : "Ticked by the PLO when done."
                        : c.detail}
                    </p>
                  </div>
                  {canWrite ? (
                    <Form method="post" className="row-tools">
                      <input type="hidden" name="criterionId" value={c.id} />
                      {c.kind === "manual" ? (
                        c.metAt ? (
                          <SubmitButton name="intent" value="untick" className="button button--secondary button--small">
                            Untick<span className="visually-hidden"> “{c.label}”</span>
                          </SubmitButton>
                        ) : (
                          <SubmitButton name="intent" value="tick" className="button button--small">
                            Tick<span className="visually-hidden"> “{c.label}”</span>
                          </SubmitButton>
                        )
                      ) : null}
                      <SubmitButton name="intent" value="remove-criterion" className="link-button">
                        Remove<span className="visually-hidden"> “{c.label}”</span>
                      </SubmitButton>
                    </Form>
                  ) : null}
                </li>
              ))}
            </ul>
          )}
          {canWrite ? (
            <AddCriterion errors={errorsFor("add-criterion")} values={result?.intent === "add-criterion" ? result.values : {}} />
          ) : null}
        </section>

        <section className="card">
          <h2>Teams by status</h2>
          <table className="simple-table">
            <caption className="visually-hidden">Teams of {wave.name} by onboarding status</caption>
            <thead>
              <tr>
                <th scope="col">Status</th>
                <th scope="col">Teams</th>
              </tr>
            </thead>
            <tbody>
              {statusCounts.map(({ status, count }) => (
                <tr key={status}>
                  <th scope="row">{ONBOARDING_STATUS_LABELS[status]}</th>
                  <td>{count > 0 ? <Link to={teamsHref(status)}>{count.toLocaleString("en")}</Link> : "0"}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <p>
            <Link to={teamsHref()}>All {wave.teamCount.toLocaleString("en")} teams of this wave →</Link>
          </p>
        </section>
      </div>

      {canWrite ? (
        <>
          <section className="card narrow">
            <h2>Edit wave</h2>
            <Form method="post">
              <input type="hidden" name="intent" value="update" />
              <FormError error={errorsFor("update")._form} />
              <WaveFields values={result?.intent === "update" ? result.values : wave} errors={errorsFor("update")} />
              <SubmitButton>Save wave</SubmitButton>
            </Form>
          </section>
          <section className="card narrow">
            <h2>Order</h2>
            <Form method="post" className="button-row">
              <input type="hidden" name="intent" value="move" />
              <button type="submit" name="direction" value="up" className="button button--secondary" disabled={moveDisabled.up}>
                Move earlier
              </button>
              <button type="submit" name="direction" value="down" className="button button--secondary" disabled={moveDisabled.down}>
                Move later
              </button>
            </Form>
          </section>
          <DangerZone
            title="Delete wave"
            confirmLabel={`Yes, delete “${wave.name}”`}
            intent="delete"
            submitLabel="Delete wave"
            errors={errorsFor("delete")}
          >
            <p>
              Its {wave.teamCount.toLocaleString("en")} team{wave.teamCount === 1 ? "" : "s"} stay in the program without a wave (their
              onboarding status is kept). Milestones and risks tied to the wave lose the link.
            </p>
          </DangerZone>
        </>
      ) : null}
    </>
  );
}

function AddCriterion({ errors, values }: { errors: Record<string, string>; values: Record<string, string> }) {
  return (
    <Form method="post" className="criteria__add">
      <h3>Add a criterion</h3>
      <input type="hidden" name="intent" value="add-criterion" />
      <FormError error={errors._form} />
      <SelectField
        label="Checked by"
        name="kind"
        defaultValue={values.kind ?? "manual"}
        error={errors.kind}
        options={CREATABLE_CRITERION_KINDS.map((kind) => ({ value: kind, label: CRITERION_KIND_LABELS[kind] }))}
      />
      <InputField
        label="Criterion"
        name="label"
        maxLength={200}
        defaultValue={values.label ?? ""}
        error={errors.label}
        hint="For example “Team leads invited to the kick-off”. Optional for computed checks."
      />
      <InputField
        label="Threshold (%)"
        name="threshold"
        inputMode="numeric"
        maxLength={3}
        defaultValue={values.threshold ?? ""}
        error={errors.threshold}
        hint="For “trained” checks: the share of people needed, 1–100 (empty: everyone)."
      />
      <SubmitButton className="button button--secondary">Add criterion</SubmitButton>
    </Form>
  );
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.wave.name ?? "Wave"} · Rollout Desk` }];

export { RouteErrorBoundary as ErrorBoundary } from "~/components/error-message";
