import { Link } from "@remix-run/react";
import type { HeatMapCell } from "~/models/plan/risks.server";
import { IMPACT_LABELS, LIKELIHOOD_LABELS } from "~/validation/plan-details";

/** Score bands: low (1–4), medium (5–9), high (10–14), critical (15–25). */
export function scoreBand(score: number): "low" | "medium" | "high" | "critical" {
  if (score >= 15) return "critical";
  if (score >= 10) return "high";
  if (score >= 5) return "medium";
  return "low";
}

/**
 * The 5×5 heat map of active risks: likelihood from 5 (top) to 1, impact from 1 (left) to 5.
 * Each cell shows its count and links to the list filtered to that cell; the band is written in
 * the cell too, so it reads without colour.
 */
export function RiskHeatMap({ cells, hrefFor }: { cells: HeatMapCell[]; hrefFor: (likelihood: number, impact: number) => string }) {
  const at = new Map(cells.map((c) => [`${c.likelihood}:${c.impact}`, c.count]));
  const total = cells.reduce((sum, c) => sum + c.count, 0);
  return (
    <div className="heat-map">
      <table className="heat-map__table">
        <caption>Active risks (not closed) by likelihood and impact: {total} in total. Select a number to list those risks.</caption>
        <thead>
          <tr>
            <td className="heat-map__corner">
              <span className="plan-sub">Likelihood ↓ / Impact →</span>
            </td>
            {IMPACT_LABELS.map((label, i) => (
              <th key={label} scope="col">
                {i + 1}
                <span className="plan-sub">{label}</span>
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {[5, 4, 3, 2, 1].map((likelihood) => (
            <tr key={likelihood}>
              <th scope="row">
                {likelihood}
                <span className="plan-sub">{LIKELIHOOD_LABELS[likelihood - 1]}</span>
              </th>
              {[1, 2, 3, 4, 5].map((impact) => {
                const count = at.get(`${likelihood}:${impact}`) ?? 0;
                const score = likelihood * impact;
                const band = scoreBand(score);
                return (
                  <td key={impact} className={`heat-map__cell heat-map__cell--${band}${count ? " heat-map__cell--filled" : ""}`}>
                    {count ? (
                      <Link
                        to={hrefFor(likelihood, impact)}
                        aria-label={`${count} risk${count === 1 ? "" : "s"} with likelihood ${likelihood} and impact ${impact} (score ${score}, ${band})`}
                      >
                        {count}
                      </Link>
                    ) : (
                      <span className="heat-map__zero" aria-label={`No risks with likelihood ${likelihood} and impact ${impact}`}>
                        0
                      </span>
                    )}
                    <span className="heat-map__band" aria-hidden="true">
                      {score} {band}
                    </span>
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
