import { describe, expect, it } from "vitest";
import { describeTimeline, layoutTimeline, MAX_MONTHS, parseYmd, TIMELINE_WIDTH, type TimelineInput } from "~/models/plan/timeline";
import * as dates from "~/utils/dates";

const rollout: TimelineInput = {
  program: { startsOn: "2026-10-01", endsOn: "2027-09-30" },
  waves: [
    { id: "w1", name: "Wave 1 — Operations", startsOn: "2026-10-01", endsOn: "2027-01-31" },
    { id: "w2", name: "Wave 2 — Fleet & Sales", startsOn: "2027-01-01", endsOn: "2027-05-31" },
    { id: "w3", name: "Wave 3 — Finance & IT", startsOn: null, endsOn: null },
  ],
  milestones: [
    { id: "m1", title: "Kick-off", dueOn: "2026-10-05", state: "done" },
    { id: "m2", title: "Coaches certified", dueOn: "2026-11-15", state: "late" },
    { id: "m3", title: "First cycle drafted", dueOn: "2027-01-15", state: "planned" },
  ],
  today: "2026-11-23",
};

describe("month columns", () => {
  it("has one column per month from the program's start to its end, the year on the first column and each January", () => {
    const layout = layoutTimeline(rollout);
    expect(layout.months.map((m) => m.key)).toEqual([
      "2026-10",
      "2026-11",
      "2026-12",
      "2027-01",
      "2027-02",
      "2027-03",
      "2027-04",
      "2027-05",
      "2027-06",
      "2027-07",
      "2027-08",
      "2027-09",
    ]);
    expect(layout.months.map((m) => m.yearLabel).filter(Boolean)).toEqual(["2026", "2027"]);
    expect(layout.months[0].label).toBe("Oct");
    expect(layout.range).toEqual({ start: "2026-10-01", end: "2027-09-30", source: "program" });
  });

  it("columns are equally wide and fill the plotting area edge to edge", () => {
    const { months, plot } = layoutTimeline(rollout);
    expect(months[0].x).toBe(plot.left);
    const widths = new Set(months.map((m) => m.width.toFixed(6)));
    expect(widths.size).toBe(1);
    const last = months.at(-1)!;
    expect(last.x + last.width).toBeCloseTo(plot.right, 6);
    expect(plot.right).toBeLessThanOrEqual(TIMELINE_WIDTH);
  });

  it("without program dates, spans the earliest to the latest wave or milestone date", () => {
    const layout = layoutTimeline({ ...rollout, program: { startsOn: null, endsOn: null } });
    expect(layout.range).toEqual({ start: "2026-10-01", end: "2027-05-31", source: "items" });
    expect(layout.months[0].key).toBe("2026-10");
    expect(layout.months.at(-1)!.key).toBe("2027-05");
  });

  it("with only a start date, ends with the latest item", () => {
    const layout = layoutTimeline({ ...rollout, program: { startsOn: "2026-09-15", endsOn: null } });
    expect(layout.range?.source).toBe("mixed");
    expect(layout.months[0].key).toBe("2026-09");
    expect(layout.months.at(-1)!.key).toBe("2027-05");
  });

  it("stops after ten years and says so", () => {
    const layout = layoutTimeline({ ...rollout, program: { startsOn: "2000-01-01", endsOn: "9999-12-31" } });
    expect(layout.months).toHaveLength(MAX_MONTHS);
    expect(layout.truncated).toBe(true);
    expect(layout.months.every((m) => Number.isFinite(m.x) && m.width > 0)).toBe(true);
  });

  it("narrow columns get a one-letter label", () => {
    const layout = layoutTimeline({ ...rollout, program: { startsOn: "2026-01-01", endsOn: "2030-12-31" } });
    expect(layout.months[0].label).toBe("J");
  });
});

describe("wave bars", () => {
  it("start at the first day and end after the last day of the wave", () => {
    const layout = layoutTimeline(rollout);
    const [oct, , , jan, , , , may] = layout.months;
    const w1 = layout.waves[0];
    expect(w1.bar!.x).toBeCloseTo(oct.x, 6);
    expect(w1.bar!.x + w1.bar!.width).toBeCloseTo(jan.x + jan.width, 6);
    const w2 = layout.waves[1];
    expect(w2.bar!.x).toBeCloseTo(jan.x, 6);
    expect(w2.bar!.x + w2.bar!.width).toBeCloseTo(may.x + may.width, 6);
  });

  it("carry their name and dates, on their own lane, with alternating patterns", () => {
    const layout = layoutTimeline(rollout);
    expect(layout.waves[0].label.text).toBe("Wave 1 — Operations · 1 Oct 2026 – 31 Jan 2027");
    expect(layout.waves[1].laneY).toBeGreaterThan(layout.waves[0].laneY);
    expect(layout.waves[1].bar!.y).toBeGreaterThanOrEqual(layout.waves[0].bar!.y + layout.waves[0].bar!.height);
    expect(layout.waves.map((w) => w.pattern)).toEqual([0, 1, 2]);
  });

  it("a wave without dates keeps its lane and name but has no bar", () => {
    const w3 = layoutTimeline(rollout).waves[2];
    expect(w3.bar).toBeNull();
    expect(w3.label.text).toBe("Wave 3 — Finance & IT — dates not set");
  });

  it("a wave running past the program's end is clipped at the edge and marked", () => {
    const layout = layoutTimeline({
      ...rollout,
      waves: [{ id: "w", name: "Long", startsOn: "2027-06-01", endsOn: "2028-03-31" }],
    });
    const w = layout.waves[0];
    expect(w.clipped).toEqual({ start: false, end: true });
    expect(w.bar!.x + w.bar!.width).toBeCloseTo(layout.plot.right, 6);
  });

  it("a wave wholly outside the program's months has no bar and is listed as outside", () => {
    const layout = layoutTimeline({ ...rollout, waves: [{ id: "w", name: "Old pilot", startsOn: "2026-01-01", endsOn: "2026-06-30" }] });
    expect(layout.waves[0].bar).toBeNull();
    expect(layout.outside).toEqual([{ kind: "wave", id: "w", name: "Old pilot" }]);
  });

  it("a label that would run past the right edge is anchored at the bar's end instead", () => {
    const layout = layoutTimeline({
      ...rollout,
      waves: [{ id: "w", name: "A wave with a rather long name near the end", startsOn: "2027-08-01", endsOn: "2027-09-30" }],
    });
    const label = layout.waves[0].label;
    expect(label.anchor).toBe("end");
    expect(label.x).toBeLessThanOrEqual(layout.plot.right);
  });
});

describe("milestones", () => {
  it("sit at the middle of their due day, below the waves, labelled with title and date", () => {
    const layout = layoutTimeline(rollout);
    const nov = layout.months[1];
    const m2 = layout.milestones.find((m) => m.id === "m2")!;
    expect(m2.x).toBeCloseTo(nov.x + (14.5 / 30) * nov.width, 6);
    expect(m2.y).toBeGreaterThan(layout.waves.at(-1)!.laneY);
    expect(m2.label.text).toBe("LATE · Coaches certified (15 Nov)");
    expect(layout.milestones.find((m) => m.id === "m1")!.label.text).toBe("Done · Kick-off (5 Oct)");
    expect(layout.milestones.find((m) => m.id === "m3")!.label.text).toBe("First cycle drafted (15 Jan)");
  });

  it("close milestones go on separate lanes so their labels never overlap", () => {
    const milestones = Array.from({ length: 6 }, (_, i) => ({
      id: `m${i}`,
      title: `Milestone number ${i}`,
      dueOn: `2026-11-${String(10 + i).padStart(2, "0")}`,
      state: "planned" as const,
    }));
    const layout = layoutTimeline({ ...rollout, milestones });
    const lanes = new Set(layout.milestones.map((m) => m.lane));
    expect(lanes.size).toBe(6);
    // Any two on the same lane are apart by more than the first one's label.
    const far = layoutTimeline({
      ...rollout,
      milestones: [
        { id: "a", title: "A", dueOn: "2026-10-10", state: "planned" },
        { id: "b", title: "B", dueOn: "2027-06-10", state: "planned" },
      ],
    });
    expect(far.milestones.map((m) => m.lane)).toEqual([0, 0]);
  });

  it("milestones outside the months are left off the chart and listed as outside", () => {
    const layout = layoutTimeline({ ...rollout, milestones: [{ id: "x", title: "Before", dueOn: "2025-01-01", state: "late" }] });
    expect(layout.milestones).toEqual([]);
    expect(layout.outside).toEqual([{ kind: "milestone", id: "x", name: "Before" }]);
  });

  it("the chart grows in height with the number of lanes", () => {
    const small = layoutTimeline(rollout);
    const big = layoutTimeline({
      ...rollout,
      milestones: Array.from({ length: 10 }, (_, i) => ({
        id: `m${i}`,
        title: `Milestone ${i}`,
        dueOn: "2026-12-01",
        state: "planned" as const,
      })),
    });
    expect(big.height).toBeGreaterThan(small.height);
  });
});

describe("today's line", () => {
  it("is drawn at today's date across the whole plot, labelled below it", () => {
    const layout = layoutTimeline(rollout);
    const nov = layout.months[1];
    expect(layout.today!.x).toBeCloseTo(nov.x + (22.5 / 30) * nov.width, 6);
    expect(layout.today!.y1).toBeLessThan(layout.plot.top);
    expect(layout.today!.y2).toBe(layout.plot.bottom);
    expect(layout.today!.labelY).toBeGreaterThan(layout.plot.bottom);
    expect(layout.todayOutside).toBeNull();
  });

  it("is absent when today lies outside the months, which the description says", () => {
    const layout = layoutTimeline({ ...rollout, today: "2028-01-10" });
    expect(layout.today).toBeNull();
    expect(layout.todayOutside).toBe("after");
    expect(describeTimeline(layout, "2028-01-10")).toContain("Today (10 Jan 2028) is after the months shown.");
  });
});

describe("empty and missing dates", () => {
  it("with no dates at all there are no months, no bars, no line, and a description saying what to do", () => {
    const layout = layoutTimeline({
      program: { startsOn: null, endsOn: null },
      waves: [{ id: "w", name: "Wave 1", startsOn: null, endsOn: null }],
      milestones: [],
      today: "2026-11-23",
    });
    expect(layout.range).toBeNull();
    expect(layout.months).toEqual([]);
    expect(layout.waves[0].bar).toBeNull();
    expect(layout.today).toBeNull();
    expect(describeTimeline(layout, "2026-11-23")).toMatch(/^No dates yet/);
    expect(Number.isFinite(layout.height)).toBe(true);
  });

  it("an empty program with dates still shows its months and today", () => {
    const layout = layoutTimeline({ ...rollout, waves: [], milestones: [] });
    expect(layout.months).toHaveLength(12);
    expect(layout.today).not.toBeNull();
    expect(describeTimeline(layout, rollout.today)).toContain("0 waves as bars and 0 milestones as diamonds");
  });

  it("a single date gives a one-month chart", () => {
    const layout = layoutTimeline({
      program: { startsOn: null, endsOn: null },
      waves: [],
      milestones: [{ id: "m", title: "Only", dueOn: "2027-02-14", state: "planned" }],
      today: "2026-11-23",
    });
    expect(layout.months.map((m) => m.key)).toEqual(["2027-02"]);
    expect(layout.milestones).toHaveLength(1);
  });

  it("an end before the start is read the other way round", () => {
    const layout = layoutTimeline({ ...rollout, program: { startsOn: "2027-09-30", endsOn: "2026-10-01" } });
    expect(layout.months).toHaveLength(12);
  });

  it("malformed dates are ignored, never drawn at a wrong place", () => {
    const layout = layoutTimeline({
      program: { startsOn: "2026-02-30", endsOn: "not a date" },
      waves: [{ id: "w", name: "W", startsOn: "2026-13-01", endsOn: "2027-01-01" }],
      milestones: [{ id: "m", title: "M", dueOn: "2026-11-31", state: "planned" }],
      today: "2026-11-23",
    });
    expect(layout.range?.start).toBe("2027-01-01");
    expect(layout.waves[0].bar).toBeNull();
    expect(layout.milestones).toEqual([]);
  });
});

describe("date helpers", () => {
  it("parse only real calendar dates and format them as people read them", () => {
    expect(parseYmd("2028-02-29")).toEqual({ y: 2028, m: 2, d: 29 });
    expect(parseYmd("2027-02-29")).toBeNull();
    expect(dates.formatDay("2026-11-23")).toBe("23 Nov 2026");
    expect(dates.today(new Date(2026, 10, 23, 23, 59))).toBe("2026-11-23");
  });
});
