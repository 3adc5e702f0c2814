import { StatusBadge } from "~/components/reports/status-badge";
import { BAND_LABELS, CHANGE_LABELS, type BandOrNone, type Change } from "~/models/health/metrics";
import type { RagColour } from "~/models/reports/dimensions/types";

// Small pieces of the health page, the overview's health card and the waves' overview.

export const BAND_COLOURS: Record<BandOrNone, RagColour> = {
  healthy: "green",
  watch: "amber",
  at_risk: "red",
  not_measured: "not_measured",
};

/** A band as the status report shows colours: shape, colour and word, never colour alone. */
export function BandBadge({ band, score }: { band: BandOrNone; score?: number | null }) {
  const label = score === undefined || score === null ? BAND_LABELS[band] : `${score} · ${BAND_LABELS[band]}`;
  return <StatusBadge colour={BAND_COLOURS[band]} label={label} />;
}

const ARROWS: Record<Change, string> = { better: "↑", worse: "↓", same: "→", new: "" };

/** "↑ Better (+6)" against the previous cycle. */
export function ChangeText({ change, delta }: { change: Change; delta: number | null }) {
  if (change === "new") return <span className="muted">{CHANGE_LABELS.new}</span>;
  const signed = delta === null ? "" : ` (${delta > 0 ? "+" : ""}${delta})`;
  return (
    <span className={`change change--${change}`}>
      <span aria-hidden="true">{ARROWS[change]} </span>
      {CHANGE_LABELS[change]}
      {signed}
    </span>
  );
}

export function percentOrDash(share: number | null): string {
  return share === null ? "—" : `${Math.round(share * 100)} %`;
}
