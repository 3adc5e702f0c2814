import type { RagColour } from "~/models/reports/dimensions/types";
import { COLOUR_LABELS } from "~/models/reports/dimensions/types";

// A colour is never shown by colour alone: each has its own shape and its word.
const SHAPES: Record<RagColour, string> = { red: "▲", amber: "◆", green: "●", not_measured: "○" };

export function StatusBadge({ colour, label }: { colour: RagColour; label?: string }) {
  return (
    <span className={`rag rag--${colour}`} data-colour={colour}>
      <span aria-hidden="true" className="rag__shape">
        {SHAPES[colour]}
      </span>{" "}
      {label ?? COLOUR_LABELS[colour]}
    </span>
  );
}
