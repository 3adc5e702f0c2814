import { describe, expect, it } from "vitest";
import { parseCheckInCsv, parseOkrCsv } from "~/models/cycles/import-parse";
import {
  planCheckInImport,
  planOkrImport,
  storedCheckInKey,
  type CheckInImportWorld,
  type CheckInWorldKeyResult,
  type OkrWorld,
  type PlanKeyResult,
  type PlanObjective,
  type PlanTeam,
} from "~/models/cycles/import-plan";
import type { TeamRights } from "~/models/cycles/rules";

// Reading and planning a cycle's OKR-set and check-in imports, without a database: every line
// that cannot be imported is an error with its line number; what can is counted as new, updated
// or unchanged.

const HEADER = "team,objective,objective_type,key_result,kind,start,target,unit,direction,weight,owner";
const csv = (...lines: string[]) => [HEADER, ...lines].join("\r\n");

describe("reading an OKR-set file", () => {
  it("reads one line per key result, with the spreadsheet formula guard of our exports taken off", () => {
    const parsed = parseOkrCsv(
      `\uFEFF${csv(
        "Warehouse,Ship orders faster,aspirational,Orders shipped same day,Metric,60,90,%,increase,2,max@example.com",
        "Warehouse,Ship orders faster,,'=Packing line running,milestone,,,,,,",
        "Warehouse,A safer warehouse,,,,,,,,,",
      )}`,
    );
    expect(parsed.fatal).toBeNull();
    expect(parsed.errors).toEqual([]);
    expect(parsed.lines).toHaveLength(3);
    expect(parsed.lines[0]).toMatchObject({
      line: 2,
      team: "Warehouse",
      objective: "Ship orders faster",
      type: "aspirational",
      keyResult: {
        title: "Orders shipped same day",
        kind: "metric",
        start: 60,
        target: 90,
        unit: "%",
        weight: 2,
        ownerEmail: "max@example.com",
      },
    });
    expect(parsed.lines[1].keyResult).toMatchObject({ title: "=Packing line running", kind: "milestone" });
    expect(parsed.lines[2].keyResult).toBeNull();
  });

  it("names the line of every bad cell: missing team, a word for a number, an unknown kind, a bad email", () => {
    const parsed = parseOkrCsv(
      csv(
        ",Ship orders faster,,KR,metric,1,2,,,,",
        "Warehouse,Ship orders faster,,KR 2,metric,sixty,90,,,,",
        "Warehouse,Ship orders faster,,KR 3,percentage,,,,,,",
        "Warehouse,Ship orders faster,,KR 4,metric,1,2,,,,not-an-email",
        "Warehouse,Ship orders faster,urgent,KR 5,metric,1,2,,,0,",
        "Warehouse,Ship orders faster,,KR 6,metric,1,2,,sideways,,",
      ),
    );
    expect(parsed.errors.map((e) => e.line)).toEqual([2, 3, 4, 5, 6, 6, 7]);
    expect(parsed.errors[0].message).toBe("The team is missing.");
    expect(parsed.errors[1].message).toContain("“sixty” is not a number");
    expect(parsed.errors[2].message).toContain("“percentage” is not a kind of key result");
    expect(parsed.errors[3].message).toContain("is not an email address");
    expect(parsed.errors.find((e) => e.line === 7)?.message).toContain("“sideways” is not a direction");
    expect(parsed.lines).toHaveLength(0);
  });

  it("flags a key result given twice for the same objective and team", () => {
    const parsed = parseOkrCsv(csv("Warehouse,Ship,,Orders shipped,metric,1,2,,,,", "warehouse,ship,,orders shipped,metric,1,3,,,,"));
    expect(parsed.errors).toEqual([{ line: 3, message: expect.stringContaining("same key result as line 2") }]);
  });

  it("reads semicolon files and counts the lines of quoted line breaks", () => {
    const parsed = parseOkrCsv('team;objective;key_result\nWarehouse;"Ship\norders";KR\nWarehouse;Other;KR');
    expect(parsed.errors).toEqual([]);
    expect(parsed.lines.map((l) => l.line)).toEqual([2, 4]);
  });

  it("refuses a file without a team or objective column, an empty one and a binary one", () => {
    expect(parseOkrCsv("name,title\nx,y").fatal).toContain("“team”, “objective” columns");
    expect(parseOkrCsv("").fatal).toContain("empty");
    expect(parseOkrCsv("team,objective\n\u0000").fatal).toContain("binary");
  });
});

describe("reading a check-in file", () => {
  const HEAD = "team,objective,key_result,date,value,done,confidence,note";
  const TODAY = "2027-02-01";

  it("reads dates as tools write them and confidences as people write them", () => {
    const parsed = parseCheckInCsv(
      [
        HEAD,
        "Warehouse,,Orders shipped,2027-01-18,72,,On track,Second shift",
        "Warehouse,,Packing line,18.01.2027,,yes,red,",
        "Warehouse,,Errors,2027-01-18T09:00:00Z,3,5,needs_attention,",
      ].join("\n"),
      TODAY,
    );
    expect(parsed.errors.map((e) => e.line)).toEqual([4]);
    expect(parsed.errors[0].message).toContain("“5” is neither yes nor no");
    expect(parsed.lines).toMatchObject([
      { line: 2, date: "2027-01-18", value: 72, confidence: "on_track", note: "Second shift" },
      { line: 3, date: "2027-01-18", done: true, confidence: "off_track" },
    ]);
  });

  it("names bad dates, future dates, bad numbers, missing confidences and a second check-in of the same day", () => {
    const parsed = parseCheckInCsv(
      [
        HEAD,
        "Warehouse,,Orders,2027-02-30,1,,on track,",
        "Warehouse,,Orders,2027-03-01,1,,on track,",
        "Warehouse,,Orders,2027-01-10,twelve,,on track,",
        "Warehouse,,Orders,2027-01-10,12,,,",
        "Warehouse,,Orders,2027-01-11,12,,great,",
        "Warehouse,,Orders,2027-01-12,12,,on track,",
        "Warehouse,,orders,2027-01-12,13,,on track,",
      ].join("\n"),
      TODAY,
    );
    expect(parsed.errors.map((e) => [e.line, e.message.slice(0, 30)])).toEqual([
      [2, "“2027-02-30” is not a date (us"],
      [3, "The date 2027-03-01 is in the "],
      [4, "The value “twelve” is not a nu"],
      [5, "The confidence is missing: on "],
      [6, "“great” is not a confidence: u"],
      [8, "A second check-in on the same "],
    ]);
    expect(parsed.lines.map((l) => l.line)).toEqual([7]);
  });
});

const team = (name: string, extra: Partial<PlanTeam> = {}): PlanTeam => ({
  id: `team-${name}`,
  name,
  externalId: null,
  leadPersonId: null,
  ...extra,
});
const ALL: TeamRights = { read: true, editSet: true, editDrafts: true, comment: true, resolve: true };
const DRAFTS: TeamRights = { read: true, editSet: false, editDrafts: true, comment: true, resolve: true };
const NONE: TeamRights = { read: true, editSet: false, editDrafts: false, comment: false, resolve: false };

const objective = (title: string, extra: Partial<PlanObjective> = {}): PlanObjective => ({
  id: `o-${title}`,
  teamId: "team-Warehouse",
  title,
  description: "",
  type: "committed",
  ownerPersonId: null,
  state: "active",
  position: 1,
  ...extra,
});
const keyResult = (title: string, objectiveId: string, extra: Partial<PlanKeyResult> = {}): PlanKeyResult => ({
  id: `kr-${title}`,
  objectiveId,
  title,
  kind: "metric",
  startValue: 60,
  targetValue: 90,
  unit: "%",
  direction: "increase",
  weight: 1,
  ownerPersonId: null,
  milestoneDone: false,
  lastCheckInAt: null,
  position: 1,
  ...extra,
});

function okrWorld(extra: Partial<OkrWorld> = {}): OkrWorld {
  let n = 0;
  return {
    teams: [team("Warehouse", { externalId: "T-1" }), team("Transport"), team("Twin", { id: "twin-1" }), team("Twin", { id: "twin-2" })],
    objectives: [objective("Ship orders faster")],
    keyResults: [keyResult("Orders shipped same day", "o-Ship orders faster")],
    people: new Map([["max@example.com", "person-max"]]),
    rights: () => ALL,
    newId: () => `new-${++n}`,
    ...extra,
  };
}

describe("planning an OKR-set import", () => {
  it("adds new objectives and key results, updates what changed and counts what did not", () => {
    const { lines } = parseOkrCsv(
      csv(
        "Warehouse,Ship orders faster,,Orders shipped same day,metric,60,90,%,increase,1,",
        "T-1,Ship orders faster,,Picking errors,metric,40,10,,decrease,1,max@example.com",
        "Transport,On-time deliveries,learning,Deliveries on time,metric,80,95,%,,,",
      ),
    );
    const plan = planOkrImport(lines, okrWorld());
    expect(plan.errors).toEqual([]);
    expect(plan.teams).toBe(2);
    expect(plan.unchangedObjectives).toBe(1);
    expect(plan.unchangedKeyResults).toBe(1);
    expect(plan.newObjectives).toMatchObject([{ line: 4, teamName: "Transport", title: "On-time deliveries", type: "learning" }]);
    expect(plan.newKeyResults.map((k) => [k.line, k.values.title, k.values.ownerPersonId])).toEqual([
      [3, "Picking errors", "person-max"],
      [4, "Deliveries on time", null],
    ]);

    const again = planOkrImport(parseOkrCsv(csv("warehouse,SHIP ORDERS FASTER,,orders shipped same day,,,95,,,,")).lines, okrWorld());
    expect(again.updatedKeyResults).toMatchObject([
      { id: "kr-Orders shipped same day", fields: ["target"], values: { startValue: 60, targetValue: 95 } },
    ]);
    expect(again.newObjectives).toEqual([]);
  });

  it("names unknown and ambiguous teams, unknown owners and the key result form's own checks", () => {
    const { lines } = parseOkrCsv(
      csv(
        "Nowhere,Ship,,KR,metric,1,2,,,,",
        "Twin,Ship,,KR,metric,1,2,,,,",
        "Warehouse,Ship,,KR,metric,1,2,,,,ghost@example.com",
        "Warehouse,Ship,,KR 2,metric,10,20,,decrease,,",
        "Warehouse,Ship,,KR 3,metric,10,10,,,,",
      ),
    );
    const plan = planOkrImport(lines, okrWorld());
    expect(plan.errors.map((e) => [e.line, e.message])).toEqual([
      [2, "No team “Nowhere” in the organization (by name or identifier)."],
      [3, "Several teams are named “Twin”: write the team's identifier instead."],
      [4, "No person with the email ghost@example.com in the organization (the key result's owner)."],
      [5, "The direction does not match the start and the target."],
      [6, "The target must differ from the start. The direction does not match the start and the target."],
    ]);
  });

  it("refuses the lines of teams the importer may not change, and a coach's changes to an objective past drafting", () => {
    const { lines } = parseOkrCsv(
      csv(
        "Transport,On-time deliveries,,Deliveries on time,metric,80,95,,,,",
        "Warehouse,Ship orders faster,,Orders shipped same day,metric,60,99,,,,",
        "Warehouse,Ship orders faster,,A new one,metric,1,2,,,,",
        "Warehouse,A new draft,,Its key result,metric,1,2,,,,",
      ),
    );
    const plan = planOkrImport(lines, okrWorld({ rights: (t) => (t.name === "Warehouse" ? DRAFTS : NONE) }));
    expect(plan.errors.map((e) => [e.line, e.message.slice(0, 50)])).toEqual([
      [2, "You may not change the OKRs of “Transport”: you le"],
      [3, "The objective “Ship orders faster” is active: a co"],
      [4, "The objective “Ship orders faster” is active: a co"],
    ]);
    expect(plan.newObjectives.map((o) => o.title)).toEqual(["A new draft"]);
  });

  it("refuses an objective described two ways and an eleventh key result", () => {
    const many = Array.from({ length: 11 }, (_, i) => `Warehouse,Big,,KR ${i + 1},metric,0,${i + 1},,,,`);
    const { lines } = parseOkrCsv(
      csv("Warehouse,Ship orders faster,learning,,,,,,,,", "Warehouse,Ship orders faster,committed,,,,,,,,", ...many),
    );
    const plan = planOkrImport(lines, okrWorld());
    expect(plan.errors.map((e) => e.line)).toEqual([3, 14]);
    expect(plan.errors[0].message).toContain("another type than line 2");
    expect(plan.errors[1].message).toContain("more than 10 key results");
  });
});

describe("planning a check-in import", () => {
  const HEAD = "team,objective,key_result,date,value,done,confidence";
  const kr = (title: string, objectiveTitle: string, extra: Partial<CheckInWorldKeyResult> = {}): CheckInWorldKeyResult => ({
    ...keyResult(title, `o-${objectiveTitle}`),
    teamId: "team-Warehouse",
    objectiveTitle,
    ...extra,
  });
  const world = (extra: Partial<CheckInImportWorld> = {}): CheckInImportWorld => ({
    cycleStartsOn: "2027-01-04",
    teams: [team("Warehouse"), team("Transport", { leadPersonId: "someone" })],
    keyResults: [
      kr("Orders shipped", "Ship"),
      kr("Packing line", "Ship", { kind: "milestone", startValue: null, targetValue: null }),
      kr("Reported", "Safety"),
      kr("Reported", "Quality", { id: "kr-Reported-2" }),
      kr("Deliveries", "On time", { teamId: "team-Transport" }),
    ],
    stored: new Set([storedCheckInKey("kr-Orders shipped", "2027-01-11", 70, "on_track")]),
    mayCheckIn: (t) => (t.name === "Transport" ? "You may not check in on the key results of “Transport”." : null),
    ...extra,
  });

  it("plans each check-in on the key result it names, and skips what is there already", () => {
    const { lines } = parseCheckInCsv(
      [
        HEAD,
        "Warehouse,,Orders shipped,2027-01-11,70,,on track",
        "Warehouse,,Orders shipped,2027-01-18,75,,on track",
        "Warehouse,,Packing line,2027-01-18,,yes,needs attention",
        "Warehouse,Quality,Reported,2027-01-18,3,,off track",
      ].join("\n"),
      "2027-02-01",
    );
    const plan = planCheckInImport(lines, world());
    expect(plan.errors).toEqual([]);
    expect(plan.alreadyThere).toEqual([2]);
    expect(plan.teams).toBe(1);
    expect(plan.checkIns.map((c) => [c.line, c.keyResultId, c.value, c.done])).toEqual([
      [3, "kr-Orders shipped", 75, false],
      [4, "kr-Packing line", null, true],
      [5, "kr-Reported-2", 3, false],
    ]);
  });

  it("names unknown and ambiguous key results, refused teams, early dates and missing values", () => {
    const { lines } = parseCheckInCsv(
      [
        HEAD,
        "Warehouse,,Nothing like it,2027-01-18,1,,on track",
        "Warehouse,,Reported,2027-01-18,1,,on track",
        "Transport,,Deliveries,2027-01-18,90,,on track",
        "Warehouse,,Orders shipped,2027-01-01,75,,on track",
        "Warehouse,,Orders shipped,2027-01-19,,,on track",
        "Warehouse,Ship,Orders shipped,2027-01-20,1,,on track",
        "Warehouse,,Orders shipped,2027-01-20,2,,on track",
      ].join("\n"),
      "2027-02-01",
    );
    const plan = planCheckInImport(lines, world());
    expect(plan.errors.map((e) => [e.line, e.message])).toEqual([
      [2, "No key result “Nothing like it” in the set of Warehouse in this cycle."],
      [3, "Warehouse has several key results titled “Reported”: add the objective's title."],
      [4, "You may not check in on the key results of “Transport”."],
      [5, "The date 2027-01-01 is before the cycle starts (2027-01-04)."],
      [6, "The value is missing: “Orders shipped” is a metric."],
      [8, "A second check-in on the same key result and day as line 7: keep one of the two lines."],
    ]);
  });
});
