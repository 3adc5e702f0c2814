import { Form, Link } from "@remix-run/react";
import { WAVE_EXIT_KINDS, WAVE_STATES, type WaveState } from "../../../db/schema";
import { BandBadge } from "~/components/health/health-bits";
import { FormError, InputField, SelectField } from "~/components/ui/field";
import { SubmitButton } from "~/components/ui/submit-button";
import type { BandOrNone } from "~/models/health/metrics";
import {
  EXIT_KIND_LABELS,
  WAVE_STATE_LABELS,
  WAVE_TRANSITIONS,
  WAVE_TRANSITION_LABELS,
  type ExitProgress,
} from "~/models/plan/wave-lifecycle";
import { formatDate } from "~/utils/dates";

// A wave's lifecycle on its page: where it stands (planned → … → closed), the moves the PLO may
// make, the entry criteria as recorded at the start, the exit criteria and their progress.

export interface LifecycleView {
  state: WaveState;
  hint: string | null;
  entry: {
    recordedOn: string;
    state: string;
    reasons: string[];
    criteria: Array<{ label: string; state: string; detail: string | null }>;
  } | null;
  exit: ExitProgress;
  /** Null for those who do not read process health. */
  health: { score: number | null; band: BandOrNone; cycle: string | null } | null;
  frozen: { closedOn: string } | null;
}

/** "Active", with the hint the dates give ("Due to close"). */
export function WaveStateBadge({ state, hint }: { state: WaveState; hint?: string | null }) {
  return (
    <span className={`wave-state wave-state--${state}`}>
      {WAVE_STATE_LABELS[state]}
      {hint ? <strong className="wave-state__hint"> · {hint}</strong> : null}
    </span>
  );
}

/** "1 of 2 met" with the unmet ones' labels in a title. */
export function ExitProgressText({ exit }: { exit: ExitProgress }) {
  if (exit.total === 0) return <span className="muted">No exit criteria</span>;
  return (
    <span title={exit.checks.map((c) => `${c.met ? "✓" : "✗"} ${c.label}: ${c.detail}`).join("\n")}>
      {exit.met} of {exit.total} exit criteria met
    </span>
  );
}

export function WaveLifecycleCard({
  lifecycle,
  canWrite,
  errors,
  values,
  programId,
}: {
  lifecycle: LifecycleView;
  canWrite: boolean;
  errors: Record<string, string>;
  values: Record<string, string>;
  programId: string;
}) {
  const { state, exit, entry, health, frozen } = lifecycle;
  const moves = WAVE_TRANSITIONS[state];
  return (
    <section className="card" aria-labelledby="lifecycle-heading">
      <h2 id="lifecycle-heading">Lifecycle</h2>
      <ol className="lifecycle" aria-label="Wave states">
        {WAVE_STATES.map((s) => (
          <li key={s} aria-current={s === state ? "step" : undefined}>
            {WAVE_STATE_LABELS[s]}
          </li>
        ))}
      </ol>
      {lifecycle.hint ? (
        <p role="status">
          <strong>{lifecycle.hint}:</strong> {lifecycle.hint === "Due to start" ? "its start date has come." : "its end date has passed."}
        </p>
      ) : null}
      {health ? (
        <p>
          Health {health.cycle ? `in ${health.cycle}` : ""}: <BandBadge band={health.band} score={health.score} />{" "}
          <Link to={`/programs/${programId}/health`}>Process health →</Link>
        </p>
      ) : null}
      {frozen ? <p className="muted">Closed on {formatDate(frozen.closedOn)}: the figures below are as they were then.</p> : null}
      <FormError error={errors.to ?? errors._form ?? errors.exitCriterionId} />
      {canWrite && moves.length > 0 ? (
        <Form method="post" className="button-row" aria-label="Move the wave">
          <input type="hidden" name="intent" value="state" />
          {moves.map((to) => (
            <SubmitButton
              key={to}
              name="to"
              value={to}
              className={to === "closed" || to === "active" ? "button" : "button button--secondary"}
              pendingText="Moving…"
            >
              {WAVE_TRANSITION_LABELS[`${state}>${to}`] ?? WAVE_STATE_LABELS[to]}
            </SubmitButton>
          ))}
        </Form>
      ) : null}

      <h3>Exit criteria</h3>
      {exit.checks.length === 0 ? (
        <p className="muted">No exit criteria: the wave can close at any time.</p>
      ) : (
        <ul className="criteria">
          {exit.checks.map((c) => (
            <li key={c.id} className={`criteria__item criteria__item--${c.met ? "met" : "unmet"}`}>
              <span className="criteria__state">
                <span aria-hidden="true">{c.met ? "✓" : "✕"}</span> {c.met ? "Met" : "Not met"}
              </span>
              <div className="criteria__body">
                <strong>{c.label}</strong>
                <p className="muted">{c.detail}</p>
              </div>
              {canWrite && !frozen ? (
                <Form method="post" className="row-tools">
                  <input type="hidden" name="exitCriterionId" value={c.id} />
                  {c.kind === "manual" ? (
                    <SubmitButton
                      name="intent"
                      value={c.met ? "untick-exit" : "tick-exit"}
                      className={c.met ? "button button--secondary button--small" : "button button--small"}
                    >
                      {c.met ? "Untick" : "Tick"}
                      <span className="visually-hidden"> “{c.label}”</span>
                    </SubmitButton>
                  ) : null}
                  <SubmitButton name="intent" value="remove-exit" className="link-button">
                    Remove<span className="visually-hidden"> exit criterion “{c.label}”</span>
                  </SubmitButton>
                </Form>
              ) : null}
            </li>
          ))}
        </ul>
      )}
      {canWrite && !frozen ? (
        <Form method="post" className="criteria__add">
          <h3>Add an exit criterion</h3>
          <input type="hidden" name="intent" value="add-exit" />
          <SelectField
            label="Checked by"
            name="kind"
            defaultValue={values.kind ?? "graduated_running"}
            error={errors.kind}
            options={WAVE_EXIT_KINDS.map((kind) => ({ value: kind, label: EXIT_KIND_LABELS[kind] }))}
          />
          <InputField label="Criterion" name="label" maxLength={200} defaultValue={values.label ?? ""} error={errors.label} />
          <InputField
            label="Threshold (%)"
            name="threshold"
            inputMode="numeric"
            maxLength={3}
            defaultValue={values.threshold ?? ""}
            error={errors.threshold}
            hint="For computed criteria: the share of the wave's teams needed, 1–100."
          />
          <SubmitButton className="button button--secondary">Add exit criterion</SubmitButton>
        </Form>
      ) : null}

      {entry ? (
        <>
          <h3>Entry criteria at the start</h3>
          <p className="muted">
            Recorded on {formatDate(entry.recordedOn)}:{" "}
            {entry.state === "ready" ? "ready" : entry.state === "at_risk" ? "at risk" : "blocked"}.
          </p>
          <ul>
            {entry.criteria.map((c) => (
              <li key={c.label}>
                {c.state === "met" ? "✓" : c.state === "unmet" ? "✕" : "–"} {c.label}
                {c.detail ? <span className="muted"> — {c.detail}</span> : null}
              </li>
            ))}
          </ul>
        </>
      ) : state === "planned" || state === "starting" ? null : (
        <p className="muted">The wave started before entry criteria were recorded at the start.</p>
      )}
    </section>
  );
}
