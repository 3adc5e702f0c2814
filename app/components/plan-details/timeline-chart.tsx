import { useId, type ReactNode } from "react";
import type { MilestoneMark, TimelineLayout, WaveBar } from "~/models/plan/timeline";
import { formatMonth } from "~/models/plan/timeline";

// Draws a layout computed by ~/models/timeline (no arithmetic beyond rounding here). Black and
// white safe: waves differ by hatching, milestone states by shape and by the words in their
// labels, today's line is dashed and labelled. Colour only adds emphasis.

const INK = "#1b2330";
const MUTED = "#55606e";
const LATE = "#b42318";
const r = (value: number) => Math.round(value * 100) / 100;
/** A white outline behind a label's letters, so a line passing under it does not cross the text. */
const HALO = { stroke: "#fff", strokeWidth: 4, paintOrder: "stroke", strokeLinejoin: "round" } as const;

function Patterns({ prefix }: { prefix: string }) {
  return (
    <defs>
      <pattern id={`${prefix}-p0`} patternUnits="userSpaceOnUse" width="6" height="6" patternTransform="rotate(45)">
        <rect width="6" height="6" fill="#dbe6f1" />
        <line x1="0" y1="0" x2="0" y2="6" stroke={INK} strokeWidth="1.6" />
      </pattern>
      <pattern id={`${prefix}-p1`} patternUnits="userSpaceOnUse" width="6" height="6">
        <rect width="6" height="6" fill="#e6f1ea" />
        <circle cx="3" cy="3" r="1.3" fill={INK} />
      </pattern>
      <pattern id={`${prefix}-p2`} patternUnits="userSpaceOnUse" width="6" height="6" patternTransform="rotate(-45)">
        <rect width="6" height="6" fill="#f6ead9" />
        <line x1="0" y1="0" x2="0" y2="6" stroke={INK} strokeWidth="1" />
        <line x1="3" y1="0" x2="3" y2="6" stroke={INK} strokeWidth="1" />
      </pattern>
    </defs>
  );
}

/** A milestone's diamond: hollow (planned), half filled (in progress), filled (done), bold with "!" (late). */
export function Diamond({ x, y, size, state }: Pick<MilestoneMark, "x" | "y" | "size" | "state">) {
  const d = `M ${r(x)} ${r(y - size)} L ${r(x + size)} ${r(y)} L ${r(x)} ${r(y + size)} L ${r(x - size)} ${r(y)} Z`;
  switch (state) {
    case "done":
      return <path d={d} fill={INK} stroke={INK} strokeWidth="1.5" />;
    case "in_progress":
      return (
        <g>
          <path d={`M ${r(x)} ${r(y - size)} L ${r(x)} ${r(y + size)} L ${r(x - size)} ${r(y)} Z`} fill={INK} />
          <path d={d} fill="none" stroke={INK} strokeWidth="1.5" />
        </g>
      );
    case "late":
      return (
        <g>
          <path d={d} fill="#fff" stroke={LATE} strokeWidth="3" />
          <text x={r(x)} y={r(y + 3.5)} textAnchor="middle" fontSize="10" fontWeight="700" fill={LATE}>
            !
          </text>
        </g>
      );
    default:
      return <path d={d} fill="#fff" stroke={INK} strokeWidth="1.5" />;
  }
}

function WaveShape({ wave, prefix }: { wave: WaveBar; prefix: string }) {
  const { bar, label } = wave;
  return (
    <g className="timeline__wave">
      <text x={r(label.x)} y={r(label.y)} textAnchor={label.anchor} fontSize="12" fontWeight="600" fill={bar ? INK : MUTED} {...HALO}>
        {label.text}
      </text>
      {bar ? (
        <>
          <rect
            x={r(bar.x)}
            y={r(bar.y)}
            width={r(bar.width)}
            height={bar.height}
            fill={`url(#${prefix}-p${wave.pattern})`}
            stroke={INK}
            strokeWidth="1"
            rx="2"
          />
          {wave.clipped.start ? (
            <path
              d={`M ${r(bar.x + 8)} ${r(bar.y + 2)} L ${r(bar.x + 2)} ${r(bar.y + bar.height / 2)} L ${r(bar.x + 8)} ${r(bar.y + bar.height - 2)}`}
              fill="none"
              stroke="#fff"
              strokeWidth="3"
            />
          ) : null}
          {wave.clipped.end ? (
            <path
              d={`M ${r(bar.x + bar.width - 8)} ${r(bar.y + 2)} L ${r(bar.x + bar.width - 2)} ${r(bar.y + bar.height / 2)} L ${r(bar.x + bar.width - 8)} ${r(bar.y + bar.height - 2)}`}
              fill="none"
              stroke="#fff"
              strokeWidth="3"
            />
          ) : null}
        </>
      ) : null}
    </g>
  );
}

function Legend({ layout, prefix }: { layout: TimelineLayout; prefix: string }) {
  const y = layout.legendY + 14;
  let x = layout.plot.left;
  const items: Array<{ width: number; node: (x: number) => ReactNode }> = [
    {
      width: 70,
      node: (at) => (
        <>
          <rect x={at} y={y - 8} width="22" height="12" fill={`url(#${prefix}-p0)`} stroke={INK} />
          <text x={at + 28} y={y + 2} fontSize="11">
            Wave
          </text>
        </>
      ),
    },
    ...(["planned", "in_progress", "done", "late"] as const).map((state) => {
      const label = {
        planned: "Milestone, planned",
        in_progress: "Milestone, in progress",
        done: "Milestone, done",
        late: "Milestone, LATE (not done, past due)",
      }[state];
      return {
        // Room for the diamond and the label (about 6.6 units a character at this size).
        width: 22 + Math.ceil(label.length * 6.6),
        node: (at: number) => (
          <>
            <Diamond x={at + 7} y={y - 2} size={7} state={state} />
            <text x={at + 20} y={y + 2} fontSize="11">
              {label}
            </text>
          </>
        ),
      };
    }),
    {
      width: 80,
      node: (at) => (
        <>
          <line x1={at} y1={y - 2} x2={at + 22} y2={y - 2} stroke={LATE} strokeWidth="2" strokeDasharray="5 3" />
          <text x={at + 28} y={y + 2} fontSize="11">
            Today
          </text>
        </>
      ),
    },
  ];
  return (
    <g className="timeline__legend" aria-hidden="true">
      <text x={x} y={y - 16} fontSize="11" fontWeight="700">
        Legend
      </text>
      {items.map((item, i) => {
        const at = x;
        x += item.width + 16;
        return <g key={i}>{item.node(at)}</g>;
      })}
    </g>
  );
}

export function TimelineChart({ layout, title, description }: { layout: TimelineLayout; title: string; description: string }) {
  const prefix = `tl${useId().replace(/[^a-zA-Z0-9]/g, "")}`;
  const { plot } = layout;
  return (
    <svg
      className="timeline__svg"
      role="img"
      aria-labelledby={`${prefix}-title ${prefix}-desc`}
      viewBox={`0 0 ${layout.width} ${r(layout.height)}`}
      width="100%"
      xmlns="http://www.w3.org/2000/svg"
      fontFamily="system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif"
    >
      <title id={`${prefix}-title`}>{title}</title>
      <desc id={`${prefix}-desc`}>{description}</desc>
      <Patterns prefix={prefix} />
      <rect x="0" y="0" width={layout.width} height={r(layout.height)} fill="#fff" />
      <g className="timeline__months">
        {layout.months.map((m, i) => (
          <g key={m.key}>
            <rect
              x={r(m.x)}
              y={plot.top - 18}
              width={r(m.width)}
              height={r(plot.bottom - plot.top + 18)}
              fill={i % 2 === 0 ? "#f3f5f8" : "#fff"}
            />
            <line
              x1={r(m.x)}
              y1={m.month === 1 ? 2 : plot.top - 18}
              x2={r(m.x)}
              y2={plot.bottom}
              stroke={m.month === 1 ? INK : "#c3c9d1"}
              strokeWidth={m.month === 1 ? 1.2 : 0.6}
            />
            {m.yearLabel ? (
              <text x={r(m.x + 3)} y="13" fontSize="11" fontWeight="700">
                {m.yearLabel}
              </text>
            ) : null}
            {m.label ? (
              <text x={r(m.x + m.width / 2)} y={plot.top - 5} fontSize="11" textAnchor="middle">
                <title>{formatMonth(m.key)}</title>
                {m.label}
              </text>
            ) : null}
          </g>
        ))}
        {layout.months.length ? (
          <line x1={plot.right} y1={plot.top - 18} x2={plot.right} y2={plot.bottom} stroke="#c3c9d1" strokeWidth="0.6" />
        ) : null}
        <line x1={plot.left} y1={plot.top} x2={plot.right} y2={plot.top} stroke={INK} strokeWidth="0.8" />
      </g>
      {layout.today ? (
        // Under the waves and milestones: the labels (with a white halo) stay readable where it passes.
        <line
          className="timeline__today"
          x1={r(layout.today.x)}
          y1={layout.today.y1}
          x2={r(layout.today.x)}
          y2={r(layout.today.y2)}
          stroke={LATE}
          strokeWidth="2"
          strokeDasharray="5 3"
        />
      ) : null}
      <text x={plot.left} y={layout.wavesTitleY} fontSize="11" fontWeight="700" fill={MUTED}>
        WAVES
      </text>
      {layout.waves.length === 0 ? (
        <text x={plot.left} y={layout.wavesTitleY + 24} fontSize="12" fill={MUTED}>
          No waves yet.
        </text>
      ) : null}
      {layout.waves.map((w) => (
        <WaveShape key={w.id} wave={w} prefix={prefix} />
      ))}
      <text x={plot.left} y={layout.milestonesTitleY} fontSize="11" fontWeight="700" fill={MUTED}>
        MILESTONES
      </text>
      {layout.milestones.length === 0 ? (
        <text x={plot.left + 90} y={layout.milestonesTitleY} fontSize="12" fill={MUTED}>
          No milestones on these months.
        </text>
      ) : null}
      {layout.milestones.map((m) => (
        <g key={m.id} className={`timeline__milestone timeline__milestone--${m.state}`}>
          <Diamond x={m.x} y={m.y} size={m.size} state={m.state} />
          <text
            x={r(m.label.x)}
            y={r(m.label.y)}
            textAnchor={m.label.anchor}
            fontSize="11"
            fontWeight={m.state === "late" ? 700 : 400}
            fill={m.state === "late" ? LATE : INK}
            {...HALO}
          >
            {m.label.text}
          </text>
        </g>
      ))}
      {layout.today ? (
        <text x={r(layout.today.x)} y={r(layout.today.labelY)} textAnchor="middle" fontSize="12" fontWeight="700" fill={LATE} {...HALO}>
          Today
        </text>
      ) : null}
      <Legend layout={layout} prefix={prefix} />
    </svg>
  );
}
