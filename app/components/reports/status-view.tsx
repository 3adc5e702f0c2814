import type { ReactNode } from "react";
import type { JudgedDimension, OverallStatus } from "~/models/reports/dimensions";
import type { Trends } from "~/models/reports/snapshot";
import { StatusBadge } from "./status-badge";

export function TrendMark({ delta }: { delta: number | null | undefined }) {
  if (delta === undefined || delta === null) return null;
  if (delta === 0) return <span className="trend trend--same">(no change)</span>;
  const shown = Math.round(delta * 10) / 10;
  return (
    <span className={`trend trend--${delta > 0 ? "up" : "down"}`}>
      ({delta > 0 ? "▲ +" : "▼ "}
      {shown.toLocaleString("en")} since the last report)
    </span>
  );
}

function formatFigure(value: number | string | null): string {
  if (value === null) return "—";
  return typeof value === "number" ? value.toLocaleString("en") : value;
}

export function OverallBanner({ overall, children }: { overall: OverallStatus; children?: ReactNode }) {
  return (
    <div className={`overall overall--${overall.colour}`}>
      <p className="overall__label">Overall status</p>
      <p className="overall__colour">
        <StatusBadge colour={overall.colour} />
      </p>
      <p className="overall__reason">{overall.reason}</p>
      {children}
    </div>
  );
}

/** The dimensions, each with its colour, reason, override (beside the computed colour) and figures with trends. */
export function DimensionTable({
  dimensions,
  trends,
  actions,
}: {
  dimensions: JudgedDimension[];
  trends?: Trends | null;
  actions?: (dimension: JudgedDimension) => ReactNode;
}) {
  return (
    <table className="dimensions">
      <caption className="visually-hidden">Status by dimension, with the reason and the figures behind each colour</caption>
      <thead>
        <tr>
          <th scope="col">Dimension</th>
          <th scope="col">Status</th>
          <th scope="col">Why</th>
          <th scope="col">Figures</th>
        </tr>
      </thead>
      <tbody>
        {dimensions.map((d) => (
          <tr key={d.key} id={`dimension-${d.key}`} data-dimension={d.key}>
            <th scope="row">{d.label}</th>
            <td>
              <StatusBadge colour={d.colour} />
              {d.override ? (
                <p className="override-note">
                  Set by {d.override.by || "the PLO"} ({d.override.at}); computed: <StatusBadge colour={d.computed.colour} />
                </p>
              ) : null}
            </td>
            <td>
              {d.override ? (
                <>
                  <p>
                    <strong>Override:</strong> {d.override.reason}
                  </p>
                  <p className="muted">Rule: {d.computed.reason}</p>
                </>
              ) : (
                <p>{d.computed.reason}</p>
              )}
              <details className="rule no-print">
                <summary>How this colour is set</summary>
                <p>{d.rule}</p>
              </details>
              {actions ? actions(d) : null}
            </td>
            <td>
              {Object.keys(d.computed.figures).length === 0 ? (
                <span className="muted">—</span>
              ) : (
                <ul className="figures">
                  {Object.entries(d.computed.figures).map(([key, value]) => (
                    <li key={key}>
                      <span className="figures__label">{d.figureLabels[key] ?? key}:</span> <strong>{formatFigure(value)}</strong>{" "}
                      <TrendMark delta={trends?.[d.key]?.[key]} />
                    </li>
                  ))}
                </ul>
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
