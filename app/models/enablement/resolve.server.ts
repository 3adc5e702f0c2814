import { sql, type RawBuilder } from "kysely";
import type { Audience, Necessity } from "../../../db/schema";
import { addDays, type Day } from "~/utils/dates";
import type { DB } from "~/utils/db.server";
import { firstDraftingEvents } from "./due-anchors.server";

// Who needs which module, by when, and where each person stands — computed by query every time
// (nothing per person is stored), so an HR re-import that moves someone, a team that changes
// wave or a new coach assignment is followed at once.
//
// A requirement (module × audience × scope) reaches people through the organization and the plan:
//   team_member  people in an active team (team's wave in the program, if any; person's unit, else the team's)
//   team_lead    the lead of an active team                    (that team's wave and unit)
//   coach        active coaches of the program                 (waves of the teams they coach today)
//   plo, sponsor people linked to an active account of that role
//   leader       the program's stakeholders
// Scope "wave" keeps those whose team is in the wave, scope "unit" those in the unit or below.
// Like the plan (ADR 0010), every active team of the organization belongs to every program, in
// a wave or not: scope "all" means the whole organization's audience.
// A person reached several ways (a coach of three teams) is one row, due at the earliest date.
//
// State per person and requirement, in this order:
//   waived       a waiver exists
//   met          the latest completion is valid: not expired (validity months), not of a version
//                older than a version published with "requires refresh", not before a refresh-
//                requiring version of a linked material
//   refresh_due  a completion exists but is no longer valid
//   overdue      no completion and the due day is past
//   due          no completion otherwise (also when no due day can be computed yet)

export const REQUIREMENT_STATES = ["met", "due", "overdue", "refresh_due", "waived"] as const;
export type RequirementState = (typeof REQUIREMENT_STATES)[number];

/** Days ahead within which an expiring completion counts as "refresh due soon" on the heat map. */
export const REFRESH_SOON_DAYS = 30;

export interface StateFilter {
  /** Only these people. */
  personIds?: readonly string[];
  /** Only the person linked to this user account (none when the account has no person). */
  userId?: string;
  /** Only people reached through these teams (as members or leads). */
  teamIds?: readonly string[];
  requirementIds?: readonly string[];
  moduleIds?: readonly string[];
  audiences?: readonly Audience[];
  necessity?: Necessity;
  /**
   * Only these states. When all of them mean "nothing done yet" (due, overdue), the people with a
   * completion or a waiver are left out before the states are judged, which spares most rows.
   */
  states?: readonly RequirementState[];
}

const TEAM_AUDIENCES: Audience[] = ["team_member", "team_lead"];

function inList(column: RawBuilder<unknown>, values: readonly string[] | undefined): RawBuilder<boolean> {
  if (values === undefined) return sql<boolean>`true`;
  if (values.length === 0) return sql<boolean>`false`;
  return sql<boolean>`${column} in (${sql.join(values.map((v) => sql`${v}`))})`;
}

export interface StateOptions {
  /**
   * Compute the teams' first drafting events for the "before drafting" due rule (default). Without
   * them such a requirement falls due at the wave's start: for a caller that only asks "met or
   * waived", which does not depend on the due day.
   */
  draftingDays?: boolean;
}

/** Above this many people a narrowed query stops narrowing the teams it reads (the lists would grow the query text). */
const NARROW_TEAMS_LIMIT = 1000;

/**
 * The CTEs ending in `states` (one row per person × requirement) for a program, as of `today`;
 * the caller adds `select … from states`. One query: the teams' first drafting events are computed
 * inside it (./due-anchors.server), for the teams it reaches.
 */
export function statesCte(programId: string, today: Day, filter: StateFilter = {}, options: StateOptions = {}): RawBuilder<unknown> {
  const soon = addDays(today, REFRESH_SOON_DAYS);
  const teamOnly = filter.teamIds !== undefined;
  const audiences = filter.audiences ?? (teamOnly ? TEAM_AUDIENCES : undefined);
  const has = (a: Audience) => audiences === undefined || audiences.includes(a);
  const userId = filter.userId;
  const personIn = (col: RawBuilder<unknown>) =>
    userId === undefined
      ? inList(col, filter.personIds)
      : sql<boolean>`${inList(col, filter.personIds)} and ${col} in (select me.id from people me where me.user_id = ${userId} and me.archived_at is null)`;
  // A person's query (or a few people's) reads only the teams they can be reached through: their
  // own team, the teams they lead, the teams they coach today — a superset of the teams each
  // branch below joins for them. The program-wide query reads every team.
  const people = filter.personIds;
  const reachable =
    teamOnly || ((people === undefined || people.length > NARROW_TEAMS_LIMIT) && userId === undefined)
      ? sql<boolean>`true`
      : people?.length === 0
        ? sql<boolean>`false`
        : sql<boolean>`t.id in (
          select p.team_id from people p where ${personIn(sql.ref("p.id"))}
          union all select t2.id from teams t2 where ${personIn(sql.ref("t2.lead_person_id"))}
          union all select a.team_id from coaches c join coach_assignments a on a.coach_id = c.id
            where c.program_id = ${programId} and ${personIn(sql.ref("c.person_id"))}
              and a.starts_on <= ${today}::date and (a.ends_on is null or a.ends_on >= ${today}::date))`;
  const drafting =
    options.draftingDays === false
      ? sql`select null::text as team_id, null::date as day where false`
      : firstDraftingEvents(
          programId,
          sql`select tm.team_id, tm.unit_id, tm.wave_id, w.starts_on from tm left join waves w on w.id = tm.wave_id`,
        );
  const branches: RawBuilder<unknown>[] = [];
  if (has("team_member"))
    branches.push(sql`select 'team_member'::text as audience, p.id as person_id, coalesce(p.unit_id, tm.unit_id) as unit_id, tm.team_id, tm.wave_id, p.created_at
      from people p join tm on tm.team_id = p.team_id where p.archived_at is null and ${personIn(sql.ref("p.id"))}`);
  if (has("team_lead"))
    branches.push(sql`select 'team_lead'::text as audience, p.id as person_id, tm.unit_id, tm.team_id, tm.wave_id, p.created_at
      from tm join people p on p.id = tm.lead_person_id where p.archived_at is null and ${personIn(sql.ref("p.id"))}`);
  if (!teamOnly && has("coach"))
    branches.push(sql`select 'coach'::text as audience, p.id as person_id, p.unit_id, a.team_id, tma.wave_id, p.created_at
      from coaches c join people p on p.id = c.person_id
      left join coach_assignments a on a.coach_id = c.id and a.starts_on <= ${today}::date and (a.ends_on is null or a.ends_on >= ${today}::date)
      left join tm tma on tma.team_id = a.team_id
      where c.program_id = ${programId} and c.active and p.archived_at is null and ${personIn(sql.ref("p.id"))}`);
  const roles = (["plo", "sponsor"] as const).filter((r) => !teamOnly && has(r));
  if (roles.length > 0)
    branches.push(sql`select u.role::text as audience, p.id as person_id, p.unit_id, tm.team_id, tm.wave_id, p.created_at
      from users u join people p on p.user_id = u.id left join tm on tm.team_id = p.team_id
      where u.active and u.role in (${sql.join(roles.map((r) => sql`${r}`))}) and p.archived_at is null and ${personIn(sql.ref("p.id"))}`);
  if (!teamOnly && has("leader"))
    branches.push(sql`select 'leader'::text as audience, p.id as person_id, p.unit_id, tm.team_id, tm.wave_id, p.created_at
      from stakeholders s join people p on p.id = s.person_id left join tm on tm.team_id = p.team_id
      where s.program_id = ${programId} and p.archived_at is null and ${personIn(sql.ref("p.id"))}`);
  if (branches.length === 0)
    branches.push(
      sql`select null::text as audience, null::text as person_id, null::text as unit_id, null::text as team_id, null::text as wave_id, null::timestamptz as created_at where false`,
    );
  const necessity = filter.necessity ? sql<boolean>`r.necessity = ${filter.necessity}` : sql<boolean>`true`;
  // Due and overdue are exactly "no waiver and no completion of the module" (see the order above).
  const pendingOnly = filter.states !== undefined && filter.states.length > 0 && filter.states.every((x) => x === "due" || x === "overdue");
  const pending = pendingOnly
    ? sql<boolean>`not exists (select 1 from enablement_completions c where c.person_id = a.person_id and c.module_id = r.module_id)
        and not exists (select 1 from enablement_waivers wv where wv.requirement_id = r.id and wv.person_id = a.person_id)`
    : sql<boolean>`true`;
  return sql`
    with recursive units_up(unit_id, ancestor_id) as (
      select id, id from org_units
      union all
      select uu.unit_id, u.parent_id from units_up uu join org_units u on u.id = uu.ancestor_id where u.parent_id is not null
    ),
    tm as (
      select t.id as team_id, t.unit_id, t.lead_person_id, pt.wave_id
      from teams t join org_units ou on ou.id = t.unit_id
      left join program_teams pt on pt.team_id = t.id and pt.program_id = ${programId}
      where t.archived_at is null and ou.archived_at is null and ${inList(sql.ref("t.id"), filter.teamIds)} and ${reachable}
    ),
    fd as (${drafting}),
    aud as (${sql.join(branches, sql` union all `)}),
    app as (
      select r.id as requirement_id, r.module_id, r.necessity, r.audience, a.person_id,
        min(case r.due_rule
          when 'fixed' then r.due_on
          when 'after_joining' then greatest(a.created_at::date, r.created_at::date) + coalesce(r.due_days, 0)
          when 'before_wave' then w.starts_on - coalesce(r.due_days, 0)
          when 'before_drafting' then coalesce(fd.day, w.starts_on) - coalesce(r.due_days, 0)
        end) as due_on,
        min(a.wave_id) as wave_id, min(a.unit_id) as unit_id, min(a.team_id) as team_id
      from enablement_requirements r
      join aud a on a.audience = r.audience
      left join waves w on w.id = a.wave_id
      left join fd on fd.team_id = a.team_id
      where r.program_id = ${programId} and ${necessity}
        and ${inList(sql.ref("r.id"), filter.requirementIds)} and ${inList(sql.ref("r.module_id"), filter.moduleIds)} and ${pending}
        and (r.scope = 'all'
          or (r.scope = 'wave' and a.wave_id = r.wave_id)
          or (r.scope = 'unit' and exists (select 1 from units_up x where x.unit_id = a.unit_id and x.ancestor_id = r.unit_id)))
      group by r.id, r.module_id, r.necessity, r.audience, a.person_id
    ),
    refresh as (
      select m.id as module_id, m.validity_months,
        (select max(v.version) from enablement_module_versions v where v.module_id = m.id and v.requires_refresh) as min_version,
        (select max(mv.published_on) from enablement_module_materials mm
          join enablement_material_versions mv on mv.material_id = mm.material_id
          where mm.module_id = m.id and mv.requires_refresh) as material_since
      from enablement_modules m where m.program_id = ${programId}
    ),
    comp as (
      select distinct on (c.person_id, c.module_id) c.person_id, c.module_id, c.module_version, c.completed_on
      from enablement_completions c
      where c.module_id in (select module_id from refresh) and c.person_id in (select person_id from app)
      order by c.person_id, c.module_id, c.completed_on desc, c.module_version desc
    ),
    judged as (
      select app.*, comp.completed_on, comp.module_version,
        case when rf.validity_months is null or comp.completed_on is null then null
          else (comp.completed_on + make_interval(months => rf.validity_months))::date end as expires_on,
        wv.reason as waiver_reason,
        (comp.completed_on is not null and (
          (rf.min_version is not null and comp.module_version < rf.min_version)
          or (rf.material_since is not null and comp.completed_on < rf.material_since))) as stale
      from app
      join refresh rf on rf.module_id = app.module_id
      left join comp on comp.person_id = app.person_id and comp.module_id = app.module_id
      left join enablement_waivers wv on wv.requirement_id = app.requirement_id and wv.person_id = app.person_id
    ),
    states as (
      select j.*,
        case
          when j.waiver_reason is not null then 'waived'
          when j.completed_on is null then (case when j.due_on < ${today}::date then 'overdue' else 'due' end)
          when j.stale or j.expires_on <= ${today}::date then 'refresh_due'
          else 'met'
        end as state,
        (j.waiver_reason is null and j.completed_on is not null and not j.stale
          and j.expires_on > ${today}::date and j.expires_on <= ${soon}::date) as expiring_soon
      from judged j
    )`;
}

export interface PersonRequirementState {
  requirementId: string;
  moduleId: string;
  moduleTitle: string;
  necessity: Necessity;
  audience: Audience;
  personId: string;
  personName: string;
  personEmail: string;
  teamId: string | null;
  /** The team the person is reached through (for a coach: one of the teams they coach). */
  teamName: string | null;
  waveId: string | null;
  unitId: string | null;
  dueOn: Day | null;
  completedOn: Day | null;
  expiresOn: Day | null;
  waiverReason: string | null;
  state: RequirementState;
  expiringSoon: boolean;
}

interface StateRow {
  requirement_id: string;
  module_id: string;
  title: string;
  necessity: Necessity;
  audience: Audience;
  person_id: string;
  name: string;
  email: string;
  team_id: string | null;
  team_name: string | null;
  wave_id: string | null;
  unit_id: string | null;
  due_on: string | Date | null;
  completed_on: string | Date | null;
  expires_on: string | Date | null;
  waiver_reason: string | null;
  state: RequirementState;
  expiring_soon: boolean | null;
}

/** A `date` from a raw query (PGlite and pg both read it as 'YYYY-MM-DD' through the factory's parsers). */
export function asDay(value: string | Date | null): Day | null {
  if (value === null) return null;
  if (typeof value === "string") return value.slice(0, 10);
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${value.getFullYear()}-${pad(value.getMonth() + 1)}-${pad(value.getDate())}`;
}

function toState(r: StateRow): PersonRequirementState {
  return {
    requirementId: r.requirement_id,
    moduleId: r.module_id,
    moduleTitle: r.title,
    necessity: r.necessity,
    audience: r.audience,
    personId: r.person_id,
    personName: r.name,
    personEmail: r.email,
    teamId: r.team_id,
    teamName: r.team_name,
    waveId: r.wave_id,
    unitId: r.unit_id,
    dueOn: asDay(r.due_on),
    completedOn: asDay(r.completed_on),
    expiresOn: asDay(r.expires_on),
    waiverReason: r.waiver_reason,
    state: r.state,
    expiringSoon: Boolean(r.expiring_soon),
  };
}

/**
 * Every person × requirement state matching the filter, with names (one query). `states` (e.g.
 * ["overdue"]) narrows the rows; `limit` bounds a page.
 */
export async function listStates(db: DB, programId: string, today: Day, filter: ListFilter = {}): Promise<PersonRequirementState[]> {
  const { rows } = await listQuery(programId, today, filter).execute(db);
  return rows.map(toState);
}

type ListFilter = StateFilter & { waveId?: string; unitId?: string; limit?: number };

function listQuery(programId: string, today: Day, filter: ListFilter) {
  const cte = statesCte(programId, today, filter);
  const stateIn = inList(sql.ref("s.state"), filter.states);
  const wave =
    filter.waveId === undefined ? sql`true` : filter.waveId === "none" ? sql`s.wave_id is null` : sql`s.wave_id = ${filter.waveId}`;
  const unit =
    filter.unitId === undefined
      ? sql`true`
      : sql`exists (select 1 from units_up x where x.unit_id = s.unit_id and x.ancestor_id = ${filter.unitId})`;
  const limit = filter.limit === undefined ? sql`` : sql`limit ${filter.limit}`;
  return sql<StateRow>`${cte}
    select s.requirement_id, s.module_id, m.title, s.necessity, s.audience, s.person_id, p.name, p.email, s.team_id, t.name as team_name,
      s.wave_id, s.unit_id, s.due_on, s.completed_on, s.expires_on, s.waiver_reason, s.state, s.expiring_soon
    from states s join people p on p.id = s.person_id join enablement_modules m on m.id = s.module_id left join teams t on t.id = s.team_id
    where ${stateIn} and ${wave} and ${unit}
    order by s.due_on nulls last, p.name, m.title, s.person_id, s.requirement_id
    ${limit}`;
}

/** A person's states across the program's requirements, in due order ("what I still need" reads them with its sessions: ./mine.server). */
export async function personStates(db: DB, programId: string, personId: string, today: Day): Promise<PersonRequirementState[]> {
  return listStates(db, programId, today, { personIds: [personId] });
}
