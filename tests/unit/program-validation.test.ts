import { describe, expect, it } from "vitest";
import { programSchema } from "~/validation/program";

const valid = { name: "Rollout", description: "", startsOn: "2027-01-01", endsOn: "2027-06-30", status: "active" };

function errorsOf(input: Record<string, unknown>): Record<string, string> | null {
  const result = programSchema.safeParse(input);
  if (result.success) return null;
  const errors: Record<string, string> = {};
  for (const issue of result.error.issues) errors[String(issue.path[0] ?? "_form")] ??= issue.message;
  return errors;
}

describe("program form", () => {
  it("a complete program is accepted as typed", () => {
    expect(programSchema.parse(valid)).toEqual(valid);
  });

  it("empty dates and a missing description become null and an empty text", () => {
    expect(programSchema.parse({ name: " Pilot ", startsOn: "", endsOn: "  ", status: "planned" })).toEqual({
      name: "Pilot",
      description: "",
      startsOn: null,
      endsOn: null,
      status: "planned",
    });
  });

  it("an end date before the start date is reported on the end date", () => {
    expect(errorsOf({ ...valid, startsOn: "2027-06-30", endsOn: "2027-06-29" })).toEqual({
      endsOn: "The end date must be on or after the start date.",
    });
  });

  it("a program may start and end on the same day", () => {
    expect(errorsOf({ ...valid, startsOn: "2027-06-30", endsOn: "2027-06-30" })).toBeNull();
  });

  it("only one of the two dates is fine", () => {
    expect(errorsOf({ ...valid, startsOn: "" })).toBeNull();
    expect(errorsOf({ ...valid, endsOn: "" })).toBeNull();
  });

  it.each([
    ["a day that does not exist", "2027-02-30"],
    ["a month that does not exist", "2027-13-01"],
    ["another format", "30.06.2027"],
    ["a date with a time", "2027-06-30T10:00"],
    ["text", "soon"],
  ])("a start date that is %s is refused", (_label, startsOn) => {
    expect(errorsOf({ ...valid, startsOn, endsOn: "" })).toEqual({ startsOn: "Start date must be a valid date (YYYY-MM-DD)." });
  });

  it("the 29th of February exists only in leap years", () => {
    expect(errorsOf({ ...valid, startsOn: "2028-02-29", endsOn: "2028-03-01" })).toBeNull();
    expect(errorsOf({ ...valid, endsOn: "2027-02-29" })).toEqual({ endsOn: "End date must be a valid date (YYYY-MM-DD)." });
  });

  it("a status outside the list is refused", () => {
    expect(errorsOf({ ...valid, status: "deleted" })).toEqual({ status: "Choose one of the listed statuses." });
    expect(errorsOf({ ...valid, status: undefined })).toEqual({ status: "Choose one of the listed statuses." });
  });

  it("a blank name or one over 120 characters is refused", () => {
    expect(errorsOf({ ...valid, name: "  " })).toEqual({ name: "Name is required." });
    expect(errorsOf({ ...valid, name: "x".repeat(121) })).toEqual({ name: "Name must be at most 120 characters." });
  });

  it("a description over 4000 characters is refused", () => {
    expect(errorsOf({ ...valid, description: "x".repeat(4001) })).toEqual({ description: "Description must be at most 4000 characters." });
  });
});
