import { sql } from "kysely";
import type { OnboardingStatus, SessionType } from "../../../db/schema";
import type { DB } from "~/utils/db.server";
import { addDays } from "~/utils/dates";

// My teams, a coach's home: the teams a coach is assigned to today and what each needs next from
// its coach, derived from its onboarding status and the sessions logged with it.

/** The session types whose last date the next-step rules look at. */
const TRACKED_TYPES = [
  "drafting",
  "alignment",
  "check_in",
  "review",
  "retrospective",
  "training",
] as const satisfies readonly SessionType[];
type TrackedType = (typeof TRACKED_TYPES)[number];

export interface TeamSessionFacts {
  status: OnboardingStatus;
  /** The team's last session in this program, by any coach. */
  lastSessionOn: string | null;
  /** The last session of each tracked type. */
  lastByType: Record<TrackedType, string | null>;
}

export interface NextStep {
  /** Short, stable code (for tests and styling). */
  code:
    | "kickoff"
    | "no_session"
    | "no_training"
    | "no_drafting"
    | "no_alignment"
    | "no_check_in"
    | "check_in_gap"
    | "no_review"
    | "stale"
    | "waiting"
    | "on_track";
  text: string;
  /** Something the coach should act on (otherwise it's information). */
  attention: boolean;
}

/** A session in the last `days` days counts as recent. */
export const STALE_AFTER_DAYS = 28;
export const SELF_SUFFICIENT_STALE_AFTER_DAYS = 84;
export const CHECK_IN_CADENCE_DAYS = 28;
export const REVIEW_WITHIN_DAYS = 100;

/**
 * What a team needs next from its coach, derived from its onboarding status and the sessions
 * logged with it (by any coach of the program). The rules, in order; every rule that applies is
 * listed, the first one is "the" next step:
 *
 * 1. No session at all: a team not started needs a kick-off with its lead ("Not started yet: plan
 *    a kick-off with the team lead."); any other team "No session logged yet."
 * 2. What the onboarding phase needs, by session type:
 *    - onboarding: a training session, then a drafting session;
 *    - first cycle: drafting, then alignment, then a check-in cadence: no check-in ever is
 *      "First cycle: check-in cadence not yet seen.", none in the last 4 weeks is a gap;
 *    - running: a review or retrospective within the last quarter (100 days);
 *    - self-sufficient: nothing by type.
 * 3. Staleness: no session in 4 weeks (12 weeks for a self-sufficient team).
 * 4. Otherwise: a not-started team is "waiting to start"; any other team is on track.
 */
export function nextSteps(facts: TeamSessionFacts, today: string): NextStep[] {
  const steps: NextStep[] = [];
  const since = (days: number) => addDays(today, -days);
  const { status, lastSessionOn, lastByType } = facts;
  if (!lastSessionOn) {
    return status === "not_started"
      ? [{ code: "kickoff", text: "Not started yet: plan a kick-off with the team lead.", attention: true }]
      : [{ code: "no_session", text: "No session logged yet.", attention: true }];
  }
  const missing = (type: TrackedType, code: NextStep["code"], text: string) => {
    if (!lastByType[type]) steps.push({ code, text, attention: true });
  };
  switch (status) {
    case "onboarding":
      missing("training", "no_training", "No training session logged yet: introduce OKRs to the team.");
      missing("drafting", "no_drafting", "No drafting session logged yet.");
      break;
    case "first_cycle":
      missing("drafting", "no_drafting", "No drafting session logged yet.");
      missing("alignment", "no_alignment", "No alignment session logged yet.");
      if (!lastByType.check_in) steps.push({ code: "no_check_in", text: "First cycle: check-in cadence not yet seen.", attention: true });
      else if (lastByType.check_in < since(CHECK_IN_CADENCE_DAYS)) {
        steps.push({ code: "check_in_gap", text: "First cycle: no check-in in 4 weeks.", attention: true });
      }
      break;
    case "running": {
      const lastReview = [lastByType.review, lastByType.retrospective].filter(Boolean).sort().at(-1);
      if (!lastReview || lastReview < since(REVIEW_WITHIN_DAYS)) {
        steps.push({ code: "no_review", text: "No review or retrospective in the last quarter.", attention: true });
      }
      break;
    }
    default:
      break;
  }
  const staleDays = status === "self_sufficient" ? SELF_SUFFICIENT_STALE_AFTER_DAYS : STALE_AFTER_DAYS;
  if (lastSessionOn < since(staleDays)) {
    steps.push({
      code: "stale",
      text: status === "self_sufficient" ? "No session in 12 weeks." : "No session in 4 weeks.",
      attention: status !== "not_started",
    });
  }
  if (steps.length === 0) {
    steps.push(
      status === "not_started"
        ? { code: "waiting", text: "Waiting for the team to start onboarding.", attention: false }
        : { code: "on_track", text: "On track: nothing due.", attention: false },
    );
  }
  return steps;
}

export interface CoachedTeam extends TeamSessionFacts {
  teamId: string;
  teamName: string;
  unitName: string | null;
  kind: string;
  startsOn: string;
  endsOn: string | null;
  waveName: string | null;
  sessionCount: number;
  steps: NextStep[];
}

/**
 * The teams a coach is assigned to today, with wave, onboarding status, the last session and
 * what each needs next. One query: the session facts come from a lateral aggregate per team.
 */
export async function listMyTeams(db: DB, coachId: string, programId: string, today: string): Promise<CoachedTeam[]> {
  const rows = await db
    .selectFrom("coach_assignments as a")
    .innerJoin("teams as t", "t.id", "a.team_id")
    .leftJoin("org_units as u", "u.id", "t.unit_id")
    .leftJoin("program_teams as pt", (join) => join.onRef("pt.team_id", "=", "a.team_id").onRef("pt.program_id", "=", "a.program_id"))
    .leftJoin("waves as w", "w.id", "pt.wave_id")
    .leftJoinLateral(
      (eb) =>
        eb
          .selectFrom("support_sessions as s")
          .select([
            sql<string | null>`max(s.held_on)`.as("lastSessionOn"),
            sql<number>`count(*)::int`.as("sessionCount"),
            ...TRACKED_TYPES.map((type) => sql<string | null>`max(s.held_on) filter (where s.type = ${type})`.as(`last_${type}`)),
          ])
          .whereRef("s.team_id", "=", "a.team_id")
          .whereRef("s.program_id", "=", "a.program_id")
          .as("agg"),
      (join) => join.onTrue(),
    )
    .select([
      "a.team_id as teamId",
      "t.name as teamName",
      "u.name as unitName",
      "a.kind",
      "a.starts_on as startsOn",
      "a.ends_on as endsOn",
      "w.name as waveName",
      sql<OnboardingStatus>`coalesce(pt.status, 'not_started')`.as("status"),
      "agg.lastSessionOn",
      "agg.sessionCount",
      ...TRACKED_TYPES.map((type) => sql.ref<string | null>(`agg.last_${type}`).as(`last_${type}`)),
    ])
    .where("a.coach_id", "=", coachId)
    .where("a.program_id", "=", programId)
    .where("a.starts_on", "<=", today)
    .where((eb) => eb.or([eb("a.ends_on", "is", null), eb("a.ends_on", ">=", today)]))
    .orderBy(sql`lower(t.name)`)
    .orderBy("t.id")
    .orderBy("a.kind")
    .execute();
  const seen = new Set<string>();
  const teams: CoachedTeam[] = [];
  for (const row of rows as Array<(typeof rows)[number] & Record<string, unknown>>) {
    if (seen.has(row.teamId)) continue;
    seen.add(row.teamId);
    const lastByType = Object.fromEntries(TRACKED_TYPES.map((type) => [type, (row[`last_${type}`] as string | null) ?? null])) as Record<
      TrackedType,
      string | null
    >;
    const facts: TeamSessionFacts = { status: row.status, lastSessionOn: row.lastSessionOn ?? null, lastByType };
    teams.push({
      teamId: row.teamId,
      teamName: row.teamName,
      unitName: row.unitName,
      kind: row.kind,
      startsOn: row.startsOn,
      endsOn: row.endsOn,
      waveName: row.waveName,
      sessionCount: Number(row.sessionCount ?? 0),
      ...facts,
      steps: nextSteps(facts, today),
    });
  }
  return teams;
}
