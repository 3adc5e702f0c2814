import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { HttpClient } from "../support/http-client";
import { decodeEntities, latestAuditEvents, signIn } from "../support/http-fixtures";
import { checkInWorld, type CheckInWorld } from "../support/okr-builders";
import { startSeededServer } from "../support/seeded-server";
import type { RunningServer } from "../support/server";

// Importing a cycle's OKR sets and check-ins over HTTP, as a browser without JavaScript does it:
// the template, an upload, the preview with its line-numbered errors and counts, the import, and
// who may import what (the PLO every team, a team lead theirs, a coach the drafts of their teams).

let server: RunningServer;
let w: CheckInWorld;
const clients: Partial<Record<keyof CheckInWorld["users"], HttpClient>> = {};

beforeAll(async () => {
  ({ server, world: w } = await startSeededServer((db) => checkInWorld(db)));
  for (const key of Object.keys(w.users) as Array<keyof CheckInWorld["users"]>)
    clients[key] = await signIn(server.url, { email: w.users[key].email, password: w.password });
});
afterAll(async () => {
  await server?.stop();
});

const importPath = () => `/programs/${w.programId}/cycles/${w.cycleId}/import`;

function upload(kind: string, csv: string | null, fileName = "okrs.csv"): FormData {
  const form = new FormData();
  form.append("intent", "upload");
  form.append("kind", kind);
  if (csv !== null) form.append("file", new Blob([csv], { type: "text/csv" }), fileName);
  return form;
}

/** Uploads a file; returns the preview page's address and text. */
async function preview(client: HttpClient, kind: string, csv: string): Promise<{ location: string; text: string; id: string }> {
  const response = await client.post(importPath(), upload(kind, csv));
  expect(response.status, (await response.clone().text()).slice(0, 300)).toBe(302);
  const location = response.headers.get("location")!;
  const id = /\?id=([\w-]+)$/.exec(location)![1];
  const page = await client.get(location);
  expect(page.status).toBe(200);
  return { location, id, text: decodeEntities((await page.text()).replace(/<!-- -->/g, "")) };
}

describe("importing OKR sets into a cycle", () => {
  it("offers a template of each kind, with the columns the importer reads", async () => {
    const okrs = await clients.plo!.get(`${importPath()}-template.csv?kind=okrs`);
    expect(okrs.status).toBe(200);
    expect(okrs.headers.get("content-type")).toContain("text/csv");
    const text = await okrs.text();
    expect(text.split("\r\n")[0]).toBe(
      "team,objective,objective_description,objective_type,objective_owner,key_result,kind,start,target,unit,direction,weight,owner",
    );
    const checkins = await (await clients.teamLead!.get(`${importPath()}-template.csv?kind=checkins`)).text();
    expect(checkins.split("\r\n")[0]).toBe("team,objective,key_result,date,value,done,confidence,note,blockers");
  });

  it("shows the errors of a file with their lines and imports nothing from it", async () => {
    const plo = clients.plo!;
    const { text, id } = await preview(
      plo,
      "okrs",
      [
        "team,objective,key_result,kind,start,target",
        "Warehouse,Greener warehouse,Solar panels installed,metric,0,200",
        "Nowhere,Something,KR,metric,1,2",
        "Warehouse,Greener warehouse,Waste recycled,metric,ten,80",
      ].join("\n"),
    );
    expect(text).toContain("Line 3: No team “Nowhere” in the organization");
    expect(text).toContain("Line 4: The start “ten” is not a number");
    expect(text).toContain("2 errors");
    expect(text).not.toContain(`name="importId"`);
    const audit = await latestAuditEvents(clients.admin!);
    const refused = await plo.post(importPath(), { intent: "commit", importId: id });
    expect(refused.status).toBe(400);
    expect(decodeEntities(await refused.text())).toContain("The file has 2 errors");
    expect(await latestAuditEvents(clients.admin!)).toBe(audit);
  });

  it("previews the counts, imports in one go, and the team's page shows the new draft; a formula stays text", async () => {
    const plo = clients.plo!;
    const { text, id } = await preview(
      plo,
      "okrs",
      [
        "team,objective,key_result,kind,start,target,unit",
        "Warehouse,Greener warehouse,Solar panels installed,metric,0,200,panels",
        'Warehouse,Greener warehouse,"=HYPERLINK(""http://evil.example"",""Click"")",milestone,,,',
        "Warehouse,Ship orders faster,Orders shipped same day,metric,60,92,%",
      ].join("\n"),
    );
    expect(text).toContain("1 new objectives");
    expect(text).toContain("2 new key results");
    expect(text).toContain("1 key results updated");
    expect(text).toContain("0 errors");
    const committed = await plo.post(importPath(), { intent: "commit", importId: id });
    expect(committed.status).toBe(302);
    const team = decodeEntities(await (await plo.get(`/programs/${w.programId}/cycles/${w.cycleId}/teams/${w.teamId}`)).text());
    expect(team).toContain("Greener warehouse");
    expect(team).toContain("Solar panels installed");
    expect(team).toContain('=HYPERLINK("http://evil.example","Click")');
    expect(await latestAuditEvents(clients.admin!)).toContain("Imported OKR sets into 2026-Q4 from okrs.csv");
    // The cycle's export neutralises the formula for spreadsheets.
    const csv = await (await plo.get(`/programs/${w.programId}/cycles/${w.cycleId}/checkins.csv`)).text();
    expect(csv).toContain(`"'=HYPERLINK(""http://evil.example"",""Click"")"`);
    // Importing the same file again is refused; a new upload of it has nothing to do.
    expect((await plo.post(importPath(), { intent: "commit", importId: id })).status).toBe(409);
    const again = await preview(
      plo,
      "okrs",
      ["team,objective,key_result,kind,start,target,unit", "Warehouse,Greener warehouse,Solar panels installed,metric,0,200,panels"].join(
        "\n",
      ),
    );
    expect(again.text).toContain("Nothing to import: everything in the file is there already.");
  });

  it("a team lead imports for their own team only; a line of another team is an error", async () => {
    const lead = clients.teamLead!;
    const { text, id } = await preview(
      lead,
      "okrs",
      [
        "team,objective,key_result,kind,start,target",
        "Warehouse,Lead's draft,KR one,metric,1,5",
        "Transport,Not theirs,KR,metric,1,2",
      ].join("\n"),
    );
    expect(text).toContain("Line 3: You may not change the OKRs of “Transport”: you lead or coach other teams.");
    expect((await lead.post(importPath(), { intent: "commit", importId: id })).status).toBe(400);
    // Someone else's upload is not there for them.
    const plo = await preview(clients.plo!, "okrs", "team,objective\nWarehouse,Ship orders faster");
    expect((await lead.get(plo.location)).status).toBe(404);
    expect((await lead.post(importPath(), { intent: "commit", importId: plo.id })).status).toBe(404);
  });

  it("a coach may not import check-ins: the message is beside the choice", async () => {
    const response = await clients.coach!.post(
      importPath(),
      upload("checkins", "team,key_result,date,confidence\nWarehouse,x,2026-01-01,on track"),
    );
    expect(response.status).toBe(400);
    const html = decodeEntities(await response.text());
    expect(html).toContain("Coaches guide check-ins but never enter a team's progress.");
    const page = await (await clients.coach!.get(importPath())).text();
    expect(page).not.toContain('value="checkins"');
  });

  it("sponsors and members are refused; a missing file or kind is a 400 beside its field", async () => {
    expect((await clients.sponsor!.get(importPath())).status).toBe(403);
    expect((await clients.member!.post(importPath(), upload("okrs", "team,objective\nWarehouse,X"))).status).toBe(403);
    const noFile = await clients.plo!.post(importPath(), upload("okrs", null));
    expect(noFile.status).toBe(400);
    expect(await noFile.text()).toContain("Choose the CSV file.");
    const noKind = await clients.plo!.post(importPath(), upload("people", "team,objective\nWarehouse,X"));
    expect(noKind.status).toBe(400);
    expect(await noKind.text()).toContain("Choose what the file holds.");
    const binary = await clients.plo!.post(importPath(), upload("okrs", "team,objective\n\u0000"));
    expect(binary.status).toBe(400);
  });
});

describe("importing check-ins into a cycle", () => {
  it("the team lead imports check-ins; the check-in screen shows the newest value", async () => {
    const lead = clients.teamLead!;
    const day = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString().slice(0, 10);
    const { text, id } = await preview(
      lead,
      "checkins",
      [
        "team,key_result,date,value,confidence,note",
        `Warehouse,Near misses reported,${day(9)},6,on track,From the safety board`,
        `Warehouse,Near misses reported,${day(2)},9,needs attention,`,
      ].join("\n"),
    );
    expect(text).toContain("2 new check-ins");
    expect((await lead.post(importPath(), { intent: "commit", importId: id })).status).toBe(302);
    const sheet = decodeEntities(await (await lead.get(`/programs/${w.programId}/cycles/${w.cycleId}/teams/${w.teamId}/check-in`)).text());
    expect(sheet).toMatch(/Near misses reported[\s\S]*?value="9"/);
  });
});
