import { sql } from "kysely";
import type { CheckInConfidence, KeyResultDirection, KeyResultKind, OnboardingStatus, Role } from "../../../db/schema";
import { currentChecklists, type TeamChecklist } from "~/models/cycles/checklist.server";
import { flagsOf, type Flags } from "~/models/cycles/checkin-flags";
import { calendarEvents } from "~/models/cycles/cycles.server";
import { teamEnablementGaps } from "~/models/enablement/coverage.server";
import { myEnablement } from "~/models/enablement/mine.server";
import { instantToZoned } from "~/models/enablement/zoned-time";
import { getTeamPlaces } from "~/models/plan/program-teams.server";
import { addDays, type Day } from "~/utils/dates";
import type { DB } from "~/utils/db.server";

// The home of a team lead and of a team member (issue 18): their team's place in the rollout and
// its coach, the current cycle's checklist, what comes next (cycle events that apply to the team,
// training sessions they are on the roster of), the key results they check in on — with a direct
// link to the team's check-in screen — and the training the team (or the member) still lacks.
//
// Whose team: the teams the account's person leads, and the team the person belongs to. Nothing
// else: a team lead never sees another team here. A bounded number of queries whatever the
// number of teams (at most MAX_TEAMS are shown).

export const MAX_TEAMS = 10;
/** How far ahead "upcoming" looks, and how many events it lists. */
export const UPCOMING_DAYS = 60;
export const UPCOMING_LIMIT = 8;

export interface HomeTeam {
  teamId: string;
  teamName: string;
  unitName: string;
  relation: "lead" | "member";
  waveName: string | null;
  status: OnboardingStatus;
  coaches: Array<{ name: string; email: string; kind: "primary" | "secondary" }>;
  checklist: TeamChecklist | null;
  /** "3 of 8 members lack Fundamentals" (the team lead's view); empty for a member. */
  trainingGaps: string[];
}

export interface HomeKeyResult {
  id: string;
  title: string;
  teamId: string;
  objectiveTitle: string;
  kind: KeyResultKind;
  currentValue: number | null;
  targetValue: number | null;
  unit: string;
  milestoneDone: boolean;
  ownerName: string | null;
  lastCheckInAt: Date | null;
  lastConfidence: CheckInConfidence | null;
  flags: Flags;
}

export interface HomeEvent {
  key: string;
  kind: "cycle" | "training";
  title: string;
  day: Day;
  time: string | null;
  where: string;
  /** "Your team's wave", "Everyone", "You are invited"… */
  note: string;
}

export interface TeamHome {
  /** False when no person record is linked to the account (the PLO links it). */
  linked: boolean;
  teams: HomeTeam[];
  cycle: { id: string; name: string; startsOn: Day; endsOn: Day } | null;
  /** The key results the viewer checks in on (all of the teams they lead, the ones they own), most urgent first. */
  keyResults: HomeKeyResult[];
  events: HomeEvent[];
  /** The viewer's own training still to do (a member's view; a lead sees the team's gaps). */
  myTraining: Array<{ moduleTitle: string; state: string; dueOn: Day | null }>;
}

export async function teamHome(db: DB, user: { id: string; role: Role }, programId: string, today: Day): Promise<TeamHome> {
  const person = await db
    .selectFrom("people")
    .select(["id", "team_id as teamId"])
    .where("user_id", "=", user.id)
    .where("archived_at", "is", null)
    .executeTakeFirst();
  const empty: TeamHome = { linked: false, teams: [], cycle: null, keyResults: [], events: [], myTraining: [] };
  if (!person) return empty;

  // The teams they lead (as a team lead) and the one they belong to.
  const related = await db
    .selectFrom("teams as t")
    .select(["t.id", sql<boolean>`t.lead_person_id is not distinct from ${person.id}`.as("leads")])
    .where("t.archived_at", "is", null)
    .where((eb) => eb.or([eb("t.lead_person_id", "=", person.id), ...(person.teamId ? [eb("t.id", "=", person.teamId)] : [])]))
    .orderBy("t.name")
    .limit(MAX_TEAMS)
    .execute();
  const leads = new Set(related.filter((r) => r.leads && user.role === "team_lead").map((r) => r.id));
  const teamIds = related.map((r) => r.id);

  const [places, coaches, { cycle, checklists }, gaps, events, training, mine] = await Promise.all([
    getTeamPlaces(db, programId, teamIds),
    teamIds.length === 0
      ? Promise.resolve([])
      : db
          .selectFrom("coach_assignments as a")
          .innerJoin("coaches as c", "c.id", "a.coach_id")
          .innerJoin("people as p", "p.id", "c.person_id")
          .select(["a.team_id as teamId", "p.name", "p.email", "a.kind"])
          .where("a.program_id", "=", programId)
          .where("a.team_id", "in", teamIds)
          .where("a.starts_on", "<=", today)
          .where((eb) => eb.or([eb("a.ends_on", "is", null), eb("a.ends_on", ">=", today)]))
          .orderBy("a.kind")
          .orderBy("p.name")
          .limit(MAX_TEAMS * 4)
          .execute(),
    currentChecklists(db, programId, teamIds, today),
    leads.size > 0 ? teamEnablementGaps(db, programId, [...leads], today) : Promise.resolve(new Map<string, never[]>()),
    calendarEvents(db, programId, today, addDays(today, UPCOMING_DAYS), { teamIds, limit: UPCOMING_LIMIT * 2 }),
    upcomingTraining(db, programId, person.id, user.id),
    user.role === "member" ? myEnablement(db, programId, user.id, today) : Promise.resolve(null),
  ]);

  const keyResults = cycle ? await keyResultsToCheckIn(db, cycle, teamIds, leads, person.id, today) : [];

  const teams: HomeTeam[] = places.map((p) => ({
    teamId: p.teamId,
    teamName: p.teamName,
    unitName: p.unitName,
    relation: leads.has(p.teamId) ? "lead" : "member",
    waveName: p.waveName,
    status: p.status,
    coaches: coaches.filter((c) => c.teamId === p.teamId).map((c) => ({ name: c.name, email: c.email, kind: c.kind })),
    checklist: checklists.find((c) => c.teamId === p.teamId) ?? null,
    trainingGaps: (gaps.get(p.teamId) ?? []).map((g) => g.text),
  }));

  const cycleEvents: HomeEvent[] = events
    .filter((e) => e.state !== "cancelled")
    .map((e) => ({
      key: `event-${e.id}`,
      kind: "cycle" as const,
      title: `${e.label} (${e.cycleName})`,
      day: e.occursOn,
      time: e.startsAt,
      where: e.location,
      note: e.scope === "all" ? "Every team" : e.scope === "wave" ? `${e.waveName ?? "Your wave"}` : `${e.unitName ?? "Your unit"}`,
    }));
  const upcoming = [...cycleEvents, ...training]
    .sort((a, b) => a.day.localeCompare(b.day) || (a.time ?? "").localeCompare(b.time ?? ""))
    .slice(0, UPCOMING_LIMIT);

  return {
    linked: true,
    teams,
    cycle: cycle ? { id: cycle.id, name: cycle.name, startsOn: cycle.startsOn, endsOn: cycle.endsOn } : null,
    keyResults,
    events: upcoming,
    myTraining: (mine?.states ?? [])
      .filter((s) => s.state !== "met" && s.state !== "waived")
      .map((s) => ({ moduleTitle: s.moduleTitle, state: s.state, dueOn: s.dueOn })),
  };
}

/** Training sessions of the program still to come that the person is on the roster of (or trains). One query. */
async function upcomingTraining(db: DB, programId: string, personId: string, userId: string): Promise<HomeEvent[]> {
  const rows = await db
    .selectFrom("enablement_sessions as s")
    .innerJoin("enablement_modules as m", "m.id", "s.module_id")
    .leftJoin("enablement_roster as r", (join) => join.onRef("r.session_id", "=", "s.id").on("r.person_id", "=", personId))
    .select(["s.id", "m.title", "s.starts_at", "s.time_zone", "s.location", "s.trainer_user_id", "r.status"])
    .where("s.program_id", "=", programId)
    .where("s.state", "!=", "cancelled")
    .where("s.starts_at", ">=", sql<Date>`now()`)
    .where((eb) => eb.or([eb("s.trainer_user_id", "=", userId), eb("r.status", "in", ["invited", "registered", "waitlisted"] as const)]))
    .orderBy("s.starts_at")
    .limit(UPCOMING_LIMIT)
    .execute();
  return rows.map((r) => {
    const local = instantToZoned(new Date(r.starts_at), r.time_zone);
    return {
      key: `training-${r.id}`,
      kind: "training" as const,
      title: `Training: ${r.title}`,
      day: local.day,
      time: local.time,
      where: r.location,
      note:
        r.trainer_user_id === userId
          ? "You train"
          : r.status === "registered"
            ? "You are registered"
            : r.status === "waitlisted"
              ? "You are on the waiting list"
              : "You are invited",
    };
  });
}

/**
 * The key results of the current cycle the viewer checks in on: every one of the teams they lead,
 * and the ones they own in their own team. Stale and at-risk ones first. One query.
 */
async function keyResultsToCheckIn(
  db: DB,
  cycle: { id: string; startsOn: Day; endsOn: Day; state: string },
  teamIds: readonly string[],
  leads: ReadonlySet<string>,
  personId: string,
  today: Day,
): Promise<HomeKeyResult[]> {
  if (teamIds.length === 0) return [];
  const rows = await db
    .selectFrom("key_results as kr")
    .innerJoin("objectives as o", "o.id", "kr.objective_id")
    .innerJoin("cycles as c", "c.id", "o.cycle_id")
    .leftJoin("people as p", "p.id", "kr.owner_person_id")
    .select([
      "kr.id",
      "kr.title",
      "o.team_id as teamId",
      "o.title as objectiveTitle",
      "o.state as objectiveState",
      "kr.kind",
      "kr.start_value as startValue",
      "kr.target_value as targetValue",
      "kr.current_value as currentValue",
      "kr.unit",
      "kr.direction",
      "kr.milestone_done as milestoneDone",
      "p.name as ownerName",
      "kr.owner_person_id as ownerPersonId",
      "kr.last_check_in_at as lastCheckInAt",
      "kr.last_confidence as lastConfidence",
      "c.checkin_cadence_days as cadence",
    ])
    .where("o.cycle_id", "=", cycle.id)
    .where("o.level", "=", "team")
    .where("o.state", "not in", ["abandoned", "achieved"])
    .where("o.team_id", "in", [...teamIds])
    .where((eb) => eb.or([...(leads.size > 0 ? [eb("o.team_id", "in", [...leads])] : []), eb("kr.owner_person_id", "=", personId)]))
    .orderBy("o.position")
    .orderBy("kr.position")
    .orderBy("kr.id")
    .limit(100)
    .execute();
  const clock = (cadence: number) => ({ startsOn: cycle.startsOn, endsOn: cycle.endsOn, state: cycle.state, checkinCadenceDays: cadence });
  const list = rows.map((r) => ({
    id: r.id,
    title: r.title,
    teamId: r.teamId ?? "",
    objectiveTitle: r.objectiveTitle,
    kind: r.kind,
    currentValue: r.currentValue,
    targetValue: r.targetValue,
    unit: r.unit,
    milestoneDone: r.milestoneDone,
    ownerName: r.ownerName,
    lastCheckInAt: r.lastCheckInAt,
    lastConfidence: r.lastConfidence,
    flags: flagsOf({ ...r, direction: r.direction as KeyResultDirection }, clock(r.cadence), today),
  }));
  const urgency = (kr: HomeKeyResult) => (kr.flags.stale ? 0 : 1) + (kr.flags.atRisk ? 0 : 2);
  return list.sort((a, b) => urgency(a) - urgency(b));
}
