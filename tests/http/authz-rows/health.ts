import type { AuthzRow } from "../../support/authz-matrix";
import type { Actor } from "../../support/http-fixtures";
import { PLO } from "./roles";

// Authorization rows of process health, graduation and the waves' lifecycle (issue 16; see
// tests/http/authorization.test.ts). Sponsors read the health aggregates (never the teams behind
// them, checked in tests/http/health.test.ts); graduation and acting on health are the PLO's.
// The waves' lifecycle posts go to the wave page, whose rows are the plan's.

export const HEALTH_READERS: Actor[] = ["admin", "plo", "sponsor"];

export const rows: AuthzRow[] = [
  { method: "GET", path: "/programs/:programId/health", allow: HEALTH_READERS },
  {
    method: "GET",
    path: "/programs/:programId/health?wave=:waveId",
    allow: HEALTH_READERS,
    note: "aggregates of a wave; teams for the PLO only",
  },
  {
    method: "POST",
    path: "/programs/:programId/health",
    allow: PLO,
    // A clinic for a cycle the program does not have: allowed means "gets to the model" (400), nothing is written.
    form: (c) => ({ intent: "clinic", cycleId: "00000000-0000-4000-8000-0000000000c1", unitId: c.unitId ?? "x", occursOn: "2027-01-15" }),
  },
  { method: "GET", path: "/programs/:programId/graduation", allow: PLO },
  {
    method: "POST",
    path: "/programs/:programId/graduation",
    allow: PLO,
    // A proposal that does not stand: allowed means "gets to the model" (400), nothing changes.
    form: { intent: "decide", decision: "confirm", proposal: "00000000-0000-4000-8000-00000000dead:running:self_sufficient" },
  },
  {
    method: "POST",
    path: "/programs/:programId/waves/:waveId",
    allow: PLO,
    note: "moving a wave along its lifecycle (to an unreachable state: 400)",
    form: { intent: "state", to: "closed" },
  },
];

export async function setUp(): Promise<void> {}
