import { z } from "zod";
import {
  ESCALATION_CATEGORIES,
  ESCALATION_STATUSES,
  SESSION_TYPES,
  URGENCIES,
  type EscalationCategory,
  type EscalationStatus,
  type LearningKind,
  type SessionType,
  type Urgency,
} from "../../db/schema";
import { addDays, isDay, today } from "~/utils/dates";
import { optionalText, requiredText } from "./common";

// Forms of the coach community as a coach lives it: support sessions, escalations to the PLO and
// shared learnings. Checks only the server can make (is this a team of mine on that date? is
// that session mine?) come back from the models as a FieldError on the field.

export const NOT_ASSIGNED_MESSAGE = "You are not assigned to this team on that date.";
export const FUTURE_SESSION_MESSAGE = "The session date can't be in the future.";
export const UNKNOWN_TEAM_MESSAGE = "Choose one of the listed teams.";
export const UNKNOWN_COACH_MESSAGE = "Choose one of this program's coaches.";
export const UNKNOWN_EVENT_CHOICE = "Choose one of the listed events, or none.";
export const UNKNOWN_SESSION_MESSAGE = "Choose one of your support sessions in this program.";
export const NOT_A_COACH_MESSAGE = "You are not a coach in this program yet. Ask the Program Lead Office to add you to its coaches.";
export const DURATION_MESSAGE = "Duration must be a whole number of minutes from 5 to 600.";
export const ATTENDEES_MESSAGE = "Attendees must be a whole number from 1 to 500.";
export const MATURITY_MESSAGE = "Maturity must be a whole number from 1 to 5, or empty.";
export const ALREADY_PROMOTED_MESSAGE = "This answer is already in the learnings library.";
export const NO_ANSWER_MESSAGE = "Answer the question before promoting it to the library.";

export const SESSION_TYPE_LABELS: Record<SessionType, string> = {
  drafting: "Drafting",
  alignment: "Alignment",
  check_in: "Check-in",
  review: "Review",
  retrospective: "Retrospective",
  training: "Training",
  qa: "Q&A",
  other: "Other",
};

export const ESCALATION_CATEGORY_LABELS: Record<EscalationCategory, string> = {
  method: "OKR method",
  tooling: "Tooling",
  team_dynamics: "Team dynamics",
  leadership: "Leadership support",
  alignment: "Alignment across teams",
  capacity: "Coaching capacity",
  other: "Other",
};

export const URGENCY_LABELS: Record<Urgency, string> = { low: "Low", normal: "Normal", high: "High" };

export const ESCALATION_STATUS_LABELS: Record<EscalationStatus, string> = { open: "Open", answered: "Answered", closed: "Closed" };

export const LEARNING_KIND_LABELS: Record<LearningKind, string> = { practice: "Best practice", lesson: "Lesson learned", faq: "FAQ" };

/** The kinds a person writes; FAQ entries come from promoting an answered escalation. */
export const WRITABLE_LEARNING_KINDS = ["practice", "lesson"] as const satisfies readonly LearningKind[];

export const MATURITY_LABELS = ["", "1 · Just starting", "2 · Learning", "3 · Practising", "4 · Confident", "5 · Self-sufficient"] as const;

/** An id from a select or the URL; existence is checked by the model. */
const requiredId = (message: string) => z.string({ error: message }).trim().min(1, message).max(64, message);
const optionalId = (message: string) =>
  z
    .string({ error: message })
    .trim()
    .max(64, message)
    .optional()
    .transform((v) => (v ? v : null));

const wholeNumber = (message: string, min: number, max: number) =>
  z
    .string({ error: message })
    .trim()
    .regex(/^\d{1,4}$/, message)
    .transform(Number)
    .refine((n) => n >= min && n <= max, { message });

/**
 * A support session. The date may be at most one day ahead of the server's today (a coach in
 * another time zone may already be on tomorrow), never earlier than the year 2000.
 */
export function sessionSchema(now = new Date()) {
  const latest = addDays(today(now), 1);
  return z.object({
    teamId: requiredId("Choose the team you supported."),
    heldOn: z
      .string({ error: "Date is required." })
      .trim()
      .min(1, "Date is required.")
      .refine(isDay, { message: "Date must be a valid date (YYYY-MM-DD)." })
      .refine((v) => v >= "2000-01-01", { message: "The session date must be in the year 2000 or later." })
      .refine((v) => v <= latest, { message: FUTURE_SESSION_MESSAGE }),
    type: z.enum(SESSION_TYPES, { error: "Choose the kind of session." }),
    durationMinutes: wholeNumber(DURATION_MESSAGE, 5, 600),
    attendees: wholeNumber(ATTENDEES_MESSAGE, 1, 500),
    notes: optionalText("Notes", 4000),
    maturity: z
      .string({ error: MATURITY_MESSAGE })
      .trim()
      .optional()
      .transform((v) => v ?? "")
      .refine((v) => v === "" || /^[1-5]$/.test(v), { message: MATURITY_MESSAGE })
      .transform((v) => (v === "" ? null : Number(v))),
    followUps: optionalText("Follow-ups", 2000),
    /** Only the PLO picks the coach; a coach always logs as themself (the field is ignored). */
    coachId: optionalId(UNKNOWN_COACH_MESSAGE),
    /** The cycle event the session delivered: empty for none; a form without the field keeps what is there. */
    cycleEventId: z
      .string({ error: UNKNOWN_EVENT_CHOICE })
      .trim()
      .max(64, UNKNOWN_EVENT_CHOICE)
      .optional()
      .transform((v) => (v === undefined ? undefined : v || null)),
  });
}
type ParsedSession = z.output<ReturnType<typeof sessionSchema>>;
/** A session as the models take it; `cycleEventId` undefined keeps the link there is (forms without the field). */
export type SessionInput = Omit<ParsedSession, "cycleEventId"> & { cycleEventId?: string | null };

export const escalationSchema = z.object({
  category: z.enum(ESCALATION_CATEGORIES, { error: "Choose what the question is about." }),
  urgency: z.enum(URGENCIES, { error: "Choose how urgent it is." }).optional().default("normal"),
  question: requiredText("Question", 4000),
  teamId: optionalId(UNKNOWN_TEAM_MESSAGE),
  sessionId: optionalId(UNKNOWN_SESSION_MESSAGE),
});
export type EscalationInput = z.output<typeof escalationSchema>;

export const answerSchema = z.object({ answer: requiredText("Answer", 4000) });

/**
 * Tags typed as "drafting, Key results ,drafting": lower-cased, trimmed, without duplicates or
 * commas inside a tag; at most 10 tags of at most 40 characters. Stored comma-separated.
 */
export const tagsField = z
  .string({ error: "Tags: separate them with commas." })
  .max(1000, "Use at most 10 tags of up to 40 characters.")
  .optional()
  .transform((v) => normalizeTags(v ?? ""))
  .refine((tags) => tags.length <= 10, { message: "Use at most 10 tags." })
  .refine((tags) => tags.every((t) => t.length <= 40), { message: "A tag can be at most 40 characters long." });

export function normalizeTags(text: string): string[] {
  const tags: string[] = [];
  for (const raw of text.split(",")) {
    const tag = raw.trim().replace(/\s+/g, " ").toLowerCase();
    if (tag && !tags.includes(tag)) tags.push(tag);
  }
  return tags;
}

export const promoteSchema = z.object({
  title: requiredText("Title", 200),
  tags: tagsField,
});
export type PromoteInput = z.output<typeof promoteSchema>;

export const learningSchema = z.object({
  title: requiredText("Title", 200),
  body: requiredText("Text", 10_000),
  kind: z.enum(WRITABLE_LEARNING_KINDS, { error: "Choose best practice or lesson learned." }).optional().default("practice"),
  tags: tagsField,
  teamId: optionalId(UNKNOWN_TEAM_MESSAGE),
  sessionId: optionalId(UNKNOWN_SESSION_MESSAGE),
  /** The program the learning was written from (kept when it exists; a session's program wins). */
  programId: optionalId("Choose one of the programs."),
});
export type LearningInput = z.output<typeof learningSchema>;

// ----- List filters (from the URL; shared by list pages and their CSV exports) -----

export const ESCALATION_STATUS_FILTERS = ["active", ...ESCALATION_STATUSES, "all"] as const;
export type EscalationStatusFilter = (typeof ESCALATION_STATUS_FILTERS)[number];
export const ESCALATION_STATUS_FILTER_LABELS: Record<EscalationStatusFilter, string> = {
  active: "Open or answered",
  open: "Open",
  answered: "Answered",
  closed: "Closed",
  all: "Any status",
};

export function escalationStatusParam(value: string | undefined): EscalationStatusFilter {
  return (ESCALATION_STATUS_FILTERS as readonly string[]).includes(value ?? "") ? (value as EscalationStatusFilter) : "active";
}

export function urgencyParam(value: string | undefined): Urgency | null {
  return (URGENCIES as readonly string[]).includes(value ?? "") ? (value as Urgency) : null;
}
