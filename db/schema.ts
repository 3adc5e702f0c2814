import type { ColumnType, Generated, Insertable, Selectable, Updateable } from "kysely";

/** A timestamptz column: read as Date, written as Date or ISO string, defaulted by the database. */
type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
/** A `date` column: read and written as 'YYYY-MM-DD' (type parsers are set in the factory). */
type DateOnly = string;

export const ROLES = ["admin", "plo", "coach", "sponsor", "team_lead"] as const;
export type Role = (typeof ROLES)[number];

export const PROGRAM_STATUSES = ["planned", "active", "paused", "completed", "archived"] as const;
export type ProgramStatus = (typeof PROGRAM_STATUSES)[number];

/** Every table of the application, in one place. Add new tables here and in a migration. */
export interface Database {
  installation: {
    id: number;
    secret: string;
    setup_completed_at: Date | null;
  };
  users: {
    id: string;
    email: string;
    name: string;
    password_hash: string;
    role: Role;
    active: Generated<boolean>;
    created_at: CreatedAt;
    updated_at: Timestamp;
    last_login_at: Date | null;
  };
  auth_sessions: {
    id: string;
    user_id: string;
    expires_at: Date;
    created_at: CreatedAt;
  };
  login_throttle: {
    key: string;
    failures: number;
    first_failure_at: Date;
    locked_until: Date | null;
  };
  audit_events: {
    id: Generated<number>;
    at: CreatedAt;
    actor_id: string | null;
    actor_label: string | null;
    action: string;
    entity_type: string;
    entity_id: string | null;
    program_id: string | null;
    summary: string;
    details: ColumnType<Record<string, unknown>, string | undefined, string>;
    ip: string | null;
  };
  programs: {
    id: string;
    name: string;
    description: string;
    starts_on: DateOnly | null;
    ends_on: DateOnly | null;
    status: ProgramStatus;
    created_at: CreatedAt;
    updated_at: Timestamp;
    created_by: string | null;
  };
  raci_matrices: {
    id: string;
    program_id: string;
    overload_share: Generated<number>;
    revision: Generated<number>;
    created_at: CreatedAt;
    updated_at: Timestamp;
  };
  raci_roles: {
    id: string;
    matrix_id: string;
    name: string;
    /** The people who fill the role in this program, one name per line. */
    holders: Generated<string>;
    position: number;
    version: Generated<number>;
    deleted_at: Date | null;
  };
  raci_activities: {
    id: string;
    matrix_id: string;
    group_name: string;
    name: string;
    position: number;
    version: Generated<number>;
    deleted_at: Date | null;
  };
  raci_cells: {
    activity_id: string;
    role_id: string;
    matrix_id: string;
    value: RaciValue | null;
    version: Generated<number>;
    updated_by: string | null;
    updated_by_label: string | null;
    updated_at: Timestamp;
  };
  raci_changes: {
    id: Generated<number>;
    matrix_id: string;
    revision: number;
    at: CreatedAt;
    actor_id: string | null;
    actor_label: string | null;
    kind: string;
    activity_id: string | null;
    role_id: string | null;
    before: ColumnType<unknown, string | null | undefined, string | null>;
    after: ColumnType<unknown, string | null | undefined, string | null>;
  };
}

export const RACI_VALUES = ["R", "A", "C", "I"] as const;
export type RaciValue = (typeof RACI_VALUES)[number];

export type User = Selectable<Database["users"]>;
export type NewUser = Insertable<Database["users"]>;
export type UserUpdate = Updateable<Database["users"]>;
export type AuthSession = Selectable<Database["auth_sessions"]>;
export type AuditEvent = Selectable<Database["audit_events"]>;
export type Program = Selectable<Database["programs"]>;
export type NewProgram = Insertable<Database["programs"]>;
export type ProgramUpdate = Updateable<Database["programs"]>;
