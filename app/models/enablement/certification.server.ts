import { sql } from "kysely";
import type { SessionType } from "../../../db/schema";
import { recordAudit, type Actor } from "~/models/audit/audit.server";
import { FieldError, NotFoundError } from "~/models/errors";
import { addMonths, type Day } from "~/utils/dates";
import { inTransaction, type DB } from "~/utils/db.server";
import type { AwardInput, CertLevelInput } from "~/validation/enablement";
import { personByEmail } from "./requirements.server";

// Coach certification: paths with ranked levels. A level asks for modules completed, a number of
// facilitated support sessions of given types (counted from the coaching log of the program)
// and an assessor's sign-off, which the PLO records as an award; an award may expire (the
// level's validity). A coach's level is the highest-ranked award that has not expired.

export interface LevelRow {
  id: string;
  pathId: string;
  pathName: string;
  name: string;
  rank: number;
  requiredSessions: number;
  sessionTypes: SessionType[];
  validityMonths: number | null;
  moduleIds: string[];
}

export async function listLevels(db: DB, programId: string): Promise<LevelRow[]> {
  const [levels, modules] = await Promise.all([
    db
      .selectFrom("enablement_cert_levels as l")
      .innerJoin("enablement_cert_paths as p", "p.id", "l.path_id")
      .select([
        "l.id",
        "l.path_id as pathId",
        "p.name as pathName",
        "l.name",
        "l.rank",
        "l.required_sessions",
        "l.session_types",
        "l.validity_months",
      ])
      .where("p.program_id", "=", programId)
      .orderBy("p.name")
      .orderBy("l.rank")
      .execute(),
    db
      .selectFrom("enablement_cert_level_modules as lm")
      .innerJoin("enablement_cert_levels as l", "l.id", "lm.level_id")
      .innerJoin("enablement_cert_paths as p", "p.id", "l.path_id")
      .select(["lm.level_id", "lm.module_id"])
      .where("p.program_id", "=", programId)
      .execute(),
  ]);
  return levels.map((l) => ({
    id: l.id,
    pathId: l.pathId,
    pathName: l.pathName,
    name: l.name,
    rank: l.rank,
    requiredSessions: l.required_sessions,
    sessionTypes: l.session_types ? (l.session_types.split(",") as SessionType[]) : [],
    validityMonths: l.validity_months,
    moduleIds: modules.filter((m) => m.level_id === l.id).map((m) => m.module_id),
  }));
}

export async function listPaths(db: DB, programId: string) {
  return db.selectFrom("enablement_cert_paths").select(["id", "name"]).where("program_id", "=", programId).orderBy("name").execute();
}

export async function createPath(db: DB, actor: Actor, programId: string, name: string): Promise<string> {
  return inTransaction(db, async (trx) => {
    const id = crypto.randomUUID();
    await trx.insertInto("enablement_cert_paths").values({ id, program_id: programId, name }).execute();
    await recordAudit(trx, {
      actor,
      action: "enablement.cert_path_created",
      entityType: "enablement_cert_path",
      entityId: id,
      programId,
      summary: `Added certification path “${name}”`,
    });
    return id;
  });
}

export async function createLevel(db: DB, actor: Actor, programId: string, input: CertLevelInput): Promise<string> {
  return inTransaction(db, async (trx) => {
    const path = await trx
      .selectFrom("enablement_cert_paths")
      .select(["id", "name"])
      .where("id", "=", input.pathId)
      .where("program_id", "=", programId)
      .executeTakeFirst();
    if (!path) throw FieldError.on("pathId", "Choose one of this program's certification paths.");
    if (input.moduleIds.length > 0) {
      const found = await trx
        .selectFrom("enablement_modules")
        .select("id")
        .where("program_id", "=", programId)
        .where("id", "in", input.moduleIds)
        .execute();
      if (found.length !== input.moduleIds.length) throw FieldError.on("moduleIds", "Choose modules of this program.");
    }
    const id = crypto.randomUUID();
    await trx
      .insertInto("enablement_cert_levels")
      .values({
        id,
        path_id: path.id,
        name: input.name,
        rank: input.rank,
        required_sessions: input.requiredSessions,
        session_types: input.sessionTypes.join(","),
        validity_months: input.validityMonths,
      })
      .execute();
    if (input.moduleIds.length > 0)
      await trx
        .insertInto("enablement_cert_level_modules")
        .values(input.moduleIds.map((m) => ({ level_id: id, module_id: m })))
        .execute();
    await recordAudit(trx, {
      actor,
      action: "enablement.cert_level_created",
      entityType: "enablement_cert_path",
      entityId: path.id,
      programId,
      summary: `Added level “${input.name}” to “${path.name}”`,
      details: { ...input },
    });
    return id;
  });
}

export interface LevelProgress {
  levelId: string;
  modulesMissing: string[];
  sessionsDone: number;
  sessionsNeeded: number;
  ready: boolean;
}

/** How far a person is towards a level: modules missing (titles), facilitated sessions counted from the coaching log. */
export async function levelProgress(db: DB, programId: string, personId: string, level: LevelRow): Promise<LevelProgress> {
  const [missing, sessions] = await Promise.all([
    level.moduleIds.length === 0
      ? Promise.resolve([])
      : db
          .selectFrom("enablement_modules as m")
          .select("m.title")
          .where("m.id", "in", level.moduleIds)
          .where((eb) =>
            eb.not(
              eb.exists(
                eb
                  .selectFrom("enablement_completions as c")
                  .select("c.id")
                  .whereRef("c.module_id", "=", "m.id")
                  .where("c.person_id", "=", personId),
              ),
            ),
          )
          .orderBy("m.title")
          .execute(),
    (() => {
      let query = db
        .selectFrom("support_sessions as s")
        .innerJoin("coaches as c", "c.id", "s.coach_id")
        .select(sql<number>`count(*)::int`.as("n"))
        .where("s.program_id", "=", programId)
        .where("c.person_id", "=", personId);
      if (level.sessionTypes.length > 0) query = query.where("s.type", "in", level.sessionTypes);
      return query.executeTakeFirstOrThrow();
    })(),
  ]);
  const sessionsDone = Number(sessions.n);
  return {
    levelId: level.id,
    modulesMissing: missing.map((m) => m.title),
    sessionsDone,
    sessionsNeeded: level.requiredSessions,
    ready: missing.length === 0 && sessionsDone >= level.requiredSessions,
  };
}

/** Records the assessor's sign-off: refused (beside the field) while modules or facilitated sessions are missing. */
export async function awardLevel(db: DB, actor: Actor, programId: string, input: AwardInput): Promise<string> {
  return inTransaction(db, async (trx) => {
    const level = (await listLevels(trx, programId)).find((l) => l.id === input.levelId);
    if (!level) throw FieldError.on("levelId", "Choose one of this program's certification levels.");
    const person = await personByEmail(trx, input.email);
    const progress = await levelProgress(trx, programId, person.id, level);
    if (!progress.ready) {
      const gaps = [
        ...(progress.modulesMissing.length ? [`modules not completed: ${progress.modulesMissing.join(", ")}`] : []),
        ...(progress.sessionsDone < progress.sessionsNeeded
          ? [`${progress.sessionsDone} of ${progress.sessionsNeeded} facilitated sessions`]
          : []),
      ];
      throw FieldError.on("email", `${person.name} does not meet “${level.name}” yet: ${gaps.join("; ")}.`);
    }
    const id = crypto.randomUUID();
    const expiresOn = level.validityMonths ? addMonths(input.awardedOn, level.validityMonths) : null;
    await trx
      .insertInto("enablement_cert_awards")
      .values({
        id,
        level_id: level.id,
        person_id: person.id,
        awarded_on: input.awardedOn,
        expires_on: expiresOn,
        assessor_id: actor.id,
        assessor_label: actor.name,
        note: input.note,
      })
      .execute();
    await recordAudit(trx, {
      actor,
      action: "enablement.certified",
      entityType: "enablement_cert_award",
      entityId: id,
      programId,
      summary: `Certified ${person.name} as “${level.name}” (${level.pathName})${expiresOn ? ` until ${expiresOn}` : ""}`,
      details: { personId: person.id, levelId: level.id, awardedOn: input.awardedOn, expiresOn, note: input.note },
    });
    return id;
  });
}

export interface CoachLevel {
  levelName: string;
  pathName: string;
  rank: number;
  expiresOn: Day | null;
}

/** Each person's current (not expired) highest certification in the program: person id → level. One query. */
export async function currentLevels(
  db: DB,
  programId: string,
  today: Day,
  personIds?: readonly string[],
): Promise<Map<string, CoachLevel>> {
  if (personIds && personIds.length === 0) return new Map();
  let query = db
    .selectFrom("enablement_cert_awards as a")
    .innerJoin("enablement_cert_levels as l", "l.id", "a.level_id")
    .innerJoin("enablement_cert_paths as p", "p.id", "l.path_id")
    .select(["a.person_id", "l.name", "p.name as pathName", "l.rank", "a.expires_on"])
    .where("p.program_id", "=", programId)
    .where("a.awarded_on", "<=", today)
    .where((eb) => eb.or([eb("a.expires_on", "is", null), eb("a.expires_on", ">", today)]))
    .orderBy("l.rank", "desc")
    .orderBy("a.awarded_on", "desc");
  if (personIds) query = query.where("a.person_id", "in", personIds);
  const rows = await query.execute();
  const levels = new Map<string, CoachLevel>();
  for (const r of rows)
    if (!levels.has(r.person_id))
      levels.set(r.person_id, { levelName: r.name, pathName: r.pathName, rank: r.rank, expiresOn: r.expires_on });
  return levels;
}

export interface AwardRow {
  id: string;
  personName: string;
  levelName: string;
  pathName: string;
  awardedOn: Day;
  expiresOn: Day | null;
  assessorLabel: string;
}

export async function listAwards(db: DB, programId: string): Promise<AwardRow[]> {
  return db
    .selectFrom("enablement_cert_awards as a")
    .innerJoin("enablement_cert_levels as l", "l.id", "a.level_id")
    .innerJoin("enablement_cert_paths as p", "p.id", "l.path_id")
    .innerJoin("people as pe", "pe.id", "a.person_id")
    .select([
      "a.id",
      "pe.name as personName",
      "l.name as levelName",
      "p.name as pathName",
      "a.awarded_on as awardedOn",
      "a.expires_on as expiresOn",
      "a.assessor_label as assessorLabel",
    ])
    .where("p.program_id", "=", programId)
    .orderBy("a.awarded_on", "desc")
    .limit(200)
    .execute();
}

/**
 * The warning for the PLO when assigning a coach without a current certification to teams of
 * a wave that requires certified coaches (a "coaches certified" entry criterion); null when fine.
 */
export async function certificationWarning(
  db: DB,
  programId: string,
  coachId: string,
  teamIds: readonly string[],
  today: Day,
): Promise<string | null> {
  if (teamIds.length === 0) return null;
  const coach = await db
    .selectFrom("coaches as c")
    .innerJoin("people as p", "p.id", "c.person_id")
    .select(["c.person_id", "p.name"])
    .where("c.id", "=", coachId)
    .where("c.program_id", "=", programId)
    .executeTakeFirst();
  if (!coach) throw new NotFoundError("This coach does not exist in the program.");
  const waves = await db
    .selectFrom("program_teams as pt")
    .innerJoin("waves as w", "w.id", "pt.wave_id")
    .innerJoin("wave_criteria as c", "c.wave_id", "w.id")
    .select("w.name")
    .distinct()
    .where("pt.program_id", "=", programId)
    .where("pt.team_id", "in", teamIds)
    .where("c.kind", "=", "coaches_certified")
    .execute();
  if (waves.length === 0) return null;
  const level = await currentLevels(db, programId, today, [coach.person_id]);
  if (level.has(coach.person_id)) return null;
  return `${coach.name} is not a certified coach, and ${waves.map((w) => `“${w.name}”`).join(", ")} ${waves.length === 1 ? "requires" : "require"} certified coaches.`;
}

/** The current certification of each of these coaches (by coach id), for the coverage board. One query. */
export async function coachLevels(db: DB, programId: string, coachIds: readonly string[], today: Day): Promise<Record<string, CoachLevel>> {
  if (coachIds.length === 0) return {};
  const coaches = await db
    .selectFrom("coaches")
    .select(["id", "person_id"])
    .where("program_id", "=", programId)
    .where("id", "in", coachIds)
    .execute();
  const levels = await currentLevels(
    db,
    programId,
    today,
    coaches.map((c) => c.person_id),
  );
  const result: Record<string, CoachLevel> = {};
  for (const c of coaches) {
    const level = levels.get(c.person_id);
    if (level) result[c.id] = level;
  }
  return result;
}
