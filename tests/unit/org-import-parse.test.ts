import { describe, expect, it } from "vitest";
import { mappingProblems, NO_DECISIONS, recognizeHeader } from "~/models/org/import-fields";
import { cellReader, detectMapping, headerKey, parseHrCsv } from "~/models/org/import-parse";
import { planImport, type OrgSnapshot } from "~/models/org/import-plan";

const EMPTY: OrgSnapshot = { units: [], teams: [], people: [], coaches: [] };

describe("reading an HR export", () => {
  it("ignores a UTF-8 byte order mark in front of the first header", () => {
    const parsed = parseHrCsv("\uFEFFEmail,Name\nada@example.com,Ada\n");
    expect(parsed.fatal).toBeNull();
    expect(parsed.headers).toEqual(["Email", "Name"]);
    expect(parsed.mapping).toEqual(["email", "name"]);
  });

  it("detects `;` and tab as the separator", () => {
    const semicolon = parseHrCsv("Name;Email;Department\nAda Lovelace;ada@example.com;Research, Analytics\n");
    expect(semicolon.delimiter).toBe(";");
    expect(semicolon.rows[0].cells).toEqual(["Ada Lovelace", "ada@example.com", "Research, Analytics"]);
    const tab = parseHrCsv("Name\tEmail\nAda, the first\tada@example.com\n");
    expect(tab.delimiter).toBe("\t");
    expect(tab.rows[0].cells).toEqual(["Ada, the first", "ada@example.com"]);
  });

  it("keeps commas and newlines inside quoted fields and numbers lines as an editor shows them", () => {
    const text = [
      "Name,Email,Title",
      '"Lovelace, Ada",ada@example.com,"Analyst',
      'of engines"',
      "Grace Hopper,grace@example.com,Admiral",
      '"Alan ""Al"" Turing",alan@example.com,"multi',
      "",
      'line"',
      "Edsger,edsger@example.com,",
    ].join("\r\n");
    const parsed = parseHrCsv(text);
    expect(parsed.rows.map((r) => [r.line, r.cells[0]])).toEqual([
      [2, "Lovelace, Ada"],
      [4, "Grace Hopper"],
      [5, 'Alan "Al" Turing'],
      [8, "Edsger"],
    ]);
    expect(parsed.rows[0].cells[2]).toBe("Analyst\nof engines");
    expect(parsed.rows[2].cells[2]).toBe("multi\n\nline");
  });

  it("skips blank lines (also before the header) without shifting line numbers", () => {
    const parsed = parseHrCsv("\n\nEmail,Name\n\nada@example.com,Ada\n  \n,\ngrace@example.com,Grace\n\n");
    expect(parsed.headers).toEqual(["Email", "Name"]);
    expect(parsed.rows.map((r) => r.line)).toEqual([5, 8]);
  });

  it("reports an unclosed quote with its line", () => {
    const parsed = parseHrCsv('Email,Name\nada@example.com,Ada\ngrace@example.com,"Grace\nalan@example.com,Alan\n');
    expect(parsed.problems).toEqual([expect.objectContaining({ line: 3, field: "file" })]);
    expect(parsed.problems[0].message).toMatch(/not closed/);
  });

  it("reports a line with more fields than the header", () => {
    const parsed = parseHrCsv("Email,Name\nada@example.com,Ada,extra\ngrace@example.com,Grace,\n");
    expect(parsed.problems).toEqual([expect.objectContaining({ line: 2 })]);
  });

  it("refuses empty and binary files and files without a header", () => {
    expect(parseHrCsv("").fatal).toMatch(/empty/);
    expect(parseHrCsv("\uFEFF \n\n").fatal).toMatch(/empty/);
    expect(parseHrCsv("PK\u0003\u0004\u0000\u0000binary").fatal).toMatch(/binary/);
  });

  it("recognizes the usual header names without regard to case, spaces or underscores", () => {
    const cases: Array<[string, string]> = [
      ["Full Name", "name"],
      ["EMPLOYEE_NAME", "name"],
      ["display name", "name"],
      ["E-Mail", "email"],
      ["Work Email", "email"],
      ["mail", "email"],
      ["Job Title", "title"],
      ["position", "title"],
      ["Org Path", "unitPath"],
      ["department_path", "unitPath"],
      ["Department", "unit"],
      ["Org Unit", "unit"],
      ["Division", "unit"],
      ["Parent Department", "parentUnit"],
      ["Squad", "team"],
      ["Team Name", "team"],
      ["Manager Email", "teamLeadEmail"],
      ["lead_email", "teamLeadEmail"],
      ["Employee ID", "externalId"],
      ["Employee No", "externalId"],
      ["Team ID", "teamExternalId"],
      ["Squad Code", "teamExternalId"],
      ["Personnel Number", "externalId"],
      ["ID", "externalId"],
      ["emp id", "externalId"],
      ["First Name", "firstName"],
      ["Surname", "lastName"],
    ];
    for (const [header, field] of cases) expect(recognizeHeader(header), header).toBe(field);
    expect(recognizeHeader("Cost centre")).toBeNull();
  });

  it("leaves unknown columns for the user to map, finds an email column by its values, and maps each field once", () => {
    const parsed = parseHrCsv("Person,Kontakt,Cost centre,Email\nAda,ada@example.com,4711,\n");
    // "Email" is recognized by its header first, so the column of addresses stays unmapped.
    expect(parsed.mapping).toEqual(["name", null, null, "email"]);
    const byValues = detectMapping(["Mitarbeiter", "Kontakt"], [{ line: 2, cells: ["Ada", "ada@example.com"] }]);
    expect(byValues).toEqual([null, "email"]);
    expect(detectMapping(["Email", "Mail"])).toEqual(["email", null]);
  });

  it("joins first and last name columns into the person's name", async () => {
    const parsed = parseHrCsv("First Name,Last Name,Email\nAda,Lovelace,ADA@Example.com\nGrace,,grace@example.com\n");
    expect(parsed.mapping).toEqual(["firstName", "lastName", "email"]);
    const plan = await planImport(EMPTY, parsed.rows, parsed.mapping, NO_DECISIONS);
    expect(plan.errors).toEqual([]);
    expect(plan.peopleToCreate.map((p) => [p.name, p.email])).toEqual([
      ["Ada Lovelace", "ada@example.com"],
      ["Grace", "grace@example.com"],
    ]);
  });

  it("explains a mapping that cannot work", () => {
    expect(mappingProblems(["name", null])).toEqual([expect.stringMatching(/email/)]);
    expect(mappingProblems(["email", "email", "name"])[0]).toMatch(/2 columns are set to “Email”/);
    expect(mappingProblems(["email", "name", "team"])).toEqual([expect.stringMatching(/unit/)]);
    expect(mappingProblems(["email", "name", "unitPath", "unit"])).toEqual([expect.stringMatching(/either a unit path/)]);
    expect(mappingProblems(["email", "name", "unitPath", "team", "teamLeadEmail"])).toEqual([]);
  });

  it("splits unit paths on ›, > and /", async () => {
    const parsed = parseHrCsv(
      "Email,Name,Unit path\na@x.io,A,Northwind › Ops › Fleet\nb@x.io,B,Northwind > Ops>Fleet\nc@x.io,C,northwind/ops/Yard\n",
    );
    const plan = await planImport(EMPTY, parsed.rows, parsed.mapping, NO_DECISIONS);
    expect(plan.errors).toEqual([]);
    expect(plan.unitsToCreate.map((u) => u.path)).toEqual([
      "Northwind",
      "Northwind › Ops",
      "Northwind › Ops › Fleet",
      "Northwind › Ops › Yard",
    ]);
    expect(new Set(plan.peopleToCreate.slice(0, 2).map((p) => p.unitId)).size).toBe(1);
  });

  it("remembers a mapping by the header set, whatever the case or spacing of the headers", () => {
    expect(headerKey(["Mitarbeiter", "Kontakt"])).toBe(headerKey([" mitarbeiter", "KONTAKT "]));
    expect(headerKey(["Mitarbeiter", "Kontakt"])).not.toBe(headerKey(["Kontakt", "Mitarbeiter"]));
  });

  it("reads a cell from the PLO's correction first, and takes off the formula guard of our own exports", () => {
    const read = cellReader(["name", "email"], { "3": { email: " fixed@example.com " } });
    expect(read({ line: 2, cells: ["'=Ada", "ada@example.com"] }, "name")).toBe("=Ada");
    expect(read({ line: 3, cells: ["Grace", "broken@"] }, "email")).toBe("fixed@example.com");
    expect(read({ line: 3, cells: ["Grace", "broken@"] }, "title")).toBe("");
  });
});
