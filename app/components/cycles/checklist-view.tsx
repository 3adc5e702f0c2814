import { Link } from "@remix-run/react";
import { CHECKLIST_ITEMS, CHECKLIST_LABELS, type ChecklistItem } from "~/models/cycles/checklist-items";

// The per-team cycle checklist and its counts per wave (data from ~/models/cycles/checklist.server).
// States are written out ("done" / "not yet"); the marks only add emphasis.

export type ChecklistMarksData = Record<ChecklistItem, boolean> & { onCadenceShare: number | null; next: ChecklistItem | null };

export function ChecklistMarks({ checklist, label }: { checklist: ChecklistMarksData; label: string }) {
  return (
    <ul className="checklist" aria-label={label}>
      {CHECKLIST_ITEMS.map((item) => (
        <li key={item} className={checklist[item] ? "checklist__done" : "checklist__open"}>
          <span className="checklist__mark" aria-hidden="true">
            {checklist[item] ? "✓" : "○"}
          </span>
          {CHECKLIST_LABELS[item]}
          {item === "onCadence" && checklist.onCadenceShare !== null ? ` (${Math.round(checklist.onCadenceShare * 100)} %)` : ""}
          <span className="visually-hidden">{checklist[item] ? ": done" : ": not yet"}</span>
        </li>
      ))}
    </ul>
  );
}

/** The first item due and not met, in words. */
export function checklistNextText(next: ChecklistItem | null): string {
  if (next === null) return "On track with the cycle checklist";
  const texts: Record<ChecklistItem, string> = {
    drafted: "Draft the team's OKRs",
    qualityPassed: "Improve the draft until it passes the quality checks",
    aligned: "Align each objective, or say why it stands alone",
    approved: "Get the OKRs approved",
    onCadence: "Check in on the key results (some are stale)",
    midReviewHeld: "Hold the mid-cycle review",
    scored: "Score the key results",
    retroHeld: "Hold the retrospective",
  };
  return texts[next];
}

export interface WaveCountsRow extends Record<ChecklistItem, number> {
  waveId: string | null;
  waveName: string | null;
  teams: number;
}

export function WaveChecklistTable({ cycleName, waves, teamsHref }: { cycleName: string; waves: WaveCountsRow[]; teamsHref?: string }) {
  if (waves.length === 0) return <p className="muted">No teams take part in this program yet.</p>;
  return (
    <div className="data-table__scroll">
      <table className="pivot">
        <caption className="visually-hidden">Teams of each wave meeting each item of the {cycleName} checklist</caption>
        <thead>
          <tr>
            <th scope="col">Wave</th>
            <th scope="col">Teams</th>
            {CHECKLIST_ITEMS.map((item) => (
              <th scope="col" key={item}>
                {CHECKLIST_LABELS[item]}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {waves.map((w) => (
            <tr key={w.waveId ?? "none"}>
              <th scope="row">{w.waveName ?? "No wave yet"}</th>
              <td>{teamsHref ? <Link to={teamsHref}>{w.teams}</Link> : w.teams}</td>
              {CHECKLIST_ITEMS.map((item) => (
                <td key={item}>{w[item]}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
