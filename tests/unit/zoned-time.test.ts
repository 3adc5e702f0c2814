import { describe, expect, it } from "vitest";
import { instantToZoned, zonedToInstant } from "~/models/enablement/zoned-time";

describe("wall-clock time in a named time zone", () => {
  it("turns a Berlin morning into its instant and back, summer and winter", () => {
    expect(zonedToInstant("2027-01-12", "09:30", "Europe/Berlin").toISOString()).toBe("2027-01-12T08:30:00.000Z");
    expect(zonedToInstant("2027-07-12", "09:30", "Europe/Berlin").toISOString()).toBe("2027-07-12T07:30:00.000Z");
    expect(instantToZoned(new Date("2027-07-12T07:30:00Z"), "Europe/Berlin")).toEqual({ day: "2027-07-12", time: "09:30" });
  });

  it("gives the same answers when zones alternate many times (formats are reused per zone)", () => {
    for (let i = 0; i < 50; i++) {
      const zone = i % 2 === 0 ? "America/New_York" : "Asia/Tokyo";
      const instant = zonedToInstant("2026-11-01", "01:30", zone);
      expect(instantToZoned(instant, zone)).toEqual({ day: "2026-11-01", time: "01:30" });
    }
    expect(instantToZoned(new Date("2026-12-31T23:30:00Z"), "Asia/Tokyo")).toEqual({ day: "2027-01-01", time: "08:30" });
  });

  it("refuses an unknown zone every time, not only the first", () => {
    expect(() => instantToZoned(new Date(), "Mars/Olympus")).toThrow();
    expect(() => instantToZoned(new Date(), "Mars/Olympus")).toThrow();
  });
});
