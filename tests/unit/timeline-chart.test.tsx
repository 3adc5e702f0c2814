import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { TimelineChart } from "~/components/plan-details/timeline-chart";
import { layoutTimeline } from "~/models/plan/timeline";

// The drawn timeline: today's line must not strike through the wave and milestone labels it
// passes (issue 18). It is drawn under them, and each label has a white halo that hides it.

const layout = layoutTimeline({
  program: { startsOn: "2026-10-01", endsOn: "2027-09-30" },
  waves: [{ id: "w1", name: "Wave 1 — Operations", startsOn: "2026-10-01", endsOn: "2027-01-31" }],
  milestones: [
    { id: "m1", title: "Coaches certified", dueOn: "2026-11-20", state: "late" },
    { id: "m2", title: "First cycle drafted", dueOn: "2026-11-23", state: "planned" },
  ],
  today: "2026-11-23",
});

describe("the timeline chart", () => {
  const svg = renderToStaticMarkup(<TimelineChart layout={layout} title="Timeline" description="A rollout" />);

  it("draws today's line before (under) the wave and milestone labels, and its own label after them", () => {
    const line = svg.indexOf('class="timeline__today"');
    expect(line).toBeGreaterThan(0);
    expect(line).toBeLessThan(svg.indexOf("Wave 1 — Operations"));
    expect(line).toBeLessThan(svg.indexOf("First cycle drafted"));
    expect(svg.lastIndexOf(">Today</text>")).toBeGreaterThan(svg.indexOf("First cycle drafted"));
  });

  it("gives every wave and milestone label a white halo over the line", () => {
    const labels = [...svg.matchAll(/<text[^>]*>(?:(?!<\/text>).)*(Wave 1 — Operations|Coaches certified|First cycle drafted)/g)];
    expect(labels).toHaveLength(3);
    for (const [tag] of labels) {
      expect(tag).toContain('paint-order="stroke"');
      expect(tag).toContain('stroke="#fff"');
    }
  });
});
