import { Link } from "@remix-run/react";
import { STATE_LABELS } from "~/validation/enablement";

/** The enablement section's links, each shown only to who may use it. */
export function EnablementNav({ programId, manage }: { programId: string; manage: boolean }) {
  const base = `/programs/${programId}/enablement`;
  const links: Array<[string, string]> = manage
    ? [
        ["", "Coverage"],
        ["/curriculum", "Curriculum"],
        ["/requirements", "Requirements"],
        ["/sessions", "Training sessions"],
        ["/records", "Completions and waivers"],
        ["/overdue", "Overdue"],
        ["/import", "Import"],
        ["/certification", "Certification"],
        ["/feedback", "Feedback"],
        ["/mine", "What I still need"],
      ]
    : [
        ["", "Coverage"],
        ["/sessions", "Sessions I train"],
        ["/mine", "What I still need"],
      ];
  return (
    <nav aria-label="Enablement">
      <ul className="enablement-nav">
        {links.map(([path, label]) => (
          <li key={path}>
            <Link to={`${base}${path}`}>{label}</Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}

export function StateBadge({ state }: { state: keyof typeof STATE_LABELS }) {
  return <span className={`state state--${state}`}>{STATE_LABELS[state]}</span>;
}

export function percent(part: number, total: number): string {
  return total === 0 ? "–" : `${Math.round((part * 100) / total)} %`;
}
