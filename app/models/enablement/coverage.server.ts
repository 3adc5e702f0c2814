import { sql } from "kysely";
import type { Audience, Role } from "../../../db/schema";
import { ForbiddenError, NotFoundError } from "~/models/errors";
import { can } from "~/utils/permissions";
import type { Day } from "~/utils/dates";
import { inTransaction, prepared, type DB } from "~/utils/db.server";
import { asDay, statesCte, type RequirementState } from "./resolve.server";

// Seeing enablement: the coverage heat map ((wave or unit) × module, aggregates only), a team's
// gaps ("3 of 8 members lack Fundamentals") and who may see names. Every figure is one GROUP BY
// over the state CTE (a constant number of queries whatever the size). Only required modules count.

/**
 * Throws a 403 unless the user may see the team's names and states: the PLO (no query), the
 * team's current coach in the program, or its lead (one query).
 */
export async function assertTeamVisible(
  db: DB,
  user: { id: string; role: Role },
  programId: string,
  teamId: string,
  today: Day,
): Promise<void> {
  if (can(user.role, "enablement:manage")) return;
  const lead = user.role === "team_lead";
  const { rows } = await sql<{ visible: boolean }>`
    select exists (
      select 1 from people p
      join coaches c on c.person_id = p.id and c.program_id = ${programId} and c.active
      join coach_assignments a on a.coach_id = c.id and a.program_id = ${programId} and a.team_id = ${teamId}
        and a.starts_on <= ${today}::date and (a.ends_on is null or a.ends_on >= ${today}::date)
      where p.user_id = ${user.id} and p.archived_at is null
    ) or (${lead} and exists (
      select 1 from people p join teams t on t.lead_person_id = p.id
      where p.user_id = ${user.id} and p.archived_at is null and t.id = ${teamId} and t.archived_at is null
    )) as visible`.execute(db);
  if (!rows[0]?.visible) throw new ForbiddenError("You can see the training of your own teams only.");
}

// ---------------------------------------------------------------------------------------------
// Heat map

export interface HeatCell {
  total: number;
  met: number;
  metOnTime: number;
  overdue: number;
  due: number;
  /** Refresh due now, or a completion expiring within 30 days. */
  refreshSoon: number;
  waived: number;
}

export interface HeatMap {
  by: "wave" | "unit";
  modules: Array<{ id: string; title: string }>;
  groups: Array<{ id: string; name: string }>;
  /** `${groupId}:${moduleId}` → cell. */
  cells: Record<string, HeatCell>;
  /** The unit whose sub-units are the rows (by unit), null at the top. */
  underUnit: { id: string; name: string; parentId: string | null } | null;
}

const NO_WAVE = "none";

// The heat map is precomputed (ADR 0014): states stay computed by query, but their figures per
// wave × unit × required module are stored for one day in `enablement_coverage`, stamped with the
// enablement versions of the program and of the installation they were computed from. Every
// audited change that can move a state bumps one of those versions in its own transaction
// (~/models/audit: everything but check-ins, reports, RACI and the like), so a stamp that
// matches the versions and today's day is never stale. A stale stamp (a relevant change, a new
// day) is recomputed once, by the first reader, under a lock on the stamp's row; the others wait
// for it and read its rows. A person counts once per module: waived when every requirement that
// reaches them for it is waived, otherwise by their completion (met / refresh due) or the
// earliest due day of the rest (overdue / due). The overdue list's rows (`enablement_overdue`,
// one per person × required requirement that is overdue) are computed and kept under the same
// stamp, by the same statement and the same writes.

const SUMS = sql`sum(c.total)::int as total, sum(c.met)::int as met, sum(c.met_on_time)::int as met_on_time, sum(c.overdue)::int as overdue,
  sum(c.due)::int as due, sum(c.refresh_soon)::int as refresh_soon, sum(c.waived)::int as waived`;

// One row per person × required module (see above), then the figures per wave × unit × module.
const PER_PERSON = sql`per_person as (
    select s.person_id, s.module_id, min(s.wave_id) as wave_id, min(s.unit_id) as unit_id,
      case
        when bool_and(s.state = 'waived') then 'waived'
        when bool_or(s.state = 'met') then 'met'
        when bool_or(s.state = 'refresh_due') then 'refresh_due'
        when bool_or(s.state = 'overdue') then 'overdue'
        else 'due'
      end as state,
      coalesce(bool_and(s.due_on is null or s.completed_on <= s.due_on) filter (where s.state <> 'waived'), false) as on_time,
      coalesce(bool_or(s.expiring_soon), false) as expiring_soon
    from states s
    group by s.person_id, s.module_id
  )`;
const GROUPED = sql`pp.wave_id, pp.unit_id, pp.module_id, count(*)::int as total,
    (count(*) filter (where pp.state = 'met'))::int as met,
    (count(*) filter (where pp.state = 'met' and pp.on_time))::int as met_on_time,
    (count(*) filter (where pp.state = 'overdue'))::int as overdue,
    (count(*) filter (where pp.state = 'due'))::int as due,
    (count(*) filter (where pp.state = 'refresh_due' or pp.expiring_soon))::int as refresh_soon,
    (count(*) filter (where pp.state = 'waived'))::int as waived
  from per_person pp
  group by pp.wave_id, pp.unit_id, pp.module_id`;

const FIGURES = ["total", "met", "met_on_time", "overdue", "due", "refresh_soon", "waived"] as const;
type StoredRow = { wave_id: string | null; unit_id: string | null; module_id: string } & Record<(typeof FIGURES)[number], number>;
const rowKey = (r: { wave_id: string | null; unit_id: string | null; module_id: string }) =>
  `${r.wave_id ?? ""}|${r.unit_id ?? ""}|${r.module_id}`;

// The overdue list's rows (required states, overdue), stored beside the figures from the same
// state CTE: one row per person × requirement, read by ./overdue.server.
const storeOverdue = (programId: string) => sql`stored_overdue as (
    insert into enablement_overdue (program_id, person_id, requirement_id, module_id, audience, due_on, person_name, module_title,
      wave_id, unit_id, team_id)
    select ${programId}, s.person_id, s.requirement_id, s.module_id, s.audience, s.due_on, p.name, m.title, s.wave_id, s.unit_id, s.team_id
    from states s join people p on p.id = s.person_id join enablement_modules m on m.id = s.module_id
    where s.state = 'overdue' and s.necessity = 'required'
  )`;

/** These people's part of the figures; with `storeOverdue`, also stores their overdue rows (the caller deleted the old ones). */
async function figuresOf(db: DB, programId: string, today: Day, personIds: readonly string[], store = false): Promise<StoredRow[]> {
  if (personIds.length === 0) return [];
  const cte = statesCte(programId, today, { necessity: "required", personIds });
  const stored = store ? sql`${storeOverdue(programId)},` : sql``;
  const { rows } = await sql<StoredRow>`${cte}, ${stored} ${PER_PERSON} select ${GROUPED}`.execute(db);
  return rows;
}

/** Above this many people a write leaves the stored figures stale rather than updating them. */
const INCREMENTAL_LIMIT = 1000;

/** What a write that moves some people's states needs to keep the stored figures current. */
export interface CoverageChange {
  programId: string;
  today: Day;
  personIds: readonly string[];
  programVersion: number;
  installationVersion: number;
  before: StoredRow[];
}

/**
 * Called inside a write's transaction before it changes completions or waivers of `personIds`:
 * takes the stamp's lock (writes of one program's enablement queue here) and, when the stored
 * figures are current, reads those people's part of them. Null when they are stale anyway.
 */
export async function coverageBefore(trx: DB, programId: string, personIds: readonly string[], today: Day): Promise<CoverageChange | null> {
  // Thousands of people (a large import): cheaper to let the audit's bump make the figures stale.
  if (personIds.length > INCREMENTAL_LIMIT) return null;
  const stamp = await trx
    .selectFrom("enablement_coverage_stamps")
    .select("program_id")
    .where("program_id", "=", programId)
    .forUpdate()
    .executeTakeFirst();
  if (!stamp) return null;
  const now = await coverageFreshness(trx, programId, today);
  if (!now.fresh) return null;
  const ids = [...new Set(personIds)];
  return { programId, today, personIds: ids, ...now, before: await figuresOf(trx, programId, today, ids) };
}

/**
 * Called after the write (and its audit event, which bumps the program's enablement version
 * once): applies the difference of those people's figures to the stored rows and stamps them
 * with the new version. Any other change of the inputs meanwhile (another version) leaves the
 * stamp stale, and the next reader computes everything.
 */
export async function coverageAfter(trx: DB, change: CoverageChange | null): Promise<void> {
  if (!change) return;
  const { programId, today } = change;
  let overdueDelta = sql<number>`0`;
  if (change.personIds.length > 0) {
    const deleted = await trx
      .deleteFrom("enablement_overdue")
      .where("program_id", "=", programId)
      .where("person_id", "in", change.personIds)
      .executeTakeFirst();
    // The stored count moves by what was deleted and what figuresOf writes back for these people.
    overdueDelta = sql<number>`(select count(*)::int from enablement_overdue o
      where o.program_id = ${programId} and o.person_id in (${sql.join(change.personIds.map((id) => sql`${id}`))})) - ${Number(deleted.numDeletedRows)}`;
  }
  const after = await figuresOf(trx, programId, today, change.personIds, true);
  const delta = new Map<string, StoredRow>();
  const add = (r: StoredRow, sign: number) => {
    const key = rowKey(r);
    const d =
      delta.get(key) ??
      ({ wave_id: r.wave_id, unit_id: r.unit_id, module_id: r.module_id, ...Object.fromEntries(FIGURES.map((f) => [f, 0])) } as StoredRow);
    for (const f of FIGURES) d[f] += sign * Number(r[f]);
    delta.set(key, d);
  };
  for (const r of change.before) add(r, -1);
  for (const r of after) add(r, 1);
  const changed = [...delta.values()].filter((d) => FIGURES.some((f) => d[f] !== 0));
  if (changed.length > 0) {
    const modules = [...new Set(changed.map((d) => d.module_id))];
    const stored = await trx
      .selectFrom("enablement_coverage")
      .select(["wave_id", "unit_id", "module_id", ...FIGURES])
      .where("program_id", "=", programId)
      .where("module_id", "in", modules)
      .execute();
    const current = new Map(stored.map((r) => [rowKey(r), r]));
    const keys = changed.map(rowKey);
    await trx
      .deleteFrom("enablement_coverage")
      .where("program_id", "=", programId)
      .where("module_id", "in", modules)
      .where(
        sql<boolean>`coalesce(wave_id, '') || '|' || coalesce(unit_id, '') || '|' || module_id in (${sql.join(keys.map((k) => sql`${k}`))})`,
      )
      .execute();
    const rows = changed
      .map((d) => {
        const base = current.get(rowKey(d));
        const next = { program_id: programId, wave_id: d.wave_id, unit_id: d.unit_id, module_id: d.module_id } as Record<string, unknown>;
        for (const f of FIGURES) next[f] = Number(base?.[f] ?? 0) + d[f];
        return next as { program_id: string } & StoredRow;
      })
      .filter((r) => r.total > 0);
    if (rows.length > 0) await trx.insertInto("enablement_coverage").values(rows).execute();
  }
  const now = await coverageFreshness(trx, programId, today);
  const ours = now.installationVersion === change.installationVersion && now.programVersion <= change.programVersion + 1;
  await trx
    .updateTable("enablement_coverage_stamps")
    .set({
      ...(ours ? { program_version: now.programVersion } : { program_version: null }),
      overdue_rows: sql<number>`overdue_rows + ${overdueDelta}`,
    })
    .where("program_id", "=", programId)
    .execute();
}

interface Freshness {
  programVersion: number;
  installationVersion: number;
  fresh: boolean;
  /** The stored overdue rows' number under the stamp (null: not known). */
  overdueRows: number | null;
}

async function coverageFreshness(db: DB, programId: string, today: Day): Promise<Freshness> {
  const { rows } = await sql<{
    pv: string | number;
    iv: string | number;
    sp: string | number | null;
    si: string | number | null;
    day: string | Date | null;
    overdue_rows: number | null;
  }>`
    select p.enablement_version as pv, coalesce(i.enablement_version, 0) as iv, s.program_version as sp, s.installation_version as si, s.day,
      s.overdue_rows
    from programs p left join installation i on i.id = 1 left join enablement_coverage_stamps s on s.program_id = p.id
    where p.id = ${programId}`.execute(db);
  const row = rows[0];
  if (!row) throw new NotFoundError("This program does not exist.");
  const programVersion = Number(row.pv);
  const installationVersion = Number(row.iv);
  const fresh = row.sp !== null && Number(row.sp) === programVersion && Number(row.si) === installationVersion && asDay(row.day) === today;
  return { programVersion, installationVersion, fresh, overdueRows: row.overdue_rows === null ? null : Number(row.overdue_rows) };
}

/**
 * Recomputes the program's stored coverage for `today` from the states (one statement over the
 * state CTE), unless another request did it meanwhile. Returns whether it computed.
 */
export async function refreshCoverage(db: DB, programId: string, today: Day): Promise<boolean> {
  return inTransaction(db, async (trx) => {
    await trx
      .insertInto("enablement_coverage_stamps")
      .values({ program_id: programId })
      .onConflict((oc) => oc.column("program_id").doNothing())
      .execute();
    await trx.selectFrom("enablement_coverage_stamps").select("program_id").where("program_id", "=", programId).forUpdate().execute();
    // The versions are read before the data: a change committing meanwhile may be counted under
    // the older versions, which only makes the next reader compute again (ADR 0011's argument).
    const now = await coverageFreshness(trx, programId, today);
    if (now.fresh) return false;
    const started = performance.now();
    const cte = statesCte(programId, today, { necessity: "required" });
    await trx.deleteFrom("enablement_coverage").where("program_id", "=", programId).execute();
    await trx.deleteFrom("enablement_overdue").where("program_id", "=", programId).execute();
    await sql`${cte}, ${storeOverdue(programId)}, ${PER_PERSON}
      insert into enablement_coverage (program_id, wave_id, unit_id, module_id, total, met, met_on_time, overdue, due, refresh_soon, waived)
      select ${programId}, ${GROUPED}`.execute(trx);
    await trx
      .updateTable("enablement_coverage_stamps")
      .set({
        program_version: now.programVersion,
        installation_version: now.installationVersion,
        day: today,
        computed_at: new Date(),
        compute_ms: Math.round(performance.now() - started),
        overdue_rows: sql<number>`(select count(*)::int from enablement_overdue o where o.program_id = ${programId})`,
      })
      .where("program_id", "=", programId)
      .execute();
    return true;
  });
}

/**
 * Makes the program's stored coverage (the heat map's figures and the overdue rows) current for
 * `today`. Returns how many overdue rows are stored when the stamp knows it (null otherwise).
 */
export async function ensureCoverage(db: DB, programId: string, today: Day): Promise<{ overdueRows: number | null }> {
  const now = await coverageFreshness(db, programId, today);
  if (now.fresh) return { overdueRows: now.overdueRows };
  await refreshCoverage(db, programId, today);
  return { overdueRows: null };
}

/**
 * The coverage heat map of the program's required modules: rows are waves (and "no wave"), or
 * the sub-units of `underUnitId` (the top units when null); columns the modules. Four small
 * queries while the stored figures are current (see above); a recomputation first otherwise.
 */
export async function heatMap(
  db: DB,
  programId: string,
  today: Day,
  by: "wave" | "unit",
  underUnitId: string | null = null,
): Promise<HeatMap> {
  await ensureCoverage(db, programId, today);
  const modules = await db
    .selectFrom("enablement_modules as m")
    .select(["m.id", "m.title"])
    .where("m.program_id", "=", programId)
    .where("m.id", "in", (eb) =>
      eb.selectFrom("enablement_requirements").select("module_id").where("program_id", "=", programId).where("necessity", "=", "required"),
    )
    .orderBy(sql`lower(m.title)`)
    .orderBy("m.id")
    .execute();
  let groups: Array<{ id: string; name: string }>;
  let underUnit: HeatMap["underUnit"] = null;
  let figures;
  if (by === "wave") {
    const waves = await db
      .selectFrom("waves")
      .select(["id", "name"])
      .where("program_id", "=", programId)
      .orderBy("position")
      .orderBy("id")
      .execute();
    groups = [...waves, { id: NO_WAVE, name: "No wave" }];
    figures = sql<CoverageRow>`select coalesce(c.wave_id, ${NO_WAVE}) as group_id, c.module_id, ${SUMS}
      from enablement_coverage c where c.program_id = ${programId}
      group by 1, c.module_id`;
  } else {
    if (underUnitId) {
      const unit = await db.selectFrom("org_units").select(["id", "name", "parent_id"]).where("id", "=", underUnitId).executeTakeFirst();
      if (!unit) throw new NotFoundError("This unit does not exist.");
      underUnit = { id: unit.id, name: unit.name, parentId: unit.parent_id };
    }
    let children = db.selectFrom("org_units").select(["id", "name"]).where("archived_at", "is", null);
    children = underUnitId ? children.where("parent_id", "=", underUnitId) : children.where("parent_id", "is", null);
    groups = await children
      .orderBy(sql`lower(name)`)
      .orderBy("id")
      .execute();
    const ids = groups.map((g) => g.id);
    // Each stored row's unit rolls up to the row (a sub-unit of `under`) it lies in.
    figures =
      ids.length === 0
        ? null
        : sql<CoverageRow>`with recursive units_up(unit_id, ancestor_id) as (
              select id, id from org_units
              union all
              select uu.unit_id, u.parent_id from units_up uu join org_units u on u.id = uu.ancestor_id where u.parent_id is not null
            )
            select g.ancestor_id as group_id, c.module_id, ${SUMS}
            from enablement_coverage c
            join units_up g on g.unit_id = c.unit_id and g.ancestor_id in (${sql.join(ids.map((id) => sql`${id}`))})
            where c.program_id = ${programId}
            group by 1, c.module_id`;
  }
  const rows = figures ? (await figures.execute(db)).rows : [];
  const cells: Record<string, HeatCell> = {};
  for (const r of rows) {
    cells[`${r.group_id}:${r.module_id}`] = {
      total: Number(r.total),
      met: Number(r.met),
      metOnTime: Number(r.met_on_time),
      overdue: Number(r.overdue),
      due: Number(r.due),
      refreshSoon: Number(r.refresh_soon),
      waived: Number(r.waived),
    };
  }
  if (by === "wave") groups = groups.filter((g) => g.id !== NO_WAVE || modules.some((m) => cells[`${NO_WAVE}:${m.id}`]));
  return { by, modules, groups, cells, underUnit };
}

interface CoverageRow {
  group_id: string;
  module_id: string;
  total: number;
  met: number;
  met_on_time: number;
  overdue: number;
  due: number;
  refresh_soon: number;
  waived: number;
}

// ---------------------------------------------------------------------------------------------
// Team gaps

export interface TeamGap {
  moduleId: string;
  moduleTitle: string;
  /** People of the team who need the module and do not meet it (nor are waived). */
  lacking: number;
  /** People of the team who need the module. */
  total: number;
  overdue: number;
  /** "3 of 8 members lack Fundamentals". */
  text: string;
}

// The gaps over the `states` CTE: per team and required module, the people who need it, those who
// lack it (some requirement for it neither met nor waived) and those overdue on it.
const GAPS = sql`per_person as (
      select team_id, module_id, person_id, bool_and(state in ('met', 'waived')) as ok, bool_or(state = 'overdue') as late
      from states where necessity = 'required' group by team_id, module_id, person_id
    ),
    gaps as (
      select pp.team_id, pp.module_id, m.title, count(*)::int as total,
        (count(*) filter (where not pp.ok))::int as lacking, (count(*) filter (where pp.late))::int as overdue
      from per_person pp join enablement_modules m on m.id = pp.module_id
      group by pp.team_id, pp.module_id, m.title
      having count(*) filter (where not pp.ok) > 0
    )`;

interface GapRow {
  team_id: string;
  module_id: string;
  title: string;
  total: number;
  lacking: number;
  overdue: number;
}

function toGap(r: GapRow): TeamGap {
  const total = Number(r.total);
  const lacking = Number(r.lacking);
  return {
    moduleId: r.module_id,
    moduleTitle: r.title,
    lacking,
    total,
    overdue: Number(r.overdue),
    text: `${lacking} of ${total} ${total === 1 ? "member" : "members"} ${lacking === 1 ? "lacks" : "lack"} ${r.title}`,
  };
}

/**
 * Per team, the required modules some of its members (or its lead) still lack — for the coach's
 * "My teams" and the team lead's home. One query for any number of teams; teams without gaps
 * are absent from the map.
 */
export async function teamEnablementGaps(
  db: DB,
  programId: string,
  teamIds: readonly string[],
  today?: Day,
): Promise<Map<string, TeamGap[]>> {
  const gaps = new Map<string, TeamGap[]>();
  if (teamIds.length === 0) return gaps;
  const day = today ?? new Date().toISOString().slice(0, 10);
  const cte = statesCte(programId, day, { teamIds, necessity: "required" });
  const { rows } = await sql<GapRow>`${cte}, ${GAPS}
    select team_id, module_id, title, total, lacking, overdue from gaps order by team_id, lower(title)`.execute(db);
  for (const r of rows) {
    const list = gaps.get(r.team_id) ?? [];
    list.push(toGap(r));
    gaps.set(r.team_id, list);
  }
  return gaps;
}

/** A row of a team's training list: what the page shows of a person × requirement state. */
export interface TeamStateRow {
  personId: string;
  personName: string;
  requirementId: string;
  audience: Audience;
  moduleTitle: string;
  state: RequirementState;
  dueOn: Day | null;
}

export interface TeamTraining {
  team: { id: string; name: string };
  /** Every requirement of every member and of the lead, in due order (as `listStates`). */
  states: TeamStateRow[];
  /** The required modules some of them lack (as `teamEnablementGaps`). */
  gaps: TeamGap[];
}

/**
 * A team's training, by name: its states and its gaps, in one query. Null when the team does not
 * exist. The caller checked that the viewer may see it (`assertTeamVisible`).
 */
export async function teamTraining(db: DB, programId: string, teamId: string, today: Day): Promise<TeamTraining | null> {
  const cte = statesCte(programId, today, { teamIds: [teamId] });
  // Read on every visit of the page, with the same text for every team: a prepared statement (ADR 0026).
  const { rows } = await prepared(sql<{
    name: string | null;
    states: Array<Omit<TeamStateRow, "dueOn"> & { dueOn: string | null }>;
    gaps: GapRow[];
  }>`
    ${cte}, ${GAPS}
    select (select t.name from teams t where t.id = ${teamId}) as name,
      (select coalesce(json_agg(json_build_object('personId', s.person_id, 'personName', p.name, 'requirementId', s.requirement_id,
          'audience', s.audience, 'moduleTitle', m.title, 'state', s.state, 'dueOn', s.due_on)
          order by s.due_on nulls last, p.name, m.title, s.person_id, s.requirement_id), '[]'::json)
        from states s join people p on p.id = s.person_id join enablement_modules m on m.id = s.module_id) as states,
      (select coalesce(json_agg(g order by lower(g.title)), '[]'::json) from gaps g) as gaps`).execute(db);
  const row = rows[0];
  if (!row || row.name === null) return null;
  return {
    team: { id: teamId, name: row.name },
    states: row.states.map((s) => ({ ...s, dueOn: asDay(s.dueOn) })),
    gaps: row.gaps.map(toGap),
  };
}
