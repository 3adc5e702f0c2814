import { describe, expect, it } from "vitest";
import { format, parseISO } from "date-fns";
import { addDays, formatDate, formatDateTime, formatDay, formatDayShort, programTimeline } from "~/utils/dates";

// Local calendar days, at an afternoon hour: the time of day must not change the answer.
const day = (y: number, m: number, d: number) => new Date(y, m - 1, d, 15, 30);

describe("programTimeline", () => {
  const start = "2027-01-10";
  const end = "2027-01-20"; // ten days

  it("a program without both dates has no timeline", () => {
    expect(programTimeline(null, end, day(2027, 1, 12))).toBeNull();
    expect(programTimeline(start, null, day(2027, 1, 12))).toBeNull();
    expect(programTimeline(null, null, day(2027, 1, 12))).toBeNull();
  });

  it("before its start it counts the days to go, in the plural", () => {
    expect(programTimeline(start, end, day(2027, 1, 7))).toEqual({ percent: 0, label: "starts in 3 days" });
  });

  it("the day before its start says one day, in the singular", () => {
    expect(programTimeline(start, end, day(2027, 1, 9))).toEqual({ percent: 0, label: "starts in 1 day" });
  });

  it("on its first day it is at 0% with all days left", () => {
    expect(programTimeline(start, end, day(2027, 1, 10))).toEqual({ percent: 0, label: "10 days left" });
  });

  it("halfway through it is at 50%", () => {
    expect(programTimeline(start, end, day(2027, 1, 15))).toEqual({ percent: 50, label: "5 days left" });
  });

  it("on its last day before the end date one day is left", () => {
    expect(programTimeline(start, end, day(2027, 1, 19))).toEqual({ percent: 90, label: "1 day left" });
  });

  it("from its end date on it has ended", () => {
    expect(programTimeline(start, end, day(2027, 1, 20))).toEqual({ percent: 100, label: "ended" });
    expect(programTimeline(start, end, day(2028, 6, 1))).toEqual({ percent: 100, label: "ended" });
  });

  it("a one-day program (same start and end) is not divided by zero", () => {
    expect(programTimeline(start, start, day(2027, 1, 10))).toEqual({ percent: 0, label: "1 day left" });
  });

  it("percentages are rounded to whole numbers", () => {
    // 1 of 3 days done.
    expect(programTimeline("2027-03-01", "2027-03-04", day(2027, 3, 2))).toEqual({ percent: 33, label: "2 days left" });
  });
});

describe("formatDate", () => {
  it("shows a date as day, short month and year, and keeps null as null", () => {
    expect(formatDate("2027-01-12")).toBe("12 Jan 2027");
    expect(formatDate(null)).toBeNull();
    expect(formatDate("")).toBeNull();
  });

  it('writes every day of a leap year and of the years around it as date-fns\' "d MMM yyyy" does', () => {
    for (let day = "2027-12-25"; day <= "2029-01-05"; day = addDays(day, 1)) {
      expect(formatDate(day)).toBe(format(parseISO(day), "d MMM yyyy"));
      expect(formatDay(day)).toBe(format(parseISO(day), "d MMM yyyy"));
      expect(formatDayShort(day)).toBe(format(parseISO(day), "d MMM"));
    }
    expect(formatDay("next week")).toBe("next week");
  });

  it("shows a moment with its local time", () => {
    expect(formatDateTime(new Date(2027, 0, 12, 9, 5))).toBe("12 Jan 2027, 09:05");
  });
});
