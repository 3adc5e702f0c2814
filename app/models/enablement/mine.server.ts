import { sql } from "kysely";
import type { RosterStatus } from "../../../db/schema";
import type { Day } from "~/utils/dates";
import type { DB } from "~/utils/db.server";
import { personStates, type PersonRequirementState } from "./resolve.server";
import { instantToZoned } from "./zoned-time";

// "What I still need": a person's requirements with their state, the upcoming sessions of the
// modules they lack, and their roster (for feedback on sessions they attended).

export interface MyEnablement {
  personId: string | null;
  states: PersonRequirementState[];
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

export async function myEnablement(db: DB, programId: string, userId: string, today: Day): Promise<MyEnablement> {
  const person = await db
    .selectFrom("people")
    .select("id")
    .where("user_id", "=", userId)
    .where("archived_at", "is", null)
    .executeTakeFirst();
  if (!person) return { personId: null, states: [], upcoming: [], roster: [] };
  const states = await personStates(db, programId, person.id, today);
  const lacking = [...new Set(states.filter((s) => s.state !== "met" && s.state !== "waived").map((s) => s.moduleId))];
  const [upcoming, roster] = await Promise.all([
    lacking.length === 0
      ? Promise.resolve([])
      : db
          .selectFrom("enablement_sessions as s")
          .innerJoin("enablement_modules as m", "m.id", "s.module_id")
          .select([
            "s.id",
            "s.module_id as moduleId",
            "m.title as moduleTitle",
            "s.starts_at",
            "s.time_zone as timeZone",
            "s.location",
            "s.url",
          ])
          .where("s.program_id", "=", programId)
          .where("s.module_id", "in", lacking)
          .where("s.state", "in", ["open", "planned", "full"])
          .where("s.starts_at", ">=", sql<Date>`now()`)
          .orderBy("s.starts_at")
          .limit(20)
          .execute(),
    db
      .selectFrom("enablement_roster as r")
      .innerJoin("enablement_sessions as s", "s.id", "r.session_id")
      .innerJoin("enablement_modules as m", "m.id", "s.module_id")
      .select([
        "r.session_id as sessionId",
        "m.title as moduleTitle",
        "s.starts_at",
        "s.time_zone",
        "r.status",
        sql<boolean>`exists (select 1 from enablement_feedback f where f.session_id = r.session_id and f.person_id = r.person_id)`.as(
          "feedbackGiven",
        ),
      ])
      .where("r.person_id", "=", person.id)
      .where("s.program_id", "=", programId)
      .orderBy("s.starts_at", "desc")
      .limit(50)
      .execute(),
  ]);
  return {
    personId: person.id,
    states,
    upcoming: upcoming.map(({ starts_at, ...s }) => ({ ...s, ...zoned(starts_at, s.timeZone) })),
    roster: roster.map((r) => ({
      sessionId: r.sessionId,
      moduleTitle: r.moduleTitle,
      localDay: zoned(r.starts_at, r.time_zone).localDay,
      status: r.status,
      feedbackGiven: Boolean(r.feedbackGiven),
    })),
  };
}

function zoned(at: Date | string, timeZone: string) {
  const local = instantToZoned(new Date(at), timeZone);
  return { localDay: local.day, localTime: local.time };
}
