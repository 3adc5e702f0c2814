import { beforeAll, describe, expect, it } from "vitest";
import type { Role } from "../../db/schema";
import { loadOkrViewer, type OkrViewer } from "~/models/cycles/access.server";
import { commitCycleImport, previewCycleImport, stageCycleImport } from "~/models/cycles/imports.server";
import { CYCLE_CSV_COLUMNS, cycleCsvRows } from "~/models/cycles/okr-export.server";
import { ConflictError, FieldError, ForbiddenError, NotFoundError } from "~/models/errors";
import { toCsv } from "~/utils/csv";
import { addDays, today } from "~/utils/dates";
import { useTestDatabase } from "../support/database";
import { checkInWorld, type CheckInWorld } from "../support/okr-builders";

// Importing a cycle's OKR sets and check-ins against a real database: the preview shows what
// would change, the commit applies it in one transaction with one audit event, and a file with an
// error changes nothing. (The world: Warehouse led by the team lead, coached by the coach, with a
// member owning one key result; Transport led by another lead.)

const TODAY = today();
let w: CheckInWorld;
let t: ReturnType<typeof useTestDatabase>;

describe("cycle imports", () => {
  t = useTestDatabase();
  beforeAll(async () => {
    w = await checkInWorld(t.db, TODAY);
  });

  const viewer = (key: keyof CheckInWorld["users"], role: Role): Promise<OkrViewer> =>
    loadOkrViewer(t.db, { id: w.users[key].id, name: w.users[key].name, role });

  async function run(who: OkrViewer, kind: "okrs" | "checkins", csv: string) {
    const id = await stageCycleImport(t.db, who, w.programId, w.cycleId, { kind, fileName: `${kind}.csv`, csv });
    return { id, preview: await previewCycleImport(t.db, who, w.programId, w.cycleId, id, TODAY) };
  }

  const auditCount = async () =>
    Number(
      (
        await t.db
          .selectFrom("audit_events")
          .select((eb) => eb.fn.countAll().as("n"))
          .executeTakeFirstOrThrow()
      ).n,
    );

  const okrs = (...lines: string[]) =>
    ["team,objective,objective_type,key_result,kind,start,target,unit,direction,owner", ...lines].join("\n");

  it("the PLO previews then imports OKR sets of two teams; a second import of the same file adds nothing", async () => {
    const plo = await viewer("plo", "plo");
    const member = await t.db.selectFrom("people").select("email").where("id", "=", w.memberPersonId).executeTakeFirstOrThrow();
    const file = okrs(
      "Warehouse,Ship orders faster,,Orders shipped same day,metric,60,95,%,increase,",
      "Warehouse,Faster returns,learning,Returns handled in 2 days,metric,40,80,%,increase," + member.email,
      "Warehouse,Faster returns,,Returns desk open,milestone,,,,,",
      "Transport,Greener fleet,,Electric vans,metric,2,10,vans,increase,",
    );
    const { id, preview } = await run(plo, "okrs", file);
    expect(preview.fatal).toBeNull();
    expect(preview.errors).toEqual([]);
    expect(preview.okrs).toMatchObject({ teams: 2, unchangedObjectives: 1 });
    expect(preview.okrs!.newObjectives.map((o) => o.title)).toEqual(["Faster returns", "Greener fleet"]);
    expect(preview.okrs!.updatedKeyResults.map((k) => [k.values.title, k.fields])).toEqual([["Orders shipped same day", ["target"]]]);
    expect(preview.okrs!.newKeyResults).toHaveLength(3);

    const before = await auditCount();
    const { summary } = await commitCycleImport(t.db, plo, w.programId, w.cycleId, id, TODAY);
    expect(summary).toBe("2 objectives added, 0 updated, 3 key results added, 1 updated, 2 teams");
    expect(await auditCount()).toBe(before + 1);
    const audit = await t.db
      .selectFrom("audit_events")
      .select(["action", "summary"])
      .orderBy("id", "desc")
      .limit(1)
      .executeTakeFirstOrThrow();
    expect(audit.action).toBe("cycle.okrs_imported");

    const returns = await t.db
      .selectFrom("objectives as o")
      .innerJoin("key_results as k", "k.objective_id", "o.id")
      .select(["o.state", "o.type", "k.title", "k.kind", "k.current_value", "k.owner_person_id"])
      .where("o.title", "=", "Faster returns")
      .orderBy("k.position")
      .execute();
    expect(returns).toEqual([
      {
        state: "draft",
        type: "learning",
        title: "Returns handled in 2 days",
        kind: "metric",
        current_value: 40,
        owner_person_id: w.memberPersonId,
      },
      { state: "draft", type: "learning", title: "Returns desk open", kind: "milestone", current_value: null, owner_person_id: null },
    ]);
    const target = await t.db
      .selectFrom("key_results")
      .select("target_value")
      .where("id", "=", w.keyResultIds[0])
      .executeTakeFirstOrThrow();
    expect(target.target_value).toBe(95);

    await expect(commitCycleImport(t.db, plo, w.programId, w.cycleId, id, TODAY)).rejects.toBeInstanceOf(ConflictError);
    const again = await run(plo, "okrs", file);
    expect(again.preview.okrs).toMatchObject({ newObjectives: [], newKeyResults: [], updatedKeyResults: [], unchangedKeyResults: 4 });
  });

  it("the cycle's own CSV export imports again without changing anything", async () => {
    const plo = await viewer("plo", "plo");
    const { rows } = await cycleCsvRows(t.db, w.programId, w.cycleId);
    const { preview } = await run(plo, "okrs", toCsv(CYCLE_CSV_COLUMNS, rows));
    expect(preview.errors).toEqual([]);
    expect(preview.okrs).toMatchObject({ newObjectives: [], updatedObjectives: [], newKeyResults: [], updatedKeyResults: [] });
    expect(preview.okrs!.unchangedKeyResults).toBe(rows.length);
  });

  it("a team lead's lines for another team are errors, and a file with errors changes nothing", async () => {
    const lead = await viewer("teamLead", "team_lead");
    const { id, preview } = await run(
      lead,
      "okrs",
      okrs(
        "Warehouse,Ship orders faster,,A lead's new key result,metric,1,5,,increase,",
        "Transport,On-time deliveries,,Stolen,metric,1,2,,,",
      ),
    );
    expect(preview.errors).toEqual([{ line: 3, message: "You may not change the OKRs of “Transport”: you lead or coach other teams." }]);
    const before = await auditCount();
    await expect(commitCycleImport(t.db, lead, w.programId, w.cycleId, id, TODAY)).rejects.toBeInstanceOf(FieldError);
    expect(await auditCount()).toBe(before);
    const stolen = await t.db.selectFrom("key_results").select("id").where("title", "in", ["Stolen", "A lead's new key result"]).execute();
    expect(stolen).toEqual([]);
  });

  it("a coach imports drafts for the team they coach, but no check-ins and no change to an active objective", async () => {
    const coach = await viewer("coach", "coach");
    await expect(
      stageCycleImport(t.db, coach, w.programId, w.cycleId, { kind: "checkins", fileName: "x.csv", csv: "team\nx" }),
    ).rejects.toMatchObject({ fields: { kind: "Coaches guide check-ins but never enter a team's progress." } });
    const { preview } = await run(
      coach,
      "okrs",
      okrs("Warehouse,Coach's draft,,First key result,metric,0,3,,increase,", "Warehouse,A safer warehouse,,Extra,metric,0,1,,,"),
    );
    expect(preview.errors.map((e) => e.line)).toEqual([3]);
    expect(preview.errors[0].message).toContain("is active: a coach changes drafts only");
    const fixed = await run(coach, "okrs", okrs("Warehouse,Coach's draft,,First key result,metric,0,3,,increase,"));
    await commitCycleImport(t.db, coach, w.programId, w.cycleId, fixed.id, TODAY);
    expect(await t.db.selectFrom("objectives").select("state").where("title", "=", "Coach's draft").executeTakeFirst()).toEqual({
      state: "draft",
    });
    // Someone else's staged file is not there for them.
    const plo = await viewer("plo", "plo");
    const other = await run(plo, "okrs", okrs("Warehouse,Ship orders faster,,,,,,,,"));
    await expect(previewCycleImport(t.db, coach, w.programId, w.cycleId, other.id, TODAY)).rejects.toBeInstanceOf(NotFoundError);
  });

  it("sponsors and members import nothing", async () => {
    for (const [key, role] of [
      ["sponsor", "sponsor"],
      ["member", "member"],
    ] as const) {
      const who = await viewer(key, role);
      await expect(stageCycleImport(t.db, who, w.programId, w.cycleId, { kind: "okrs", fileName: "", csv: "team" })).rejects.toBeInstanceOf(
        ForbiddenError,
      );
    }
  });

  it("check-ins from a file: new ones are stored on their day, the newest sets the key result, older ones do not", async () => {
    const lead = await viewer("teamLead", "team_lead");
    const [memberKr, leadKr, milestone] = w.keyResultIds;
    await t.db
      .updateTable("key_results")
      .set({ last_check_in_at: new Date(`${addDays(TODAY, -1)}T12:00:00Z`), current_value: 30 })
      .where("id", "=", leadKr)
      .execute();
    const head = "team,objective,key_result,date,value,done,confidence,note";
    const file = [
      head,
      `Warehouse,,Orders shipped same day,${addDays(TODAY, -10)},71,,on track,First`,
      `Warehouse,,Orders shipped same day,${addDays(TODAY, -3)},74,,needs attention,Second`,
      `Warehouse,,Picking errors per week,${addDays(TODAY, -5)},33,,on track,Older than the last one`,
      `Warehouse,Ship orders faster,New packing line running,${addDays(TODAY, -2)},,yes,on track,`,
    ].join("\n");
    const { id, preview } = await run(lead, "checkins", file);
    expect(preview.errors).toEqual([]);
    expect(preview.checkIns).toMatchObject({ teams: 1, alreadyThere: [] });
    expect(preview.checkIns!.checkIns).toHaveLength(4);
    const { summary } = await commitCycleImport(t.db, lead, w.programId, w.cycleId, id, TODAY);
    expect(summary).toBe("4 check-ins on 3 key results of 1 team");

    const krs = await t.db
      .selectFrom("key_results")
      .select(["id", "current_value", "milestone_done", "last_confidence", "last_check_in_at"])
      .where("id", "in", [memberKr, leadKr, milestone])
      .execute();
    const byId = new Map(krs.map((k) => [k.id, k]));
    expect(byId.get(memberKr)).toMatchObject({ current_value: 74, last_confidence: "needs_attention" });
    expect(byId.get(memberKr)!.last_check_in_at!.toISOString()).toBe(`${addDays(TODAY, -3)}T12:00:00.000Z`);
    expect(byId.get(leadKr)).toMatchObject({ current_value: 30 });
    expect(byId.get(milestone)).toMatchObject({ milestone_done: true, last_confidence: "on_track" });
    const stored = await t.db
      .selectFrom("check_ins")
      .select(["note", "by_label"])
      .where("key_result_id", "=", memberKr)
      .orderBy("at")
      .execute();
    expect(stored).toEqual([
      { note: "First", by_label: "Tess Lead (import)" },
      { note: "Second", by_label: "Tess Lead (import)" },
    ]);

    const again = await run(lead, "checkins", file);
    expect(again.preview.checkIns).toMatchObject({ checkIns: [], alreadyThere: [2, 3, 4, 5] });
  });

  it("the other team's lead cannot import check-ins of Warehouse", async () => {
    const other = await viewer("otherLead", "team_lead");
    const { preview } = await run(
      other,
      "checkins",
      ["team,key_result,date,value,confidence", `Warehouse,Near misses reported,${TODAY},5,on track`].join("\n"),
    );
    expect(preview.errors).toEqual([
      { line: 2, message: "You may not check in on the key results of “Warehouse”: only its lead, a key result's owner and the PLO may." },
    ]);
  });

  it("a closed cycle takes no import", async () => {
    const plo = await viewer("plo", "plo");
    await t.db.updateTable("cycles").set({ state: "closed" }).where("id", "=", w.nextCycleId).execute();
    await expect(
      stageCycleImport(t.db, plo, w.programId, w.nextCycleId, { kind: "okrs", fileName: "", csv: "team,objective\nWarehouse,X" }),
    ).rejects.toMatchObject({ fields: { _form: "This cycle is closed: nothing can be imported into it." } });
  });
});
