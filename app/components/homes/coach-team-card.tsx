import { Form, Link, useNavigation } from "@remix-run/react";
import { useEffect, useRef } from "react";
import { StatusBadge } from "~/components/plan/readiness";
import type { OnboardingStatus, SessionType } from "../../../db/schema";
import { SESSION_TYPES } from "../../../db/schema";
import { formatDate } from "~/utils/dates";
import type { FieldErrors } from "~/utils/forms";
import { SESSION_TYPE_LABELS } from "~/validation/sessions";

// A coach's home shows each of their teams as a card with a one-step "Log session" form,
// pre-filled (the type the team's next step asks for, a usual duration, the team's size): one
// click logs today's session. A plain form: the action redirects back to the home with
// `?logged=<id>`, which shows the "Undo" confirmation, with or without JavaScript.

export interface CoachTeamCardData {
  teamId: string;
  teamName: string;
  unitName: string | null;
  kind: string;
  waveName: string | null;
  status: OnboardingStatus;
  lastSessionOn: string | null;
  sessionCount: number;
  steps: ReadonlyArray<{ code: string; text: string; attention: boolean }>;
  suggestedType: SessionType;
  attendees: string;
}

interface CardProps {
  team: CoachTeamCardData;
  base: string;
  /** Logging is offered (the viewer's own home, or the PLO's). */
  canLog: boolean;
  defaultMinutes: number;
  today: string;
  /** A failed quick log for this team: errors beside the fields and the values typed. */
  failure?: { errors: FieldErrors; values: Record<string, string> } | null;
  /** Only on a PLO's view of a coach's home: the coach the session is logged for. */
  coachId?: string;
  /** Next steps from other areas (the cycle checklist, training gaps), each linking to its page. */
  extraSteps?: ReadonlyArray<{ text: string; to: string; attention: boolean }>;
}

export function CoachTeamCard({ team, base, canLog, defaultMinutes, today, failure, coachId, extraSteps = [] }: CardProps) {
  const navigation = useNavigation();
  const busy = navigation.state === "submitting" && navigation.formData?.get("teamId") === team.teamId;
  const values = failure?.values ?? {};
  const errors = failure?.errors ?? {};
  const id = `team-${team.teamId}`;
  const err = (name: string) => (errors[name] ? `${id}-${name}-error` : undefined);
  return (
    <li className="coach-team card" aria-labelledby={`${id}-name`}>
      <div className="coach-team__head">
        <h3 id={`${id}-name`} className="coach-team__name">
          <Link to={`${base}/sessions?team=${team.teamId}`}>{team.teamName}</Link>
        </h3>
        <StatusBadge status={team.status} />
      </div>
      <p className="coach-team__meta muted">
        {[team.unitName, team.waveName ?? "No wave", team.kind === "secondary" ? "secondary coach" : "primary coach"]
          .filter(Boolean)
          .join(" · ")}
        {" · "}
        {team.lastSessionOn ? `last session ${formatDate(team.lastSessionOn)} (${team.sessionCount} in all)` : "no session yet"}
      </p>
      <ul className="next-steps" aria-label={`What ${team.teamName} needs next`}>
        {team.steps.map((step) => (
          <li key={step.code} className={step.attention ? "next-step next-step--attention" : "next-step"}>
            {step.attention ? <span aria-hidden="true">→ </span> : <span aria-hidden="true">✓ </span>}
            {step.text}
          </li>
        ))}
        {extraSteps.map((step) => (
          <li key={step.text} className={step.attention ? "next-step next-step--attention" : "next-step"}>
            <span aria-hidden="true">{step.attention ? "→ " : "✓ "}</span>
            <Link to={step.to}>{step.text}</Link>
          </li>
        ))}
      </ul>
      {canLog ? (
        <Form method="post" preventScrollReset className="quick-log" aria-label={`Log a session with ${team.teamName}`}>
          <input type="hidden" name="intent" value="log" />
          <input type="hidden" name="teamId" value={team.teamId} />
          <input type="hidden" name="heldOn" value={today} />
          {coachId ? <input type="hidden" name="coachId" value={coachId} /> : null}
          {errors._form || errors.teamId || errors.heldOn ? (
            <p className="field__error quick-log__error" role="alert">
              {errors._form ?? errors.teamId ?? errors.heldOn}
            </p>
          ) : null}
          <div className="quick-log__fields">
            <div className={errors.type ? "field field--invalid" : "field"}>
              <label htmlFor={`${id}-type`}>Type</label>
              <select
                id={`${id}-type`}
                name="type"
                required
                defaultValue={values.type ?? team.suggestedType}
                aria-invalid={errors.type ? true : undefined}
                aria-describedby={err("type")}
              >
                {SESSION_TYPES.map((t) => (
                  <option key={t} value={t}>
                    {SESSION_TYPE_LABELS[t]}
                  </option>
                ))}
              </select>
              {errors.type ? (
                <p className="field__error" id={err("type")} role="alert">
                  {errors.type}
                </p>
              ) : null}
            </div>
            <div className={errors.durationMinutes ? "field field--invalid" : "field"}>
              <label htmlFor={`${id}-minutes`}>Minutes</label>
              <input
                id={`${id}-minutes`}
                name="durationMinutes"
                type="number"
                inputMode="numeric"
                min={5}
                max={600}
                step={5}
                required
                defaultValue={values.durationMinutes ?? String(defaultMinutes)}
                aria-invalid={errors.durationMinutes ? true : undefined}
                aria-describedby={err("durationMinutes")}
              />
              {errors.durationMinutes ? (
                <p className="field__error" id={err("durationMinutes")} role="alert">
                  {errors.durationMinutes}
                </p>
              ) : null}
            </div>
            <div className={errors.attendees ? "field field--invalid" : "field"}>
              <label htmlFor={`${id}-attendees`}>Attendees</label>
              <input
                id={`${id}-attendees`}
                name="attendees"
                type="number"
                inputMode="numeric"
                min={1}
                max={500}
                required
                defaultValue={values.attendees ?? team.attendees}
                aria-invalid={errors.attendees ? true : undefined}
                aria-describedby={err("attendees")}
              />
              {errors.attendees ? (
                <p className="field__error" id={err("attendees")} role="alert">
                  {errors.attendees}
                </p>
              ) : null}
            </div>
            <button type="submit" className="button quick-log__submit" aria-disabled={busy || undefined}>
              {busy ? "Logging…" : "Log session"}
              <span className="visually-hidden"> with {team.teamName}</span>
            </button>
          </div>
          <p className="quick-log__more">
            <Link to={`${base}/sessions/new?team=${team.teamId}${coachId ? `&coach=${coachId}` : ""}`}>
              With notes or another date<span className="visually-hidden"> ({team.teamName})</span>
            </Link>
            {" · "}
            <Link to={`${base}/escalations/new?team=${team.teamId}`}>
              Ask the PLO<span className="visually-hidden"> about {team.teamName}</span>
            </Link>
          </p>
        </Form>
      ) : null}
    </li>
  );
}

export interface JustLogged {
  id: string;
  teamName: string;
  typeLabel: string;
}

/**
 * The confirmation after a quick log: a toast-like status with "Undo" (a plain form, so it works
 * without JavaScript). The Undo button takes the focus once JavaScript runs, so a keyboard user
 * can take the session back with one key.
 */
export function LoggedToast({ logged, base }: { logged: JustLogged | null; base: string }) {
  const undoRef = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (logged) undoRef.current?.focus({ preventScroll: true });
  }, [logged]);
  return (
    <div className="homes-toast-region" role="status" aria-live="polite">
      {logged ? (
        <div className="homes-toast">
          <span>
            <span aria-hidden="true">✓ </span>
            {`${logged.typeLabel} session logged for ${logged.teamName}.`}
          </span>
          <Form method="post" preventScrollReset className="homes-toast__undo">
            <input type="hidden" name="intent" value="undo" />
            <input type="hidden" name="sessionId" value={logged.id} />
            <button ref={undoRef} type="submit" className="button button--secondary button--small">
              Undo
            </button>
          </Form>
          <Link to={`${base}/sessions/${logged.id}`}>Add notes</Link>
        </div>
      ) : null}
    </div>
  );
}
