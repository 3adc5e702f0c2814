import type { AuthzContext, AuthzRow } from "../../support/authz-matrix";
import type { HttpClient } from "../../support/http-client";
import { PLO, READERS, SIGNED_IN } from "./roles";

// Authorization rows of this area (see tests/http/authorization.test.ts).
void PLO;
void READERS;
void SIGNED_IN;

export const rows: AuthzRow[] = [];

/** Paths (as in `rows`) a coach may POST to: their own sessions, escalations, learnings. */
export const coachWrites: string[] = [];

/** Creates this area's fixtures as the admin and names their ids in `context`. */
export async function setUp(admin: HttpClient, context: AuthzContext): Promise<void> {
  void admin;
  void context;
}
