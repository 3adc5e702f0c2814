import { Link } from "@remix-run/react";
import { useDelegatedNavigation } from "~/utils/delegated-navigation";
import type { StakeholderRow } from "~/models/plan/stakeholders.server";
import { ATTITUDE_LABELS, QUADRANTS } from "~/validation/plan-details";

/**
 * The influence × interest grid: high influence on top, high interest on the right. Each
 * quadrant names its people, with their attitude and an overdue-contact mark in words.
 */
export function StakeholderGrid({ programId, stakeholders }: { programId: string; stakeholders: StakeholderRow[] }) {
  // People link with plain <a> elements (one a stakeholder); this makes them navigate like router links.
  const onClick = useDelegatedNavigation();
  return (
    <section className="stakeholder-grid" aria-labelledby="stakeholder-grid-title" onClick={onClick}>
      <h2 id="stakeholder-grid-title">Influence and interest</h2>
      <div className="stakeholder-grid__frame">
        <p className="stakeholder-grid__axis stakeholder-grid__axis--y" aria-hidden="true">
          Influence ↑
        </p>
        <div className="stakeholder-grid__cells">
          {QUADRANTS.map((q) => {
            const people = stakeholders.filter((s) => s.quadrant === q.id);
            return (
              <section key={q.id} className={`stakeholder-grid__cell stakeholder-grid__cell--${q.id}`} aria-labelledby={`quadrant-${q.id}`}>
                <h3 id={`quadrant-${q.id}`}>
                  <Link to={`?quadrant=${q.id}`}>{q.label}</Link> <span className="muted">({people.length})</span>
                </h3>
                <p className="plan-sub">
                  Influence {q.influence}, interest {q.interest}. {q.advice}
                </p>
                {people.length ? (
                  <ul>
                    {people.map((s) => (
                      <li key={s.id}>
                        <a href={`/programs/${programId}/stakeholders/${s.id}`}>{s.name}</a>
                        {s.attitude ? ` · ${ATTITUDE_LABELS[s.attitude]}` : null}
                        {s.overdue ? (
                          <strong className="plan-flag"> · {s.lastContactOn ? "contact overdue" : "never contacted"}</strong>
                        ) : null}
                      </li>
                    ))}
                  </ul>
                ) : (
                  <p className="muted">Nobody.</p>
                )}
              </section>
            );
          })}
        </div>
        <p className="stakeholder-grid__axis stakeholder-grid__axis--x" aria-hidden="true">
          Interest →
        </p>
      </div>
    </section>
  );
}
