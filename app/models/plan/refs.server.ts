import type { DB } from "~/utils/db.server";
import { findPersonByEmail } from "~/models/org/teams.server";
import { NO_PERSON_MESSAGE, UNKNOWN_WAVE_MESSAGE } from "~/validation/plan-details";
import { FieldError } from "~/models/errors";

// References from the plan's records (milestones, risks, stakeholders) to the organization and
// the plan: an owner or stakeholder named by email, a wave named by id. One copy for all three.

/** The active person with this email, or null (the organization's lookup; archived people don't count). */
export async function findActivePerson(db: DB, email: string): Promise<{ id: string; name: string; email: string } | null> {
  const person = await findPersonByEmail(db, email);
  return person && !person.archived_at ? { id: person.id, name: person.name, email: person.email } : null;
}

/** Resolves an optional owner email to a person id; an unknown email is a FieldError on `field`. */
export async function resolveOwner(db: DB, email: string | null, field = "ownerEmail"): Promise<{ id: string; name: string } | null> {
  if (!email) return null;
  const person = await findActivePerson(db, email);
  if (!person) throw FieldError.on(field, NO_PERSON_MESSAGE);
  return person;
}

export interface WaveOption {
  id: string;
  name: string;
  position: number;
  startsOn: string | null;
  endsOn: string | null;
}

/** The program's waves in order, for "tied to a wave" selects and filters. */
export async function listWaveOptions(db: DB, programId: string): Promise<WaveOption[]> {
  return db
    .selectFrom("waves")
    .select(["id", "name", "position", "starts_on as startsOn", "ends_on as endsOn"])
    .where("program_id", "=", programId)
    .orderBy("position")
    .orderBy("name")
    .execute();
}

/** Checks that an optional wave id names a wave of this program. */
export async function resolveWave(
  db: DB,
  programId: string,
  waveId: string | null,
  field = "waveId",
): Promise<{ id: string; name: string } | null> {
  if (!waveId) return null;
  const wave = await db
    .selectFrom("waves")
    .select(["id", "name"])
    .where("id", "=", waveId)
    .where("program_id", "=", programId)
    .executeTakeFirst();
  if (!wave) throw FieldError.on(field, UNKNOWN_WAVE_MESSAGE);
  return wave;
}
