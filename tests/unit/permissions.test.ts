import { describe, expect, it } from "vitest";
import { ROLES, type Role } from "../../db/schema";
import { can, PERMISSIONS, ROLE_LABELS, type Permission } from "~/utils/permissions";

// The whole grant table written out, so any change to who may do what fails here on purpose.
const EXPECTED: Record<Permission, Role[]> = {
  "users:manage": ["admin"],
  "audit:read": ["admin"],
  "backups:manage": ["admin"],
  "programs:read": ["admin", "plo", "coach", "sponsor", "team_lead", "member"],
  "programs:write": ["admin", "plo"],
  "programs:import": ["admin"],
  "reports:read": ["admin", "plo", "coach", "sponsor"],
  "checkins:write": ["admin", "plo", "team_lead", "member"],
  "retros:write": ["admin", "plo", "coach", "team_lead"],
  "reports:write": ["admin", "plo"],
  "reports:respond": ["sponsor"],
  "status:read": ["admin", "plo", "sponsor"],
  "stakeholders:attitudes": ["admin", "plo"],
  "raci:read": ["admin", "plo", "coach", "sponsor", "team_lead", "member"],
  "raci:write": ["admin", "plo"],
  "org:read": ["admin", "plo", "coach", "sponsor"],
  "org:write": ["admin", "plo"],
  "plan:read": ["admin", "plo", "coach", "sponsor"],
  "plan:write": ["admin", "plo"],
  "coaching:manage": ["admin", "plo"],
  "coaching:read": ["admin", "plo", "coach", "sponsor"],
  "sessions:read": ["admin", "plo", "coach"],
  "sessions:write": ["admin", "plo", "coach"],
  "learnings:read": ["admin", "plo", "coach", "sponsor"],
  "learnings:write": ["admin", "plo", "coach"],
  "enablement:manage": ["admin", "plo"],
  "enablement:read": ["admin", "plo", "coach", "team_lead"],
  "enablement:aggregates": ["admin", "plo", "coach", "team_lead", "sponsor"],
  "cycles:read": ["admin", "plo", "coach", "sponsor", "team_lead", "member"],
  "cycles:manage": ["admin", "plo"],
  "okrs:upper": ["admin", "plo", "sponsor"],
  "health:read": ["admin", "plo", "sponsor"],
  "health:teams": ["admin", "plo"],
  "graduation:manage": ["admin", "plo"],
  "okrs:import": ["admin", "plo", "coach", "team_lead"],
};

describe("permissions", () => {
  it("the permission list is exactly the one these tests know about", () => {
    expect(Object.keys(PERMISSIONS).sort()).toEqual(Object.keys(EXPECTED).sort());
  });

  const cases = (Object.keys(EXPECTED) as Permission[]).flatMap((permission) =>
    ROLES.map((role) => ({ role, permission, allowed: EXPECTED[permission].includes(role) })),
  );
  it.each(cases)("a $role may $permission: $allowed", ({ role, permission, allowed }) => {
    expect(can(role, permission)).toBe(allowed);
  });

  it("sponsors and coaches cannot change programs", () => {
    expect(can("sponsor", "programs:write")).toBe(false);
    expect(can("coach", "programs:write")).toBe(false);
  });

  it("only administrators manage users and read the audit log", () => {
    expect(ROLES.filter((r) => can(r, "users:manage"))).toEqual(["admin"]);
    expect(ROLES.filter((r) => can(r, "audit:read"))).toEqual(["admin"]);
  });

  it("team leads see programs and RACI but not reports", () => {
    expect(can("team_lead", "programs:read")).toBe(true);
    expect(can("team_lead", "raci:read")).toBe(true);
    expect(can("team_lead", "reports:read")).toBe(false);
  });

  it("someone without a role may do nothing", () => {
    for (const permission of Object.keys(EXPECTED) as Permission[]) {
      expect(can(null, permission)).toBe(false);
      expect(can(undefined, permission)).toBe(false);
    }
  });

  it("an unknown role string is not granted anything", () => {
    expect(can("superuser" as Role, "programs:read")).toBe(false);
  });

  it("every role has a human label", () => {
    for (const role of ROLES) expect(ROLE_LABELS[role]).toMatch(/\w/);
  });
});
