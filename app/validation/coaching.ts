import { z } from "zod";
import { ASSIGNMENT_KINDS, type AssignmentKind } from "../../db/schema";
import type { ListSpec } from "~/utils/list-params";
import { optionalDate, optionalText } from "./common";

// Forms of the PLO's side of the coach community: coaches (capacity, focus), their assignments
// to teams (one at a time or in bulk), and the list specs of the coaching pages. The coach's own
// forms (sessions, escalations, learnings) live in ./sessions.ts.

export const ASSIGNMENT_KIND_LABELS: Record<AssignmentKind, string> = { primary: "Primary", secondary: "Secondary" };

export const MAX_CAPACITY = 50;
export const CAPACITY_MESSAGE = `Capacity must be a whole number of teams from 1 to ${MAX_CAPACITY}.`;
export const SELECT_ONE_TEAM = "Select at least one team.";
export const END_BEFORE_START = "The end date cannot be before the start date.";
export const ALREADY_COACH = "This person is already a coach in this program.";
/** How many teams one bulk assignment may name (the page shows at most 200 rows at once). */
export const MAX_BULK_TEAMS = 1000;

/** A capacity from a number field: a whole number 1–50 (no decimals, no exponents). */
const capacity = z
  .string({ error: CAPACITY_MESSAGE })
  .trim()
  .regex(/^\d{1,3}$/, CAPACITY_MESSAGE)
  .transform((v) => Number.parseInt(v, 10))
  .refine((n) => n >= 1 && n <= MAX_CAPACITY, CAPACITY_MESSAGE);

const focus = optionalText("Focus", 300);

/** A person of the organization chosen with the PersonPicker (an email). */
const personEmail = z
  .string({ error: "Enter the email of the person who becomes a coach." })
  .trim()
  .min(1, "Enter the email of the person who becomes a coach.")
  .max(254, "The email must be at most 254 characters.")
  .transform((v) => v.toLowerCase())
  .refine((v) => z.email().safeParse(v).success, { message: "Enter a valid email address, like name@example.com." });

const requiredDate = (label: string) =>
  optionalDate(label)
    .refine((v): v is string => v !== null, { message: `${label} is required.` })
    .transform((v) => v as string);

const id = (message: string) => z.string({ error: message }).trim().min(1, message).max(64, message);

export const coachSchema = z.object({ personEmail, capacity, focus });
export type CoachInput = z.output<typeof coachSchema>;

export const coachUpdateSchema = z.object({ capacity, focus });
export type CoachUpdateInput = z.output<typeof coachUpdateSchema>;

/** The selected rows' checkboxes: none, one or many `teamId` values. */
const teamIds = z
  .union([z.string(), z.array(z.string())], { error: SELECT_ONE_TEAM })
  .optional()
  .transform((v) => [...new Set((v === undefined ? [] : [v].flat()).map((s) => s.trim()).filter(Boolean))])
  .refine((ids) => ids.length > 0, { message: SELECT_ONE_TEAM })
  .refine((ids) => ids.every((s) => s.length <= 64), { message: "Some selected teams do not exist." })
  .refine((ids) => ids.length <= MAX_BULK_TEAMS, { message: `Select at most ${MAX_BULK_TEAMS.toLocaleString("en")} teams at once.` });

const assignmentDates = {
  startsOn: requiredDate("Start date"),
  endsOn: optionalDate("End date"),
};

/** Assigning teams to one coach (bulk form, coverage board, coach page). */
export const assignSchema = z
  .object({
    teamId: teamIds,
    coachId: id("Choose a coach."),
    kind: z.enum(ASSIGNMENT_KINDS, { error: "Choose primary or secondary." }),
    ...assignmentDates,
  })
  .refine((v) => v.endsOn === null || v.endsOn >= v.startsOn, { path: ["endsOn"], message: END_BEFORE_START });
export type AssignInput = z.output<typeof assignSchema>;

/** Ending one assignment: its last day. */
export const endAssignmentSchema = z.object({
  assignmentId: id("Choose an assignment of this coach."),
  endsOn: requiredDate("Last day"),
});
export type EndAssignmentInput = z.output<typeof endAssignmentSchema>;

// ---------------------------------------------------------------------------------------------
// Lists

/** Coaches per page in the coverage board's load table. */
export const COACH_LOAD_PAGE_SIZE = 25;

/** Coach list: sort keys and filters understood by the loader and the CSV export. */
export const COACH_SORTS = ["name", "capacity", "load", "free"] as const;
export type CoachSort = (typeof COACH_SORTS)[number];
export const COACH_LIST_SPEC: ListSpec<CoachSort> = {
  sorts: COACH_SORTS,
  defaultSort: "name",
  filters: ["status", "load", "account"],
};
/** `status`: active (default) | inactive | all. `load`: overloaded | full | free. `account`: missing. */
export const LOAD_FILTERS = ["overloaded", "full", "free", "left"] as const;

/** Bulk assignment list: the program's teams with their coaches. */
export const ASSIGNMENT_SORTS = ["team", "unit", "wave"] as const;
export type AssignmentSort = (typeof ASSIGNMENT_SORTS)[number];
export const ASSIGNMENT_LIST_SPEC: ListSpec<AssignmentSort> = {
  sorts: ASSIGNMENT_SORTS,
  defaultSort: "team",
  filters: ["wave", "unit", "primary", "coach"],
};

/**
 * Coverage board's gap list: teams of the current and next wave without a current primary coach
 * (`wave`: current | next | empty for both). `load` and `cpage` belong to the board's coach
 * table; they are declared here so that the gap list's links keep them.
 */
export const GAP_SORTS = ["team", "unit", "wave"] as const;
export type GapSort = (typeof GAP_SORTS)[number];
// The board shows two lists on one screen: 25 rows of each by default.
export const GAP_LIST_SPEC: ListSpec<GapSort> = {
  sorts: GAP_SORTS,
  defaultSort: "wave",
  filters: ["wave", "unit", "load", "cpage"],
  defaultSize: 25,
};

/** Coaching activity: per team or per coach, the last 12 weeks. */
export const ACTIVITY_WEEKS = 12;
export const QUIET_WEEK_CHOICES = [1, 2, 3, 4, 6, 8, 12] as const;
export const DEFAULT_QUIET_WEEKS = 4;
export const ACTIVITY_SORTS = ["name", "unit", "wave", "sessions", "last"] as const;
export type ActivitySort = (typeof ACTIVITY_SORTS)[number];
export const ACTIVITY_LIST_SPEC: ListSpec<ActivitySort> = {
  sorts: ACTIVITY_SORTS,
  defaultSort: "name",
  filters: ["view", "wave", "unit", "weeks", "quiet"],
};

/** The `weeks` filter: one of the offered choices, else the default. */
export function quietWeeks(value: string | undefined): number {
  const n = Number(value);
  return (QUIET_WEEK_CHOICES as readonly number[]).includes(n) ? n : DEFAULT_QUIET_WEEKS;
}

/** The `view` filter of the activity page: "teams" (default) or "coaches". */
export function activityView(value: string | undefined): "teams" | "coaches" {
  return value === "coaches" ? "coaches" : "teams";
}
