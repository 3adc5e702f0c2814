// Enablement of the bench's measured program (issue 15), on top of ./dataset.ts's organization,
// plan and coach community: 12 modules (one republished with "requires refresh"), requirements
// reaching ~120,000 person × requirement states (computed by query, ADR 0014: nothing per
// person is stored, so what is loaded are the inputs), 2,000 training sessions over the last
// eleven months and the next two, 60,000 roster rows (attended, no-shows, invitations) with the
// attendance completions they give, e-learning completions, waivers, a coach certification path
// with awards, and training criteria on the waves. Set-based SQL (INSERT … SELECT), seconds on
// either backend.
import { sql, type Kysely } from "kysely";
import type { Audience, Database, DueRule, ModuleDelivery, ModuleKind } from "../../db/schema";
import { statesCte } from "~/models/enablement/resolve.server";

export const ENABLEMENT_SIZE = {
  modules: 12,
  sessions: 2_000,
  /** Roster rows per session (sessions × this = 60,000). */
  perSession: 30,
  elearningCompletions: 12_000,
} as const;

export interface EnablementDatasetSummary {
  modules: number;
  requirements: number;
  /** Person × requirement states today (computed by the app's query, as every page does). */
  states: number;
  sessions: number;
  rosterRows: number;
  completions: number;
  /** A training session in a few weeks (a member module's), for the attendance import bench. */
  importSessionId: string;
}

const DAY = 86_400_000;

function isoDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

// title, kind, delivery, minutes, validity months
const MODULES: ReadonlyArray<[string, ModuleKind, ModuleDelivery, number, number | null]> = [
  ["OKR Fundamentals", "fundamentals", "self_paced", 60, 24],
  ["Drafting workshop", "drafting_workshop", "live", 180, null],
  ["Check-in practice", "check_in_practice", "live", 90, null],
  ["Scoring and retrospectives", "other", "live", 90, null],
  ["Alignment basics", "other", "live", 60, null],
  ["OKR tool e-learning", "other", "self_paced", 30, 12],
  ["Team lead deep-dive", "other", "live", 240, null],
  ["Coach masterclass", "coach_masterclass", "live", 480, 12],
  ["Coach supervision", "assessment", "live", 120, 12],
  ["Sponsor briefing", "sponsor_briefing", "live", 60, null],
  ["Leader coaching", "leader_coaching", "live", 90, null],
  ["Sales OKR refresher", "other", "live", 60, null],
];

/** Loads the enablement of `programId` (its organization, waves, coaches and stakeholders must exist). */
export async function loadEnablementDataset(
  db: Kysely<Database>,
  programId: string,
  now: number,
  actor: { id: string; name: string },
): Promise<EnablementDatasetSummary> {
  const since = isoDate(now - 400 * DAY);
  const moduleIds = MODULES.map(() => crypto.randomUUID());
  await db
    .insertInto("enablement_modules")
    .values(
      MODULES.map(([title, kind, delivery, minutes, validity], i) => ({
        id: moduleIds[i],
        program_id: programId,
        title,
        kind,
        delivery,
        duration_minutes: minutes,
        // Check-in practice was republished 30 days ago with "requires refresh".
        version: i === 2 ? 2 : 1,
        validity_months: validity,
        description: `Synthetic module ${i + 1}.`,
      })),
    )
    .execute();
  await db
    .insertInto("enablement_module_versions")
    .values([
      ...moduleIds.map((id) => ({ module_id: id, version: 1, requires_refresh: false, published_on: since, published_by: actor.id })),
      { module_id: moduleIds[2], version: 2, requires_refresh: true, published_on: isoDate(now - 30 * DAY), published_by: actor.id },
    ])
    .execute();
  await db
    .insertInto("enablement_module_prerequisites")
    .values([
      { module_id: moduleIds[1], prerequisite_id: moduleIds[0] },
      { module_id: moduleIds[6], prerequisite_id: moduleIds[1] },
    ])
    .execute();
  const materialId = crypto.randomUUID();
  await db
    .insertInto("enablement_materials")
    .values({ id: materialId, program_id: programId, title: "OKR playbook", url: "https://example.com/playbook" })
    .execute();
  await db
    .insertInto("enablement_module_materials")
    .values([0, 1, 2].map((i) => ({ module_id: moduleIds[i], material_id: materialId })))
    .execute();

  // Requirements: every member five modules, every lead four, coaches three, sponsors, PLO and
  // leaders one each; wave 1's members one more, the Sales division's members a refresher.
  const waves = await db.selectFrom("waves").select(["id", "position"]).where("program_id", "=", programId).orderBy("position").execute();
  const sales = await db
    .selectFrom("org_units")
    .select("id")
    .where("name", "=", "Sales")
    .where("external_id", "is not", null)
    .executeTakeFirst();
  type Req = {
    module: number;
    audience: Audience;
    scope?: "all" | "wave" | "unit";
    wave?: string;
    unit?: string;
    rule: DueRule;
    days?: number;
    on?: string;
    necessity?: "required" | "recommended";
  };
  const reqs: Req[] = [
    { module: 0, audience: "team_member", rule: "before_wave", days: 14 },
    { module: 2, audience: "team_member", rule: "before_drafting", days: 0 },
    { module: 3, audience: "team_member", rule: "before_wave", days: -60 },
    { module: 4, audience: "team_member", rule: "before_wave", days: -30, necessity: "recommended" },
    { module: 5, audience: "team_member", rule: "after_joining", days: 30 },
    { module: 1, audience: "team_lead", rule: "before_drafting", days: 7 },
    { module: 6, audience: "team_lead", rule: "before_wave", days: 0 },
    { module: 0, audience: "team_lead", rule: "before_wave", days: 21 },
    { module: 3, audience: "team_lead", rule: "before_wave", days: -45 },
    { module: 7, audience: "coach", rule: "after_joining", days: 60 },
    { module: 8, audience: "coach", rule: "after_joining", days: 120 },
    { module: 0, audience: "coach", rule: "after_joining", days: 14 },
    { module: 9, audience: "sponsor", rule: "fixed", on: isoDate(now + 20 * DAY) },
    { module: 9, audience: "plo", rule: "fixed", on: isoDate(now - 100 * DAY) },
    { module: 10, audience: "leader", rule: "fixed", on: isoDate(now + 40 * DAY) },
  ];
  if (waves[0]) reqs.push({ module: 1, audience: "team_member", scope: "wave", wave: waves[0].id, rule: "before_wave", days: 0 });
  if (sales) reqs.push({ module: 11, audience: "team_member", scope: "unit", unit: sales.id, rule: "fixed", on: isoDate(now - 10 * DAY) });
  await db
    .insertInto("enablement_requirements")
    .values(
      reqs.map((r) => ({
        id: crypto.randomUUID(),
        program_id: programId,
        module_id: moduleIds[r.module],
        audience: r.audience,
        scope: r.scope ?? "all",
        wave_id: r.wave ?? null,
        unit_id: r.unit ?? null,
        necessity: r.necessity ?? "required",
        due_rule: r.rule,
        due_days: r.days ?? null,
        due_on: r.on ?? null,
        created_at: new Date(now - 380 * DAY),
      })),
    )
    .execute();

  // Sessions: 1,800 of the four live member modules, 200 of the two live lead modules, spread over
  // the last 330 days and the next 60 (one a day or so each), trained by the PLO or a coach account.
  const memberModules = [moduleIds[2], moduleIds[3], moduleIds[4], moduleIds[1]];
  const leadModules = [moduleIds[1], moduleIds[6]];
  const trainers = await db
    .selectFrom("users")
    .select("id")
    .where("role", "in", ["coach", "plo"])
    .where("active", "=", true)
    .orderBy("email")
    .limit(40)
    .execute();
  await sql`insert into enablement_sessions (id, program_id, module_id, starts_at, duration_minutes, time_zone, location, url, trainer_user_id, capacity, state, created_at)
    select 'bench-session-' || lpad(s::text, 5, '0'), ${programId},
           case when s < 1800 then (${sql.val(memberModules)}::text[])[1 + s % 4] else (${sql.val(leadModules)}::text[])[1 + s % 2] end,
           ${new Date(now - 330 * DAY)}::timestamptz + (s * 390 / ${ENABLEMENT_SIZE.sessions}) * interval '1 day' + interval '8 hours' + (s % 3) * interval '2 hours',
           90, case when s % 5 = 0 then 'America/New_York' else 'Europe/Berlin' end,
           case when s % 2 = 0 then 'Online' else 'Training room ' || (1 + s % 6) end,
           case when s % 2 = 0 then 'https://meet.example.com/okr-' || s else '' end,
           (${sql.val(trainers.map((t) => t.id))}::text[])[1 + s % ${Math.max(trainers.length, 1)}],
           40, 'open', ${new Date(now - 340 * DAY)}
    from generate_series(0, ${ENABLEMENT_SIZE.sessions - 1}) s`.execute(db);
  await sql`update enablement_sessions set state = 'held' where program_id = ${programId} and starts_at < now()`.execute(db);
  await sql`update enablement_sessions set state = 'cancelled' where program_id = ${programId} and id like '%7' and starts_at > now()`.execute(
    db,
  );

  // Rosters: 30 people a session. Member sessions walk through the organization's people, lead
  // sessions through the team leads (every tenth person). Past: attended (one in seven a no-show);
  // future: registered or invited.
  await sql`insert into enablement_roster (session_id, person_id, status)
    select ss.id, p.id,
           case when ss.starts_at < now() then (case when k % 7 = 3 then 'no_show' else 'attended' end)
                else (case when k % 3 = 0 then 'invited' else 'registered' end) end
    from (select id, starts_at, substring(id from 15)::int as s from enablement_sessions where program_id = ${programId}) ss
    cross join generate_series(0, ${ENABLEMENT_SIZE.perSession - 1}) k
    join people p on p.external_id = 'E-' || lpad((case when ss.s < 1800 then (ss.s * 30 + k) % 20000 else ((ss.s * 30 + k) % 2000) * 10 end)::text, 6, '0')
    on conflict do nothing`.execute(db);
  // Attendance completions, on the session's day on its own clock (as syncAttendanceCompletions records them).
  await sql`insert into enablement_completions (id, person_id, module_id, module_version, completed_on, source, evidence, session_id, recorded_by, created_at)
    select gen_random_uuid()::text, r.person_id, s.module_id, 1, (s.starts_at at time zone s.time_zone)::date, 'attendance', '', s.id, ${actor.id}, s.starts_at
    from enablement_roster r join enablement_sessions s on s.id = r.session_id
    where s.program_id = ${programId} and r.status = 'attended' and s.state = 'held'`.execute(db);
  // E-learning: Fundamentals and the tool course for 12,000 people, over the last year.
  await sql`insert into enablement_completions (id, person_id, module_id, module_version, completed_on, source, evidence, recorded_by)
    select gen_random_uuid()::text, p.id, m.id, 1, (${isoDate(now)}::date - (p.n % 360)), 'import', 'Imported from the learning platform', ${actor.id}
    from (select id, substring(external_id from 3)::int as n from people where external_id like 'E-%') p
    cross join (select unnest(${sql.val([moduleIds[0], moduleIds[5]])}::text[]) as id) m
    where p.n % 5 <> 4 and p.n < ${ENABLEMENT_SIZE.elearningCompletions * 1.25}`.execute(db);
  // Coaches: the masterclass for two in three.
  await sql`insert into enablement_completions (id, person_id, module_id, module_version, completed_on, source, evidence, recorded_by)
    select gen_random_uuid()::text, c.person_id, ${moduleIds[7]}, 1, ${isoDate(now)}::date - (row_number() over (order by c.id))::int % 400, 'manual', 'Masterclass cohort', ${actor.id}
    from coaches c where c.program_id = ${programId} and (hashtext(c.id) & 2147483647) % 3 <> 0`.execute(db);
  // Waivers: 200 members excused from the e-learning.
  await sql`insert into enablement_waivers (id, requirement_id, person_id, reason, granted_by, granted_by_label)
    select gen_random_uuid()::text, r.id, p.id, 'Uses the tool daily already', ${actor.id}, ${actor.name}
    from enablement_requirements r cross join (select id from people where external_id like 'E-01%' order by external_id limit 200) p
    where r.program_id = ${programId} and r.module_id = ${moduleIds[5]} and r.audience = 'team_member'`.execute(db);

  // Certification: one path, two levels, awards for a third of the coaches (some expired).
  const pathId = crypto.randomUUID();
  const levels = [crypto.randomUUID(), crypto.randomUUID()];
  await db.insertInto("enablement_cert_paths").values({ id: pathId, program_id: programId, name: "Bench OKR coach" }).execute();
  await db
    .insertInto("enablement_cert_levels")
    .values([
      {
        id: levels[0],
        path_id: pathId,
        name: "Certified coach",
        rank: 1,
        required_sessions: 5,
        session_types: "drafting,check_in",
        validity_months: 12,
      },
      { id: levels[1], path_id: pathId, name: "Senior coach", rank: 2, required_sessions: 20, session_types: "", validity_months: 24 },
    ])
    .execute();
  await db.insertInto("enablement_cert_level_modules").values({ level_id: levels[0], module_id: moduleIds[7] }).execute();
  await sql`insert into enablement_cert_awards (id, level_id, person_id, awarded_on, expires_on, assessor_id, assessor_label)
    select gen_random_uuid()::text, ${levels[0]}, c.person_id, ${isoDate(now)}::date - (hashtext(c.id) & 2147483647) % 500,
           ${isoDate(now)}::date - (hashtext(c.id) & 2147483647) % 500 + 365, ${actor.id}, ${actor.name}
    from coaches c where c.program_id = ${programId} and (hashtext(c.id) & 2147483647) % 3 = 1`.execute(db);

  // Wave readiness measured from the training: leads trained on every wave, members ≥ 80 % on waves 2–4.
  await db
    .insertInto("wave_criteria")
    .values(
      waves.flatMap((w) => [
        { id: crypto.randomUUID(), wave_id: w.id, kind: "leads_trained" as const, label: "Team leads trained", position: 2 },
        ...(w.position >= 1 && w.position <= 3
          ? [
              {
                id: crypto.randomUUID(),
                wave_id: w.id,
                kind: "members_trained" as const,
                label: "Members trained",
                position: 3,
                threshold: 80,
              },
            ]
          : []),
      ]),
    )
    .execute();

  await sql`analyze enablement_modules, enablement_requirements, enablement_sessions, enablement_roster, enablement_completions, enablement_waivers, enablement_cert_awards`.execute(
    db,
  );
  const n = async (
    table: "enablement_modules" | "enablement_requirements" | "enablement_sessions" | "enablement_roster" | "enablement_completions",
  ) =>
    (
      await db
        .selectFrom(table)
        .select(sql<number>`count(*)::int`.as("n"))
        .executeTakeFirstOrThrow()
    ).n;
  const states = await sql<{ n: number }>`${statesCte(programId, isoDate(now))} select count(*)::int as n from states`.execute(db);
  return {
    modules: await n("enablement_modules"),
    requirements: await n("enablement_requirements"),
    states: states.rows[0].n,
    sessions: await n("enablement_sessions"),
    rosterRows: await n("enablement_roster"),
    completions: await n("enablement_completions"),
    // Session 1799: the last of the member modules' sessions, twenty days ahead, not cancelled (ids ending in 7 are).
    importSessionId: "bench-session-01799",
  };
}
