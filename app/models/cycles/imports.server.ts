import { sql } from "kysely";
import { cleanFileName } from "~/utils/file-names";
import type { CycleImportKind } from "../../../db/schema";
import { recordAudit } from "~/models/audit/audit.server";
import { ConflictError, FieldError, ForbiddenError, NotFoundError } from "~/models/errors";
import type { Day } from "~/utils/dates";
import { inTransaction, type DB } from "~/utils/db.server";
import { can } from "~/utils/permissions";
import { actorOf, teamRights, type OkrViewer } from "./access.server";
import { COACH_NO_PROGRESS, getCycleRef, mayCheckIn, progressRights, type CycleRef } from "./checkins.server";
import { parseCheckInCsv, parseOkrCsv, type LineError } from "./import-parse";
import {
  planCheckInImport,
  planOkrImport,
  storedCheckInKey,
  type CheckInPlan,
  type CheckInWorldKeyResult,
  type OkrPlan,
  type PlanTeam,
} from "./import-plan";

// Imports of a cycle's OKR sets and check-ins, in the import pattern of the org and enablement
// imports: upload (stored as is) → preview (line-numbered errors, counts of what would change) →
// commit in one transaction with one audit event, refused while a line has an error. The PLO
// imports for every team of the program; a team lead for the team they lead; a coach the drafts of
// the teams they coach (never check-ins: the numbers are the team's). A line for another team is
// an error on that line, so nothing of the file is imported until it is fixed.

export const IMPORT_ROLES_MESSAGE = "Only the PLO, team leads and coaches import OKRs.";

export interface CycleImportPreview {
  id: string;
  kind: CycleImportKind;
  fileName: string;
  committed: boolean;
  fatal: string | null;
  errors: LineError[];
  okrs: OkrPlan | null;
  checkIns: CheckInPlan | null;
}

function requireImporter(viewer: OkrViewer): void {
  if (!can(viewer.role, "okrs:import")) throw new ForbiddenError(IMPORT_ROLES_MESSAGE);
}

/** Stores an uploaded file of a cycle for its preview; returns its id. */
export async function stageCycleImport(
  db: DB,
  viewer: OkrViewer,
  programId: string,
  cycleId: string,
  input: { kind: CycleImportKind; fileName: string; csv: string },
): Promise<string> {
  requireImporter(viewer);
  const cycle = await getCycleRef(db, programId, cycleId);
  if (input.kind === "checkins" && viewer.role === "coach") throw FieldError.on("kind", COACH_NO_PROGRESS);
  if (cycle.state === "closed") throw FieldError.on("_form", "This cycle is closed: nothing can be imported into it.");
  if (input.csv.includes("\u0000")) throw FieldError.on("file", "The file is not a CSV text file (it contains binary data).");
  if (input.csv.trim() === "") throw FieldError.on("file", "The file is empty: start from the template.");
  const id = crypto.randomUUID();
  await db
    .insertInto("cycle_imports")
    .values({
      id,
      program_id: programId,
      cycle_id: cycle.id,
      kind: input.kind,
      file_name: cleanFileName(input.fileName),
      csv: input.csv,
      created_by: viewer.userId,
    })
    .execute();
  return id;
}

async function stagedImport(db: DB, viewer: OkrViewer, programId: string, cycleId: string, importId: string, lock = false) {
  let query = db
    .selectFrom("cycle_imports")
    .selectAll()
    .where("id", "=", importId)
    .where("program_id", "=", programId)
    .where("cycle_id", "=", cycleId);
  // A file is seen by whoever uploaded it, and by the PLO.
  if (!viewer.manage) query = query.where("created_by", "=", viewer.userId);
  const row = await (lock ? query.forUpdate() : query).executeTakeFirst();
  if (!row) throw new NotFoundError("This import does not exist (or was discarded). Upload the file again.");
  return row;
}

/** Reads the stored file and plans it against what is stored now (a bounded number of queries whatever its size). */
export async function previewCycleImport(
  db: DB,
  viewer: OkrViewer,
  programId: string,
  cycleId: string,
  importId: string,
  today: Day,
): Promise<CycleImportPreview> {
  requireImporter(viewer);
  const [cycle, staged] = await Promise.all([getCycleRef(db, programId, cycleId), stagedImport(db, viewer, programId, cycleId, importId)]);
  const base = { id: staged.id, kind: staged.kind, fileName: staged.file_name, committed: staged.committed_at !== null };
  if (staged.kind === "okrs") {
    const parsed = parseOkrCsv(staged.csv);
    if (parsed.fatal) return { ...base, fatal: parsed.fatal, errors: [], okrs: null, checkIns: null };
    const plan = await planOkrs(db, viewer, cycle, parsed.lines, today);
    return { ...base, fatal: null, errors: mergeErrors(parsed.errors, plan.errors), okrs: plan, checkIns: null };
  }
  const parsed = parseCheckInCsv(staged.csv, today);
  if (parsed.fatal) return { ...base, fatal: parsed.fatal, errors: [], okrs: null, checkIns: null };
  const plan = await planCheckIns(db, viewer, cycle, parsed.lines);
  return { ...base, fatal: null, errors: mergeErrors(parsed.errors, plan.errors), okrs: null, checkIns: plan };
}

function mergeErrors(a: LineError[], b: LineError[]): LineError[] {
  return [...a, ...b].sort((x, y) => x.line - y.line);
}

/** The active teams a file names (by name or identifier), in one query. */
async function namedTeams(db: DB, cells: string[]): Promise<PlanTeam[]> {
  const keys = [...new Set(cells.map((c) => c.trim().toLowerCase()).filter(Boolean))];
  if (keys.length === 0) return [];
  const { rows } = await sql<PlanTeam>`
    select id, name, external_id as "externalId", lead_person_id as "leadPersonId"
    from teams
    where archived_at is null
      and (lower(name) in (select unnest(${keys}::text[])) or lower(external_id) in (select unnest(${keys}::text[])))`.execute(db);
  return rows;
}

/** The teams among `teamIds` the viewer coaches today in this program. */
async function coachedTeams(db: DB, viewer: OkrViewer, programId: string, teamIds: string[], today: Day): Promise<Set<string>> {
  if (!viewer.personId || teamIds.length === 0) return new Set();
  const rows = await db
    .selectFrom("coach_assignments as a")
    .innerJoin("coaches as c", "c.id", "a.coach_id")
    .select("a.team_id")
    .where("a.program_id", "=", programId)
    .where("c.person_id", "=", viewer.personId)
    .where("a.team_id", "in", teamIds)
    .where("a.starts_on", "<=", today)
    .where((eb) => eb.or([eb("a.ends_on", "is", null), eb("a.ends_on", ">=", today)]))
    .execute();
  return new Set(rows.map((r) => r.team_id));
}

async function planOkrs(db: DB, viewer: OkrViewer, cycle: CycleRef, lines: ReturnType<typeof parseOkrCsv>["lines"], today: Day) {
  const teams = await namedTeams(
    db,
    lines.map((l) => l.team),
  );
  const teamIds = teams.map((t) => t.id);
  const emails = [...new Set(lines.flatMap((l) => [l.ownerEmail, l.keyResult?.ownerEmail]).filter((e): e is string => Boolean(e)))];
  const [objectives, people, coached] = await Promise.all([
    teamIds.length
      ? db
          .selectFrom("objectives")
          .select(["id", "team_id as teamId", "title", "description", "type", "owner_person_id as ownerPersonId", "state", "position"])
          .where("cycle_id", "=", cycle.id)
          .where("level", "=", "team")
          .where("team_id", "in", teamIds)
          .execute()
      : Promise.resolve([]),
    emails.length
      ? db.selectFrom("people").select(["id", "email"]).where("email", "in", emails).where("archived_at", "is", null).execute()
      : Promise.resolve([]),
    coachedTeams(db, viewer, cycle.programId, teamIds, today),
  ]);
  const keyResults = objectives.length
    ? await db
        .selectFrom("key_results")
        .select([
          "id",
          "objective_id as objectiveId",
          "title",
          "kind",
          "start_value as startValue",
          "target_value as targetValue",
          "unit",
          "direction",
          "weight",
          "owner_person_id as ownerPersonId",
          "milestone_done as milestoneDone",
          "last_check_in_at as lastCheckInAt",
          "position",
        ])
        .where("cycle_id", "=", cycle.id)
        .where(
          "objective_id",
          "in",
          objectives.map((o) => o.id),
        )
        .execute()
    : [];
  return planOkrImport(lines, {
    teams,
    objectives: objectives.map((o) => ({ ...o, teamId: o.teamId! })),
    keyResults,
    people: new Map(people.map((p) => [p.email, p.id])),
    rights: (team) =>
      teamRights(viewer, {
        lead: viewer.personId !== null && team.leadPersonId === viewer.personId,
        member: false,
        coach: coached.has(team.id),
      }),
  });
}

async function planCheckIns(db: DB, viewer: OkrViewer, cycle: CycleRef, lines: ReturnType<typeof parseCheckInCsv>["lines"]) {
  const teams = await namedTeams(
    db,
    lines.map((l) => l.team),
  );
  const teamIds = teams.map((t) => t.id);
  const keyResults: CheckInWorldKeyResult[] = teamIds.length
    ? await db
        .selectFrom("key_results as kr")
        .innerJoin("objectives as o", "o.id", "kr.objective_id")
        .select([
          "kr.id",
          "kr.objective_id as objectiveId",
          "o.title as objectiveTitle",
          sql<string>`o.team_id`.as("teamId"),
          "kr.title",
          "kr.kind",
          "kr.start_value as startValue",
          "kr.target_value as targetValue",
          "kr.unit",
          "kr.direction",
          "kr.weight",
          "kr.owner_person_id as ownerPersonId",
          "kr.milestone_done as milestoneDone",
          "kr.last_check_in_at as lastCheckInAt",
          "kr.position",
        ])
        .where("o.cycle_id", "=", cycle.id)
        .where("o.level", "=", "team")
        .where("o.team_id", "in", teamIds)
        .execute()
    : [];
  const stored = keyResults.length
    ? await db
        .selectFrom("check_ins as c")
        .innerJoin("key_results as kr", "kr.id", "c.key_result_id")
        .select(["c.key_result_id", sql<string>`to_char(c.at at time zone 'UTC', 'YYYY-MM-DD')`.as("day"), "c.value", "c.confidence"])
        .where("kr.cycle_id", "=", cycle.id)
        .where(
          "kr.id",
          "in",
          keyResults.map((k) => k.id),
        )
        .execute()
    : [];
  const personId = viewer.personId;
  return planCheckInImport(lines, {
    cycleStartsOn: cycle.startsOn,
    teams,
    keyResults,
    stored: new Set(stored.map((s) => storedCheckInKey(s.key_result_id, s.day, s.value, s.confidence))),
    mayCheckIn: (team, kr) => {
      const rights = progressRights({ id: viewer.userId, name: viewer.name, role: viewer.role }, team, personId);
      if (rights.never) return COACH_NO_PROGRESS;
      if (mayCheckIn(rights, kr.ownerPersonId)) return null;
      return rights.all || personId === null || team.leadPersonId === personId
        ? `You may not check in on “${kr.title}”: only its owner or the team lead may.`
        : `You may not check in on the key results of “${team.name}”: only its lead, a key result's owner and the PLO may.`;
    },
  });
}

export interface CycleImportResult {
  summary: string;
}

/** Imports the file in one transaction with one audit event; refused while it has errors, and after it was imported once. */
export async function commitCycleImport(
  db: DB,
  viewer: OkrViewer,
  programId: string,
  cycleId: string,
  importId: string,
  today: Day,
): Promise<CycleImportResult> {
  return inTransaction(db, async (trx) => {
    requireImporter(viewer);
    const staged = await stagedImport(trx, viewer, programId, cycleId, importId, true);
    if (staged.committed_at) throw new ConflictError("This file was imported already.");
    const cycle = await getCycleRef(trx, programId, cycleId);
    if (cycle.state === "closed") throw FieldError.on("_form", "This cycle is closed: nothing can be imported into it.");
    const preview = await previewCycleImport(trx, viewer, programId, cycleId, importId, today);
    if (preview.fatal) throw FieldError.on("_form", preview.fatal);
    if (preview.errors.length > 0)
      throw FieldError.on(
        "_form",
        `The file has ${preview.errors.length} error${preview.errors.length === 1 ? "" : "s"}: fix the lines listed and upload it again.`,
      );
    const summary = preview.okrs ? await applyOkrs(trx, viewer, cycle, preview.okrs) : await applyCheckIns(trx, viewer, preview.checkIns!);
    await trx.updateTable("cycle_imports").set({ committed_at: new Date() }).where("id", "=", importId).execute();
    await recordAudit(trx, {
      actor: actorOf(viewer),
      action: staged.kind === "okrs" ? "cycle.okrs_imported" : "cycle.checkins_imported",
      entityType: "cycle",
      entityId: cycle.id,
      programId,
      summary: `Imported ${staged.kind === "okrs" ? "OKR sets" : "check-ins"} into ${cycle.name} from ${staged.file_name || "a file"}: ${summary.text}`,
      details: { importId, fileName: staged.file_name, ...summary.details },
    });
    return { summary: summary.text };
  });
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

const CHUNK = 1000;
async function inChunks<T>(rows: T[], write: (chunk: T[]) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < rows.length; i += CHUNK) await write(rows.slice(i, i + CHUNK));
}

async function applyOkrs(trx: DB, viewer: OkrViewer, cycle: CycleRef, plan: OkrPlan) {
  const now = new Date();
  await inChunks(plan.newObjectives, (chunk) =>
    trx
      .insertInto("objectives")
      .values(
        chunk.map((o) => ({
          id: o.id,
          cycle_id: cycle.id,
          program_id: cycle.programId,
          level: "team" as const,
          team_id: o.teamId,
          title: o.title,
          description: o.description,
          type: o.type,
          owner_person_id: o.ownerPersonId,
          position: o.position,
          created_by: viewer.userId,
        })),
      )
      .execute(),
  );
  for (const u of plan.updatedObjectives)
    await trx
      .updateTable("objectives")
      .set({ ...renameObjective(u.set), version: sql`version + 1`, updated_at: now })
      .where("id", "=", u.id)
      .execute();
  await inChunks(plan.newKeyResults, (chunk) =>
    trx
      .insertInto("key_results")
      .values(
        chunk.map((k) => ({
          id: crypto.randomUUID(),
          objective_id: k.objectiveId,
          cycle_id: cycle.id,
          ...keyResultColumns(k.values),
          current_value: k.values.startValue,
          position: k.position,
        })),
      )
      .execute(),
  );
  for (const u of plan.updatedKeyResults)
    await trx
      .updateTable("key_results")
      .set({ ...keyResultColumns(u.values), version: sql`version + 1`, updated_at: now })
      .where("id", "=", u.id)
      .execute();
  const text = [
    `${plural(plan.newObjectives.length, "objective")} added`,
    `${plan.updatedObjectives.length} updated`,
    `${plural(plan.newKeyResults.length, "key result")} added`,
    `${plan.updatedKeyResults.length} updated`,
    `${plural(plan.teams, "team")}`,
  ].join(", ");
  return {
    text,
    details: {
      teams: plan.teams,
      objectivesAdded: plan.newObjectives.map((o) => ({ id: o.id, team: o.teamName, title: o.title })),
      objectivesUpdated: plan.updatedObjectives.map((o) => ({ id: o.id, fields: o.fields })),
      keyResultsAdded: plan.newKeyResults.length,
      keyResultsUpdated: plan.updatedKeyResults.map((k) => ({ id: k.id, fields: k.fields })),
    },
  };
}

function renameObjective(set: OkrPlan["updatedObjectives"][number]["set"]) {
  return {
    ...(set.description !== undefined ? { description: set.description } : {}),
    ...(set.type !== undefined ? { type: set.type } : {}),
    ...(set.ownerPersonId !== undefined ? { owner_person_id: set.ownerPersonId } : {}),
  };
}

function keyResultColumns(v: OkrPlan["newKeyResults"][number]["values"]) {
  return {
    title: v.title,
    kind: v.kind,
    start_value: v.startValue,
    target_value: v.targetValue,
    unit: v.unit,
    direction: v.direction,
    weight: v.weight,
    owner_person_id: v.ownerPersonId,
  };
}

/** A check-in of a day is stored at noon UTC of that day (imports know the day, not the hour). */
const noonOf = (day: Day) => new Date(`${day}T12:00:00.000Z`);

async function applyCheckIns(trx: DB, viewer: OkrViewer, plan: CheckInPlan) {
  const label = `${viewer.name} (import)`;
  await inChunks(plan.checkIns, (chunk) =>
    trx
      .insertInto("check_ins")
      .values(
        chunk.map((c) => ({
          id: crypto.randomUUID(),
          key_result_id: c.keyResultId,
          value: c.value,
          confidence: c.confidence,
          note: c.note,
          blockers: c.blockers,
          by_user_id: viewer.userId,
          by_label: label,
          at: noonOf(c.date),
        })),
      )
      .execute(),
  );
  // Each key result takes its newest check-in of the file when it is newer than the one it has.
  const latest = new Map<string, CheckInPlan["checkIns"][number]>();
  for (const c of plan.checkIns) {
    const seen = latest.get(c.keyResultId);
    if (!seen || c.date > seen.date) latest.set(c.keyResultId, c);
  }
  const newest = [...latest.values()];
  for (let i = 0; i < newest.length; i += CHUNK) {
    const values = sql.join(
      newest
        .slice(i, i + CHUNK)
        .map((c) => sql`(${c.keyResultId}, ${c.value}::numeric, ${c.done}::boolean, ${c.confidence}, ${noonOf(c.date)}::timestamptz)`),
    );
    await sql`
      update key_results kr
         set current_value = case when kr.kind = 'metric' then v.value else kr.current_value end,
             milestone_done = v.done,
             last_check_in_at = v.at,
             last_confidence = v.confidence,
             version = kr.version + 1,
             updated_at = now()
        from (values ${values}) as v(id, value, done, confidence, at)
       where kr.id = v.id and (kr.last_check_in_at is null or kr.last_check_in_at <= v.at)`.execute(trx);
  }
  const text = `${plural(plan.checkIns.length, "check-in")} on ${plural(latest.size, "key result")} of ${plural(plan.teams, "team")}${
    plan.alreadyThere.length ? `, ${plan.alreadyThere.length} already there` : ""
  }`;
  return {
    text,
    details: {
      teams: plan.teams,
      checkIns: plan.checkIns.length,
      keyResults: [...latest.keys()],
      alreadyThere: plan.alreadyThere,
    },
  };
}
