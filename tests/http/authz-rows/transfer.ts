import type { AuthzContext, AuthzRow } from "../../support/authz-matrix";
import type { HttpClient } from "../../support/http-client";
import { ADMIN, PLO } from "./roles";

// Authorization rows of moving a program between installations (ADR 0018): the PLO and admins
// download a whole program (it holds session notes and stakeholder attitudes); only an admin
// imports one (it may add units, teams and people to the organization).

export const rows: AuthzRow[] = [
  { method: "GET", path: "/programs/:programId/export.json", allow: PLO, singleFetch: false },
  { method: "GET", path: "/programs/import", allow: ADMIN },
  {
    method: "POST",
    path: "/programs/import",
    allow: ADMIN,
    // No file: the admin gets the form's 400 ("Choose the program's .json file"), the others 403.
    form: {},
  },
];

export async function setUp(_admin: HttpClient, _context: AuthzContext): Promise<void> {}
