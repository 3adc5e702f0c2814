import { Link, NavLink } from "@remix-run/react";
import type { EscalationStatus, LearningKind, Urgency } from "../../../db/schema";
import { ESCALATION_STATUS_LABELS, LEARNING_KIND_LABELS, MATURITY_LABELS, URGENCY_LABELS } from "~/validation/sessions";

// Small shared pieces of the coach's pages. States are written out in words; colour and the
// symbol only repeat them.

/**
 * The coach's pages used to repeat the program's sub-navigation under other names ("Sessions" /
 * "My sessions"); the program's navigation now names each page once, so this only offers the
 * action the pages share: logging a session.
 */
export function CoachingNav({ programId }: { programId: string; manage: boolean }) {
  return (
    <p className="coaching-nav">
      <NavLink to={`/programs/${programId}/sessions/new`} end>
        Log a session
      </NavLink>
    </p>
  );
}

/** What a coach account sees in a program where it has no coach row: a plain explanation, not an error. */
export function NotACoach({ programName, title }: { programName: string; title: string }) {
  return (
    <section className="card coaching-empty">
      <h1>{title}</h1>
      <p>
        <strong>You are not a coach in this program yet.</strong> When the Program Lead Office adds you to the coaches of {programName} and
        assigns you teams, your teams, sessions and questions appear here.
      </p>
      <p>
        Meanwhile, the <Link to="/learnings">community&apos;s learnings</Link> are open to you.
      </p>
    </section>
  );
}

export function MaturityText({ value }: { value: number | null }) {
  if (value === null) return <span className="muted">—</span>;
  return <span className="maturity">{MATURITY_LABELS[value] ?? value}</span>;
}

const URGENCY_SYMBOLS: Record<Urgency, string> = { low: "·", normal: "•", high: "!" };

export function UrgencyBadge({ urgency }: { urgency: Urgency }) {
  return (
    <span className={`urgency urgency--${urgency}`}>
      <span aria-hidden="true">{URGENCY_SYMBOLS[urgency]}</span> {URGENCY_LABELS[urgency]}
    </span>
  );
}

export function EscalationStatusBadge({ status }: { status: EscalationStatus }) {
  return <span className={`escalation-status escalation-status--${status}`}>{ESCALATION_STATUS_LABELS[status]}</span>;
}

export function LearningKindBadge({ kind }: { kind: LearningKind }) {
  return <span className={`learning-kind learning-kind--${kind}`}>{LEARNING_KIND_LABELS[kind]}</span>;
}

/** Tags as links to the library filtered by each tag. */
export function TagList({ tags, hrefFor }: { tags: readonly string[]; hrefFor: (tag: string) => string }) {
  if (tags.length === 0) return null;
  return (
    <ul className="tag-list" aria-label="Tags">
      {tags.map((tag) => (
        <li key={tag}>
          <Link className="tag" to={hrefFor(tag)}>
            #{tag}
          </Link>
        </li>
      ))}
    </ul>
  );
}

/** "3 days" / "today". */
export function ageText(days: number): string {
  if (days <= 0) return "today";
  return `${days} day${days === 1 ? "" : "s"}`;
}
