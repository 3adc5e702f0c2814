// The coach community of the bench's measured program, loaded with direct bulk inserts on top of
// the organization and plan of ./dataset.ts: 300 coaches (300 extra people, a quarter of them
// linked to the crowd's coach accounts), assignments covering ~80% of the planned teams (with
// history: every covered team changed primary coach once; secondaries; a few overloaded coaches),
// 100,000 support sessions over two years (recent weeks busier), escalations and learnings.
// Loads in a few seconds on PGlite.
import { sql, type Insertable, type Kysely } from "kysely";
import type { AssignmentKind, Database, EscalationCategory, EscalationStatus, LearningKind, SessionType } from "../../db/schema";

export const COACHING_SIZE = {
  coaches: 300,
  sessions: 100_000,
  escalations: 600,
  learnings: 200,
  /** Share of the planned teams with a current primary coach. */
  coveredShare: 0.8,
} as const;

const DAY = 86_400_000;
const SESSION_TYPES: readonly SessionType[] = [
  "check_in",
  "check_in",
  "check_in",
  "drafting",
  "alignment",
  "review",
  "retrospective",
  "training",
  "qa",
  "other",
];
const CATEGORIES: readonly EscalationCategory[] = ["method", "tooling", "team_dynamics", "leadership", "alignment", "capacity", "other"];
const LEARNING_KINDS: readonly LearningKind[] = ["practice", "lesson", "faq"];

function isoDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

async function insertInBatches<T extends keyof Database & string>(
  db: Kysely<Database>,
  table: T,
  rows: Insertable<Database[T]>[],
  batchSize = 1000,
): Promise<void> {
  for (let i = 0; i < rows.length; i += batchSize) {
    await db
      .insertInto(table)
      // eslint-disable-next-line @typescript-eslint/no-explicit-any -- Kysely cannot type a generic table's rows here.
      .values(rows.slice(i, i + batchSize) as any)
      .execute();
  }
}

/** Loads the coach community of `programId` (its waves and planned teams must exist). */
export async function loadCoachingDataset(
  db: Kysely<Database>,
  programId: string,
  now: number,
): Promise<{ coaches: number; sessions: number }> {
  // People and coaches; the first coach accounts of the crowd are linked to coach people.
  const accounts = await db
    .selectFrom("users")
    .select("id")
    .where("role", "=", "coach")
    .orderBy("email")
    .limit(COACHING_SIZE.coaches / 4)
    .execute();
  const people: Insertable<Database["people"]>[] = [];
  const coaches: Array<Insertable<Database["coaches"]> & { id: string }> = [];
  for (let i = 0; i < COACHING_SIZE.coaches; i++) {
    const personId = crypto.randomUUID();
    people.push({
      id: personId,
      name: `Coach ${String(i + 1).padStart(3, "0")} Bench`,
      email: `coach.${i + 1}@bench-coaches.test`,
      title: i % 10 === 0 ? "Lead OKR Coach" : "OKR Coach",
      unit_id: null,
      team_id: null,
      user_id: accounts[i]?.id ?? null,
      external_id: `C-${i + 1}`,
    });
    coaches.push({
      id: crypto.randomUUID(),
      program_id: programId,
      person_id: personId,
      capacity: 3 + (i % 6),
      focus: ["Operations", "Fleet", "Sales", "Finance", "IT", "Customer Service"][i % 6] + (i % 4 === 0 ? ", German" : ""),
      // One in fifty has stopped coaching.
      active: i % 50 !== 49,
    });
  }
  await insertInBatches(db, "people", people);
  await insertInBatches(db, "coaches", coaches);
  const activeCoaches = coaches.filter((c) => c.active);

  // The planned teams in wave order; ~80% get a current primary coach. Coaches fill up in turn
  // to their capacity; every 25th coach takes two extra teams (overloaded).
  const planned = await db
    .selectFrom("program_teams as pt")
    .innerJoin("waves as w", "w.id", "pt.wave_id")
    .select(["pt.team_id", "w.starts_on", "w.position"])
    .where("pt.program_id", "=", programId)
    .orderBy("w.position")
    .orderBy("pt.team_id")
    .execute();
  const assignments: Array<
    Insertable<Database["coach_assignments"]> & { coach_id: string; team_id: string; starts_on: string; ends_on: string | null }
  > = [];
  const load = new Map<string, number>();
  let turn = 0;
  const nextCoach = () => {
    for (let k = 0; k < activeCoaches.length; k++) {
      const coach = activeCoaches[(turn + k) % activeCoaches.length];
      const limit = Number(coach.capacity) + (((turn + k) % activeCoaches.length) % 25 === 0 ? 2 : 0);
      if ((load.get(coach.id) ?? 0) < limit) {
        turn = (turn + k + 1) % activeCoaches.length;
        return coach;
      }
    }
    return activeCoaches[turn++ % activeCoaches.length];
  };
  const add = (coachId: string, teamId: string, kind: AssignmentKind, startsOn: string, endsOn: string | null) => {
    assignments.push({
      id: crypto.randomUUID(),
      program_id: programId,
      coach_id: coachId,
      team_id: teamId,
      kind,
      starts_on: startsOn,
      ends_on: endsOn,
    });
  };
  // Each covered team: an earlier primary coach from two years ago, handed over 1–12 months ago to
  // its current primary coach (the earlier one's assignment ended the day before); one in five
  // also has a secondary coach.
  const timelines: Array<{ teamId: string; earlier: string; current: string; secondary: string | null; handover: number }> = [];
  planned.forEach((team, t) => {
    if (t % 5 === 4) return;
    const coach = nextCoach();
    load.set(coach.id, (load.get(coach.id) ?? 0) + 1);
    const handover = now - (30 + (t % 12) * 30) * DAY;
    const earlier = coaches[(t * 7) % coaches.length];
    add(earlier.id, team.team_id, "primary", isoDate(now - 730 * DAY), isoDate(handover - DAY));
    add(coach.id, team.team_id, "primary", isoDate(handover), null);
    let secondary: string | null = null;
    if (t % 5 === 1) {
      const second = activeCoaches[(t * 13 + 5) % activeCoaches.length];
      if (second.id !== coach.id) {
        add(second.id, team.team_id, "secondary", isoDate(handover), null);
        secondary = second.id;
      }
    }
    timelines.push({ teamId: team.team_id, earlier: earlier.id, current: coach.id, secondary, handover });
  });
  await insertInBatches(db, "coach_assignments", assignments);

  // Sessions over two years with the team's coach of the day, in batches of 1,000 (one statement
  // each); the rollout speeds up, so recent weeks have about twice the early weeks' sessions.
  let sessions = 0;
  const batch: Insertable<Database["support_sessions"]>[] = [];
  for (let i = 0; i < COACHING_SIZE.sessions; i++) {
    const team = timelines[(i * 7919) % timelines.length];
    const u = ((i * 2654435761) % 1_000_003) / 1_000_003;
    // Half uniform, half ramping up: the density grows towards today.
    const ago = i % 2 === 0 ? u * 730 : (1 - Math.sqrt(u)) * 730;
    const held = now - Math.floor(ago) * DAY;
    const coachId = held < team.handover ? team.earlier : team.secondary && i % 4 === 0 ? team.secondary : team.current;
    batch.push({
      id: crypto.randomUUID(),
      program_id: programId,
      coach_id: coachId,
      team_id: team.teamId,
      held_on: isoDate(held),
      type: SESSION_TYPES[i % SESSION_TYPES.length],
      duration_minutes: [30, 45, 60, 90][i % 4],
      attendees: 2 + (i % 10),
      notes: i % 3 === 0 ? `Synthetic session ${i}: the team reviewed its key results.` : "",
      maturity: i % 5 === 0 ? null : 1 + ((i >> 3) % 5),
      follow_ups: "",
      created_by: null,
    });
    if (batch.length === 1000) {
      await db.insertInto("support_sessions").values(batch).execute();
      sessions += batch.length;
      batch.length = 0;
    }
  }
  if (batch.length) {
    await db.insertInto("support_sessions").values(batch).execute();
    sessions += batch.length;
  }
  const pairs = timelines.map((t) => ({ coachId: t.current, teamId: t.teamId }));

  // Escalations (mostly answered or closed long ago, a few dozen open) and learnings.
  const statuses: readonly EscalationStatus[] = ["closed", "closed", "answered", "closed", "open"];
  await insertInBatches(
    db,
    "escalations",
    Array.from({ length: COACHING_SIZE.escalations }, (_, i) => {
      const pair = pairs[(i * 31) % pairs.length];
      const status = i >= COACHING_SIZE.escalations - 40 ? "open" : statuses[i % statuses.length];
      const created = new Date(now - (COACHING_SIZE.escalations - i) * DAY + (i % 24) * 3_600_000);
      return {
        id: crypto.randomUUID(),
        program_id: programId,
        coach_id: pair.coachId,
        team_id: pair.teamId,
        category: CATEGORIES[i % CATEGORIES.length],
        urgency: (["low", "normal", "normal", "high"] as const)[i % 4],
        question: `Synthetic question ${i + 1}: how should the team handle this key result?`,
        status,
        answer: status === "open" ? null : `Synthetic answer ${i + 1}.`,
        answered_at: status === "open" ? null : new Date(created.getTime() + 2 * DAY),
        answer_seen_at: status === "closed" ? new Date(created.getTime() + 3 * DAY) : null,
        closed_at: status === "closed" ? new Date(created.getTime() + 4 * DAY) : null,
        created_at: created,
        updated_at: created,
      };
    }),
    500,
  );
  await insertInBatches(
    db,
    "learnings",
    Array.from({ length: COACHING_SIZE.learnings }, (_, i) => ({
      id: crypto.randomUUID(),
      program_id: programId,
      kind: LEARNING_KINDS[i % LEARNING_KINDS.length],
      title: `Learning ${i + 1}: what worked in ${["drafting", "check-ins", "alignment", "retrospectives"][i % 4]}`,
      body: "Synthetic learning shared with the coach community.",
      tags: ["drafting", "check-in", "alignment", "retrospective"][i % 4] + (i % 3 === 0 ? ",workshop" : ""),
      author_label: `Coach ${String((i % COACHING_SIZE.coaches) + 1).padStart(3, "0")} Bench`,
      created_at: new Date(now - (COACHING_SIZE.learnings - i) * 3 * DAY),
      updated_at: new Date(now - (COACHING_SIZE.learnings - i) * 3 * DAY),
    })),
    200,
  );
  await sql`analyze coaches, coach_assignments, support_sessions, escalations, learnings`.execute(db);
  return { coaches: coaches.length, sessions };
}
