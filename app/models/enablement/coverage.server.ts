import { sql } from "kysely";
import type { Role } from "../../../db/schema";
import { ForbiddenError, NotFoundError } from "~/models/errors";
import { can } from "~/utils/permissions";
import type { Day } from "~/utils/dates";
import type { DB } from "~/utils/db.server";
import { statesFor } from "./resolve.server";

// Seeing enablement: the coverage heat map ((wave or unit) × module, aggregates only), a team's
// gaps ("3 of 8 members lack Fundamentals") and who may see names. Every figure is one GROUP BY
// over the state CTE (a constant number of queries whatever the size). Only required modules count.

/** Who is looking, for the finer rules: the PLO sees everyone, a coach their teams, a team lead their team. */
export interface EnablementViewer {
  userId: string;
  role: Role;
  manage: boolean;
  personId: string | null;
  coachId: string | null;
}

export async function loadEnablementViewer(db: DB, user: { id: string; role: Role }, programId: string): Promise<EnablementViewer> {
  const row = await db
    .selectFrom("people as p")
    .leftJoin("coaches as c", (join) => join.onRef("c.person_id", "=", "p.id").on("c.program_id", "=", programId).on("c.active", "=", true))
    .select(["p.id as personId", "c.id as coachId"])
    .where("p.user_id", "=", user.id)
    .where("p.archived_at", "is", null)
    .executeTakeFirst();
  return {
    userId: user.id,
    role: user.role,
    manage: can(user.role, "enablement:manage"),
    personId: row?.personId ?? null,
    coachId: row?.coachId ?? null,
  };
}

/** The teams whose names and states the viewer may see: null = every team (the PLO). */
export async function visibleTeamIds(db: DB, viewer: EnablementViewer, programId: string, today: Day): Promise<string[] | null> {
  if (viewer.manage) return null;
  const ids = new Set<string>();
  if (viewer.coachId) {
    const rows = await db
      .selectFrom("coach_assignments")
      .select("team_id")
      .where("coach_id", "=", viewer.coachId)
      .where("program_id", "=", programId)
      .where("starts_on", "<=", today)
      .where((eb) => eb.or([eb("ends_on", "is", null), eb("ends_on", ">=", today)]))
      .execute();
    for (const r of rows) ids.add(r.team_id);
  }
  if (viewer.personId && viewer.role === "team_lead") {
    const rows = await db
      .selectFrom("teams")
      .select("id")
      .where("lead_person_id", "=", viewer.personId)
      .where("archived_at", "is", null)
      .execute();
    for (const r of rows) ids.add(r.id);
  }
  return [...ids];
}

/** Throws a 403 unless the viewer may see the team's names (PLO, its current coach, its lead). */
export async function assertTeamVisible(db: DB, viewer: EnablementViewer, programId: string, teamId: string, today: Day): Promise<void> {
  const visible = await visibleTeamIds(db, viewer, programId, today);
  if (visible !== null && !visible.includes(teamId)) throw new ForbiddenError("You can see the training of your own teams only.");
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

/**
 * The coverage heat map of the program's required modules: rows are waves (and "no wave"), or
 * the sub-units of `underUnitId` (the top units when null); columns the modules.
 */
export async function heatMap(
  db: DB,
  programId: string,
  today: Day,
  by: "wave" | "unit",
  underUnitId: string | null = null,
): Promise<HeatMap> {
  const cte = await statesFor(db, programId, today, { necessity: "required" });
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
  let groupExpr;
  let groupJoin = sql``;
  if (by === "wave") {
    const waves = await db
      .selectFrom("waves")
      .select(["id", "name"])
      .where("program_id", "=", programId)
      .orderBy("position")
      .orderBy("id")
      .execute();
    groups = [...waves, { id: NO_WAVE, name: "No wave" }];
    groupExpr = sql`coalesce(s.wave_id, ${NO_WAVE})`;
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
    if (groups.length === 0) groups = [];
    const ids = groups.map((g) => g.id);
    groupExpr = sql`g.ancestor_id`;
    groupJoin =
      ids.length === 0
        ? sql`join (select null::text as unit_id, null::text as ancestor_id where false) g on true`
        : sql`join units_up g on g.unit_id = s.unit_id and g.ancestor_id in (${sql.join(ids.map((id) => sql`${id}`))})`;
  }
  const { rows } = await sql<{
    group_id: string;
    module_id: string;
    total: number;
    met: number;
    met_on_time: number;
    overdue: number;
    due: number;
    refresh_soon: number;
    waived: number;
  }>`${cte}
    select ${groupExpr} as group_id, s.module_id,
      count(distinct s.person_id)::int as total,
      (count(distinct s.person_id) filter (where s.state = 'met'))::int as met,
      (count(distinct s.person_id) filter (where s.state = 'met' and (s.due_on is null or s.completed_on <= s.due_on)))::int as met_on_time,
      (count(distinct s.person_id) filter (where s.state = 'overdue'))::int as overdue,
      (count(distinct s.person_id) filter (where s.state = 'due'))::int as due,
      (count(distinct s.person_id) filter (where s.state = 'refresh_due' or s.expiring_soon))::int as refresh_soon,
      (count(distinct s.person_id) filter (where s.state = 'waived'))::int as waived
    from states s ${groupJoin}
    group by 1, s.module_id`.execute(db);
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
  const cte = await statesFor(db, programId, day, { teamIds, necessity: "required" });
  const { rows } = await sql<{ team_id: string; module_id: string; title: string; total: number; lacking: number; overdue: number }>`${cte},
    per_person as (
      select team_id, module_id, person_id, bool_and(state in ('met', 'waived')) as ok, bool_or(state = 'overdue') as late
      from states group by team_id, module_id, person_id
    )
    select pp.team_id, pp.module_id, m.title, count(*)::int as total,
      (count(*) filter (where not pp.ok))::int as lacking, (count(*) filter (where pp.late))::int as overdue
    from per_person pp join enablement_modules m on m.id = pp.module_id
    group by pp.team_id, pp.module_id, m.title
    having count(*) filter (where not pp.ok) > 0
    order by pp.team_id, lower(m.title)`.execute(db);
  for (const r of rows) {
    const list = gaps.get(r.team_id) ?? [];
    const total = Number(r.total);
    const lacking = Number(r.lacking);
    list.push({
      moduleId: r.module_id,
      moduleTitle: r.title,
      lacking,
      total,
      overdue: Number(r.overdue),
      text: `${lacking} of ${total} ${total === 1 ? "member" : "members"} ${lacking === 1 ? "lacks" : "lack"} ${r.title}`,
    });
    gaps.set(r.team_id, list);
  }
  return gaps;
}
