import { z } from "zod";
import { CHECK_IN_CONFIDENCES, type CheckInConfidence } from "../../db/schema";
import type { FieldErrors } from "~/utils/forms";
import { isDay } from "~/utils/dates";

// The forms of check-ins, scoring and retrospectives (issue 14). The team check-in is one form
// with one row per key result; its fields are named `<field>:<keyResultId>` so that every row's
// error sits beside its own field and a failed save gives every row its input back.
//   kr            repeated: the key results shown with inputs
//   version:<id>  the key result's version when the page was read (a 409 when it moved)
//   was:<id>      the value shown when the page was read (to notice a change without a confidence)
//   value:<id>    a metric's current value
//   done:<id>     a milestone's checkbox ("on")
//   confidence:<id>  on_track | needs_attention | off_track; empty: no check-in for this row
//   note:<id>, blockers:<id>

export const MAX_NOTE = 2000;
/** Largest value a check-in or key result accepts (beyond it, a typo). */
export const MAX_VALUE = 1e12;

type RowFieldName = "value" | "done" | "confidence" | "note" | "blockers" | "version" | "was";

/** Parses a number as people type it: "12", "-3.5", "3,5" (decimal comma), "1 200". Null when it is not one. */
export function parseNumber(raw: string): number | null {
  const text = raw.trim().replace(/[\s\u00a0_]/g, "");
  if (!text) return null;
  const normalised = /^-?\d+,\d+$/.test(text) ? text.replace(",", ".") : text;
  if (!/^-?(\d+(\.\d*)?|\.\d+)$/.test(normalised)) return null;
  const n = Number(normalised);
  return Number.isFinite(n) && Math.abs(n) <= MAX_VALUE ? n : null;
}

export interface ParsedCheckInRow {
  keyResultId: string;
  version: number;
  value: number | null;
  done: boolean;
  confidence: CheckInConfidence;
  note: string;
  blockers: string;
}

export type CheckInFormResult = { ok: true; rows: ParsedCheckInRow[] } | { ok: false; errors: FieldErrors };

const str = (form: FormData, name: string): string => {
  const v = form.get(name);
  return typeof v === "string" ? v : "";
};

const ID = /^[\w-]{1,64}$/;

/**
 * Reads the team check-in form. A row is checked in when its confidence is chosen; a row whose
 * value, note or blockers changed without a confidence gets an error beside the confidence.
 */
export function parseCheckInForm(form: FormData): CheckInFormResult {
  const ids = form.getAll("kr").filter((v): v is string => typeof v === "string");
  const errors: FieldErrors = {};
  if (ids.length === 0 || ids.length > 200 || ids.some((id) => !ID.test(id)))
    return { ok: false, errors: { _form: "This check-in names no key result. Reload the page and try again." } };
  if (new Set(ids).size !== ids.length) return { ok: false, errors: { _form: "A key result appears twice in this check-in." } };
  const rows: ParsedCheckInRow[] = [];
  for (const id of ids) {
    const f = (name: RowFieldName) => `${name}:${id}`;
    const confidence = str(form, f("confidence")).trim();
    const rawValue = str(form, f("value"));
    const was = str(form, f("was"));
    const note = str(form, f("note")).trim();
    const blockers = str(form, f("blockers")).trim();
    const done = str(form, f("done")) === "on";
    const hasValueField = form.has(f("value"));
    for (const [field, text] of [
      ["note", note],
      ["blockers", blockers],
    ] as const) {
      if (text.length > MAX_NOTE) errors[f(field)] = `At most ${MAX_NOTE} characters.`;
      if (text.includes("\u0000")) errors[f(field)] = "This field contains a character that is not allowed.";
    }
    const value = hasValueField ? parseNumber(rawValue) : null;
    if (hasValueField && rawValue.trim() && value === null)
      errors[f("value")] = `Enter a number (like 42 or 3.5), at most ${MAX_VALUE.toExponential()} in size.`;
    if (!confidence) {
      const changed = (hasValueField && rawValue.trim() !== was.trim()) || (!hasValueField && (done ? "done" : "open") !== (was || "open"));
      if (changed || note || blockers) errors[f("confidence")] = "Choose how confident you are, or leave the row as it was.";
      continue;
    }
    if (!(CHECK_IN_CONFIDENCES as readonly string[]).includes(confidence)) {
      errors[f("confidence")] = "Choose on track, needs attention or off track.";
      continue;
    }
    if (hasValueField && !rawValue.trim()) errors[f("value")] = "Enter the current value.";
    const version = Number(str(form, f("version")));
    if (!Number.isInteger(version) || version < 1) {
      errors._form = "This form is incomplete. Reload the page and try again.";
      continue;
    }
    rows.push({ keyResultId: id, version, value, done, confidence: confidence as CheckInConfidence, note, blockers });
  }
  if (Object.keys(errors).length) return { ok: false, errors };
  if (rows.length === 0) return { ok: false, errors: { _form: "Nothing to save: choose a confidence for at least one key result." } };
  return { ok: true, rows };
}

/** A score 0–1 as typed ("0.7", "0,7", "70%"). */
export function parseScore(raw: string): number | null {
  const text = raw.trim();
  if (!text) return null;
  const percent = text.endsWith("%");
  const n = parseNumber(percent ? text.slice(0, -1) : text);
  if (n === null) return null;
  const score = percent ? n / 100 : n;
  return score >= 0 && score <= 1 ? Math.round(score * 100) / 100 : null;
}

export const retroSchema = z.object({
  wentWell: z.string().trim().max(5000, "At most 5000 characters.").default(""),
  toImprove: z.string().trim().max(5000, "At most 5000 characters.").default(""),
  processFeedback: z.string().trim().max(5000, "At most 5000 characters.").default(""),
  heldOn: z
    .string()
    .trim()
    .default("")
    .refine((v) => v === "" || (isDay(v) && v >= "1900-01-01" && v <= "2999-12-31"), "Enter a real date (YYYY-MM-DD)."),
  version: z.coerce.number().int().min(0).default(0),
  share: z
    .string()
    .optional()
    .transform((v) => v === "on"),
});
export type RetroInput = z.output<typeof retroSchema>;

export interface ParsedScoreRow {
  keyResultId: string;
  version: number;
  score: number;
}

/** The scoring form: `kr` repeated, `score:<id>` (0–1, "0,7" or "70%"; empty: leave as it is), `version:<id>`. */
export function parseScoreForm(form: FormData): { ok: true; rows: ParsedScoreRow[] } | { ok: false; errors: FieldErrors } {
  const ids = form.getAll("kr").filter((v): v is string => typeof v === "string");
  if (ids.length === 0 || ids.length > 200 || ids.some((id) => !ID.test(id)) || new Set(ids).size !== ids.length)
    return { ok: false, errors: { _form: "This form names no key result. Reload the page and try again." } };
  const errors: FieldErrors = {};
  const rows: ParsedScoreRow[] = [];
  for (const id of ids) {
    const raw = str(form, `score:${id}`);
    if (!raw.trim()) continue;
    const score = parseScore(raw);
    if (score === null) {
      errors[`score:${id}`] = "Enter a score from 0 to 1 (like 0.7), or a percentage (70%).";
      continue;
    }
    const version = Number(str(form, `version:${id}`));
    if (!Number.isInteger(version) || version < 1) {
      errors._form = "This form is incomplete. Reload the page and try again.";
      continue;
    }
    rows.push({ keyResultId: id, version, score });
  }
  if (Object.keys(errors).length) return { ok: false, errors };
  if (rows.length === 0) return { ok: false, errors: { _form: "Nothing to save: enter at least one score." } };
  return { ok: true, rows };
}
