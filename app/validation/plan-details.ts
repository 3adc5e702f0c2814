import { z } from "zod";
import { ATTITUDES, LEVELS, MILESTONE_STATUSES, RISK_STATUSES } from "../../db/schema";
import { isDay, today } from "~/utils/dates";
import { optionalDate, optionalText, requiredText } from "./common";

// Forms of a program's milestones, stakeholders and risks. People are entered by email (the
// person picker); the models resolve the email to a person of the organization and answer with
// a PlanFieldError when there is none.

export const NO_PERSON_MESSAGE = "No person with this email in the organization.";
export const UNKNOWN_WAVE_MESSAGE = "Choose one of this program's waves.";
export const UNKNOWN_UNIT_MESSAGE = "Choose one of the organization's units.";
export const DUPLICATE_STAKEHOLDER_MESSAGE = "This person is already a stakeholder of this program.";

/** A required 'YYYY-MM-DD' date. */
export const requiredDate = (label: string) =>
  z
    .string({ error: `${label} is required.` })
    .trim()
    .min(1, `${label} is required.`)
    .refine(isDay, { message: `${label} must be a valid date (YYYY-MM-DD).` });

/** An email that may be left empty (then null); lower-cased like every stored email. */
const optionalEmail = (label: string) =>
  z
    .string()
    .trim()
    .max(254, `${label} must be at most 254 characters.`)
    .optional()
    .transform((v) => (v ? v.toLowerCase() : null))
    .refine((v) => v === null || z.email().safeParse(v).success, { message: "Enter a valid email address, like name@example.com." });

const requiredEmail = (label: string) =>
  z
    .string({ error: `${label} is required.` })
    .trim()
    .min(1, `${label} is required.`)
    .max(254, `${label} must be at most 254 characters.`)
    .pipe(z.email("Enter a valid email address, like name@example.com."))
    .transform((v) => v.toLowerCase());

/** An id chosen from a select; empty means none. Existence is checked by the model. */
const optionalId = z
  .string()
  .trim()
  .max(64, "Choose one of the listed options.")
  .optional()
  .transform((v) => (v ? v : null));

const scale = (label: string) =>
  z
    .string({ error: `${label} is required.` })
    .trim()
    .min(1, `${label} is required.`)
    .regex(/^[1-5]$/, `${label} must be a whole number from 1 to 5.`)
    .transform(Number);

// ----- Milestones -----

export const MILESTONE_STATUS_LABELS: Record<(typeof MILESTONE_STATUSES)[number], string> = {
  planned: "Planned",
  in_progress: "In progress",
  done: "Done",
};

/** What a milestone shows: its stored status, or "late" (not done and due before today). */
export const MILESTONE_STATES = ["planned", "in_progress", "done", "late"] as const;
export type MilestoneState = (typeof MILESTONE_STATES)[number];
export const MILESTONE_STATE_LABELS: Record<MilestoneState, string> = { ...MILESTONE_STATUS_LABELS, late: "Late" };

/** An optional date that cannot lie after today (on the server's calendar). */
const pastDate = (label: string) =>
  optionalDate(label).refine((v) => v === null || v <= today(), { message: `${label} cannot be in the future.` });

/** The done date only counts for done milestones (the models drop it otherwise). */
export const milestoneSchema = z.object({
  title: requiredText("Title", 200),
  dueOn: requiredDate("Due date"),
  ownerEmail: optionalEmail("Owner"),
  status: z.enum(MILESTONE_STATUSES, { error: "Choose one of the listed statuses." }).optional().default("planned"),
  doneOn: pastDate("Done on"),
  waveId: optionalId,
  notes: optionalText("Notes", 4000),
});
export type MilestoneInput = z.output<typeof milestoneSchema>;

export const markDoneSchema = z.object({ doneOn: pastDate("Done on") });

// ----- Stakeholders -----

export const LEVEL_LABELS: Record<(typeof LEVELS)[number], string> = { low: "Low", high: "High" };
export const ATTITUDE_LABELS: Record<(typeof ATTITUDES)[number], string> = {
  champion: "Champion",
  supporter: "Supporter",
  neutral: "Neutral",
  sceptic: "Sceptic",
};

export const stakeholderSchema = z.object({
  personEmail: requiredEmail("Person"),
  influence: z.enum(LEVELS, { error: "Choose low or high." }),
  interest: z.enum(LEVELS, { error: "Choose low or high." }),
  attitude: z.enum(ATTITUDES, { error: "Choose one of the listed attitudes." }),
  communicationPlan: optionalText("Communication plan", 4000),
  contactEveryDays: z
    .string({ error: "Contact interval is required." })
    .trim()
    .regex(/^\d{1,3}$/, "Contact every must be a whole number of days from 1 to 365.")
    .transform(Number)
    .refine((n) => n >= 1 && n <= 365, { message: "Contact every must be a whole number of days from 1 to 365." }),
  lastContactOn: pastDate("Last contact"),
});
export type StakeholderInput = z.output<typeof stakeholderSchema>;

// ----- Risks -----

export const RISK_STATUS_LABELS: Record<(typeof RISK_STATUSES)[number], string> = {
  open: "Open",
  mitigating: "Mitigating",
  accepted: "Accepted",
  closed: "Closed",
};

export const LIKELIHOOD_LABELS = ["Rare", "Unlikely", "Possible", "Likely", "Almost certain"] as const;
export const IMPACT_LABELS = ["Minor", "Moderate", "Significant", "Major", "Severe"] as const;

export const riskSchema = z.object({
  title: requiredText("Title", 200),
  description: optionalText("Description", 4000),
  likelihood: scale("Likelihood"),
  impact: scale("Impact"),
  ownerEmail: optionalEmail("Owner"),
  mitigation: optionalText("Mitigation", 4000),
  status: z.enum(RISK_STATUSES, { error: "Choose one of the listed statuses." }).optional().default("open"),
  waveId: optionalId,
  unitId: optionalId,
});
export type RiskInput = z.output<typeof riskSchema>;

// ----- List filters (from the URL; shared by the list pages and their CSV exports) -----

const cleanParam = (search: URLSearchParams, name: string) => (search.get(name) ?? "").replaceAll("\u0000", "").trim().slice(0, 64);

export interface MilestoneListFilter {
  state: MilestoneState | null;
  /** A wave id, "none", or null for all. */
  waveId: string | null;
}

export function parseMilestoneFilter(search: URLSearchParams): MilestoneListFilter {
  const state = cleanParam(search, "status");
  return {
    state: (MILESTONE_STATES as readonly string[]).includes(state) ? (state as MilestoneState) : null,
    waveId: cleanParam(search, "wave") || null,
  };
}

export const QUADRANT_IDS = ["manage_closely", "keep_satisfied", "keep_informed", "monitor"] as const;
export type QuadrantId = (typeof QUADRANT_IDS)[number];
type Level = (typeof LEVELS)[number];

/** The 2×2 stakeholder grid, in reading order (high influence on top, high interest on the right). */
export const QUADRANTS: ReadonlyArray<{ id: QuadrantId; label: string; influence: Level; interest: Level; advice: string }> = [
  { id: "keep_satisfied", label: "Keep satisfied", influence: "high", interest: "low", advice: "Short, outcome-focused updates." },
  { id: "manage_closely", label: "Manage closely", influence: "high", interest: "high", advice: "Involve them in decisions." },
  { id: "monitor", label: "Monitor", influence: "low", interest: "low", advice: "General communication is enough." },
  { id: "keep_informed", label: "Keep informed", influence: "low", interest: "high", advice: "Regular updates; ask for their feedback." },
];

export function quadrantOf(influence: Level, interest: Level): QuadrantId {
  if (influence === "high") return interest === "high" ? "manage_closely" : "keep_satisfied";
  return interest === "high" ? "keep_informed" : "monitor";
}

export const QUADRANT_LABELS = Object.fromEntries(QUADRANTS.map((q) => [q.id, q.label])) as Record<QuadrantId, string>;

export interface StakeholderListFilter {
  quadrant: QuadrantId | null;
  attitude: (typeof ATTITUDES)[number] | null;
  overdue: boolean;
}

export function parseStakeholderFilter(search: URLSearchParams): StakeholderListFilter {
  const quadrant = cleanParam(search, "quadrant");
  const attitude = cleanParam(search, "attitude");
  return {
    quadrant: (QUADRANT_IDS as readonly string[]).includes(quadrant) ? (quadrant as QuadrantId) : null,
    attitude: (ATTITUDES as readonly string[]).includes(attitude) ? (attitude as (typeof ATTITUDES)[number]) : null,
    overdue: ["1", "on", "true"].includes(cleanParam(search, "overdue")),
  };
}

export const RISK_STATUS_FILTERS = ["active", ...RISK_STATUSES] as const;
export type RiskStatusFilterValue = (typeof RISK_STATUS_FILTERS)[number];

export interface RiskListFilter {
  likelihood: number | null;
  impact: number | null;
  status: RiskStatusFilterValue | null;
  waveId: string | null;
}

export function parseRiskFilter(search: URLSearchParams): RiskListFilter {
  const level = (name: string) => {
    const value = cleanParam(search, name);
    return /^[1-5]$/.test(value) ? Number(value) : null;
  };
  const status = cleanParam(search, "status");
  return {
    likelihood: level("likelihood"),
    impact: level("impact"),
    status: (RISK_STATUS_FILTERS as readonly string[]).includes(status) ? (status as RiskStatusFilterValue) : null,
    waveId: cleanParam(search, "wave") || null,
  };
}

/** The query string of a filter (empty values left out), for links and the CSV export. */
export function filterSearch(values: Record<string, string | number | boolean | null | undefined>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(values)) {
    if (value === null || value === undefined || value === false || value === "") continue;
    search.set(key, value === true ? "1" : String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : "";
}
