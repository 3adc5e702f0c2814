import { expect } from "vitest";
import type { AuthzContext, AuthzRow } from "../../support/authz-matrix";
import type { HttpClient } from "../../support/http-client";
import { PLO } from "./roles";

// Authorization rows of the HR import (see tests/http/authorization.test.ts). Only who may
// change the organization (org:write) may upload, preview, correct lines, confirm, commit, or
// read the history and the change reports.

export const rows: AuthzRow[] = [
  { method: "GET", path: "/org/import", allow: PLO },
  {
    method: "POST",
    path: "/org/import",
    allow: PLO,
    // Not a file: allowed roles get the form's 400 ("Choose the CSV file…"), the others 403.
    form: () => ({ intent: "upload" }),
  },
  { method: "GET", path: "/org/import/history", allow: PLO },
  { method: "GET", path: "/org/import/:importId", allow: PLO, note: "the column mapping and preview of a staged upload" },
  {
    method: "POST",
    path: "/org/import/:importId",
    allow: PLO,
    // A valid column mapping for the staged upload: allowed roles are redirected back to the preview.
    form: () => ({ intent: "remap", "col-0": "name", "col-1": "email", "col-2": "unitPath" }),
  },
  { method: "GET", path: "/org/import/:importId/report.csv", allow: PLO, singleFetch: false },
  { method: "GET", path: "/org/import/template.csv", allow: PLO, singleFetch: false },
];

/** Stages an upload (not committed) as the admin; its id goes into `importId`. */
export async function setUp(admin: HttpClient, context: AuthzContext): Promise<void> {
  const form = new FormData();
  form.append("intent", "upload");
  const csv = "Name,Email,Unit path\nMatrix Person,matrix.person@example.com,Matrix › Unit\n";
  form.append("file", new Blob([csv], { type: "text/csv" }), "matrix.csv");
  const response = await admin.post("/org/import", form);
  expect(response.status, "staging an HR import").toBe(302);
  const id = /^\/org\/import\/([0-9a-f-]{36})$/.exec(response.headers.get("location") ?? "")?.[1];
  if (!id) throw new Error(`unexpected redirect after an upload: ${response.headers.get("location")}`);
  context.importId = id;
}
