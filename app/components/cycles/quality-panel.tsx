import type { QualityResult } from "~/models/cycles/quality";

/** The drafting quality checks of a team's set, with its 0–100 score. */
export function QualityPanel({ quality }: { quality: QualityResult }) {
  const tone = quality.passed ? "pill pill--ok" : quality.score >= 50 ? "pill pill--warning" : "pill pill--error";
  return (
    <section className="card quality-panel" aria-labelledby="quality-title">
      <h2 id="quality-title">
        Quality checks{" "}
        <span className={tone} data-testid="quality-score">
          {quality.score}/100
        </span>
      </h2>
      <p className="muted">{quality.passed ? "The set passes the drafting checks." : "Not yet passing: see what to improve below."}</p>
      <ul className="quality-list">
        {quality.checks.map((check) => (
          <li
            key={check.id}
            className={check.ok ? "quality-list__ok" : check.hint ? "quality-list__hint" : "quality-list__fail"}
            data-check={check.id}
          >
            <span aria-hidden="true">{check.ok ? "✓" : check.hint ? "!" : "✗"}</span> {check.label}
            <span className="visually-hidden">{check.ok ? " (passes)" : check.hint ? " (hint)" : " (fails)"}</span>
            {check.problems.length ? (
              <ul>
                {check.problems.map((p) => (
                  <li key={p}>{p}</li>
                ))}
              </ul>
            ) : null}
          </li>
        ))}
      </ul>
    </section>
  );
}
