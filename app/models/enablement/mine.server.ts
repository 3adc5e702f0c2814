import { sql } from "kysely";
import type { Audience, Necessity, RosterStatus } from "../../../db/schema";
import type { Day } from "~/utils/dates";
import { prepared, type DB } from "~/utils/db.server";
import { asDay, statesCte, type RequirementState } from "./resolve.server";
import { instantToZoned } from "./zoned-time";

// "What I still need": a person's requirements with their state, the upcoming sessions of the
// modules they lack, and their roster (for feedback on sessions they attended). One query — the
// person, their states (./resolve.server), the sessions and the roster — read on every visit with
// the same text whoever asks: a prepared statement (ADR 0026).

/** What the page shows of one of the person's requirement states. */
export interface MyRequirementState {
  requirementId: string;
  moduleId: string;
  moduleTitle: string;
  necessity: Necessity;
  audience: Audience;
  state: RequirementState;
  dueOn: Day | null;
  completedOn: Day | null;
}

export interface MyEnablement {
  personId: string | null;
  /** In due order (as `personStates`). */
  states: MyRequirementState[];
  upcoming: Array<{
    id: string;
    moduleId: string;
    moduleTitle: string;
    localDay: string;
    localTime: string;
    timeZone: string;
    location: string;
    url: string;
  }>;
  roster: Array<{ sessionId: string; moduleTitle: string; localDay: string; status: RosterStatus; feedbackGiven: boolean }>;
}

/** Upcoming sessions listed, at most (of the modules the person lacks, soonest first). */
const UPCOMING_LIMIT = 20;
/** The person's roster rows listed, at most (latest session first). */
const ROSTER_LIMIT = 50;

interface Row {
  person_id: string;
  states: Array<Omit<MyRequirementState, "dueOn" | "completedOn"> & { dueOn: string | null; completedOn: string | null }>;
  upcoming: Array<Omit<MyEnablement["upcoming"][number], "localDay" | "localTime"> & { startsAt: string }>;
  roster: Array<{
    sessionId: string;
    moduleTitle: string;
    startsAt: string;
    timeZone: string;
    status: RosterStatus;
    feedbackGiven: boolean;
  }>;
}

export async function myEnablement(db: DB, programId: string, userId: string, today: Day): Promise<MyEnablement> {
  const cte = statesCte(programId, today, { userId });
  const { rows } = await prepared(sql<Row>`${cte},
    lacking as (select distinct module_id from states where state not in ('met', 'waived'))
    select me.id as person_id,
      (select coalesce(json_agg(json_build_object('requirementId', s.requirement_id, 'moduleId', s.module_id, 'moduleTitle', m.title,
          'necessity', s.necessity, 'audience', s.audience, 'state', s.state, 'dueOn', s.due_on, 'completedOn', s.completed_on)
          order by s.due_on nulls last, m.title, s.requirement_id), '[]'::json)
        from states s join enablement_modules m on m.id = s.module_id) as states,
      (select coalesce(json_agg(json_build_object('id', u.id, 'moduleId', u.module_id, 'moduleTitle', u.title, 'startsAt', u.starts_at,
          'timeZone', u.time_zone, 'location', u.location, 'url', u.url) order by u.starts_at, u.id), '[]'::json)
        from (select s.id, s.module_id, m.title, s.starts_at, s.time_zone, s.location, s.url
          from enablement_sessions s join enablement_modules m on m.id = s.module_id
          where s.program_id = ${programId} and s.module_id in (select module_id from lacking)
            and s.state in ('open', 'planned', 'full') and s.starts_at >= now()
          order by s.starts_at, s.id limit ${UPCOMING_LIMIT}) u) as upcoming,
      (select coalesce(json_agg(json_build_object('sessionId', r.session_id, 'moduleTitle', r.title, 'startsAt', r.starts_at,
          'timeZone', r.time_zone, 'status', r.status, 'feedbackGiven', r.feedback_given) order by r.starts_at desc, r.session_id), '[]'::json)
        from (select r.session_id, m.title, s.starts_at, s.time_zone, r.status,
            exists (select 1 from enablement_feedback f where f.session_id = r.session_id and f.person_id = r.person_id) as feedback_given
          from enablement_roster r join enablement_sessions s on s.id = r.session_id join enablement_modules m on m.id = s.module_id
          where r.person_id = me.id and s.program_id = ${programId}
          order by s.starts_at desc, r.session_id limit ${ROSTER_LIMIT}) r) as roster
    from people me where me.user_id = ${userId} and me.archived_at is null`).execute(db);
  const row = rows[0];
  if (!row) return { personId: null, states: [], upcoming: [], roster: [] };
  return {
    personId: row.person_id,
    states: row.states.map((s) => ({ ...s, dueOn: asDay(s.dueOn), completedOn: asDay(s.completedOn) })),
    upcoming: row.upcoming.map(({ startsAt, ...s }) => ({ ...s, ...zoned(startsAt, s.timeZone) })),
    roster: row.roster.map((r) => ({
      sessionId: r.sessionId,
      moduleTitle: r.moduleTitle,
      localDay: zoned(r.startsAt, r.timeZone).localDay,
      status: r.status,
      feedbackGiven: r.feedbackGiven,
    })),
  };
}

function zoned(at: Date | string, timeZone: string) {
  const local = instantToZoned(new Date(at), timeZone);
  return { localDay: local.day, localTime: local.time };
}
