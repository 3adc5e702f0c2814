import { beforeAll, describe, expect, it } from "vitest";
import { elapsedShare, flagsOf, progressOf, weightedScore } from "~/models/cycles/checkin-flags";
import { checkInSheet, saveCheckIns, type CheckInRow } from "~/models/cycles/checkins.server";
import { ConflictError, FieldError, ForbiddenError } from "~/models/errors";
import { addDays, today } from "~/utils/dates";
import { useTestDatabase } from "../support/database";
import { checkInWorld, type CheckInWorld } from "../support/okr-builders";

const TODAY = today();
let w: CheckInWorld;
let t: ReturnType<typeof useTestDatabase>;

describe("check-ins", () => {
  t = useTestDatabase();
  beforeAll(async () => {
    w = await checkInWorld(t.db, TODAY);
  });

  const viewer = (key: keyof CheckInWorld["users"], role: "admin" | "plo" | "coach" | "sponsor" | "team_lead" | "member") => ({
    id: w.users[key].id,
    name: w.users[key].name,
    role,
  });

  async function versionOf(id: string) {
    return (await t.db.selectFrom("key_results").select("version").where("id", "=", id).executeTakeFirstOrThrow()).version;
  }

  async function row(id: string, input: Partial<CheckInRow> = {}): Promise<CheckInRow> {
    return {
      keyResultId: id,
      version: await versionOf(id),
      value: 75,
      done: false,
      confidence: "on_track",
      note: "",
      blockers: "",
      ...input,
    };
  }

  describe("progress and flags", () => {
    const cycle = { startsOn: "2027-01-01", endsOn: "2027-03-31", state: "executing", checkinCadenceDays: 14 };
    const metric = {
      kind: "metric" as const,
      startValue: 0,
      targetValue: 100,
      currentValue: 10,
      direction: "increase" as const,
      milestoneDone: false,
    };

    it("measures a metric's progress from start to target, a decreasing one too", () => {
      expect(progressOf(metric)).toBe(0.1);
      expect(progressOf({ ...metric, startValue: 40, targetValue: 10, currentValue: 25, direction: "decrease" })).toBe(0.5);
      expect(progressOf({ ...metric, startValue: 40, targetValue: 10, currentValue: 50, direction: "decrease" })).toBe(0);
      expect(progressOf({ ...metric, currentValue: 130 })).toBe(1);
      expect(progressOf({ ...metric, currentValue: null })).toBe(0);
      expect(progressOf({ ...metric, targetValue: null })).toBeNull();
      expect(progressOf({ ...metric, kind: "milestone", milestoneDone: true })).toBe(1);
    });

    it("flags a key result at risk when its progress lags the elapsed share by more than 25 points", () => {
      const half = "2027-02-14"; // 44 of 89 days: just under half
      expect(elapsedShare(cycle, half)).toBeCloseTo(44 / 89);
      const base = { ...metric, lastCheckInAt: new Date("2027-02-10T10:00:00"), lastConfidence: "on_track" as const };
      expect(flagsOf({ ...base, currentValue: 20 }, cycle, half).atRisk).toBe(true);
      expect(flagsOf({ ...base, currentValue: 30 }, cycle, half).atRisk).toBe(false);
      expect(flagsOf({ ...base, currentValue: 90, lastConfidence: "off_track" }, cycle, half).atRisk).toBe(true);
      expect(flagsOf({ ...base, kind: "milestone", currentValue: null }, cycle, half).atRisk).toBe(false);
      expect(flagsOf({ ...base, kind: "milestone", currentValue: null }, cycle, "2027-03-20").atRisk).toBe(true);
      expect(flagsOf({ ...base, currentValue: 0 }, { ...cycle, state: "closed" }, half).atRisk).toBe(false);
    });

    it("flags a key result stale when nobody checked in for longer than the cadence", () => {
      const base = { ...metric, lastConfidence: "on_track" as const };
      expect(flagsOf({ ...base, lastCheckInAt: new Date("2027-02-01T12:00:00") }, cycle, "2027-02-15").stale).toBe(false);
      expect(flagsOf({ ...base, lastCheckInAt: new Date("2027-02-01T12:00:00") }, cycle, "2027-02-16").stale).toBe(true);
      expect(flagsOf({ ...base, lastCheckInAt: null }, cycle, "2027-01-10").stale).toBe(false);
      expect(flagsOf({ ...base, lastCheckInAt: null }, cycle, "2027-01-16").stale).toBe(true);
      expect(flagsOf({ ...base, lastCheckInAt: null, kind: "milestone", milestoneDone: true }, cycle, "2027-03-01").stale).toBe(false);
    });

    it("weighs an objective's score by its key results' weights", () => {
      expect(
        weightedScore([
          { weight: 2, score: 1 },
          { weight: 1, score: 0.4 },
        ]),
      ).toBe(0.8);
      expect(weightedScore([{ weight: 1, score: null }])).toBeNull();
    });
  });

  describe("the team's check-in", () => {
    it("shows the team lead every key result to check in on, flags computed", async () => {
      const sheet = await checkInSheet(t.db, viewer("teamLead", "team_lead"), w.programId, w.cycleId, w.teamId, TODAY);
      const krs = sheet.objectives.flatMap((o) => o.keyResults);
      expect(krs.map((kr) => kr.mayCheckIn)).toEqual([true, true, true, true]);
      // Nobody checked in since the start 30 days ago with a cadence of 14: all stale.
      expect(krs.every((kr) => kr.flags.stale)).toBe(true);
      // A third of the cycle is gone: "near misses" at 20 % lags by less than 25 points; not at risk.
      expect(krs[3].flags.atRisk).toBe(false);
    });

    it("lets a member check in on their own key result only", async () => {
      const sheet = await checkInSheet(t.db, viewer("member", "member"), w.programId, w.cycleId, w.teamId, TODAY);
      expect(sheet.objectives.flatMap((o) => o.keyResults).map((kr) => kr.mayCheckIn)).toEqual([true, false, false, false]);
      await expect(
        saveCheckIns(t.db, viewer("member", "member"), w.programId, w.cycleId, w.teamId, [await row(w.keyResultIds[1])], TODAY),
      ).rejects.toThrow(ForbiddenError);
      await saveCheckIns(
        t.db,
        viewer("member", "member"),
        w.programId,
        w.cycleId,
        w.teamId,
        [await row(w.keyResultIds[0], { value: 72 })],
        TODAY,
      );
      const kr = await t.db.selectFrom("key_results").selectAll().where("id", "=", w.keyResultIds[0]).executeTakeFirstOrThrow();
      expect(kr.current_value).toBe(72);
      expect(kr.last_confidence).toBe("on_track");
    });

    it("never lets a coach or a sponsor enter progress, nor the lead of another team", async () => {
      await expect(checkInSheet(t.db, viewer("coach", "coach"), w.programId, w.cycleId, w.teamId, TODAY)).rejects.toThrow(/never enter/);
      await expect(checkInSheet(t.db, viewer("sponsor", "sponsor"), w.programId, w.cycleId, w.teamId, TODAY)).rejects.toThrow(
        ForbiddenError,
      );
      await expect(checkInSheet(t.db, viewer("otherLead", "team_lead"), w.programId, w.cycleId, w.teamId, TODAY)).rejects.toThrow(
        ForbiddenError,
      );
      await expect(
        saveCheckIns(t.db, viewer("coach", "coach"), w.programId, w.cycleId, w.teamId, [await row(w.keyResultIds[0])], TODAY),
      ).rejects.toThrow(ForbiddenError);
    });

    it("saves every row in one transaction with one audit event, and clears the stale flag", async () => {
      const before = await t.db
        .selectFrom("audit_events")
        .select((eb) => eb.fn.countAll<number>().as("n"))
        .executeTakeFirstOrThrow();
      const rows = [
        await row(w.keyResultIds[1], { value: 30, confidence: "needs_attention", blockers: "Scanner broken" }),
        await row(w.keyResultIds[2], { value: null, done: true }),
        await row(w.keyResultIds[3], { value: 5 }),
      ];
      await saveCheckIns(t.db, viewer("teamLead", "team_lead"), w.programId, w.cycleId, w.teamId, rows, TODAY);
      const after = await t.db
        .selectFrom("audit_events")
        .select((eb) => eb.fn.countAll<number>().as("n"))
        .executeTakeFirstOrThrow();
      expect(Number(after.n) - Number(before.n)).toBe(1);
      const sheet = await checkInSheet(t.db, viewer("teamLead", "team_lead"), w.programId, w.cycleId, w.teamId, TODAY);
      const krs = sheet.objectives.flatMap((o) => o.keyResults);
      expect(krs.map((kr) => kr.flags.stale)).toEqual([false, false, false, false]);
      expect(krs[2].milestoneDone).toBe(true);
      expect(krs[1].lastBlockers).toBe("Scanner broken");
    });

    it("answers a save at a stale version with a conflict carrying the current value, saving nothing", async () => {
      const seen = await row(w.keyResultIds[3], { value: 8 });
      const other = await row(w.keyResultIds[1], { value: 28 });
      await saveCheckIns(t.db, viewer("plo", "plo"), w.programId, w.cycleId, w.teamId, [{ ...seen, value: 9 }], TODAY);
      const attempt = saveCheckIns(t.db, viewer("teamLead", "team_lead"), w.programId, w.cycleId, w.teamId, [other, seen], TODAY);
      await expect(attempt).rejects.toThrow(ConflictError);
      const error = (await attempt.catch((e: unknown) => e)) as ConflictError<{ currentValue: number }>;
      expect(error.current?.currentValue).toBe(9);
      const untouched = await t.db
        .selectFrom("key_results")
        .select("current_value")
        .where("id", "=", w.keyResultIds[1])
        .executeTakeFirstOrThrow();
      expect(untouched.current_value).toBe(30);
    });

    it("refuses a metric row without a value, and key results of another team", async () => {
      await expect(
        saveCheckIns(t.db, viewer("plo", "plo"), w.programId, w.cycleId, w.teamId, [await row(w.keyResultIds[0], { value: null })], TODAY),
      ).rejects.toThrow(FieldError);
      await expect(
        saveCheckIns(t.db, viewer("plo", "plo"), w.programId, w.cycleId, w.teamId, [await row(w.otherKeyResultId)], TODAY),
      ).rejects.toThrow(/not part of this team/);
    });

    it("flags a key result at risk late in the cycle when it lags", async () => {
      const late = addDays(TODAY, 50); // 80 of 90 days gone
      const sheet = await checkInSheet(t.db, viewer("plo", "plo"), w.programId, w.cycleId, w.teamId, late);
      const nearMisses = sheet.objectives[1].keyResults[0];
      expect(nearMisses.flags.progress).toBeCloseTo(9 / 20);
      expect(nearMisses.flags.atRisk).toBe(true);
    });
  });
});
