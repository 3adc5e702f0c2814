import type { ChartData } from "~/models/reports/figures.server";
import { formatDayShort } from "~/utils/dates";

// Server-rendered SVG charts of the status report. Readable in print and without colour:
// series differ by line style and markers and are labelled in words; bars carry their numbers
// and a hatch pattern for the part that is missing. Each chart has a text alternative.

const W = 560;
const H = 220;
const PAD = { left: 40, right: 110, top: 16, bottom: 36 };

function dayNumber(day: string): number {
  return Date.parse(`${day}T00:00:00Z`) / 86_400_000;
}

export function BurnUpChart({ data, today }: { data: ChartData["burnUp"]; today: string }) {
  const { actual, plan, total } = data;
  const title = "Teams onboarded against the plan";
  if (total === 0 || (actual.length === 0 && plan.length === 0)) {
    return (
      <figure className="chart">
        <figcaption>{title}</figcaption>
        <p className="muted">No team is planned in a dated wave or onboarded yet.</p>
      </figure>
    );
  }
  const days = [...actual.map((p) => p.day), ...plan.map((p) => p.day), today].sort();
  const x0 = dayNumber(days[0]);
  const x1 = Math.max(x0 + 1, dayNumber(days[days.length - 1]));
  const sx = (day: string) => PAD.left + ((dayNumber(day) - x0) / (x1 - x0)) * (W - PAD.left - PAD.right);
  const sy = (n: number) => H - PAD.bottom - (n / total) * (H - PAD.top - PAD.bottom);
  const step = (points: Array<{ day: string; teams: number }>, end: string) => {
    let d = `M ${sx(days[0])} ${sy(0)}`;
    let last = 0;
    for (const p of points) {
      d += ` L ${sx(p.day)} ${sy(last)} L ${sx(p.day)} ${sy(p.teams)}`;
      last = p.teams;
    }
    return `${d} L ${sx(end)} ${sy(last)}`;
  };
  const lastActual = actual.at(-1)?.teams ?? 0;
  const lastPlan = plan.at(-1)?.teams ?? 0;
  const description = `Burn-up: ${lastActual} of ${total} teams onboarded by ${formatDayShort(today)}; the plan has ${lastPlan} teams in dated waves.`;
  return (
    <figure className="chart">
      <figcaption>{title}</figcaption>
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={description} className="chart__svg">
        <title>{description}</title>
        <line x1={PAD.left} y1={sy(0)} x2={W - PAD.right} y2={sy(0)} className="chart__axis" />
        <line x1={PAD.left} y1={sy(0)} x2={PAD.left} y2={PAD.top} className="chart__axis" />
        <text x={PAD.left - 6} y={sy(0)} className="chart__tick" textAnchor="end" dominantBaseline="middle">
          0
        </text>
        <text x={PAD.left - 6} y={sy(total)} className="chart__tick" textAnchor="end" dominantBaseline="middle">
          {total}
        </text>
        <text x={PAD.left} y={H - 10} className="chart__tick">
          {formatDayShort(days[0])}
        </text>
        <text x={W - PAD.right} y={H - 10} className="chart__tick" textAnchor="end">
          {formatDayShort(days[days.length - 1])}
        </text>
        <line x1={sx(today)} y1={PAD.top} x2={sx(today)} y2={sy(0)} className="chart__today" />
        <text x={sx(today)} y={PAD.top - 4} className="chart__tick" textAnchor="middle">
          today
        </text>
        {plan.length > 0 ? <path d={step(plan, days[days.length - 1])} className="chart__line chart__line--plan" /> : null}
        {plan.length > 0 ? (
          <text x={W - PAD.right + 6} y={sy(lastPlan)} className="chart__label" dominantBaseline="middle">
            Plan {lastPlan}
          </text>
        ) : null}
        <path d={step(actual, today)} className="chart__line chart__line--actual" />
        {actual.map((p) => (
          <rect key={p.day} x={sx(p.day) - 2.5} y={sy(p.teams) - 2.5} width={5} height={5} className="chart__marker" />
        ))}
        <text
          x={W - PAD.right + 6}
          y={sy(lastActual) + (Math.abs(lastActual - lastPlan) < total / 12 ? 14 : 0)}
          className="chart__label"
          dominantBaseline="middle"
        >
          Onboarded {lastActual}
        </text>
      </svg>
      <p className="chart__legend">
        <span className="legend legend--plan">dashed line: plan (teams of each wave from its start)</span>{" "}
        <span className="legend legend--actual">solid line with squares: teams onboarded</span>
      </p>
    </figure>
  );
}

/** Horizontal bars, one per wave: the covered part solid, the uncovered part hatched, numbers written. */
export function CoverageChart({ bars }: { bars: ChartData["coverage"] }) {
  const title = "Coach coverage by wave";
  const rows = bars.filter((b) => b.teams > 0);
  if (rows.length === 0) {
    return (
      <figure className="chart">
        <figcaption>{title}</figcaption>
        <p className="muted">No team is placed in a wave yet.</p>
      </figure>
    );
  }
  const rowH = 26;
  const height = rows.length * rowH + 20;
  const max = Math.max(...rows.map((b) => b.teams));
  const left = 130;
  const width = W - left - 150;
  const description = rows.map((b) => `${b.wave}: ${b.withCoach} of ${b.teams} teams with a primary coach`).join("; ");
  return (
    <figure className="chart">
      <figcaption>{title}</figcaption>
      <svg viewBox={`0 0 ${W} ${height}`} role="img" aria-label={description} className="chart__svg">
        <title>{description}</title>
        <defs>
          <pattern id="hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
            <line x1="0" y1="0" x2="0" y2="6" className="chart__hatch" />
          </pattern>
        </defs>
        {rows.map((b, i) => {
          const y = 10 + i * rowH;
          const covered = (b.withCoach / max) * width;
          const all = (b.teams / max) * width;
          return (
            <g key={b.wave}>
              <text x={left - 8} y={y + 9} textAnchor="end" dominantBaseline="middle" className="chart__tick">
                {b.wave.length > 20 ? `${b.wave.slice(0, 19)}…` : b.wave}
              </text>
              <rect x={left} y={y} width={all} height={18} fill="url(#hatch)" className="chart__bar-missing" />
              <rect x={left} y={y} width={covered} height={18} className="chart__bar" />
              <text x={left + all + 6} y={y + 9} dominantBaseline="middle" className="chart__label">
                {b.withCoach}/{b.teams} coached
              </text>
            </g>
          );
        })}
      </svg>
      <p className="chart__legend">solid: teams with a primary coach · hatched: without one</p>
    </figure>
  );
}

export function HealthByWaveChart({ rows }: { rows: ChartData["healthByWave"] }) {
  const title = "OKR health by wave";
  if (rows.length === 0 || rows.every((r) => r.score === null)) {
    return (
      <figure className="chart">
        <figcaption>{title}</figcaption>
        <p className="muted">Not measured yet: team health comes with the OKR cycles.</p>
      </figure>
    );
  }
  const rowH = 26;
  const height = rows.length * rowH + 20;
  const left = 130;
  const width = W - left - 150;
  const description = rows.map((r) => `${r.wave}: ${r.score === null ? "not measured" : `health ${r.score} of 100`}`).join("; ");
  return (
    <figure className="chart">
      <figcaption>{title}</figcaption>
      <svg viewBox={`0 0 ${W} ${height}`} role="img" aria-label={description} className="chart__svg">
        <title>{description}</title>
        {rows.map((r, i) => {
          const y = 10 + i * rowH;
          return (
            <g key={r.wave}>
              <text x={left - 8} y={y + 9} textAnchor="end" dominantBaseline="middle" className="chart__tick">
                {r.wave.length > 20 ? `${r.wave.slice(0, 19)}…` : r.wave}
              </text>
              {r.score === null ? null : <rect x={left} y={y} width={(r.score / 100) * width} height={18} className="chart__bar" />}
              <text
                x={left + (r.score === null ? 0 : (r.score / 100) * width) + 6}
                y={y + 9}
                dominantBaseline="middle"
                className="chart__label"
              >
                {r.score === null ? "not measured" : `${r.score}/100`}
              </text>
            </g>
          );
        })}
      </svg>
    </figure>
  );
}

/**
 * A score (0–100) per OKR cycle, oldest first: one line with a marker and the number at each
 * cycle, dotted lines at the band limits. Cycles without a score leave a gap and say so.
 */
export function HealthTrendChart({
  points,
  title = "Process health by cycle",
  limits,
}: {
  points: Array<{ name: string; score: number | null }>;
  title?: string;
  /** Band limits drawn as dotted lines, e.g. [{ score: 75, label: "healthy" }]. */
  limits: Array<{ score: number; label: string }>;
}) {
  if (points.length === 0 || points.every((p) => p.score === null)) {
    return (
      <figure className="chart">
        <figcaption>{title}</figcaption>
        <p className="muted">No cycle has a score yet.</p>
      </figure>
    );
  }
  const left = PAD.left;
  const right = W - 90;
  const sx = (i: number) => (points.length === 1 ? (left + right) / 2 : left + (i / (points.length - 1)) * (right - left));
  const sy = (score: number) => H - PAD.bottom - (score / 100) * (H - PAD.top - PAD.bottom);
  const segments: string[] = [];
  let current = "";
  points.forEach((p, i) => {
    if (p.score === null) {
      if (current) segments.push(current);
      current = "";
      return;
    }
    current += `${current ? " L" : "M"} ${sx(i)} ${sy(p.score)}`;
  });
  if (current) segments.push(current);
  const description = `${title}: ${points.map((p) => `${p.name} ${p.score === null ? "not measured" : p.score}`).join(", ")}.`;
  return (
    <figure className="chart">
      <figcaption>{title}</figcaption>
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={description} className="chart__svg">
        <title>{description}</title>
        <line x1={left} y1={sy(0)} x2={right} y2={sy(0)} className="chart__axis" />
        <line x1={left} y1={sy(0)} x2={left} y2={sy(100)} className="chart__axis" />
        {[0, 100].map((v) => (
          <text key={v} x={left - 6} y={sy(v)} className="chart__tick" textAnchor="end" dominantBaseline="middle">
            {v}
          </text>
        ))}
        {limits.map((l) => (
          <g key={l.label}>
            <line x1={left} y1={sy(l.score)} x2={right} y2={sy(l.score)} className="chart__today" />
            <text x={right + 6} y={sy(l.score)} className="chart__tick" dominantBaseline="middle">
              {l.score} {l.label}
            </text>
          </g>
        ))}
        {segments.map((d) => (
          <path key={d} d={d} className="chart__line chart__line--actual" />
        ))}
        {points.map((p, i) => (
          <g key={`${p.name}-${i}`}>
            {p.score === null ? null : (
              <>
                <rect x={sx(i) - 3} y={sy(p.score) - 3} width={6} height={6} className="chart__marker" />
                <text x={sx(i)} y={sy(p.score) - 9} className="chart__label" textAnchor="middle">
                  {p.score}
                </text>
              </>
            )}
            <text x={sx(i)} y={H - 12} className="chart__tick" textAnchor="middle">
              {p.name.length > 12 ? `${p.name.slice(0, 11)}…` : p.name}
              {p.score === null ? " (—)" : ""}
            </text>
          </g>
        ))}
      </svg>
      <p className="chart__legend">solid line with squares: average health score of the teams · dotted lines: band limits</p>
    </figure>
  );
}
