// The demo coach community of Northwind's company-wide rollout (the demo's "today" is 23 Nov
// 2026): twelve coaches with realistic loads (one overloaded, a few teams of waves 1 and 2 still
// without a primary coach), their assignments, a few hundred support sessions since September
// (maturity trending up), open escalations (one answered, not yet seen by Amara Okafor) and a
// dozen shared learnings.
//
// Coaches and assignments go through the model functions, so the audit log reads as if the PLO
// had staffed the teams by hand; sessions, escalations and learnings are coach-logged history and
// are inserted in batches (one audit event says so). Idempotent: a program that already has
// coaches is left alone. Works after seedDemoOrg/seedDemoPlan (teams from the program's waves),
// and falls back to the organization's teams when the program has no waves yet.
import { sql, type Insertable } from "kysely";
import type { Database, EscalationCategory, LearningKind, SessionType, Urgency } from "../schema";
import { recordAudit, type Actor } from "~/models/audit/audit.server";
import { assignTeams, createCoach } from "~/models/coaching/coaches.server";
import { addDays, minDay } from "~/utils/dates";
import { createPerson, findPersonByEmail, linkPersonAccount } from "~/models/org/org.server";
import type { DB } from "~/utils/db.server";

const DEMO_TODAY = "2026-11-23";
const COACH_ACCOUNT_EMAIL = "coach@demo.rollout-desk.test";

interface DemoCoach {
  name: string;
  email: string;
  title: string;
  capacity: number;
  focus: string;
}

/** The coach community; people of the demo organization (created only when missing). */
const COACHES: readonly DemoCoach[] = [
  {
    name: "Amara Okafor",
    email: COACH_ACCOUNT_EMAIL,
    title: "OKR Coach, Customer Operations & Fleet",
    capacity: 6,
    focus: "Customer Operations, Fleet; English, French",
  },
  {
    name: "Tobias Lindqvist",
    email: "tobias.lindqvist@northwind.test",
    title: "Lead OKR Coach",
    capacity: 4,
    focus: "Operations, leadership teams; English, Swedish",
  },
  {
    name: "Sofia Marques",
    email: "sofia.marques@northwind.test",
    title: "OKR Coach, Sales & Finance",
    capacity: 5,
    focus: "Sales, Finance; Portuguese, Spanish",
  },
  {
    name: "Kwame Mensah",
    email: "kwame.mensah@northwind.test",
    title: "Head of Operations Excellence",
    capacity: 3,
    focus: "Warehousing, lean teams",
  },
  {
    name: "Samuel Osei",
    email: "samuel.osei@northwind.test",
    title: "Head of Talent & Learning",
    capacity: 3,
    focus: "HR, People & Strategy; workshop facilitation",
  },
  {
    name: "Ingrid Berg",
    email: "ingrid.berg@northwind.test",
    title: "Service Quality Lead",
    capacity: 2,
    focus: "Customer Operations; Norwegian, German",
  },
  {
    name: "Camille Dubois",
    email: "camille.dubois@northwind.test",
    title: "Head of Data",
    capacity: 3,
    focus: "IT, data-driven key results; French",
  },
  {
    name: "Isabel Fernández",
    email: "isabel.fernandez@northwind.test",
    title: "Head of Sales Operations",
    capacity: 3,
    focus: "Sales DACH and Benelux; Spanish, German",
  },
  {
    name: "Olumide Adeyemi",
    email: "olumide.adeyemi@northwind.test",
    title: "Fleet Safety Manager",
    capacity: 2,
    focus: "Fleet, shift-based teams",
  },
  {
    name: "Julia Nowak",
    email: "julia.nowak@northwind.test",
    title: "Head of HR Business Partnering",
    capacity: 3,
    focus: "Finance, HR; Polish, German",
  },
  {
    name: "Nadia Haddad",
    email: "nadia.haddad@northwind.test",
    title: "Telematics Lead",
    capacity: 2,
    focus: "IT and Fleet engineering teams; Arabic, French",
  },
  { name: "Marco Rossi", email: "marco.rossi@northwind.test", title: "Billing Lead", capacity: 2, focus: "Finance operations; Italian" },
];

/** A small deterministic random source, so every load of the demo looks the same. */
function random(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface PlannedTeam {
  id: string;
  name: string;
  unitName: string;
  wave: number;
  waveStartsOn: string | null;
}

/** The program's teams by wave (position order), else the organization's active teams as one "wave". */
async function plannedTeams(db: DB, programId: string): Promise<PlannedTeam[]> {
  const planned = await db
    .selectFrom("program_teams as pt")
    .innerJoin("waves as w", "w.id", "pt.wave_id")
    .innerJoin("teams as t", "t.id", "pt.team_id")
    .innerJoin("org_units as u", "u.id", "t.unit_id")
    .select(["t.id", "t.name", "u.name as unitName", "w.position", "w.starts_on as waveStartsOn"])
    .where("pt.program_id", "=", programId)
    .where("t.archived_at", "is", null)
    .where("u.archived_at", "is", null)
    .orderBy("w.position")
    .orderBy(sql`lower(t.name)`)
    .execute();
  if (planned.length > 0) {
    const positions = [...new Set(planned.map((p) => Number(p.position)))];
    return planned.map((p) => ({
      id: p.id,
      name: p.name,
      unitName: p.unitName,
      wave: positions.indexOf(Number(p.position)) + 1,
      waveStartsOn: p.waveStartsOn,
    }));
  }
  const teams = await db
    .selectFrom("teams as t")
    .innerJoin("org_units as u", "u.id", "t.unit_id")
    .select(["t.id", "t.name", "u.name as unitName"])
    .where("t.archived_at", "is", null)
    .where("u.archived_at", "is", null)
    .orderBy(sql`lower(t.name)`)
    .execute();
  // Without a plan: the first third counts as wave 1, the next third as wave 2.
  return teams.map((t, i) => ({ ...t, wave: Math.min(3, 1 + Math.floor((i * 3) / Math.max(teams.length, 1))), waveStartsOn: null }));
}

const NOTES: Record<SessionType, readonly string[]> = {
  drafting: [
    "Drafted the first objectives; too many activity-style key results, reworked two of them into outcomes.",
    "Second drafting round: the team cut from five objectives to three.",
    "Helped the lead turn the department targets into measurable key results.",
  ],
  alignment: [
    "Checked dependencies with the neighbouring teams; one shared key result agreed.",
    "Aligned the team's objectives with the division's draft.",
  ],
  check_in: [
    "Weekly check-in ran in 20 minutes; confidence scores are getting honest.",
    "Check-in skipped the confidence discussion again; agreed a fixed agenda.",
    "Good check-in: one key result at risk, the team chose a mitigation themselves.",
    "The lead ran the check-in alone; I only observed.",
  ],
  review: ["Mid-cycle review: two key results need new targets after the volume change."],
  retrospective: ["Retrospective on the first cycle: meetings too long, key results too many."],
  training: ["OKR fundamentals for the whole team (90 minutes).", "Short refresher on writing key results for two new joiners."],
  qa: ["Answered questions on scoring and on how OKRs relate to bonuses (they do not)."],
  other: ["Prepared the kick-off with the team lead."],
};

const FOLLOW_UPS = [
  "",
  "",
  "Send the key result checklist.",
  "Invite the lead to the coach clinic.",
  "Check the dashboard link works.",
  "Book the alignment session.",
];

/** What a session is about as the cycle goes on (weeks since the coach started with the team). */
function sessionType(week: number, roll: number): SessionType {
  if (week < 1) return roll < 0.6 ? "training" : "other";
  if (week < 4) return roll < 0.65 ? "drafting" : roll < 0.85 ? "training" : "qa";
  if (week < 6) return roll < 0.5 ? "alignment" : roll < 0.8 ? "drafting" : "qa";
  if (roll < 0.7) return "check_in";
  if (roll < 0.8) return "review";
  if (roll < 0.9) return "qa";
  return "retrospective";
}

export async function seedDemoCoaching(db: DB, actor: Actor, programId: string): Promise<void> {
  const existing = await db.selectFrom("coaches").select("id").where("program_id", "=", programId).limit(1).executeTakeFirst();
  if (existing) return;
  const rand = random(20261123);

  // ----- Coaches: people of the organization (created when missing); Amara linked to her account -----
  const coachIds: string[] = [];
  for (const c of COACHES) {
    let person = await findPersonByEmail(db, c.email);
    if (!person) {
      await createPerson(db, actor, { name: c.name, email: c.email, title: c.title, unitId: null, teamId: null, externalId: "" });
      person = await findPersonByEmail(db, c.email);
    }
    if (c.email === COACH_ACCOUNT_EMAIL && person && !person.user_id) {
      const account = await db.selectFrom("users").select("id").where("email", "=", COACH_ACCOUNT_EMAIL).executeTakeFirst();
      const linked = account ? await db.selectFrom("people").select("id").where("user_id", "=", account.id).executeTakeFirst() : undefined;
      if (account && !linked) await linkPersonAccount(db, actor, person.id, COACH_ACCOUNT_EMAIL);
    }
    const created = await createCoach(db, actor, programId, { personEmail: c.email, capacity: c.capacity, focus: c.focus });
    coachIds.push(created.id);
  }
  const amaraUser = await db
    .selectFrom("people as p")
    .innerJoin("users as u", "u.id", "p.user_id")
    .select("u.id")
    .where("p.email", "=", COACH_ACCOUNT_EMAIL)
    .executeTakeFirst();

  // ----- Assignments: waves 1 and 2 mostly covered (a few gaps on purpose), wave 3 started -----
  const teams = await plannedTeams(db, programId);
  if (teams.length === 0) return;
  const byWave = (n: number) => teams.filter((t) => t.wave === n);
  const wave1 = byWave(1);
  const wave2 = byWave(2);
  const wave3 = teams.filter((t) => t.wave >= 3);
  // Two teams of wave 1 and three of wave 2 stay without a primary coach.
  const covered1 = wave1.slice(0, Math.max(0, wave1.length - 2));
  const covered2 = wave2.slice(0, Math.max(0, wave2.length - 3));
  const covered3 = wave3.slice(0, Math.min(3, wave3.length));
  const start1 = addDays(minDay(wave1[0]?.waveStartsOn ?? "2026-10-05", DEMO_TODAY), -28);
  const start2 = addDays(DEMO_TODAY, -24);
  const start3 = addDays(DEMO_TODAY, -3);

  // Amara takes four Customer Operations and Fleet teams first (with two secondaries she is full);
  // the others share the rest in turn. Tobias (capacity 4) ends up with 5 teams: the overloaded coach.
  const amara = coachIds[0];
  const preferAmara = (t: PlannedTeam) =>
    /customer|fleet|claims|returns|support|accounts|service quality|driver/i.test(`${t.unitName} ${t.name}`);
  const plan = new Map<string, { coachId: string; startsOn: string }>();
  const load = new Map(coachIds.map((id) => [id, 0]));
  const capacity = new Map(coachIds.map((id, i) => [id, COACHES[i].capacity]));
  const give = (team: PlannedTeam, coachId: string, startsOn: string) => {
    plan.set(team.id, { coachId, startsOn });
    load.set(coachId, (load.get(coachId) ?? 0) + 1);
  };
  const covered = [
    ...covered1.map((t) => [t, start1] as const),
    ...covered2.map((t) => [t, start2] as const),
    ...covered3.map((t) => [t, start3] as const),
  ];
  for (const [team, startsOn] of covered) if (preferAmara(team) && (load.get(amara) ?? 0) < 4) give(team, amara, startsOn);
  const tobias = coachIds[1];
  let turn = 1;
  for (const [team, startsOn] of covered) {
    if (plan.has(team.id)) continue;
    if ((load.get(tobias) ?? 0) < 5) {
      give(team, tobias, startsOn);
      continue;
    }
    // A coach with room whose focus names the team's unit, else the next coach with room (round
    // robin), else whoever has the most room.
    const words = team.unitName
      .toLowerCase()
      .split(/[^a-z]+/)
      .filter((w) => w.length >= 3);
    let chosen: string | null =
      coachIds.find(
        (id, i) =>
          id !== tobias &&
          id !== amara &&
          (load.get(id) ?? 0) < (capacity.get(id) ?? 0) &&
          words.some((w) => COACHES[i].focus.toLowerCase().includes(w)),
      ) ?? null;
    for (let k = 0; k < coachIds.length && !chosen; k++) {
      const id = coachIds[1 + ((turn + k) % (coachIds.length - 1))];
      if (id !== tobias && (load.get(id) ?? 0) < (capacity.get(id) ?? 0)) chosen = id;
    }
    turn += 1;
    chosen ??= [...coachIds].sort((a, b) => capacity.get(b)! - load.get(b)! - (capacity.get(a)! - load.get(a)!))[0];
    give(team, chosen, startsOn);
  }
  // One handover: the first wave-1 team of the second coach started with Sofia, then moved on 9 Nov.
  const handover = covered1.find((t) => plan.get(t.id)?.coachId === tobias);
  const sofia = coachIds[2];
  const groups = new Map<string, string[]>();
  for (const [teamId, p] of plan) {
    const key = `${p.coachId}|${p.startsOn}`;
    groups.set(key, [...(groups.get(key) ?? []), teamId]);
  }
  if (handover)
    await assignTeams(
      db,
      actor,
      programId,
      { teamId: [handover.id], coachId: sofia, kind: "primary", startsOn: start1, endsOn: null },
      DEMO_TODAY,
    );
  for (const [key, teamIds] of groups) {
    const [coachId, startsOn] = key.split("|");
    const from = handover && teamIds.includes(handover.id) && coachId === tobias ? null : startsOn;
    const rest = from === null ? teamIds.filter((id) => id !== handover!.id) : teamIds;
    if (rest.length)
      await assignTeams(db, actor, programId, { teamId: rest, coachId, kind: "primary", startsOn, endsOn: null }, DEMO_TODAY);
    if (from === null)
      await assignTeams(
        db,
        actor,
        programId,
        { teamId: [handover!.id], coachId, kind: "primary", startsOn: "2026-11-09", endsOn: null },
        DEMO_TODAY,
      );
  }
  // Amara backs up two wave-1 teams as secondary coach.
  const backups = covered1.filter((t) => plan.get(t.id)?.coachId !== amara).slice(0, 2);
  if (backups.length)
    await assignTeams(
      db,
      actor,
      programId,
      { teamId: backups.map((t) => t.id), coachId: amara, kind: "secondary", startsOn: start1, endsOn: null },
      DEMO_TODAY,
    );

  // ----- Sessions: from each assignment's start to today, more often for primary coaches -----
  const assignments = await db
    .selectFrom("coach_assignments")
    .select(["coach_id", "team_id", "kind", "starts_on", "ends_on"])
    .where("program_id", "=", programId)
    .execute();
  // Two covered teams have gone quiet for five weeks (the activity page's "no session in 4 weeks").
  const quietTeams = new Set(covered1.slice(-2).map((t) => t.id));
  const rows: Array<Insertable<Database["support_sessions"]>> = [];
  const teamLevel = new Map(teams.map((t) => [t.id, rand() * 0.8]));
  for (const a of assignments) {
    const end = a.ends_on && a.ends_on < DEMO_TODAY ? a.ends_on : DEMO_TODAY;
    const perWeek = a.kind === "primary" ? 2.4 : 0.5;
    let day = addDays(a.starts_on, Math.floor(rand() * 4));
    let week = 0;
    while (day <= end) {
      const weekStart = day;
      const count = Math.floor(perWeek + rand());
      for (let i = 0; i < count; i++) {
        const heldOn = addDays(weekStart, Math.floor(rand() * 5));
        if (heldOn > end) continue;
        if (quietTeams.has(a.team_id) && heldOn > addDays(DEMO_TODAY, -35)) continue;
        const type = sessionType(week, rand());
        const notes = NOTES[type];
        const maturity = Math.min(5, Math.max(1, Math.round(1 + week / 3.2 + (teamLevel.get(a.team_id) ?? 0) + (rand() - 0.5))));
        rows.push({
          id: crypto.randomUUID(),
          program_id: programId,
          coach_id: a.coach_id,
          team_id: a.team_id,
          held_on: heldOn,
          type,
          duration_minutes:
            type === "training"
              ? 90
              : type === "check_in"
                ? [30, 30, 45][Math.floor(rand() * 3)]
                : [45, 60, 60, 90][Math.floor(rand() * 4)],
          attendees: 3 + Math.floor(rand() * 9),
          notes: notes[Math.floor(rand() * notes.length)],
          maturity: rand() < 0.85 ? maturity : null,
          follow_ups: FOLLOW_UPS[Math.floor(rand() * FOLLOW_UPS.length)],
          created_by: a.coach_id === amara ? (amaraUser?.id ?? null) : null,
        });
      }
      day = addDays(weekStart, 7);
      week += 1;
    }
  }
  rows.sort((x, y) => (x.held_on < y.held_on ? -1 : 1));
  for (let i = 0; i < rows.length; i += 500)
    await db
      .insertInto("support_sessions")
      .values(rows.slice(i, i + 500))
      .execute();

  // ----- Escalations: three open, one answered (not yet seen by Amara), one closed -----
  const amaraTeams = assignments.filter((a) => a.coach_id === amara && a.kind === "primary").map((a) => a.team_id);
  const someTeam = (i: number) => amaraTeams[i % Math.max(amaraTeams.length, 1)] ?? teams[i % teams.length].id;
  const daysAgo = (n: number) => new Date(Date.parse(`${DEMO_TODAY}T09:00:00Z`) - n * 86_400_000);
  const escalations: Array<Insertable<Database["escalations"]> & { id: string }> = [
    esc(
      amara,
      someTeam(0),
      "method",
      "high",
      "The Claims team wants to make “process 95% of claims within 5 days” an objective. How firm should I be that it is a key result, not an objective?",
      "open",
      2,
    ),
    esc(
      tobias,
      covered1[0]?.id ?? null,
      "leadership",
      "normal",
      "The head of Operations asks to approve every team's key results before check-ins start. Is that in line with our RACI, or should the PLO step in?",
      "open",
      4,
    ),
    esc(
      coachIds[3],
      null,
      "capacity",
      "normal",
      "I coach three warehouse teams next to my job and the shift teams can only meet at 6 am. Can someone take one team from January?",
      "open",
      6,
    ),
    {
      ...esc(
        amara,
        someTeam(1),
        "tooling",
        "low",
        "Can teams keep their check-ins in their existing Excel sheet for the first cycle, or must they use the OKR tool from day one?",
        "answered",
        9,
      ),
      answer:
        "For the first cycle the Excel sheet is fine, as long as the weekly confidence score is recorded. Move to the tool before the 2027-Q2 drafting.",
      answered_by: actor.id,
      answered_at: daysAgo(1),
      answer_seen_at: null,
    },
    {
      ...esc(
        sofia,
        null,
        "alignment",
        "normal",
        "Sales DACH and Sales Benelux have the same key result on new-customer revenue. Shared key result or one owner?",
        "closed",
        20,
      ),
      answer: "One owner per key result; the other team contributes with its own key result on pipeline quality.",
      answered_by: actor.id,
      answered_at: daysAgo(17),
      answer_seen_at: daysAgo(16),
      closed_at: daysAgo(15),
    },
  ];
  function esc(
    coachId: string,
    teamId: string | null,
    category: EscalationCategory,
    urgency: Urgency,
    question: string,
    status: "open" | "answered" | "closed",
    age: number,
  ) {
    return {
      id: crypto.randomUUID(),
      program_id: programId,
      coach_id: coachId,
      team_id: teamId,
      category,
      urgency,
      question,
      status,
      created_by: coachId === amara ? (amaraUser?.id ?? null) : null,
      created_at: daysAgo(age),
      updated_at: daysAgo(Math.max(0, age - 1)),
    };
  }
  await db.insertInto("escalations").values(escalations).execute();

  // ----- Learnings: a dozen, practices, lessons and FAQ entries, tagged -----
  const faqSource = escalations.find((e) => e.status === "closed");
  const learnings: Array<{
    kind: LearningKind;
    title: string;
    body: string;
    tags: string;
    author: string;
    age: number;
    escalation?: string;
  }> = [
    {
      kind: "practice",
      title: "Start drafting from last quarter's pains, not from the strategy deck",
      body: "Teams that list their three biggest pains of the last quarter first draft sharper objectives in half the time.",
      tags: "drafting,workshop",
      author: "Amara Okafor",
      age: 40,
    },
    {
      kind: "practice",
      title: "A 20-minute check-in agenda that sticks",
      body: "Confidence per key result (5 min), what changed (10 min), one decision (5 min). Print it on the meeting room wall.",
      tags: "check-in,meetings",
      author: "Tobias Lindqvist",
      age: 30,
    },
    {
      kind: "lesson",
      title: "Shift teams need check-ins at shift change",
      body: "Warehouse teams could not attend mid-day check-ins; 15 minutes at the 2 pm shift change works.",
      tags: "warehouse,check-in,shift-work",
      author: "Kwame Mensah",
      age: 26,
    },
    {
      kind: "practice",
      title: "Use the key result checklist before alignment",
      body: "Measurable? Outcome, not output? Owner named? Baseline known? Four questions remove most rework in alignment.",
      tags: "key-results,alignment",
      author: "Sofia Marques",
      age: 24,
    },
    {
      kind: "lesson",
      title: "Do not let the lead write the OKRs alone",
      body: "Where the lead drafted alone, the team did not own the key results and confidence scores stayed at 10/10 until week 8.",
      tags: "ownership,drafting",
      author: "Amara Okafor",
      age: 21,
    },
    {
      kind: "faq",
      title: "Are OKRs tied to bonuses?",
      body: "No. OKRs are for focus and learning; bonuses stay with the annual performance process. Say it in every kick-off.",
      tags: "faq,hr",
      author: "Jonas Weber",
      age: 35,
    },
    {
      kind: "faq",
      title: "Shared key result or one owner?",
      body: faqSource?.answer ?? "One owner per key result.",
      tags: "faq,alignment",
      author: "Jonas Weber",
      age: 15,
      escalation: faqSource?.id,
    },
    {
      kind: "practice",
      title: "Confidence scores: ask for the reason, not the number",
      body: "“What would make it a 7?” gets a better discussion than arguing about 5 versus 6.",
      tags: "check-in,confidence",
      author: "Ingrid Berg",
      age: 12,
    },
    {
      kind: "lesson",
      title: "Data teams over-engineer the dashboard",
      body: "Agree that a spreadsheet is enough for the first cycle; automate in the second.",
      tags: "tooling,data",
      author: "Camille Dubois",
      age: 10,
    },
    {
      kind: "practice",
      title: "Retrospective in three questions",
      body: "Keep, drop, try — one sticky note each per person, 30 minutes in total.",
      tags: "retrospective,workshop",
      author: "Samuel Osei",
      age: 8,
    },
    {
      kind: "faq",
      title: "What if a key result turns out to be wrong mid-cycle?",
      body: "Change it openly at the mid-cycle review, note why, and keep the old one visible in the history.",
      tags: "faq,review",
      author: "Jonas Weber",
      age: 5,
    },
    {
      kind: "lesson",
      title: "Sales teams want revenue key results only",
      body: "Pair every revenue key result with one leading indicator the team controls (qualified meetings, proposal quality).",
      tags: "sales,key-results",
      author: "Isabel Fernández",
      age: 3,
    },
  ];
  await db
    .insertInto("learnings")
    .values(
      learnings.map((l) => ({
        id: crypto.randomUUID(),
        program_id: programId,
        kind: l.kind,
        title: l.title,
        body: l.body,
        tags: l.tags,
        escalation_id: l.escalation ?? null,
        author_id: l.author === "Amara Okafor" ? (amaraUser?.id ?? null) : l.author === actor.name ? actor.id : null,
        author_label: l.author,
        created_at: daysAgo(l.age),
        updated_at: daysAgo(l.age),
      })),
    )
    .execute();

  await recordAudit(db, {
    actor,
    action: "coaching.demo_history_loaded",
    entityType: "program",
    entityId: programId,
    programId,
    summary: `Loaded the demo coaching history: ${rows.length} sessions, ${escalations.length} escalations, ${learnings.length} learnings`,
    details: { sessions: rows.length, escalations: escalations.length, learnings: learnings.length },
  });
}
