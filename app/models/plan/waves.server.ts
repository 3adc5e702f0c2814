import { differenceInCalendarDays, parseISO } from "date-fns";
import { sql } from "kysely";
import type { Wave, WaveCriterion, WaveCriterionKind, WaveState } from "../../../db/schema";
import { recordAudit, type Actor } from "~/models/audit/audit.server";
import { teamsWithoutPrimaryCoach } from "~/models/coaching/coaches.server";
import { waveEnablementFigures, type WaveEnablementFigures } from "~/models/enablement/readiness.server";
import { teamWithoutLead } from "~/models/org/org.server";
import { inTransaction, type DB } from "~/utils/db.server";
import { DEFAULT_LEAD_CRITERION_LABEL, type CriterionInput, type ReadinessState, type WaveInput } from "~/validation/plan";
import { FieldError, NotFoundError } from "~/models/errors";
import * as dates from "~/utils/dates";
import { DEFAULT_EXIT_CRITERIA } from "./wave-lifecycle";

export type { ReadinessState };

// Waves of a program's rollout plan: ordered phases with dates, a goal and entry criteria, and
// how ready each wave is to start. Teams join waves in ~/models/program-teams.server.

function aggregateKnown(known: ReadonlyArray<{ waveId: string | null; count: number; withoutLead: number }>) {
  const byWave = new Map<string, { wave_id: string; teams: number; without_lead: number }>();
  for (const k of known) {
    if (!k.waveId) continue;
    const entry = byWave.get(k.waveId) ?? { wave_id: k.waveId, teams: 0, without_lead: 0 };
    entry.teams += k.count;
    entry.without_lead += k.withoutLead;
    byWave.set(k.waveId, entry);
  }
  return [...byWave.values()];
}

export const DEFAULT_CRITERIA: ReadonlyArray<{ kind: WaveCriterionKind; label: string }> = [
  { kind: "teams_have_lead", label: DEFAULT_LEAD_CRITERION_LABEL },
  { kind: "manual", label: "Kick-off with wave leads held" },
  { kind: "teams_have_coach", label: "Every team in the wave has a primary coach" },
  { kind: "manual", label: "Coaches briefed on the wave's teams" },
];

/** A manual criterion unmet this close to the start (or later) blocks the wave. */
export const BLOCKING_WINDOW_DAYS = 14;

export interface WaveSummary {
  id: string;
  name: string;
  position: number;
  startsOn: string | null;
  endsOn: string | null;
  goal: string;
  /** Active teams of the organization in this wave. */
  teamCount: number;
  /** Its lifecycle (see ./wave-lifecycle.ts). */
  state: WaveState;
  startedOn: string | null;
  closedOn: string | null;
}

export interface WaveDetail extends WaveSummary {
  criteria: WaveCriterion[];
}

/** Active teams (not archived, in an active unit) joined to their place in the program. */
function activeTeamsInProgram(db: DB, programId: string) {
  return db
    .selectFrom("program_teams as pt")
    .innerJoin("teams as t", "t.id", "pt.team_id")
    .innerJoin("org_units as u", "u.id", "t.unit_id")
    .where("pt.program_id", "=", programId)
    .where("t.archived_at", "is", null)
    .where("u.archived_at", "is", null);
}

function toSummary(row: Wave & { team_count: number }): WaveSummary {
  return {
    id: row.id,
    name: row.name,
    position: row.position,
    startsOn: row.starts_on,
    endsOn: row.ends_on,
    goal: row.goal,
    teamCount: Number(row.team_count),
    state: row.state,
    startedOn: row.started_on,
    closedOn: row.closed_on,
  };
}

/** The program's waves in order, with how many active teams each has (one query). */
export async function listWaves(db: DB, programId: string): Promise<WaveSummary[]> {
  const counts = activeTeamsInProgram(db, programId)
    .where("pt.wave_id", "is not", null)
    .select(["pt.wave_id", sql<number>`count(*)::int`.as("n")])
    .groupBy("pt.wave_id");
  const rows = await db
    .selectFrom("waves as w")
    .leftJoin(counts.as("c"), "c.wave_id", "w.id")
    .selectAll("w")
    .select(sql<number>`coalesce(c.n, 0)::int`.as("team_count"))
    .where("w.program_id", "=", programId)
    .orderBy("w.position")
    .orderBy("w.id")
    .execute();
  return rows.map(toSummary);
}

/** One wave with its criteria in order, or null when it is not a wave of this program. */
export async function getWave(db: DB, programId: string, waveId: string): Promise<WaveDetail | null> {
  const waves = await listWaves(db, programId);
  const wave = waves.find((w) => w.id === waveId);
  if (!wave) return null;
  const criteria = await db
    .selectFrom("wave_criteria")
    .selectAll()
    .where("wave_id", "=", waveId)
    .orderBy("position")
    .orderBy("id")
    .execute();
  return { ...wave, criteria };
}

async function lockWave(trx: DB, programId: string, waveId: string): Promise<Wave> {
  const wave = await trx
    .selectFrom("waves")
    .selectAll()
    .where("id", "=", waveId)
    .where("program_id", "=", programId)
    .forUpdate()
    .executeTakeFirst();
  if (!wave) throw new NotFoundError("This wave does not exist (or no longer exists).");
  return wave;
}

async function assertNameFree(trx: DB, programId: string, name: string, exceptId?: string) {
  let query = trx
    .selectFrom("waves")
    .select("id")
    .where("program_id", "=", programId)
    .where(sql<string>`lower(name)`, "=", sql<string>`lower(${name})`);
  if (exceptId) query = query.where("id", "!=", exceptId);
  if (await query.executeTakeFirst()) throw new FieldError({ name: `There is already a wave named “${name}” in this program.` });
}

/** A unique-index violation (two writers racing for one name) becomes the same field message. */
function duplicateName(error: unknown, name: string): never {
  if ((error as { code?: string })?.code === "23505") {
    throw new FieldError({ name: `There is already a wave named “${name}” in this program.` });
  }
  throw error;
}

/** Creates a wave at the end of the order, with the default entry criteria. Returns its id. */
export async function createWave(db: DB, actor: Actor, programId: string, input: WaveInput): Promise<string> {
  return inTransaction(db, async (trx) => {
    await assertNameFree(trx, programId, input.name);
    const last = await trx
      .selectFrom("waves")
      .select(sql<number>`coalesce(max(position), 0)::int`.as("position"))
      .where("program_id", "=", programId)
      .executeTakeFirstOrThrow();
    const id = crypto.randomUUID();
    await trx
      .insertInto("waves")
      .values({
        id,
        program_id: programId,
        name: input.name,
        position: Number(last.position) + 1,
        starts_on: input.startsOn,
        ends_on: input.endsOn,
        goal: input.goal,
      })
      .execute()
      .catch((error: unknown) => duplicateName(error, input.name));
    await trx
      .insertInto("wave_criteria")
      .values(DEFAULT_CRITERIA.map((c, i) => ({ id: crypto.randomUUID(), wave_id: id, kind: c.kind, label: c.label, position: i + 1 })))
      .execute();
    await trx
      .insertInto("wave_exit_criteria")
      .values(
        DEFAULT_EXIT_CRITERIA.map((c, i) => ({
          id: crypto.randomUUID(),
          wave_id: id,
          kind: c.kind,
          label: c.label,
          threshold: c.threshold,
          position: i + 1,
        })),
      )
      .execute();
    await recordAudit(trx, {
      actor,
      action: "wave.created",
      entityType: "wave",
      entityId: id,
      programId,
      summary: `Created wave “${input.name}”`,
      details: { ...input, criteria: DEFAULT_CRITERIA.map((c) => c.label) },
    });
    return id;
  });
}

export async function updateWave(db: DB, actor: Actor, programId: string, waveId: string, input: WaveInput): Promise<boolean> {
  return inTransaction(db, async (trx) => {
    const before = await lockWave(trx, programId, waveId);
    await assertNameFree(trx, programId, input.name, waveId);
    const after = { name: input.name, goal: input.goal, starts_on: input.startsOn, ends_on: input.endsOn };
    const changed = (Object.keys(after) as Array<keyof typeof after>).filter((key) => before[key] !== after[key]);
    if (changed.length === 0) return false;
    await trx
      .updateTable("waves")
      .set({ ...after, updated_at: new Date() })
      .where("id", "=", waveId)
      .execute()
      .catch((error: unknown) => duplicateName(error, input.name));
    await recordAudit(trx, {
      actor,
      action: "wave.updated",
      entityType: "wave",
      entityId: waveId,
      programId,
      summary: `Updated wave “${input.name}”: ${changed.join(", ")}`,
      details: Object.fromEntries(changed.map((key) => [key, { from: before[key], to: after[key] }])),
    });
    return true;
  });
}

/** Swaps the wave with its neighbour; false when it is already first (up) or last (down). */
export async function moveWave(db: DB, actor: Actor, programId: string, waveId: string, direction: "up" | "down"): Promise<boolean> {
  return inTransaction(db, async (trx) => {
    const waves = await trx
      .selectFrom("waves")
      .select(["id", "name", "position"])
      .where("program_id", "=", programId)
      .orderBy("position")
      .orderBy("id")
      .forUpdate()
      .execute();
    const index = waves.findIndex((w) => w.id === waveId);
    if (index < 0) throw new NotFoundError("This wave does not exist (or no longer exists).");
    const other = waves[direction === "up" ? index - 1 : index + 1];
    if (!other) return false;
    const wave = waves[index];
    // Renumber the whole (short) order 1..n in one statement, so tied positions cannot stick.
    const order = waves.map((w) => w.id);
    order[index] = other.id;
    order[direction === "up" ? index - 1 : index + 1] = wave.id;
    await sql`
      update waves set position = v.position, updated_at = now()
      from (values ${sql.join(order.map((id, i) => sql`(${id}, ${i + 1}::int)`))}) as v(id, position)
      where waves.id = v.id and waves.position is distinct from v.position`.execute(trx);
    await recordAudit(trx, {
      actor,
      action: "wave.moved",
      entityType: "wave",
      entityId: waveId,
      programId,
      summary: `Moved wave “${wave.name}” ${direction}`,
      details: { direction, swappedWith: other.name },
    });
    return true;
  });
}

/** Deletes a wave; its teams stay in the program without a wave. Returns how many were unassigned. */
export async function deleteWave(db: DB, actor: Actor, programId: string, waveId: string): Promise<{ name: string; teamCount: number }> {
  return inTransaction(db, async (trx) => {
    const wave = await lockWave(trx, programId, waveId);
    const unassigned = await trx
      .updateTable("program_teams")
      .set({ wave_id: null, updated_at: new Date() })
      .where("program_id", "=", programId)
      .where("wave_id", "=", waveId)
      .returning("team_id")
      .execute();
    await trx.deleteFrom("waves").where("id", "=", waveId).execute();
    const teamIds = unassigned.map((r) => r.team_id);
    await recordAudit(trx, {
      actor,
      action: "wave.deleted",
      entityType: "wave",
      entityId: waveId,
      programId,
      summary: `Deleted wave “${wave.name}” (${teamIds.length} team${teamIds.length === 1 ? "" : "s"} unassigned)`,
      details: { name: wave.name, startsOn: wave.starts_on, endsOn: wave.ends_on, count: teamIds.length, teamIds },
    });
    return { name: wave.name, teamCount: teamIds.length };
  });
}

export async function addCriterion(
  db: DB,
  actor: Actor,
  programId: string,
  waveId: string,
  input: Omit<CriterionInput, "threshold"> & { threshold?: number | null },
): Promise<string> {
  return inTransaction(db, async (trx) => {
    const wave = await lockWave(trx, programId, waveId);
    const last = await trx
      .selectFrom("wave_criteria")
      .select(sql<number>`coalesce(max(position), 0)::int`.as("position"))
      .where("wave_id", "=", waveId)
      .executeTakeFirstOrThrow();
    const id = crypto.randomUUID();
    await trx
      .insertInto("wave_criteria")
      .values({
        id,
        wave_id: waveId,
        kind: input.kind,
        label: input.label,
        position: Number(last.position) + 1,
        threshold: input.threshold ?? null,
      })
      .execute();
    await recordAudit(trx, {
      actor,
      action: "wave.criterion_added",
      entityType: "wave",
      entityId: waveId,
      programId,
      summary: `Added entry criterion “${input.label}” to wave “${wave.name}”`,
      details: { criterionId: id, kind: input.kind, label: input.label, threshold: input.threshold ?? null },
    });
    return id;
  });
}

async function lockCriterion(trx: DB, programId: string, waveId: string, criterionId: string) {
  const wave = await lockWave(trx, programId, waveId);
  const criterion = await trx
    .selectFrom("wave_criteria")
    .selectAll()
    .where("id", "=", criterionId)
    .where("wave_id", "=", waveId)
    .forUpdate()
    .executeTakeFirst();
  if (!criterion) throw new FieldError({ criterionId: "This criterion does not exist in the wave (any more)." });
  return { wave, criterion };
}

export async function removeCriterion(db: DB, actor: Actor, programId: string, waveId: string, criterionId: string): Promise<void> {
  await inTransaction(db, async (trx) => {
    const { wave, criterion } = await lockCriterion(trx, programId, waveId, criterionId);
    await trx.deleteFrom("wave_criteria").where("id", "=", criterionId).execute();
    await recordAudit(trx, {
      actor,
      action: "wave.criterion_removed",
      entityType: "wave",
      entityId: waveId,
      programId,
      summary: `Removed entry criterion “${criterion.label}” from wave “${wave.name}”`,
      details: { criterionId, kind: criterion.kind, label: criterion.label },
    });
  });
}

/** Ticks (met) or unticks a manual criterion, recording who and when. False when nothing changed. */
export async function setCriterionMet(
  db: DB,
  actor: Actor,
  programId: string,
  waveId: string,
  criterionId: string,
  met: boolean,
): Promise<boolean> {
  return inTransaction(db, async (trx) => {
    const { wave, criterion } = await lockCriterion(trx, programId, waveId, criterionId);
    if (criterion.kind !== "manual") {
      throw new FieldError({ criterionId: "This criterion is checked by the app; it cannot be ticked by hand." });
    }
    if ((criterion.met_at !== null) === met) return false;
    await trx
      .updateTable("wave_criteria")
      .set(met ? { met_at: new Date(), met_by: actor.id, met_by_label: actor.name } : { met_at: null, met_by: null, met_by_label: null })
      .where("id", "=", criterionId)
      .execute();
    await recordAudit(trx, {
      actor,
      action: met ? "wave.criterion_met" : "wave.criterion_unmet",
      entityType: "wave",
      entityId: waveId,
      programId,
      summary: `${met ? "Ticked" : "Unticked"} “${criterion.label}” for wave “${wave.name}”`,
      details: { criterionId, label: criterion.label },
    });
    return true;
  });
}

// ---------------------------------------------------------------------------------------------
// Readiness

export type CriterionState = "met" | "unmet" | "not_measurable";

export interface CriterionCheck {
  id: string;
  kind: WaveCriterionKind;
  label: string;
  position: number;
  state: CriterionState;
  /** Computed criteria: what the app found ("3 of 40 teams have no lead"). */
  detail: string | null;
  metAt: Date | null;
  metByLabel: string | null;
}

export interface WaveReadiness {
  waveId: string;
  state: ReadinessState;
  /** Why the wave is not ready, one sentence each; empty when ready. */
  reasons: string[];
  criteria: CriterionCheck[];
  teamCount: number;
  teamsWithoutLead: number;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

function startPhrase(days: number): string {
  if (days > 1) return `the wave starts in ${days} days`;
  if (days === 1) return "the wave starts tomorrow";
  if (days === 0) return "the wave starts today";
  return `the wave started ${plural(-days, "day")} ago`;
}

/**
 * Readiness of one wave from its criteria and team figures (pure, so the rules are testable):
 * blocked = a computed criterion fails, or a manual one is unmet and the wave starts within
 * 14 days (or has started); at risk = unmet manual criteria otherwise, or no teams; else ready.
 * Criteria the app cannot measure yet (coaches, training) never block.
 */
export function computeReadiness(
  wave: { id: string; startsOn: string | null },
  criteria: Array<Omit<WaveCriterion, "threshold"> & { threshold?: number | null }>,
  teams: { teamCount: number; teamsWithoutLead: number; teamsWithoutCoach?: number; enablement?: WaveEnablementFigures },
  today: string,
): WaveReadiness {
  const daysToStart = wave.startsOn ? differenceInCalendarDays(parseISO(wave.startsOn), parseISO(today)) : null;
  const soon = daysToStart !== null && daysToStart <= BLOCKING_WINDOW_DAYS;
  const blocking: string[] = [];
  const risks: string[] = [];
  const checks = criteria.map((c): CriterionCheck => {
    const base = { id: c.id, kind: c.kind, label: c.label, position: c.position, metAt: c.met_at, metByLabel: c.met_by_label };
    switch (c.kind) {
      case "manual": {
        const met = c.met_at !== null;
        if (!met) {
          if (soon) blocking.push(`“${c.label}” is not ticked and ${startPhrase(daysToStart!)}.`);
          else risks.push(`“${c.label}” is not ticked yet.`);
        }
        return { ...base, state: met ? "met" : "unmet", detail: null };
      }
      case "teams_have_lead": {
        const missing = teams.teamsWithoutLead;
        if (missing > 0)
          blocking.push(`“${c.label}”: ${missing} of ${plural(teams.teamCount, "team")} ${missing === 1 ? "has" : "have"} no lead.`);
        const detail =
          teams.teamCount === 0
            ? "No teams in the wave yet."
            : missing > 0
              ? `${missing} of ${plural(teams.teamCount, "team")} ${missing === 1 ? "has" : "have"} no lead.`
              : `All ${plural(teams.teamCount, "team")} have a lead.`;
        return { ...base, state: missing > 0 ? "unmet" : "met", detail };
      }
      case "teams_have_coach": {
        const missing = teams.teamsWithoutCoach;
        if (missing === undefined) return { ...base, state: "not_measurable", detail: "Not measured here." };
        // Coaches are staffed shortly before a wave starts: a gap blocks only within the window.
        if (missing > 0) {
          const gap = `“${c.label}”: ${missing} of ${plural(teams.teamCount, "team")} ${missing === 1 ? "has" : "have"} no primary coach`;
          if (soon) blocking.push(`${gap} and ${startPhrase(daysToStart!)}.`);
          else risks.push(`${gap}.`);
        }
        const detail =
          teams.teamCount === 0
            ? "No teams in the wave yet."
            : missing > 0
              ? `${missing} of ${plural(teams.teamCount, "team")} ${missing === 1 ? "has" : "have"} no primary coach.`
              : `All ${plural(teams.teamCount, "team")} have a primary coach.`;
        return { ...base, state: missing > 0 ? "unmet" : "met", detail };
      }
      case "leads_trained":
      case "members_trained":
      case "coaches_certified":
      case "sponsor_briefed": {
        // Enablement (issue 15): a share of people trained against the criterion's threshold;
        // like coaches, a gap blocks only inside the start window.
        const figures = teams.enablement;
        if (!figures) return { ...base, state: "not_measurable", detail: "Not measured here." };
        const { share, who, verb } = ENABLEMENT_CRITERIA[c.kind](figures);
        if (share.total === 0) return { ...base, state: "not_measurable", detail: `No ${who} with required training yet.` };
        const threshold = c.threshold ?? 100;
        const percent = Math.floor((share.done * 100) / share.total);
        const met = percent >= threshold;
        const detail = `${share.done} of ${share.total} ${who} ${verb} (${percent} %${threshold < 100 ? `, needs ${threshold} %` : ""}).`;
        if (!met) {
          if (soon) blocking.push(`“${c.label}”: ${detail.slice(0, -1)} and ${startPhrase(daysToStart!)}.`);
          else risks.push(`“${c.label}”: ${detail}`);
        }
        return { ...base, state: met ? "met" : "unmet", detail };
      }
      default:
        return { ...base, state: "not_measurable", detail: "Not yet measurable." };
    }
  });
  if (teams.teamCount === 0) risks.push("No teams are assigned to the wave yet.");
  const state: ReadinessState = blocking.length > 0 ? "blocked" : risks.length > 0 ? "at_risk" : "ready";
  return {
    waveId: wave.id,
    state,
    reasons: [...blocking, ...risks],
    criteria: checks,
    teamCount: teams.teamCount,
    teamsWithoutLead: teams.teamsWithoutLead,
  };
}

const ENABLEMENT_CRITERIA: Record<
  "leads_trained" | "members_trained" | "coaches_certified" | "sponsor_briefed",
  (f: WaveEnablementFigures) => { share: { done: number; total: number }; who: string; verb: string }
> = {
  leads_trained: (f) => ({ share: f.leads, who: "team leads", verb: "trained" }),
  members_trained: (f) => ({ share: f.members, who: "team members", verb: "trained" }),
  coaches_certified: (f) => ({ share: f.coaches, who: "coaches", verb: "certified" }),
  sponsor_briefed: (f) => ({ share: f.sponsors, who: "sponsors", verb: "briefed" }),
};

const ENABLEMENT_KINDS = new Set<WaveCriterionKind>(["leads_trained", "members_trained", "coaches_certified", "sponsor_briefed"]);

/** The program's waves in order, each with its criteria in order (one query). */
async function wavesAndCriteria(db: DB, programId: string): Promise<Array<Wave & { criteria: WaveCriterion[] }>> {
  const rows = await db
    .selectFrom("waves as w")
    .leftJoin("wave_criteria as c", "c.wave_id", "w.id")
    .selectAll("w")
    .select([
      "c.id as c_id",
      "c.kind as c_kind",
      "c.label as c_label",
      "c.position as c_position",
      "c.met_at as c_met_at",
      "c.met_by as c_met_by",
      "c.met_by_label as c_met_by_label",
      "c.threshold as c_threshold",
    ])
    .where("w.program_id", "=", programId)
    .orderBy("w.position")
    .orderBy("w.id")
    .orderBy("c.position")
    .orderBy("c.id")
    .execute();
  const waves: Array<Wave & { criteria: WaveCriterion[] }> = [];
  for (const { c_id, c_kind, c_label, c_position, c_met_at, c_met_by, c_met_by_label, c_threshold, ...wave } of rows) {
    let current = waves.at(-1);
    if (current?.id !== wave.id) {
      current = { ...wave, criteria: [] };
      waves.push(current);
    }
    if (c_id !== null && c_kind !== null && c_label !== null && c_position !== null) {
      current.criteria.push({
        id: c_id,
        wave_id: wave.id,
        kind: c_kind,
        label: c_label,
        position: c_position,
        met_at: c_met_at,
        met_by: c_met_by,
        met_by_label: c_met_by_label,
        threshold: c_threshold,
      });
    }
  }
  return waves;
}

/**
 * Every wave of the program in order (as `listWaves` gives them) with its readiness, in at most
 * three queries whatever the size: waves with criteria, their teams (unless the caller knows the
 * figures already, as the overview does), and coach coverage when a wave asks for it.
 */
export async function wavesWithReadiness(
  db: DB,
  programId: string,
  today = dates.today(),
  /** The waves' team figures when the caller has them already (the overview): one query fewer. */
  known?: ReadonlyArray<{ waveId: string | null; count: number; withoutLead: number }>,
): Promise<{ waves: WaveSummary[]; readiness: Record<string, WaveReadiness> }> {
  const [waves, teams] = await Promise.all([
    wavesAndCriteria(db, programId),
    known
      ? aggregateKnown(known)
      : activeTeamsInProgram(db, programId)
          .where("pt.wave_id", "is not", null)
          .select([
            "pt.wave_id",
            sql<number>`count(*)::int`.as("teams"),
            sql<number>`(count(*) filter (where ${teamWithoutLead}))::int`.as("without_lead"),
          ])
          .groupBy("pt.wave_id")
          .execute(),
  ]);
  // Coverage by coaches (issue 4): one more query, only when a wave asks for it.
  const coachWaves = waves.filter((w) => w.criteria.some((c) => c.kind === "teams_have_coach")).map((w) => w.id);
  const withoutCoach = coachWaves.length > 0 ? await teamsWithoutPrimaryCoach(db, programId, coachWaves, today) : new Map<string, number>();
  // Enablement (issue 15): two more queries, only when a wave asks for a training criterion.
  const trainingWaves = waves.filter((w) => w.criteria.some((c) => ENABLEMENT_KINDS.has(c.kind))).map((w) => w.id);
  const enablement =
    trainingWaves.length > 0 ? await waveEnablementFigures(db, programId, trainingWaves, today) : new Map<string, WaveEnablementFigures>();
  const readiness: Record<string, WaveReadiness> = {};
  const summaries: WaveSummary[] = [];
  for (const wave of waves) {
    const stats = teams.find((t) => t.wave_id === wave.id);
    const teamCount = Number(stats?.teams ?? 0);
    summaries.push(toSummary({ ...wave, team_count: teamCount }));
    readiness[wave.id] = computeReadiness(
      { id: wave.id, startsOn: wave.starts_on },
      wave.criteria,
      {
        teamCount,
        teamsWithoutLead: Number(stats?.without_lead ?? 0),
        teamsWithoutCoach: coachWaves.includes(wave.id) ? (withoutCoach.get(wave.id) ?? 0) : undefined,
        enablement: enablement.get(wave.id),
      },
      today,
    );
  }
  return { waves: summaries, readiness };
}

/** Readiness of every wave of the program, keyed by wave id (see `wavesWithReadiness`). */
export async function waveReadiness(
  db: DB,
  programId: string,
  today = dates.today(),
  known?: ReadonlyArray<{ waveId: string | null; count: number; withoutLead: number }>,
): Promise<Record<string, WaveReadiness>> {
  return (await wavesWithReadiness(db, programId, today, known)).readiness;
}
