import { ONBOARDING_STATUSES, type OnboardingStatus } from "../../../db/schema";
import { ONBOARDING_STATUS_LABELS } from "~/validation/plan";

// Rollout progress as a chart: one stacked bar per wave, split by onboarding status. Drawn on
// the server as SVG so it prints and needs no script. Readable without colour: each status has
// its own fill pattern (empty, hatched, dotted, cross-hatched, solid), the legend names them in
// words, every segment wide enough carries its number, and the figure has a text alternative.

export interface WaveStatusRow {
  key: string;
  label: string;
  counts: Partial<Record<OnboardingStatus, number>>;
}

const W = 620;
const LABEL_W = 190;
const TOTAL_W = 48;
const BAR_H = 22;
const GAP = 10;
const TOP = 4;

/** The pattern of each status: its id suffix and how it is drawn. */
const FILLS: Record<OnboardingStatus, string> = {
  not_started: "var(--card, #fff)",
  onboarding: "url(#wsc-hatch)",
  first_cycle: "url(#wsc-dots)",
  running: "url(#wsc-cross)",
  self_sufficient: "var(--brand, #1f5f8b)",
};

function Patterns() {
  return (
    <defs>
      <pattern id="wsc-hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
        <rect width="6" height="6" className="wsc__ground" />
        <line x1="0" y1="0" x2="0" y2="6" className="wsc__ink" strokeWidth="2" />
      </pattern>
      <pattern id="wsc-dots" width="5" height="5" patternUnits="userSpaceOnUse">
        <rect width="5" height="5" className="wsc__ground" />
        <circle cx="2.5" cy="2.5" r="1.2" className="wsc__dot" />
      </pattern>
      <pattern id="wsc-cross" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
        <rect width="6" height="6" className="wsc__ground wsc__ground--tint" />
        <line x1="0" y1="0" x2="0" y2="6" className="wsc__ink" strokeWidth="1.5" />
        <line x1="0" y1="0" x2="6" y2="0" className="wsc__ink" strokeWidth="1.5" />
      </pattern>
    </defs>
  );
}

function Swatch({ status }: { status: OnboardingStatus }) {
  return (
    <svg width="18" height="12" aria-hidden="true" focusable="false" className="wsc__swatch">
      <rect x="0.5" y="0.5" width="17" height="11" fill={FILLS[status]} className="wsc__segment" />
    </svg>
  );
}

/** A stacked bar per wave; bars share one scale, so wave sizes compare at a glance. */
export function WaveStatusChart({ rows }: { rows: WaveStatusRow[] }) {
  const shown = rows.filter((row) => ONBOARDING_STATUSES.some((s) => (row.counts[s] ?? 0) > 0));
  if (shown.length === 0) return null;
  const totals = shown.map((row) => ONBOARDING_STATUSES.reduce((sum, s) => sum + (row.counts[s] ?? 0), 0));
  const max = Math.max(...totals);
  const barWidth = W - LABEL_W - TOTAL_W;
  const height = TOP + shown.length * (BAR_H + GAP);
  const description = shown
    .map((row, i) => {
      const parts = ONBOARDING_STATUSES.filter((s) => (row.counts[s] ?? 0) > 0).map(
        (s) => `${row.counts[s]} ${ONBOARDING_STATUS_LABELS[s].toLowerCase()}`,
      );
      return `${row.label}: ${totals[i]} teams (${parts.join(", ")})`;
    })
    .join("; ");
  return (
    <figure className="chart wave-status-chart">
      <figcaption>Rollout progress by wave</figcaption>
      <svg
        viewBox={`0 0 ${W} ${height}`}
        role="img"
        aria-label={`Teams by wave and onboarding status. ${description}.`}
        className="chart__svg"
      >
        <title>{`Teams by wave and onboarding status. ${description}.`}</title>
        <Patterns />
        {shown.map((row, i) => {
          const y = TOP + i * (BAR_H + GAP);
          let x = LABEL_W;
          return (
            <g key={row.key} data-wave={row.key}>
              <text x={LABEL_W - 8} y={y + BAR_H / 2} className="chart__label" textAnchor="end" dominantBaseline="middle">
                {row.label.length > 26 ? `${row.label.slice(0, 25)}…` : row.label}
              </text>
              {ONBOARDING_STATUSES.map((status) => {
                const count = row.counts[status] ?? 0;
                if (count === 0) return null;
                const width = (count / max) * barWidth;
                const segment = (
                  <g key={status}>
                    <rect x={x} y={y} width={width} height={BAR_H} fill={FILLS[status]} className="wsc__segment">
                      <title>{`${row.label}: ${count} ${ONBOARDING_STATUS_LABELS[status].toLowerCase()}`}</title>
                    </rect>
                    {width >= 26 ? (
                      <text
                        x={x + width / 2}
                        y={y + BAR_H / 2}
                        textAnchor="middle"
                        dominantBaseline="middle"
                        className={status === "self_sufficient" ? "wsc__count wsc__count--on-dark" : "wsc__count"}
                      >
                        {count}
                      </text>
                    ) : null}
                  </g>
                );
                x += width;
                return segment;
              })}
              <text x={x + 6} y={y + BAR_H / 2} className="chart__tick" dominantBaseline="middle">
                {totals[i]}
              </text>
            </g>
          );
        })}
      </svg>
      <ul className="wsc__legend" aria-label="Legend">
        {ONBOARDING_STATUSES.map((status) => (
          <li key={status}>
            <Swatch status={status} /> {ONBOARDING_STATUS_LABELS[status]}
          </li>
        ))}
      </ul>
    </figure>
  );
}
