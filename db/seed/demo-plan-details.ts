// Demo milestones, stakeholders and risks for Northwind's company-wide rollout (Oct 2026 – Sep
// 2027; the demo's "today" is 23 Nov 2026). Goes through the model functions, so the audit log
// reads as if the PLO had entered everything by hand.
//
// Idempotent: a program that already has milestones is left alone. Uses what exists: waves by
// position (milestones stay untied when there are none), people of the organization by email or
// title (no stakeholders and no owners when the people table is empty).
import { sql } from "kysely";
import type { Actor } from "~/models/audit/audit.server";
import { createMilestone } from "~/models/plan/milestones.server";
import { listWaveOptions } from "~/models/plan/refs.server";
import { createRisk } from "~/models/plan/risks.server";
import { createStakeholder } from "~/models/plan/stakeholders.server";
import type { DB } from "~/utils/db.server";
import type { MilestoneInput, RiskInput, StakeholderInput } from "~/validation/plan-details";

const DEMO_TODAY = "2026-11-23";

interface DemoPerson {
  email: string;
  name: string;
  title: string;
}

const LEADER_TITLE = /\b(head|director|chief|vp|vice president|managing|lead of|general manager)\b/i;

export async function seedDemoPlanDetails(db: DB, actor: Actor, programId: string): Promise<void> {
  const existing = await db.selectFrom("milestones").select("id").where("program_id", "=", programId).limit(1).executeTakeFirst();
  if (existing) return;

  const waves = await listWaveOptions(db, programId);
  const waveId = (position: number) => waves[position]?.id ?? null;

  const people: DemoPerson[] = await db
    .selectFrom("people")
    .select(["email", "name", "title"])
    .where("archived_at", "is", null)
    .orderBy(sql`lower(name)`)
    .limit(500)
    .execute();
  const byEmail = (email: string) => people.find((p) => p.email === email) ?? null;
  const sponsor = byEmail("sponsor@demo.rollout-desk.test");
  const plo = byEmail("plo@demo.rollout-desk.test");
  const coach = byEmail("coach@demo.rollout-desk.test");
  const demoEmails = new Set([
    "sponsor@demo.rollout-desk.test",
    "plo@demo.rollout-desk.test",
    "coach@demo.rollout-desk.test",
    "admin@demo.rollout-desk.test",
    "team-lead@demo.rollout-desk.test",
  ]);
  const leaders = people.filter((p) => !demoEmails.has(p.email) && LEADER_TITLE.test(p.title));
  const others = people.filter((p) => !demoEmails.has(p.email) && !LEADER_TITLE.test(p.title));
  /** The n-th leader, else the n-th other person, else null. */
  const leader = (n: number) => leaders[n] ?? others[n - leaders.length] ?? null;
  const owner = (p: DemoPerson | null) => p?.email ?? null;

  // ----- Milestones: two done, one late (due 13 Nov, still in progress), the rest ahead -----
  const milestones: MilestoneInput[] = [
    {
      title: "Rollout plan approved by the executive board",
      dueOn: "2026-10-09",
      status: "done",
      doneOn: "2026-10-08",
      ownerEmail: owner(plo),
      waveId: null,
      notes: "Approved with the three-wave scope and a coach community of twelve.",
    },
    {
      title: "Wave 1 kick-off with Operations leadership",
      dueOn: "2026-10-20",
      status: "done",
      doneOn: "2026-10-21",
      ownerEmail: owner(sponsor),
      waveId: waveId(0),
      notes: "Kick-off held a day late because of the board offsite.",
    },
    {
      title: "First six OKR coaches certified",
      dueOn: "2026-11-13",
      status: "in_progress",
      doneOn: null,
      ownerEmail: owner(coach),
      waveId: waveId(0),
      notes: "Two coaches still have to deliver their practice session.",
    },
    {
      title: "Wave 1 teams drafted their 2027-Q1 OKRs",
      dueOn: "2026-12-11",
      status: "in_progress",
      doneOn: null,
      ownerEmail: owner(plo),
      waveId: waveId(0),
      notes: "",
    },
    {
      title: "Alignment workshop with the division heads",
      dueOn: "2027-01-08",
      status: "planned",
      doneOn: null,
      ownerEmail: owner(sponsor),
      waveId: waveId(0),
      notes: "",
    },
    {
      title: "Check-in cadence running in all wave 1 teams",
      dueOn: "2027-02-05",
      status: "planned",
      doneOn: null,
      ownerEmail: owner(coach),
      waveId: waveId(0),
      notes: "",
    },
    {
      title: "Wave 2 kick-off (Fleet and Sales)",
      dueOn: "2027-03-01",
      status: "planned",
      doneOn: null,
      ownerEmail: owner(plo),
      waveId: waveId(1),
      notes: "",
    },
    {
      title: "Mid-rollout review with the sponsor",
      dueOn: "2027-04-16",
      status: "planned",
      doneOn: null,
      ownerEmail: owner(sponsor),
      waveId: null,
      notes: "Status report and decision on the wave 3 scope.",
    },
    {
      title: "Wave 3 kick-off (Finance and IT)",
      dueOn: "2027-06-01",
      status: "planned",
      doneOn: null,
      ownerEmail: owner(plo),
      waveId: waveId(2),
      notes: "",
    },
    {
      title: "Every team sets and scores its OKRs without PLO help",
      dueOn: "2027-09-24",
      status: "planned",
      doneOn: null,
      ownerEmail: owner(plo),
      waveId: waveId(2),
      notes: "The program's exit criterion.",
    },
  ];
  for (const m of milestones) await createMilestone(db, actor, programId, m, DEMO_TODAY);

  // ----- Stakeholders: the sponsor and the division heads; two overdue, one sceptic -----
  const stakeholders: Array<{ person: DemoPerson | null; input: Omit<StakeholderInput, "personEmail"> }> = [
    {
      person: sponsor,
      input: {
        influence: "high",
        interest: "high",
        attitude: "champion",
        communicationPlan: "Fortnightly 30-minute steering call; the monthly status report before it.",
        contactEveryDays: 14,
        lastContactOn: "2026-11-18",
      },
    },
    {
      person: leader(0),
      input: {
        influence: "high",
        interest: "high",
        attitude: "supporter",
        communicationPlan: "Monthly 1:1 with the PLO lead; invite to every wave 1 retrospective.",
        contactEveryDays: 30,
        lastContactOn: "2026-11-02",
      },
    },
    {
      person: leader(1),
      input: {
        influence: "high",
        interest: "low",
        attitude: "sceptic",
        communicationPlan: "Short outcome-focused updates; show the pilot's results in numbers, not method.",
        contactEveryDays: 30,
        lastContactOn: "2026-09-15",
      },
    },
    {
      person: leader(2),
      input: {
        influence: "high",
        interest: "low",
        attitude: "neutral",
        communicationPlan: "Quarterly briefing before wave 3 planning.",
        contactEveryDays: 45,
        lastContactOn: null,
      },
    },
    {
      person: leader(3),
      input: {
        influence: "low",
        interest: "high",
        attitude: "champion",
        communicationPlan: "Newsletter plus an invitation to the coach community's open sessions.",
        contactEveryDays: 30,
        lastContactOn: "2026-11-10",
      },
    },
    {
      person: leader(4),
      input: {
        influence: "high",
        interest: "high",
        attitude: "supporter",
        communicationPlan: "Involve in wave 2 scoping; monthly check-in.",
        contactEveryDays: 30,
        lastContactOn: "2026-11-04",
      },
    },
    {
      person: leader(5),
      input: {
        influence: "low",
        interest: "low",
        attitude: "neutral",
        communicationPlan: "Company newsletter only.",
        contactEveryDays: 90,
        lastContactOn: "2026-10-01",
      },
    },
    {
      person: leader(6),
      input: {
        influence: "low",
        interest: "high",
        attitude: "supporter",
        communicationPlan: "Share wave 1 learnings; ask for feedback on the playbook.",
        contactEveryDays: 30,
        lastContactOn: "2026-11-16",
      },
    },
  ];
  const added = new Set<string>();
  for (const s of stakeholders) {
    if (!s.person || added.has(s.person.email)) continue;
    added.add(s.person.email);
    await createStakeholder(db, actor, programId, { ...s.input, personEmail: s.person.email });
  }

  // ----- Risks across the heat map -----
  const fleet = await db
    .selectFrom("org_units")
    .select("id")
    .where("archived_at", "is", null)
    .where(sql<boolean>`lower(name) like '%fleet%'`)
    .orderBy("name")
    .limit(1)
    .executeTakeFirst();
  const risks: RiskInput[] = [
    {
      title: "Division heads treat OKRs as a reporting exercise",
      description: "Leaders ask for OKRs as status reports to the board instead of as the teams' own bets.",
      likelihood: 4,
      impact: 5,
      ownerEmail: owner(sponsor),
      mitigation: "Sponsor sets the tone in the alignment workshop; PLO coaches leaders on ambition vs. commitment.",
      status: "open",
      waveId: null,
      unitId: null,
    },
    {
      title: "Not enough certified coaches for wave 2",
      description: "Wave 2 needs ten coaches; six are in certification and two have little time.",
      likelihood: 3,
      impact: 4,
      ownerEmail: owner(coach),
      mitigation: "Second certification cohort in January; ask division heads to free 10% of coach time.",
      status: "mitigating",
      waveId: waveId(1),
      unitId: null,
    },
    {
      title: "Year-end freeze delays wave 1 drafting",
      description: "Operations is busiest in December; drafting workshops compete with peak season.",
      likelihood: 4,
      impact: 3,
      ownerEmail: owner(plo),
      mitigation: "Drafting workshops moved to the first two weeks of December, 90 minutes each.",
      status: "mitigating",
      waveId: waveId(0),
      unitId: null,
    },
    {
      title: "OKRs get tied to bonuses",
      description: "HR proposes to use OKR scores in the 2027 bonus scheme, which would kill ambitious goals.",
      likelihood: 3,
      impact: 5,
      ownerEmail: owner(leader(0)),
      mitigation: "Agree with HR in writing that OKR scores are not part of performance reviews.",
      status: "open",
      waveId: null,
      unitId: null,
    },
    {
      title: "Fleet teams lack time for weekly check-ins",
      description: "Drivers' shift patterns leave little room for meetings.",
      likelihood: 3,
      impact: 2,
      ownerEmail: owner(leader(1)),
      mitigation: "Ten-minute stand-up check-ins at shift change.",
      status: "open",
      waveId: waveId(1),
      unitId: fleet?.id ?? null,
    },
    {
      title: "Teams reject yet another tool",
      description: "Survey shows tool fatigue; OKRs will live in the existing wiki for now.",
      likelihood: 2,
      impact: 2,
      ownerEmail: owner(plo),
      mitigation: "No new tool in year one; templates in the wiki.",
      status: "accepted",
      waveId: null,
      unitId: null,
    },
    {
      title: "Pilot learnings get lost",
      description: "The pilot's retrospective findings were not written down.",
      likelihood: 2,
      impact: 3,
      ownerEmail: owner(plo),
      mitigation: "Playbook updated with the pilot's ten learnings (done in October).",
      status: "closed",
      waveId: null,
      unitId: null,
    },
  ];
  for (const r of risks) await createRisk(db, actor, programId, r);
}
