import { z } from "zod";
import {
  AUDIENCES,
  DUE_RULES,
  MODULE_DELIVERIES,
  MODULE_KINDS,
  NECESSITIES,
  REQUIREMENT_SCOPES,
  TRAINING_SESSION_STATES,
  type Audience,
  type DueRule,
  type ModuleDelivery,
  type ModuleKind,
  type RequirementScope,
  type RosterStatus,
  type TrainingSessionState,
} from "../../db/schema";
import { isDayInRange } from "~/utils/dates";
import { checkbox, optionalText, requiredText } from "./common";

// Forms of enablement: the curriculum (modules, materials, versions), requirements, training
// sessions with their roster and attendance, completions by hand, waivers, certification and
// feedback. Checks only the server can make (unknown module, person, a full session) come back
// from the models as FieldErrors.

export const MODULE_KIND_LABELS: Record<ModuleKind, string> = {
  fundamentals: "Fundamentals e-learning",
  drafting_workshop: "Drafting workshop",
  check_in_practice: "Check-in practice",
  coach_masterclass: "Coach masterclass",
  sponsor_briefing: "Sponsor briefing",
  leader_coaching: "Leader coaching",
  assessment: "Assessment",
  other: "Other",
};
export const DELIVERY_LABELS: Record<ModuleDelivery, string> = { live: "Live", self_paced: "Self-paced" };
export const AUDIENCE_LABELS: Record<Audience, string> = {
  plo: "PLO",
  coach: "Coaches",
  sponsor: "Sponsors",
  leader: "Leaders (stakeholders)",
  team_lead: "Team leads",
  team_member: "Team members",
};
export const SCOPE_LABELS: Record<RequirementScope, string> = { all: "Everyone in the audience", wave: "A wave", unit: "A unit" };
export const DUE_RULE_LABELS: Record<DueRule, string> = {
  before_wave: "N days before the wave starts",
  before_drafting: "N days before the team's first drafting event",
  fixed: "By a fixed date",
  after_joining: "Within N days of joining",
};
export const SESSION_STATE_LABELS: Record<TrainingSessionState, string> = {
  planned: "Planned",
  open: "Open for registration",
  full: "Full",
  held: "Held",
  cancelled: "Cancelled",
};
export const ROSTER_STATUS_LABELS: Record<RosterStatus, string> = {
  invited: "Invited",
  registered: "Registered",
  waitlisted: "Waiting list",
  attended: "Attended",
  no_show: "No-show",
  excused: "Excused",
};
export const STATE_LABELS = { met: "Met", due: "Due", overdue: "Overdue", refresh_due: "Refresh due", waived: "Waived" } as const;

const id = (message: string) => z.string({ error: message }).trim().min(1, message).max(64, message);
const optionalId = z
  .string()
  .trim()
  .max(64, "Choose one of the listed options.")
  .optional()
  .transform((v) => (v ? v : null));

const wholeNumber = (label: string, min: number, max: number) =>
  z
    .string({ error: `${label} is required.` })
    .trim()
    .regex(/^\d{1,6}$/, `${label} must be a whole number from ${min} to ${max}.`)
    .transform(Number)
    .refine((n) => n >= min && n <= max, { message: `${label} must be a whole number from ${min} to ${max}.` });

const optionalWholeNumber = (label: string, min: number, max: number) =>
  z
    .string()
    .trim()
    .optional()
    .transform((v) => (v ? v : null))
    .refine((v) => v === null || (/^\d{1,6}$/.test(v) && Number(v) >= min && Number(v) <= max), {
      message: `${label} must be a whole number from ${min} to ${max}, or empty.`,
    })
    .transform((v) => (v === null ? null : Number(v)));

const day = (label: string) =>
  z
    .string({ error: `${label} is required.` })
    .trim()
    .min(1, `${label} is required.`)
    .refine(isDayInRange, { message: `${label} must be a valid date (YYYY-MM-DD).` });

const optionalDay = (label: string) =>
  z
    .string()
    .trim()
    .optional()
    .transform((v) => (v ? v : null))
    .refine((v) => v === null || isDayInRange(v), { message: `${label} must be a valid date (YYYY-MM-DD).` });

const optionalUrl = (label: string) =>
  z
    .string()
    .trim()
    .max(2000, `${label} must be at most 2000 characters.`)
    .optional()
    .transform((v) => v ?? "")
    .refine((v) => v === "" || /^https?:\/\/[^\s]+$/i.test(v), { message: `${label} must start with http:// or https://.` });

/** Selected ids of a multi-select or checkboxes: none, one or many. */
const ids = (message: string, max = 1000) =>
  z
    .union([z.string(), z.array(z.string())], { error: message })
    .optional()
    .transform((v) => [...new Set((v === undefined ? [] : [v].flat()).map((s) => s.trim()).filter(Boolean))])
    .refine((list) => list.every((s) => s.length <= 64), { message })
    .refine((list) => list.length <= max, { message: `Select at most ${max}.` });

// ----- Curriculum -----

export const moduleSchema = z.object({
  title: requiredText("Title", 160),
  kind: z.enum(MODULE_KINDS, { error: "Choose the kind of module." }),
  delivery: z.enum(MODULE_DELIVERIES, { error: "Choose live or self-paced." }),
  durationMinutes: wholeNumber("Duration", 5, 6000),
  validityMonths: optionalWholeNumber("Validity", 1, 120),
  description: optionalText("Description", 2000),
  prerequisiteIds: ids("Choose prerequisites from the list.", 50),
});
export type ModuleInput = z.output<typeof moduleSchema>;

export const versionSchema = z.object({
  requiresRefresh: checkbox,
  note: optionalText("What changed", 500),
  url: optionalUrl("Link"),
});
export type VersionInput = z.output<typeof versionSchema>;

export const materialSchema = z.object({
  title: requiredText("Title", 160),
  url: optionalUrl("Link"),
  moduleIds: ids("Choose modules from the list.", 100),
});
export type MaterialInput = z.output<typeof materialSchema>;

// ----- Requirements -----

export const requirementSchema = z
  .object({
    moduleId: id("Choose a module."),
    audience: z.enum(AUDIENCES, { error: "Choose who needs it." }),
    scope: z.enum(REQUIREMENT_SCOPES, { error: "Choose the scope." }),
    waveId: optionalId,
    unitId: optionalId,
    necessity: z.enum(NECESSITIES, { error: "Choose required or recommended." }),
    dueRule: z.enum(DUE_RULES, { error: "Choose when it is due." }),
    dueDays: optionalWholeNumber("Days", 0, 3650),
    dueOn: optionalDay("Due date"),
  })
  .refine((v) => v.scope !== "wave" || v.waveId !== null, { path: ["waveId"], message: "Choose the wave." })
  .refine((v) => v.scope !== "unit" || v.unitId !== null, { path: ["unitId"], message: "Choose the unit." })
  .refine((v) => v.dueRule !== "fixed" || v.dueOn !== null, { path: ["dueOn"], message: "Give the due date." })
  .refine((v) => v.dueRule === "fixed" || v.dueDays !== null, { path: ["dueDays"], message: "Give the number of days." })
  .transform((v) => ({
    ...v,
    waveId: v.scope === "wave" ? v.waveId : null,
    unitId: v.scope === "unit" ? v.unitId : null,
    dueDays: v.dueRule === "fixed" ? null : v.dueDays,
    dueOn: v.dueRule === "fixed" ? v.dueOn : null,
  }));
export type RequirementInput = z.output<typeof requirementSchema>;

// ----- Sessions -----

const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;

/** Whether the runtime knows this IANA time zone name. */
export function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat("en", { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

export const sessionSchema = z.object({
  moduleId: id("Choose a module."),
  date: day("Date"),
  time: z.string({ error: "Time is required." }).trim().regex(TIME, "Time must be HH:MM (24 hours)."),
  timeZone: z
    .string({ error: "Time zone is required." })
    .trim()
    .min(1, "Time zone is required.")
    .max(64, "Choose a known time zone, like Europe/Berlin.")
    .refine(isTimeZone, { message: "Choose a known time zone, like Europe/Berlin." }),
  durationMinutes: wholeNumber("Duration", 5, 6000),
  location: optionalText("Place", 300),
  url: optionalUrl("Link"),
  trainerEmail: z
    .string()
    .trim()
    .max(254, "Trainer must be an account's email.")
    .optional()
    .transform((v) => (v ? v.toLowerCase() : null)),
  capacity: wholeNumber("Capacity", 1, 10000),
  state: z.enum(["planned", "open"], { error: "Choose planned or open." }),
});
export type SessionInput = z.output<typeof sessionSchema>;

export const sessionStateSchema = z.object({ state: z.enum(TRAINING_SESSION_STATES, { error: "Choose a state." }) });

export const inviteSchema = z
  .object({
    audience: z.enum(AUDIENCES, { error: "Choose who to invite." }),
    waveId: optionalId,
    unitId: optionalId,
    limit: optionalWholeNumber("At most", 1, 10000),
  })
  .transform((v) => ({ ...v, limit: v.limit ?? null }));
export type InviteInput = z.output<typeof inviteSchema>;

export const personEmailSchema = z.object({
  email: z
    .string({ error: "Email is required." })
    .trim()
    .min(1, "Email is required.")
    .max(254, "Email must be at most 254 characters.")
    .transform((v) => v.toLowerCase()),
});

export const personIdSchema = z.object({ personId: id("Choose a person of the roster.") });

export const attendanceSchema = z.object({
  /** The people marked present (checkboxes); everyone else on the roster becomes a no-show unless excused. */
  present: ids("Choose people of the roster.", 10000),
  excused: ids("Choose people of the roster.", 10000),
  allPresent: checkbox,
});
export type AttendanceInput = z.output<typeof attendanceSchema>;

// ----- Completions, waivers -----

export const completionSchema = z.object({
  email: personEmailSchema.shape.email,
  moduleId: id("Choose a module."),
  completedOn: day("Completed on"),
  evidence: requiredText("Evidence", 1000),
});
export type CompletionInput = z.output<typeof completionSchema>;

export const waiverSchema = z.object({
  email: personEmailSchema.shape.email,
  requirementId: id("Choose a requirement."),
  reason: requiredText("Reason", 1000),
});
export type WaiverInput = z.output<typeof waiverSchema>;

// ----- Feedback -----

export const feedbackSchema = z.object({
  rating: z
    .string({ error: "Rating is required." })
    .trim()
    .regex(/^[1-5]$/, "Rating must be a whole number from 1 to 5.")
    .transform(Number),
  comment: optionalText("Comment", 2000),
  anonymous: checkbox,
});
export type FeedbackInput = z.output<typeof feedbackSchema>;

// ----- Certification -----

export const certPathSchema = z.object({ name: requiredText("Name", 160) });

export const certLevelSchema = z.object({
  pathId: id("Choose a path."),
  name: requiredText("Level", 160),
  rank: wholeNumber("Rank", 1, 20),
  requiredSessions: wholeNumber("Facilitated sessions", 0, 500),
  sessionTypes: ids("Choose session types from the list.", 20),
  validityMonths: optionalWholeNumber("Validity", 1, 120),
  moduleIds: ids("Choose modules from the list.", 50),
});
export type CertLevelInput = z.output<typeof certLevelSchema>;

export const awardSchema = z.object({
  email: personEmailSchema.shape.email,
  levelId: id("Choose a level."),
  awardedOn: day("Signed off on"),
  note: optionalText("Assessor's note", 1000),
});
export type AwardInput = z.output<typeof awardSchema>;

export const heatMapSchema = z.object({
  by: z.enum(["wave", "unit"]).catch("wave"),
});
