// The demo organization of Northwind Logistics: about 300 people in 39 teams across the
// company's divisions, each team with a lead except a few (so a wave's "every team has a lead"
// check can be seen failing), and the demo accounts linked to their people.
//
// It goes through the model functions (each change audited as if clicked), and is idempotent:
// units are found by path, teams by unit and name, people by email; what exists is left alone.
// Leads are set and accounts linked only for what this run created.
import type { Actor } from "~/models/audit/audit.server";
import {
  createPerson,
  createTeam,
  createUnit,
  linkPersonAccount,
  loadUnitIndex,
  setTeamLead,
  type UnitIndex,
} from "~/models/org/org.server";
import type { DB } from "~/utils/db.server";
import { PATH_SEPARATOR } from "~/validation/org";

const COMPANY = "Northwind Logistics";
const DOMAIN = "northwind.test";

/** The emails of the demo accounts (see DEMO_ACCOUNTS in ./demo.ts); their people carry the same. */
const ACCOUNT_EMAILS = {
  admin: "admin@demo.rollout-desk.test",
  plo: "plo@demo.rollout-desk.test",
  coach: "coach@demo.rollout-desk.test",
  sponsor: "sponsor@demo.rollout-desk.test",
  teamLead: "team-lead@demo.rollout-desk.test",
  member: "member@demo.rollout-desk.test",
} as const;

/** Units below the company, as paths; parents come before their children. */
const UNITS: readonly string[] = [
  "Executive Office",
  "Operations",
  "Operations › Warehousing",
  "Operations › Transport Planning",
  "Fleet",
  "Customer Operations",
  "Sales",
  "Sales › Sales DACH",
  "Sales › Sales Benelux & Nordics",
  "Finance",
  "IT",
  "People & Strategy",
  "People & Strategy › OKR Program Lead Office",
  "People & Strategy › HR",
];

interface NamedPerson {
  name: string;
  title: string;
  /** Defaults to first.last@northwind.test. */
  email?: string;
}

interface DemoTeam {
  name: string;
  unit: string;
  /** Null: a team without a lead (on purpose). */
  lead: NamedPerson | null;
  /** People named in the team besides the lead (demo accounts, RACI holders). */
  named?: NamedPerson[];
  /** Everyone in the team, lead and named people included. */
  members: number;
  /** Titles for the generated members, used in turn. */
  titles: readonly string[];
  /** Headcount stored on the team (for a team whose people are not in the app). */
  size?: number;
}

const WAREHOUSE = ["Warehouse Associate", "Forklift Operator", "Shift Supervisor", "Inventory Clerk", "Picker", "Loading Coordinator"];
const TRANSPORT = ["Transport Planner", "Dispatcher", "Route Analyst", "Carrier Manager"];
const FLEET = ["Fleet Technician", "Mechanic", "Diesel Specialist", "Workshop Coordinator", "Parts Clerk"];
const SUPPORT = ["Customer Service Agent", "Senior Support Agent", "Case Handler", "Quality Analyst"];
const SALES = ["Account Executive", "Sales Manager", "Business Developer", "Inside Sales Representative", "Solutions Consultant"];
const FINANCE = ["Accountant", "Financial Analyst", "Controller", "Billing Specialist", "Buyer"];
const IT = ["Software Engineer", "Senior Software Engineer", "Site Reliability Engineer", "Data Engineer", "IT Support Specialist"];
const PEOPLE = ["HR Business Partner", "Learning Specialist", "Recruiter", "People Analyst"];

const TEAMS: readonly DemoTeam[] = [
  {
    name: "Executive Board",
    unit: "Executive Office",
    lead: { name: "Henrik Sørensen", title: "Chief Executive Officer" },
    named: [
      { name: "Margaret Chen", title: "Chief Operating Officer", email: ACCOUNT_EMAILS.sponsor },
      { name: "Aisha Rahman", title: "Chief Financial Officer" },
      { name: "Lucas Moreau", title: "Chief Commercial Officer" },
    ],
    members: 4,
    titles: ["Executive Assistant"],
  },
  {
    name: "Warehouse Operations Hamburg",
    unit: "Operations › Warehousing",
    lead: { name: "Diego Álvarez", title: "Team Lead, Warehouse Operations Hamburg", email: ACCOUNT_EMAILS.teamLead },
    named: [{ name: "Lea Novak", title: "Inventory Analyst", email: ACCOUNT_EMAILS.member }],
    members: 14,
    titles: WAREHOUSE,
  },
  {
    name: "Warehouse Operations Rotterdam",
    unit: "Operations › Warehousing",
    lead: { name: "Fatima El Amrani", title: "Warehouse Manager" },
    members: 14,
    titles: WAREHOUSE,
  },
  {
    name: "Warehouse Operations Gdańsk",
    unit: "Operations › Warehousing",
    lead: { name: "Paweł Nowicki", title: "Warehouse Manager" },
    members: 11,
    titles: WAREHOUSE,
  },
  {
    name: "Inventory Control",
    unit: "Operations › Warehousing",
    lead: { name: "Mei Lin Tan", title: "Inventory Control Lead" },
    members: 7,
    titles: ["Inventory Analyst", "Stock Controller"],
  },
  {
    name: "Route Planning",
    unit: "Operations › Transport Planning",
    lead: { name: "Arjun Mehta", title: "Head of Route Planning" },
    members: 8,
    titles: TRANSPORT,
  },
  {
    name: "Dispatch Central",
    unit: "Operations › Transport Planning",
    lead: { name: "Chiara Bianchi", title: "Dispatch Lead" },
    members: 12,
    titles: TRANSPORT,
  },
  { name: "Cross-Border Customs", unit: "Operations › Transport Planning", lead: null, members: 0, titles: [], size: 6 },
  {
    name: "Operations Excellence",
    unit: "Operations",
    lead: { name: "Kwame Mensah", title: "Head of Operations Excellence" },
    members: 5,
    titles: ["Process Engineer", "Lean Coach", "Operations Analyst"],
  },
  {
    name: "Fleet Maintenance North",
    unit: "Fleet",
    lead: { name: "Lars Johansson", title: "Workshop Manager North" },
    members: 13,
    titles: FLEET,
  },
  {
    name: "Fleet Maintenance South",
    unit: "Fleet",
    lead: { name: "Ana Ribeiro", title: "Workshop Manager South" },
    members: 10,
    titles: FLEET,
  },
  {
    name: "Driver Scheduling",
    unit: "Fleet",
    lead: { name: "Yusuf Demir", title: "Scheduling Lead" },
    members: 9,
    titles: ["Driver Scheduler", "Roster Planner", "Driver Liaison"],
  },
  {
    name: "Telematics & Tracking",
    unit: "Fleet",
    lead: { name: "Nadia Haddad", title: "Telematics Lead" },
    members: 6,
    titles: ["Telematics Engineer", "Tracking Analyst"],
  },
  {
    name: "Fleet Safety",
    unit: "Fleet",
    lead: { name: "Olumide Adeyemi", title: "Fleet Safety Manager" },
    members: 5,
    titles: ["Safety Officer", "Driver Trainer"],
  },
  {
    name: "Customer Support",
    unit: "Customer Operations",
    lead: { name: "Sophie Laurent", title: "Head of Customer Support" },
    members: 15,
    titles: SUPPORT,
  },
  {
    name: "Returns",
    unit: "Customer Operations",
    lead: { name: "Tomasz Zieliński", title: "Returns Lead" },
    members: 7,
    titles: ["Returns Specialist", "Case Handler"],
  },
  {
    name: "Claims",
    unit: "Customer Operations",
    lead: { name: "Hana Novák", title: "Claims Lead" },
    members: 7,
    titles: ["Claims Handler", "Claims Analyst"],
  },
  {
    name: "Key Accounts",
    unit: "Customer Operations",
    lead: { name: "Rafael Costa", title: "Key Account Director" },
    members: 6,
    titles: ["Key Account Manager"],
  },
  {
    name: "Service Quality",
    unit: "Customer Operations",
    lead: { name: "Ingrid Berg", title: "Service Quality Lead" },
    members: 5,
    titles: ["Quality Analyst", "Customer Insights Analyst"],
  },
  {
    name: "Enterprise Sales DACH",
    unit: "Sales › Sales DACH",
    lead: { name: "Katharina Braun", title: "Sales Director DACH" },
    members: 8,
    titles: SALES,
  },
  {
    name: "SME Sales DACH",
    unit: "Sales › Sales DACH",
    lead: { name: "Emre Yıldız", title: "SME Sales Lead" },
    members: 11,
    titles: SALES,
  },
  {
    name: "Enterprise Sales Benelux",
    unit: "Sales › Sales Benelux & Nordics",
    lead: { name: "Pieter de Vries", title: "Sales Director Benelux" },
    members: 7,
    titles: SALES,
  },
  { name: "Inside Sales Nordics", unit: "Sales › Sales Benelux & Nordics", lead: null, members: 6, titles: SALES },
  {
    name: "Sales Operations",
    unit: "Sales",
    lead: { name: "Isabel Fernández", title: "Head of Sales Operations" },
    members: 5,
    titles: ["Sales Operations Analyst", "CRM Administrator"],
  },
  {
    name: "Pricing & Tenders",
    unit: "Sales",
    lead: { name: "Daniel Kim", title: "Pricing Lead" },
    members: 5,
    titles: ["Pricing Analyst", "Tender Manager"],
  },
  { name: "Accounting", unit: "Finance", lead: { name: "Grace Mwangi", title: "Chief Accountant" }, members: 8, titles: FINANCE },
  { name: "Controlling", unit: "Finance", lead: { name: "Stefan Huber", title: "Head of Controlling" }, members: 6, titles: FINANCE },
  { name: "Treasury", unit: "Finance", lead: { name: "Leila Farahani", title: "Treasurer" }, members: 4, titles: ["Treasury Analyst"] },
  {
    name: "Billing & Collections",
    unit: "Finance",
    lead: { name: "Marco Rossi", title: "Billing Lead" },
    members: 11,
    titles: ["Billing Specialist", "Collections Specialist"],
  },
  {
    name: "Procurement",
    unit: "Finance",
    lead: { name: "Zanele Dlamini", title: "Head of Procurement" },
    members: 6,
    titles: ["Buyer", "Category Manager"],
  },
  {
    name: "IT Platform",
    unit: "IT",
    lead: { name: "Priya Raman", title: "IT Platform Lead", email: ACCOUNT_EMAILS.admin },
    members: 8,
    titles: IT,
  },
  {
    name: "Warehouse Systems",
    unit: "IT",
    lead: { name: "Viktor Petrov", title: "Engineering Manager, Warehouse Systems" },
    members: 8,
    titles: IT,
  },
  {
    name: "Data & Analytics",
    unit: "IT",
    lead: { name: "Camille Dubois", title: "Head of Data" },
    members: 7,
    titles: ["Data Analyst", "Data Engineer", "Analytics Engineer"],
  },
  {
    name: "Service Desk",
    unit: "IT",
    lead: { name: "Ahmed Saleh", title: "Service Desk Manager" },
    members: 10,
    titles: ["IT Support Specialist", "Service Desk Agent"],
  },
  { name: "Security Operations", unit: "IT", lead: null, members: 5, titles: ["Security Engineer", "Security Analyst"] },
  {
    name: "OKR Program Office",
    unit: "People & Strategy › OKR Program Lead Office",
    lead: { name: "Jonas Weber", title: "Head of the OKR Program Lead Office", email: ACCOUNT_EMAILS.plo },
    named: [{ name: "Lena Fischer", title: "OKR Program Manager" }],
    members: 3,
    titles: ["OKR Program Analyst"],
  },
  {
    name: "OKR Coaches",
    unit: "People & Strategy › OKR Program Lead Office",
    lead: { name: "Tobias Lindqvist", title: "Lead OKR Coach" },
    named: [
      { name: "Amara Okafor", title: "OKR Coach, Customer Operations & Fleet", email: ACCOUNT_EMAILS.coach },
      { name: "Sofia Marques", title: "OKR Coach, Sales & Finance" },
    ],
    members: 5,
    titles: ["OKR Coach"],
  },
  {
    name: "HR Business Partners",
    unit: "People & Strategy › HR",
    lead: { name: "Julia Nowak", title: "Head of HR Business Partnering" },
    members: 6,
    titles: PEOPLE,
  },
  {
    name: "Talent & Learning",
    unit: "People & Strategy › HR",
    lead: { name: "Samuel Osei", title: "Head of Talent & Learning" },
    members: 6,
    titles: PEOPLE,
  },
];

/** Heads of division: in a unit, in no team. */
const HEADS: ReadonlyArray<NamedPerson & { unit: string }> = [
  { unit: "Operations", name: "Benedikt Hofmann", title: "Head of Operations" },
  { unit: "Fleet", name: "Siobhan O'Connor", title: "Head of Fleet" },
  { unit: "Customer Operations", name: "Valentina Greco", title: "Head of Customer Operations" },
  { unit: "Sales", name: "Jean-Luc Martin", title: "Vice President Sales" },
  { unit: "IT", name: "Rahul Nair", title: "Chief Information Officer" },
  { unit: "People & Strategy", name: "Elena Popescu", title: "Chief People Officer" },
];

// Generated members: names of many origins, combined without repeats.
const FIRST_NAMES = [
  "Aiko",
  "Alejandro",
  "Amir",
  "Anja",
  "Astrid",
  "Bilal",
  "Bogdan",
  "Carmen",
  "Chidi",
  "Clara",
  "Dara",
  "Dmitri",
  "Elif",
  "Emma",
  "Farah",
  "Felix",
  "Gabriel",
  "Hamza",
  "Hannah",
  "Ife",
  "Ilse",
  "Ivan",
  "Jakub",
  "Jana",
  "Jin",
  "Joana",
  "Kai",
  "Karim",
  "Kenji",
  "Laila",
  "Leon",
  "Lucía",
  "Magnus",
  "Maja",
  "Malik",
  "Marta",
  "Mateo",
  "Mina",
  "Nikos",
  "Noor",
  "Oskar",
  "Priyanka",
  "Quentin",
  "Rania",
  "Ravi",
  "Rosa",
  "Sakura",
  "Sebastian",
  "Selin",
  "Sven",
  "Tariq",
  "Thandiwe",
  "Theo",
  "Uma",
  "Vera",
  "Wei",
  "Yara",
  "Yusra",
  "Zofia",
  "Zoran",
];
const LAST_NAMES = [
  "Abdi",
  "Andersen",
  "Bakker",
  "Baumann",
  "Castillo",
  "Çelik",
  "Chowdhury",
  "Costa",
  "Dahl",
  "Dimitrov",
  "Eze",
  "Fischer",
  "García",
  "Gupta",
  "Hansen",
  "Hoffmann",
  "Ibrahim",
  "Ito",
  "Jensen",
  "Kaya",
  "Kowalczyk",
  "Krüger",
  "Lehmann",
  "Lindberg",
  "Lopes",
  "Mahlangu",
  "Meyer",
  "Müller",
  "Nakamura",
  "Nguyen",
  "Nielsen",
  "Novak",
  "Obi",
  "Olsen",
  "Pereira",
  "Petersen",
  "Popović",
  "Quist",
  "Ramos",
  "Richter",
  "Sahin",
  "Santos",
  "Schneider",
  "Singh",
  "Suzuki",
  "Svensson",
  "Takahashi",
  "Van den Berg",
  "Virtanen",
  "Wagner",
  "Wang",
  "Wiśniewski",
  "Yilmaz",
  "Zhang",
];

function fold(text: string): string {
  return text
    .replace(/ø/gi, "o")
    .replace(/æ/gi, "ae")
    .replace(/ß/g, "ss")
    .replace(/ł/gi, "l")
    .replace(/ı/g, "i")
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "");
}

function demoEmail(name: string): string {
  const [first, ...rest] = name.split(" ");
  return `${fold(first)}.${fold(rest.join(" ")).replaceAll("-", "")}@${DOMAIN}`;
}

/** A generator of member names that never repeats a name or an email. */
function nameSource(taken: Set<string>) {
  let i = 0;
  return () => {
    for (;;) {
      const first = FIRST_NAMES[(i * 7) % FIRST_NAMES.length];
      const last = LAST_NAMES[(i * 11 + Math.floor(i / FIRST_NAMES.length)) % LAST_NAMES.length];
      i += 1;
      const name = `${first} ${last}`;
      const email = demoEmail(name);
      if (!taken.has(email)) {
        taken.add(email);
        return { name, email };
      }
    }
  };
}

const fullPath = (path: string) => (path ? `${COMPANY}${PATH_SEPARATOR}${path.split(/\s*›\s*/).join(PATH_SEPARATOR)}` : COMPANY);

function unitByPath(index: UnitIndex, path: string) {
  return index.units.find((u) => u.path === path);
}

/**
 * Loads the demo organization. Returns how many units, teams and people this run created (all
 * zero when it was loaded before).
 */
export async function seedDemoOrg(db: DB, actor: Actor): Promise<{ units: number; teams: number; people: number }> {
  const created = { units: 0, teams: 0, people: 0 };

  // Units, parents first.
  let index = await loadUnitIndex(db);
  for (const path of ["", ...UNITS]) {
    const full = fullPath(path);
    if (unitByPath(index, full)) continue;
    const parts = full.split(PATH_SEPARATOR);
    const parent = parts.length > 1 ? unitByPath(index, parts.slice(0, -1).join(PATH_SEPARATOR)) : undefined;
    await createUnit(db, actor, { name: parts.at(-1)!, parentId: parent?.id ?? null });
    created.units += 1;
    index = await loadUnitIndex(db);
  }
  const unitId = (path: string) => unitByPath(index, fullPath(path))!.id;

  // What exists already, in two queries.
  const existingTeams = await db.selectFrom("teams").select(["id", "name", "unit_id"]).execute();
  const teamKey = (unit: string, name: string) => `${unit}\u0000${name.toLowerCase()}`;
  const teamIds = new Map(existingTeams.map((t) => [teamKey(t.unit_id, t.name), t.id]));
  const existingPeople = await db.selectFrom("people").select(["email"]).execute();
  const knownBefore = new Set(existingPeople.map((p) => p.email));

  // Teams (leads come once their people exist).
  const newTeams: Array<{ id: string; lead: string }> = [];
  for (const team of TEAMS) {
    const key = teamKey(unitId(team.unit), team.name);
    if (teamIds.has(key)) continue;
    const { id } = await createTeam(db, actor, { name: team.name, unitId: unitId(team.unit), leadEmail: null, size: team.size ?? null });
    teamIds.set(key, id);
    created.teams += 1;
    if (team.lead) newTeams.push({ id, lead: team.lead.email ?? demoEmail(team.lead.name) });
  }

  // People. Generated names skip the named people's emails, and depend on nothing else, so a
  // second run generates the same people (and finds them).
  const taken = new Set<string>();
  for (const team of TEAMS)
    for (const p of [...(team.lead ? [team.lead] : []), ...(team.named ?? [])]) taken.add(p.email ?? demoEmail(p.name));
  for (const head of HEADS) taken.add(head.email ?? demoEmail(head.name));
  const nextName = nameSource(taken);
  const add = async (person: { name: string; email: string; title: string; unitId: string; teamId: string | null }) => {
    if (knownBefore.has(person.email)) return;
    await createPerson(db, actor, { ...person, externalId: "" });
    knownBefore.add(person.email);
    created.people += 1;
  };
  let employee = 0;
  for (const team of TEAMS) {
    const teamId = teamIds.get(teamKey(unitId(team.unit), team.name))!;
    const named = [...(team.lead ? [team.lead] : []), ...(team.named ?? [])];
    for (const p of named)
      await add({ name: p.name, email: p.email ?? demoEmail(p.name), title: p.title, unitId: unitId(team.unit), teamId });
    for (let i = named.length; i < team.members; i++) {
      const { name, email } = nextName();
      const title = team.titles[(employee += 1) % team.titles.length];
      await add({ name, email, title, unitId: unitId(team.unit), teamId });
    }
  }
  for (const head of HEADS)
    await add({ name: head.name, email: head.email ?? demoEmail(head.name), title: head.title, unitId: unitId(head.unit), teamId: null });

  for (const team of newTeams) await setTeamLead(db, actor, team.id, team.lead);

  // The demo accounts: each person with an account's email is linked to it (when both are free).
  const accounts = await db
    .selectFrom("users as u")
    .innerJoin("people as p", "p.email", "u.email")
    .leftJoin("people as linked", "linked.user_id", "u.id")
    .select(["p.id as personId", "p.user_id as personUserId", "u.email", "linked.id as linkedId"])
    .where("u.email", "in", Object.values(ACCOUNT_EMAILS))
    .execute();
  for (const account of accounts) {
    if (account.personUserId || account.linkedId) continue;
    await linkPersonAccount(db, actor, account.personId, account.email);
  }
  return created;
}
