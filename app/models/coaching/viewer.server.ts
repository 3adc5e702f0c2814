import type { Role } from "../../../db/schema";
import type { DB } from "~/utils/db.server";
import { can } from "~/utils/permissions";

// Who the current user is as a coach of a program. Ownership of sessions and escalations is
// decided in the models, not in the routes: every function there takes the CoachingViewer (the
// user, whether their role manages coaching, and their coach row in this program, if any) and
// throws ForbiddenError (→ 403) or FieldError (→ 400 on a field).

export interface CoachRef {
  id: string;
  personId: string;
  name: string;
  email: string;
  active: boolean;
}

/** The user looking at coaching pages of one program. */
export interface CoachingViewer {
  userId: string;
  name: string;
  role: Role;
  /** The role manages coaching (admin, PLO): sees every coach's sessions, logs for anyone, answers escalations. */
  manage: boolean;
  /** The user's coach row in this program (through their person record), or null. */
  coach: CoachRef | null;
}

/**
 * The current user's coach row in a program: coaches where person_id is the person linked to the
 * user's account and program_id is this program. Null when the user coaches nothing here.
 */
export async function coachForUser(db: DB, userId: string, programId: string): Promise<CoachRef | null> {
  const row = await db
    .selectFrom("coaches as c")
    .innerJoin("people as p", "p.id", "c.person_id")
    .select(["c.id", "c.person_id as personId", "p.name", "p.email", "c.active"])
    .where("p.user_id", "=", userId)
    .where("c.program_id", "=", programId)
    .orderBy("c.active", "desc")
    .orderBy("c.created_at")
    .limit(1)
    .executeTakeFirst();
  return row ?? null;
}

export async function loadViewer(db: DB, user: { id: string; name: string; role: Role }, programId: string): Promise<CoachingViewer> {
  return {
    userId: user.id,
    name: user.name,
    role: user.role,
    manage: can(user.role, "coaching:manage"),
    coach: await coachForUser(db, user.id, programId),
  };
}

/** A coach of the program by id (for the PLO viewing a coach's home); null when not in the program. */
export async function getCoachRef(db: DB, programId: string, coachId: string): Promise<CoachRef | null> {
  const row = await db
    .selectFrom("coaches as c")
    .innerJoin("people as p", "p.id", "c.person_id")
    .select(["c.id", "c.person_id as personId", "p.name", "p.email", "c.active"])
    .where("c.id", "=", coachId)
    .where("c.program_id", "=", programId)
    .executeTakeFirst();
  return row ?? null;
}
