import { describe, expect, it } from "vitest";
import { csvFileName, neutraliseCell, readBackCell, toCsv } from "~/utils/csv";

describe("the CSV rules every export shares", () => {
  it("neutralises cells a spreadsheet would run as formulas, and reads every value back exactly", () => {
    for (const value of ["=SUM(A1)", "+1", "-2", "@x", "\tx", "\rx", "'=x", "''+y", "plain", "'quoted", "", "a=b"]) {
      expect(readBackCell(neutraliseCell(value)), JSON.stringify(value)).toBe(value);
      expect(neutraliseCell(value)).not.toMatch(/^[=+\-@\t\r]/);
    }
    expect(neutraliseCell(-3)).toBe("-3");
    expect(neutraliseCell(null)).toBe("");
  });

  it("writes a BOM, CRLF lines and quotes where needed; names files by day", () => {
    expect(toCsv(["a", "b"], [{ a: "x,y", b: "=1" }, ["p", 2]])).toBe('\uFEFFa,b\r\n"x,y",\'=1\r\np,2\r\n');
    expect(csvFileName("Rollout: Q1 / Sales", "2027-01-12")).toBe("rollout-q1-sales-2027-01-12.csv");
  });
});
