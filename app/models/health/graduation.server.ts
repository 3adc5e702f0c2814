import { sql } from "kysely";
import { ONBOARDING_STATUSES, type OnboardingStatus } from "../../../db/schema";
import { recordAudit, type Actor } from "~/models/audit/audit.server";
import { FieldError } from "~/models/errors";
import type { Day } from "~/utils/dates";
import { inTransaction, type DB } from "~/utils/db.server";
import { ONBOARDING_STATUS_LABELS } from "~/validation/plan";
import type { GraduationDecisionInput, GraduationRulesInput } from "~/validation/health";
import { DEFAULT_RULES, proposalKey, proposeFor, type GraduationRules, type Proposal, type TeamHistory } from "./graduation";
import { cachedRead } from "~/utils/read-cache.server";
import { teamTrainedShares } from "./facts.server";
import { cachedHealthData, cycleEnded, loadHealthData, type HealthData } from "./health.server";

// Graduation proposals (issue 16): the rules of ./graduation.ts run over the program's health data
// (the same facts as the health page, cached by the data version), the coaches' latest maturity
// ratings and the teams' training. The PLO confirms or rejects proposals in bulk; a confirmed
// move goes into the team's status history (team_status_changes) and the audit log, a rejected
// one stays hidden until its evidence stands on a newer cycle. Either way it is kept, with the
// evidence as it was, in graduation_decisions.

export async function getRules(db: DB, programId: string): Promise<GraduationRules & { custom: boolean }> {
  const row = await db.selectFrom("graduation_rules").selectAll().where("program_id", "=", programId).executeTakeFirst();
  if (!row) return { ...DEFAULT_RULES, custom: false };
  return {
    consecutiveCycles: row.consecutive_cycles,
    minWindowsPercent: row.min_windows_percent,
    requireScored: row.require_scored,
    requireTeamRetro: row.require_team_retro,
    minMaturity: row.min_maturity,
    requireTraining: row.require_training,
    custom: true,
  };
}

export async function saveRules(db: DB, actor: Actor, programId: string, input: GraduationRulesInput): Promise<boolean> {
  return inTransaction(db, async (trx) => {
    const before = await getRules(trx, programId);
    const values = {
      consecutive_cycles: input.consecutiveCycles,
      min_windows_percent: input.minWindowsPercent,
      require_scored: input.requireScored,
      require_team_retro: input.requireTeamRetro,
      min_maturity: input.minMaturity,
      require_training: input.requireTraining,
      updated_by: actor.id,
      updated_at: new Date(),
    };
    const changed = (Object.keys(input) as Array<keyof GraduationRulesInput>).filter((k) => before[k] !== input[k]);
    if (changed.length === 0 && before.custom) return false;
    await trx
      .insertInto("graduation_rules")
      .values({ program_id: programId, ...values })
      .onConflict((oc) => oc.column("program_id").doUpdateSet(values))
      .execute();
    await recordAudit(trx, {
      actor,
      action: "graduation.rules_changed",
      entityType: "program",
      entityId: programId,
      programId,
      summary: `Changed the graduation rules${changed.length ? `: ${changed.join(", ")}` : ""}`,
      details: Object.fromEntries(changed.map((k) => [k, { from: before[k], to: input[k] }])),
    });
    return true;
  });
}

/** Per team: the coach's latest maturity rating (1–5) and its day, from the coaching log (one query). */
async function latestMaturity(db: DB, programId: string, teamIds?: readonly string[]): Promise<Map<string, { rating: number; on: Day }>> {
  const filter = teamIds ? (teamIds.length ? sql`and team_id in (${sql.join(teamIds)})` : sql`and false`) : sql``;
  const { rows } = await sql<{ team_id: string; maturity: number; held_on: Day }>`
    select distinct on (team_id) team_id, maturity, held_on from support_sessions
     where program_id = ${programId} and maturity is not null ${filter}
     order by team_id, held_on desc, created_at desc`.execute(db);
  return new Map(rows.map((r) => [r.team_id, { rating: Number(r.maturity), on: r.held_on }]));
}

export interface ProposalRow extends Proposal {
  key: string;
  teamName: string;
  waveId: string | null;
  waveName: string | null;
}

interface TeamStatus {
  status: OnboardingStatus;
  teamName: string;
  waveId: string | null;
}

/** The rules over the data: every team's proposal (rejected ones with the same basis left out). */
function runRules(
  data: HealthData,
  rules: GraduationRules,
  statuses: Map<string, TeamStatus>,
  maturity: Map<string, { rating: number; on: Day }>,
  rejected: Set<string>,
): { proposals: ProposalRow[]; rejectedHidden: number } {
  const waveName = new Map(data.waves.map((w) => [w.id, w.name]));
  const byTeam = new Map<string, Map<string, TeamHistory["cycles"][number]["metrics"]>>();
  for (const [cycleId, rows] of Object.entries(data.teams)) {
    for (const row of rows) {
      const m = byTeam.get(row.teamId) ?? new Map();
      m.set(cycleId, row.metrics);
      byTeam.set(row.teamId, m);
    }
  }
  const proposals: ProposalRow[] = [];
  let rejectedHidden = 0;
  for (const [teamId, team] of statuses) {
    const metrics = byTeam.get(teamId);
    const history: TeamHistory = {
      teamId,
      status: team.status,
      cycles: data.cycles.map((c) => ({
        id: c.id,
        name: c.name,
        ended: cycleEnded(c, data.today),
        metrics: metrics?.get(c.id) ?? null,
      })),
      maturity: maturity.get(teamId) ?? null,
      trained: data.trained[teamId] ?? null,
    };
    const proposal = proposeFor(history, rules);
    if (!proposal) continue;
    if (rejected.has(`${proposalKey(proposal)}@${proposal.basis}`)) {
      rejectedHidden += 1;
      continue;
    }
    proposals.push({
      ...proposal,
      key: proposalKey(proposal),
      teamName: team.teamName,
      waveId: team.waveId,
      waveName: team.waveId ? (waveName.get(team.waveId) ?? null) : null,
    });
  }
  const order = (s: OnboardingStatus) => ONBOARDING_STATUSES.indexOf(s);
  proposals.sort((a, b) => order(b.to) - order(a.to) || a.teamName.localeCompare(b.teamName) || a.teamId.localeCompare(b.teamId));
  return { proposals, rejectedHidden };
}

/**
 * The rules over the data with the training of only the teams it matters for: those the other
 * rules would make self-sufficient (one query for them, instead of every person of the program).
 */
async function proposalsOf(
  db: DB,
  programId: string,
  data: HealthData,
  rules: GraduationRules,
  statuses: Map<string, TeamStatus>,
  maturity: Map<string, { rating: number; on: Day }>,
  rejected: Set<string>,
): Promise<{ proposals: ProposalRow[]; rejectedHidden: number }> {
  if (!rules.requireTraining) return runRules(data, rules, statuses, maturity, rejected);
  const untrained = runRules(data, { ...rules, requireTraining: false }, statuses, maturity, rejected);
  const candidates = untrained.proposals.filter((p) => p.to === "self_sufficient").map((p) => p.teamId);
  const trained = await teamTrainedShares(db, programId, data.today, candidates);
  return runRules({ ...data, trained: Object.fromEntries(trained) }, rules, statuses, maturity, rejected);
}

/** The statuses of the program's active teams (teams in no row are not started and have no facts either). */
async function teamStatuses(db: DB, programId: string, teamIds?: readonly string[], lock = false): Promise<Map<string, TeamStatus>> {
  let query = db
    .selectFrom("program_teams as pt")
    .innerJoin("teams as t", "t.id", "pt.team_id")
    .innerJoin("org_units as u", "u.id", "t.unit_id")
    .select(["pt.team_id", "pt.status", "pt.wave_id", "t.name"])
    .where("pt.program_id", "=", programId)
    .where("t.archived_at", "is", null)
    .where("u.archived_at", "is", null);
  if (teamIds) query = query.where("pt.team_id", "in", teamIds.length ? teamIds : [""]);
  const rows = await (lock ? query.forUpdate("pt") : query).execute();
  return new Map(rows.map((r) => [r.team_id, { status: r.status, teamName: r.name, waveId: r.wave_id }]));
}

/** Rejections that still hold, as "key@basis". */
async function rejections(db: DB, programId: string, teamIds?: readonly string[]): Promise<Set<string>> {
  let query = db
    .selectFrom("graduation_decisions")
    .select(["team_id", "from_status", "to_status", "basis"])
    .where("program_id", "=", programId)
    .where("decision", "=", "rejected");
  if (teamIds) query = query.where("team_id", "in", teamIds.length ? teamIds : [""]);
  const rows = await query.execute();
  return new Set(rows.map((r) => `${r.team_id}:${r.from_status}:${r.to_status}@${r.basis}`));
}

/**
 * The program's graduation proposals with their evidence: `data` is the program's health data
 * (cached by the caller), plus four queries whatever the number of teams.
 */
export async function graduationProposals(
  db: DB,
  programId: string,
  data: HealthData,
): Promise<{ rules: GraduationRules & { custom: boolean }; proposals: ProposalRow[]; rejectedHidden: number }> {
  const [rules, statuses, maturity, rejected] = await Promise.all([
    getRules(db, programId),
    teamStatuses(db, programId),
    latestMaturity(db, programId),
    rejections(db, programId),
  ]);
  return { rules, ...(await proposalsOf(db, programId, data, rules, statuses, maturity, rejected)) };
}

/** How many proposals wait for the PLO (for the overview), through the read cache. */
export function cachedProposalCount(db: DB, programId: string, dataVersion: string, today: Day): Promise<number> {
  return cachedRead(`proposals|${dataVersion}|${today}`, async () => {
    const data = await cachedHealthData(db, programId, dataVersion, today);
    return (await graduationProposals(db, programId, data)).proposals.length;
  });
}

export interface DecisionResult {
  decided: number;
  /** Proposals that no longer stand (the status changed, or the evidence did): left alone. */
  stale: string[];
  moves: Array<{ teamId: string; teamName: string; from: OnboardingStatus; to: OnboardingStatus }>;
}

const teamsWord = (n: number) => `${n.toLocaleString("en")} team${n === 1 ? "" : "s"}`;

/**
 * Confirms or rejects the selected proposals ("teamId:from:to") in one transaction: the teams'
 * rows are locked, the proposals computed afresh for them, and only those still standing are
 * decided. Confirmed: the status changes (as of `today`), a status-history row per team, a
 * decision row with its evidence, one audit event listing every move. Rejected: a decision row
 * each and one audit event. Throws a field error when none of the selected still stands.
 */
export async function decideProposals(
  db: DB,
  actor: Actor,
  programId: string,
  input: GraduationDecisionInput,
  today: Day,
): Promise<DecisionResult> {
  const teamIds = [...new Set(input.proposal.map((key) => key.split(":")[0]))];
  return inTransaction(db, async (trx) => {
    const statuses = await teamStatuses(trx, programId, teamIds, true);
    const [rules, data, maturity, rejected] = await Promise.all([
      getRules(trx, programId),
      loadHealthData(trx, programId, today, [...statuses.keys()], { training: false }),
      latestMaturity(trx, programId, teamIds),
      rejections(trx, programId, teamIds),
    ]);
    const standing = new Map(
      (await proposalsOf(trx, programId, data, rules, statuses, maturity, rejected)).proposals.map((p) => [p.key, p]),
    );
    const chosen = input.proposal.map((key) => standing.get(key)).filter((p): p is ProposalRow => p !== undefined);
    const stale = input.proposal.filter((key) => !standing.has(key));
    if (chosen.length === 0) {
      throw FieldError.on(
        "proposal",
        "None of the selected proposals stands any more (a status or the evidence changed). Reload the list.",
      );
    }
    const confirm = input.decision === "confirm";
    if (confirm) {
      // One statement per target status (at most four), each for all its teams.
      for (const to of new Set(chosen.map((p) => p.to))) {
        const ids = chosen.filter((p) => p.to === to).map((p) => p.teamId);
        await trx
          .updateTable("program_teams")
          .set({ status: to, status_changed_on: today, updated_at: new Date() })
          .where("program_id", "=", programId)
          .where("team_id", "in", ids)
          .execute();
      }
      await trx
        .insertInto("team_status_changes")
        .values(
          chosen.map((p) => ({
            program_id: programId,
            team_id: p.teamId,
            from_status: p.from,
            to_status: p.to,
            changed_on: today,
            changed_by: actor.id,
          })),
        )
        .execute();
    }
    await trx
      .insertInto("graduation_decisions")
      .values(
        chosen.map((p) => ({
          id: crypto.randomUUID(),
          program_id: programId,
          team_id: p.teamId,
          from_status: p.from,
          to_status: p.to,
          decision: confirm ? ("confirmed" as const) : ("rejected" as const),
          basis: p.basis,
          evidence: JSON.stringify(p.evidence),
          reason: input.reason,
          decided_by: actor.id,
          decided_by_label: actor.name,
        })),
      )
      .execute();
    const moves = chosen.map((p) => ({ teamId: p.teamId, teamName: p.teamName, from: p.from, to: p.to }));
    await recordAudit(trx, {
      actor,
      action: confirm ? "graduation.confirmed" : "graduation.rejected",
      entityType: "program",
      entityId: programId,
      programId,
      summary: confirm
        ? `Confirmed the status moves of ${teamsWord(moves.length)}: ${summarize(moves)}`
        : `Rejected the proposed status moves of ${teamsWord(moves.length)}: ${summarize(moves)}`,
      details: { decision: input.decision, reason: input.reason, changedOn: today, count: moves.length, moves, stale },
    });
    return { decided: chosen.length, stale, moves };
  });
}

function summarize(moves: DecisionResult["moves"]): string {
  const groups = new Map<string, number>();
  for (const m of moves) {
    const key = `${ONBOARDING_STATUS_LABELS[m.from]} → ${ONBOARDING_STATUS_LABELS[m.to]}`;
    groups.set(key, (groups.get(key) ?? 0) + 1);
  }
  return [...groups].map(([key, n]) => `${n} ${key}`).join(", ");
}

export interface DecisionRow {
  id: string;
  teamId: string;
  teamName: string;
  from: OnboardingStatus;
  to: OnboardingStatus;
  decision: "confirmed" | "rejected";
  reason: string;
  by: string;
  at: Date;
}

/** The latest decisions of the program, newest first (one query). */
export async function recentDecisions(db: DB, programId: string, limit = 20): Promise<DecisionRow[]> {
  const rows = await db
    .selectFrom("graduation_decisions as d")
    .innerJoin("teams as t", "t.id", "d.team_id")
    .select([
      "d.id",
      "d.team_id as teamId",
      "t.name as teamName",
      "d.from_status as from",
      "d.to_status as to",
      "d.decision",
      "d.reason",
      "d.decided_by_label as by",
      "d.decided_at as at",
    ])
    .where("d.program_id", "=", programId)
    .orderBy("d.decided_at", "desc")
    .orderBy("d.id")
    .limit(limit)
    .execute();
  return rows;
}

// ---------------------------------------------------------------------------------------------
// Freed capacity

export interface FreedCapacity {
  /** Self-sufficient teams that still hold a coach's place. */
  teams: number;
  /** Places they hold (a team with a primary and a secondary coach holds two). */
  places: number;
  byCoach: Array<{ coachId: string; coachName: string; teams: string[] }>;
}

/** Coach places held by self-sufficient teams on `today`: capacity graduation frees (one query). */
export async function freedCapacity(db: DB, programId: string, today: Day): Promise<FreedCapacity> {
  const { rows } = await sql<{ coach_id: string; coach_name: string; team_id: string; team_name: string }>`
    select c.id as coach_id, p.name as coach_name, t.id as team_id, t.name as team_name
      from coach_assignments a
      join coaches c on c.id = a.coach_id and c.active
      join people p on p.id = c.person_id
      join teams t on t.id = a.team_id and t.archived_at is null
      join program_teams pt on pt.team_id = a.team_id and pt.program_id = a.program_id
     where a.program_id = ${programId} and pt.status = 'self_sufficient'
       and a.starts_on <= ${today}::date and (a.ends_on is null or a.ends_on >= ${today}::date)
     order by lower(p.name), c.id, lower(t.name), t.id`.execute(db);
  const byCoach: FreedCapacity["byCoach"] = [];
  for (const r of rows) {
    let coach = byCoach.at(-1);
    if (coach?.coachId !== r.coach_id) {
      coach = { coachId: r.coach_id, coachName: r.coach_name, teams: [] };
      byCoach.push(coach);
    }
    coach.teams.push(r.team_name);
  }
  return { teams: new Set(rows.map((r) => r.team_id)).size, places: rows.length, byCoach };
}
