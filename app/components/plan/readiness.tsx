import type { OnboardingStatus } from "../../../db/schema";
import { ONBOARDING_STATUS_LABELS, READINESS_LABELS, type ReadinessState } from "~/validation/plan";

// Small pieces of the rollout plan's pages: readiness and onboarding-status badges. Text carries
// the meaning (a symbol and a word); colour only repeats it.

const SYMBOLS: Record<ReadinessState, string> = { ready: "✓", at_risk: "!", blocked: "✕" };

export function ReadinessBadge({ state }: { state: ReadinessState }) {
  return (
    <span className={`readiness readiness--${state}`}>
      <span aria-hidden="true">{SYMBOLS[state]}</span> {READINESS_LABELS[state]}
    </span>
  );
}

/** The badge and why, as a list (nothing more when the wave is ready). */
export function Readiness({ state, reasons }: { state: ReadinessState; reasons: string[] }) {
  return (
    <div className="readiness-block">
      <ReadinessBadge state={state} />
      {reasons.length > 0 ? (
        <ul className="readiness__reasons">
          {reasons.map((reason) => (
            <li key={reason}>{reason}</li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

export function StatusBadge({ status }: { status: OnboardingStatus }) {
  return <span className={`onboarding onboarding--${status}`}>{ONBOARDING_STATUS_LABELS[status]}</span>;
}
