import { z } from "zod";
import {
  CYCLE_EVENT_KINDS,
  CYCLE_EVENT_SCOPES,
  CYCLE_EVENT_STATES,
  CYCLE_STATES,
  KEY_RESULT_DIRECTIONS,
  KEY_RESULT_KINDS,
  OBJECTIVE_STATES,
  OBJECTIVE_TYPES,
  type CycleEventKind,
  type CycleEventScope,
  type CycleEventState,
  type CycleState,
  type KeyResultDirection,
  type KeyResultKind,
  type ObjectiveLevel,
  type ObjectiveState,
  type ObjectiveType,
} from "../../db/schema";
import { isDay } from "~/utils/dates";
import { optionalText, requiredText } from "./common";

// Forms of OKR cycles: a cycle and its calendar of events, objectives and key results at the
// company, unit and team levels, coach comments. Checks only the server can make (an unknown
// owner, a parent objective of another cycle, a stale version) come back from the models as
// FieldError / ConflictError (see app/models/errors.ts).

export const CYCLE_STATE_LABELS: Record<CycleState, string> = {
  planning: "Planning",
  drafting: "Drafting",
  aligning: "Aligning",
  executing: "Executing",
  reviewing: "Reviewing",
  closed: "Closed",
};

export const CYCLE_EVENT_KIND_LABELS: Record<CycleEventKind, string> = {
  priorities: "Priorities communicated",
  drafting_workshop: "Drafting workshop",
  alignment: "Alignment",
  check_in: "Check-in",
  mid_cycle_review: "Mid-cycle review",
  scoring: "Scoring",
  retrospective: "Retrospective",
  other: "Other",
};

export const CYCLE_EVENT_SCOPE_LABELS: Record<CycleEventScope, string> = {
  all: "All teams of the program",
  wave: "The teams of one wave",
  unit: "The teams of one unit",
};

export const CYCLE_EVENT_STATE_LABELS: Record<CycleEventState, string> = {
  planned: "Planned",
  held: "Held",
  cancelled: "Cancelled",
};

export const OBJECTIVE_LEVEL_LABELS: Record<ObjectiveLevel, string> = { company: "Company", unit: "Unit", team: "Team" };

export const OBJECTIVE_TYPE_LABELS: Record<ObjectiveType, string> = {
  committed: "Committed",
  aspirational: "Aspirational",
  learning: "Learning",
};

export const OBJECTIVE_STATE_LABELS: Record<ObjectiveState, string> = {
  draft: "Draft",
  in_review: "In review",
  approved: "Approved",
  active: "Active",
  achieved: "Achieved",
  abandoned: "Abandoned",
};

export const KEY_RESULT_KIND_LABELS: Record<KeyResultKind, string> = { metric: "Metric", milestone: "Milestone" };
export const KEY_RESULT_DIRECTION_LABELS: Record<KeyResultDirection, string> = { increase: "Increase", decrease: "Decrease" };

export const STALE_VERSION_MESSAGE = "Someone else changed this in the meantime. Their version is shown; save again to overwrite it.";
export const NO_PERSON_MESSAGE = "No person with this email in the organization.";

const day = (label: string) =>
  z
    .string({ error: `${label} is required.` })
    .trim()
    .min(1, `${label} is required.`)
    .refine((v: string) => isDay(v), { message: `${label} must be a valid date (YYYY-MM-DD).` })
    .refine((v) => v >= "1900-01-01" && v <= "2999-12-31", { message: `${label} must be between 1900 and 2999.` });

const wholeNumber = (label: string, min: number, max: number) =>
  z
    .string({ error: `${label} is required.` })
    .trim()
    .min(1, `${label} is required.`)
    .regex(/^\d{1,4}$/, `${label} must be a whole number from ${min} to ${max}.`)
    .transform(Number)
    .refine((n) => n >= min && n <= max, { message: `${label} must be a whole number from ${min} to ${max}.` });

/** An id chosen from a select; empty means none. Existence is checked by the model. */
const optionalId = z
  .string()
  .trim()
  .max(64, "Choose one of the listed options.")
  .optional()
  .transform((v) => (v ? v : null));

/** One or more ids from a multi-select (or checkboxes); none is an empty list. */
const idList = z
  .union([z.string(), z.array(z.string())])
  .optional()
  .transform((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]).map((s) => s.trim()).filter((s) => s !== ""))
  .refine((ids) => ids.length <= 50 && ids.every((id) => id.length <= 64), { message: "Choose from the listed objectives." });

const optionalEmail = (label: string) =>
  z
    .string()
    .trim()
    .max(254, `${label} must be at most 254 characters.`)
    .optional()
    .transform((v) => (v ? v.toLowerCase() : null))
    .refine((v) => v === null || z.email().safeParse(v).success, { message: "Enter a valid email address, like name@example.com." });

/** A number typed by a person ("1,5", "1 200", "12.5"); empty means none. */
const optionalNumber = (label: string) =>
  z
    .string()
    .trim()
    .max(30, `${label} must be a number.`)
    .optional()
    .transform((v, ctx) => {
      if (!v) return null;
      const normalized = v.replace(/[\s\u00a0]/g, "").replace(",", ".");
      const n = /^[-+]?(\d+\.?\d*|\.\d+)$/.test(normalized) ? Number(normalized) : Number.NaN;
      if (!Number.isFinite(n) || Math.abs(n) > 1e12) {
        ctx.addIssue({ code: "custom", message: `${label} must be a number, like 42 or 12.5.` });
        return z.NEVER;
      }
      return n;
    });

const version = z
  .string({ error: "Reload the page and try again." })
  .trim()
  .regex(/^\d{1,9}$/, "Reload the page and try again.")
  .transform(Number);

const time = z
  .string()
  .trim()
  .optional()
  .transform((v) => (v ? v : null))
  .refine((v) => v === null || /^([01]\d|2[0-3]):[0-5]\d$/.test(v), { message: "Time must be like 09:30 (24-hour clock), or empty." });

// ----- Cycles -----

export const cycleSchema = z
  .object({
    name: requiredText("Name", 80),
    startsOn: day("Start"),
    endsOn: day("End"),
    checkinCadenceDays: wholeNumber("Check-in cadence", 1, 90),
    maxObjectives: wholeNumber("Objectives per team", 1, 10),
  })
  .refine((v) => v.endsOn >= v.startsOn, { path: ["endsOn"], message: "The end cannot be before the start." })
  .refine((v) => v.endsOn <= addYear(v.startsOn), { path: ["endsOn"], message: "A cycle lasts at most a year." });
export type CycleInput = z.output<typeof cycleSchema>;

function addYear(day: string): string {
  return `${String(Number(day.slice(0, 4)) + 1).padStart(4, "0")}${day.slice(4)}`;
}

export const newCycleSchema = cycleSchema.and(
  z.object({
    template: z
      .string()
      .optional()
      .transform((v) => v === "on" || v === "true"),
  }),
);
export type NewCycleInput = z.output<typeof newCycleSchema>;

export const cycleEditSchema = cycleSchema.and(z.object({ version }));

export const cycleStateSchema = z.object({ state: z.enum(CYCLE_STATES, { error: "Choose one of the listed states." }), version });

export const nextCycleSchema = z.object({ name: requiredText("Name", 80) });

// ----- Events -----

export const eventSchema = z
  .object({
    kind: z.enum(CYCLE_EVENT_KINDS, { error: "Choose one of the listed kinds." }),
    title: optionalText("Title", 120),
    occursOn: day("Date"),
    startsAt: time,
    durationMinutes: z
      .string()
      .trim()
      .optional()
      .transform((v) => (v ? v : null))
      .refine((v) => v === null || (/^\d{1,3}$/.test(v) && Number(v) >= 5 && Number(v) <= 600), {
        message: "Duration must be a whole number of minutes from 5 to 600, or empty.",
      })
      .transform((v) => (v === null ? null : Number(v))),
    scope: z.enum(CYCLE_EVENT_SCOPES, { error: "Choose who the event is for." }).optional().default("all"),
    waveId: optionalId,
    unitId: optionalId,
    facilitatorEmail: optionalEmail("Facilitator"),
    location: optionalText("Place or link", 500),
    state: z.enum(CYCLE_EVENT_STATES, { error: "Choose one of the listed states." }).optional().default("planned"),
    notes: optionalText("Notes", 2000),
  })
  .refine((v) => v.scope !== "wave" || v.waveId !== null, { path: ["waveId"], message: "Choose the wave the event is for." })
  .refine((v) => v.scope !== "unit" || v.unitId !== null, { path: ["unitId"], message: "Choose the unit the event is for." });
export type EventInput = z.output<typeof eventSchema>;

export const eventEditSchema = eventSchema.and(z.object({ version }));

// ----- Objectives and key results -----

export const objectiveSchema = z.object({
  title: requiredText("Objective", 200),
  description: optionalText("Description", 2000),
  type: z.enum(OBJECTIVE_TYPES, { error: "Choose committed, aspirational or learning." }).optional().default("committed"),
  ownerEmail: optionalEmail("Owner"),
  parentIds: idList,
  standaloneReason: z
    .string()
    .trim()
    .max(500, "The reason must be at most 500 characters.")
    .optional()
    .transform((v) => (v ? v : null)),
});
export type ObjectiveInput = z.output<typeof objectiveSchema>;

export const objectiveEditSchema = objectiveSchema.and(z.object({ version }));
export type ObjectiveEditInput = z.output<typeof objectiveEditSchema>;

export const objectiveStateSchema = z.object({
  state: z.enum(OBJECTIVE_STATES, { error: "Choose one of the listed states." }),
  version,
});

export const keyResultSchema = z
  .object({
    title: requiredText("Key result", 200),
    kind: z.enum(KEY_RESULT_KINDS, { error: "Choose metric or milestone." }).optional().default("metric"),
    startValue: optionalNumber("Start"),
    targetValue: optionalNumber("Target"),
    unit: optionalText("Unit", 30),
    direction: z.enum(KEY_RESULT_DIRECTIONS, { error: "Choose increase or decrease." }).optional().default("increase"),
    weight: optionalNumber("Weight")
      .refine((v) => v === null || (v > 0 && v <= 100), { message: "Weight must be a number above 0 and at most 100." })
      .transform((v) => v ?? 1),
    ownerEmail: optionalEmail("Owner"),
  })
  .refine((v) => v.kind !== "metric" || v.startValue === null || v.targetValue === null || v.startValue !== v.targetValue, {
    path: ["targetValue"],
    message: "The target must differ from the start.",
  })
  .refine(
    (v) =>
      v.kind !== "metric" ||
      v.startValue === null ||
      v.targetValue === null ||
      (v.direction === "increase" ? v.targetValue > v.startValue : v.targetValue < v.startValue),
    { path: ["direction"], message: "The direction does not match the start and the target." },
  );
export type KeyResultInput = z.output<typeof keyResultSchema>;

export const keyResultEditSchema = keyResultSchema.and(z.object({ version }));
export type KeyResultEditInput = z.output<typeof keyResultEditSchema>;

export const commentSchema = z.object({
  body: requiredText("Comment", 2000),
  objectiveId: optionalId,
  keyResultId: optionalId,
});
export type CommentInput = z.output<typeof commentSchema>;

export const idSchema = z.object({ id: z.string().trim().min(1, "Reload the page and try again.").max(64) });

/** Where a company or unit objective goes (the objectives page's add form). */
export const upperTargetSchema = z
  .object({
    level: z.enum(["company", "unit"], { error: "Choose company or unit." }),
    unitId: optionalId,
  })
  .refine((v) => v.level !== "unit" || v.unitId !== null, { path: ["unitId"], message: "Choose the unit of a unit objective." });
