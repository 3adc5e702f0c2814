import type { ColumnType, Generated, Insertable, Selectable, Updateable } from "kysely";

/** A timestamptz column: read as Date, written as Date or ISO string, defaulted by the database. */
type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
/** A `date` column: read and written as 'YYYY-MM-DD' (type parsers are set in the factory). */
type DateOnly = string;

export const ROLES = ["admin", "plo", "coach", "sponsor", "team_lead", "member"] as const;
export type Role = (typeof ROLES)[number];

export const PROGRAM_STATUSES = ["planned", "active", "paused", "completed", "archived"] as const;
export type ProgramStatus = (typeof PROGRAM_STATUSES)[number];

/** Every table of the application, in one place. Add new tables here and in a migration. */
export interface Database {
  installation: {
    id: number;
    secret: string;
    setup_completed_at: Date | null;
    /** Bumped with every audited change outside a program (see ADR 0011). */
    data_version: Generated<number>;
    /** Bumped with the audited changes outside a program that can move an enablement state (ADR 0014). */
    enablement_version: Generated<number>;
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
    /** Bumped with every audited change of the program (see ADR 0011). */
    data_version: Generated<number>;
    /** Bumped with the audited changes of the program that can move an enablement state (ADR 0014). */
    enablement_version: Generated<number>;
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
  org_units: {
    id: string;
    name: string;
    parent_id: string | null;
    external_id: string | null;
    archived_at: Date | null;
    created_at: CreatedAt;
    updated_at: Timestamp;
  };
  teams: {
    id: string;
    name: string;
    unit_id: string;
    lead_person_id: string | null;
    size: number | null;
    external_id: string | null;
    archived_at: Date | null;
    created_at: CreatedAt;
    updated_at: Timestamp;
  };
  people: {
    id: string;
    name: string;
    /** Always stored lower-cased; unique. */
    email: string;
    title: Generated<string>;
    unit_id: string | null;
    team_id: string | null;
    user_id: string | null;
    external_id: string | null;
    archived_at: Date | null;
    created_at: CreatedAt;
    updated_at: Timestamp;
  };
  waves: {
    id: string;
    program_id: string;
    name: string;
    position: number;
    starts_on: DateOnly | null;
    ends_on: DateOnly | null;
    goal: Generated<string>;
    created_at: CreatedAt;
    updated_at: Timestamp;
    /** planned → starting → active → closing → closed (see ~/models/plan/wave-lifecycle.server.ts). */
    state: Generated<WaveState>;
    started_on: DateOnly | null;
    closed_on: DateOnly | null;
    /** The entry criteria as they stood at the start; null before it (or for waves started before it was kept). */
    entry_snapshot: ColumnType<unknown, string | null | undefined, string | null>;
    /** The wave's figures as they stood at its close. */
    exit_snapshot: ColumnType<unknown, string | null | undefined, string | null>;
  };
  /** What decides that a wave can close: computed shares of its teams, or ticked by the PLO. */
  wave_exit_criteria: {
    id: string;
    wave_id: string;
    kind: Generated<WaveExitKind>;
    label: string;
    /** Percent of the wave's teams a computed criterion needs; null for manual ones. */
    threshold: number | null;
    position: number;
    met_at: Date | null;
    met_by: string | null;
    met_by_label: string | null;
  };
  /** When a running team is proposed as self-sufficient, per program (defaults when absent). */
  graduation_rules: {
    program_id: string;
    consecutive_cycles: Generated<number>;
    min_windows_percent: Generated<number>;
    require_scored: Generated<boolean>;
    require_team_retro: Generated<boolean>;
    min_maturity: number | null;
    require_training: Generated<boolean>;
    updated_by: string | null;
    updated_at: Timestamp;
  };
  /** Process health facts of a team in a cycle, precomputed (ADR 0021; ~/models/health/facts.server). */
  team_cycle_facts: {
    cycle_id: string;
    team_id: string;
    program_id: string;
    as_of: DateOnly;
    objectives: number;
    drafted_on_time: boolean;
    aligned: number;
    kr_count_ok: number;
    krs: number;
    complete: number;
    task_like: number;
    scored: number;
    updated: number;
    windows_kept: number;
    conf_first: number | null;
    conf_second: number | null;
    retro_held: boolean;
    retro_by_team: boolean;
    support_minutes: number;
    score: number | null;
    band: string;
    /** Bit i: the team has the i-th of ~/models/health/metrics PROBLEMS. */
    problems: number;
  };
  /** (cycle, team) pairs whose health facts must be computed again, marked by triggers; team '' is every team. */
  health_dirty: {
    cycle_id: string;
    team_id: string;
  };
  /** A status move the app proposed and the PLO confirmed or rejected, with its evidence. */
  graduation_decisions: {
    id: string;
    program_id: string;
    team_id: string;
    from_status: OnboardingStatus;
    to_status: OnboardingStatus;
    decision: "confirmed" | "rejected";
    /** The latest cycle the evidence stood on. */
    basis: Generated<string>;
    evidence: ColumnType<unknown, string | undefined, string>;
    reason: Generated<string>;
    decided_by: string | null;
    decided_by_label: Generated<string>;
    decided_at: CreatedAt;
  };
  wave_criteria: {
    id: string;
    wave_id: string;
    /** "manual" (ticked by the PLO) or a computed check, see WAVE_CRITERION_KINDS. */
    kind: Generated<WaveCriterionKind>;
    label: string;
    position: number;
    met_at: Date | null;
    met_by: string | null;
    met_by_label: string | null;
    /** Percent a computed enablement criterion needs ("team leads trained ≥ 80 %"); null: 100. */
    threshold: number | null;
  };
  program_teams: {
    program_id: string;
    team_id: string;
    wave_id: string | null;
    status: Generated<OnboardingStatus>;
    status_changed_on: DateOnly | null;
    updated_at: Timestamp;
  };
  team_status_changes: {
    id: Generated<number>;
    program_id: string;
    team_id: string;
    from_status: OnboardingStatus;
    to_status: OnboardingStatus;
    changed_on: DateOnly;
    changed_by: string | null;
    at: CreatedAt;
  };
  milestones: {
    id: string;
    program_id: string;
    wave_id: string | null;
    title: string;
    due_on: DateOnly;
    owner_person_id: string | null;
    /** Stored status; "late" is derived (not done and due before today). */
    status: Generated<MilestoneStatus>;
    done_on: DateOnly | null;
    notes: Generated<string>;
    created_at: CreatedAt;
    updated_at: Timestamp;
  };
  stakeholders: {
    id: string;
    program_id: string;
    person_id: string;
    influence: Level;
    interest: Level;
    attitude: Attitude;
    communication_plan: Generated<string>;
    contact_every_days: Generated<number>;
    last_contact_on: DateOnly | null;
    created_at: CreatedAt;
    updated_at: Timestamp;
  };
  risks: {
    id: string;
    program_id: string;
    title: string;
    description: Generated<string>;
    /** 1 (rare) … 5 (almost certain). */
    likelihood: number;
    /** 1 (minor) … 5 (severe). */
    impact: number;
    owner_person_id: string | null;
    mitigation: Generated<string>;
    status: Generated<RiskStatus>;
    wave_id: string | null;
    unit_id: string | null;
    created_at: CreatedAt;
    updated_at: Timestamp;
  };
  /** An HR CSV uploaded for import, kept between the preview and the commit (a day at most). */
  org_imports: {
    id: string;
    created_by: string | null;
    file_name: string;
    csv: string;
    /** The column mapping the user chose (one field key or null per column); null: as detected. */
    mapping: ColumnType<unknown, string | null | undefined, string | null>;
    created_at: CreatedAt;
    committed_at: Date | null;
    /** planning → ready (or failed) → committed; see app/models/org/import-stage.server.ts. */
    status: Generated<OrgImportStatus>;
    /** Bumped by every re-plan: a planner whose version is no longer current discards its work. */
    plan_version: Generated<number>;
    progress_done: Generated<number>;
    progress_total: Generated<number>;
    /** Last sign of life of the planner (a stale one is restarted by whoever looks). */
    heartbeat_at: Date | null;
    plan_error: string | null;
    /** The file's header, its first row (examples for the column mapping) and its number of rows. */
    headers: ColumnType<unknown, string | null | undefined, string | null>;
    sample: ColumnType<unknown, string | null | undefined, string | null>;
    detected_mapping: ColumnType<unknown, string | null | undefined, string | null>;
    row_count: Generated<number>;
    /** Identifies the file's header set, to remember its column mapping. */
    header_key: string | null;
    /** Where the mapping came from: "detected", "remembered" or "chosen". */
    mapping_source: string | null;
    /** The PLO's decisions on this file (skipped/edited rows, confirmations, leavers). */
    decisions: ColumnType<unknown, string | undefined, string>;
    counts: ColumnType<unknown, string | null | undefined, string | null>;
    timings: ColumnType<unknown, string | null | undefined, string | null>;
    /** A digest of the planned changes: the commit refuses when its fresh plan differs. */
    fingerprint: string | null;
    /**
     * The installation's data version the plan was made at (ADR 0011): unchanged at commit, the
     * plan's stored writes (org_import_writes) still hold. Null: the commit plans again.
     */
    org_version: string | null;
    /** "import #4": the order of committed imports. */
    number: number | null;
    committed_by: string | null;
    committed_by_label: string | null;
  };
  /** One planned (then, once committed, made) change, problem or proposal of an HR import. */
  org_import_items: {
    import_id: string;
    seq: number;
    kind: string;
    line: number | null;
    /** The person or team the item is about (existing or to be created). */
    ref_id: string | null;
    name: Generated<string>;
    email: Generated<string>;
    field: Generated<string>;
    before: Generated<string>;
    after: Generated<string>;
    message: Generated<string>;
    extra: ColumnType<unknown, string | null | undefined, string | null>;
  };
  /**
   * What the commit of a planned HR import writes, one row per unit, team or person to create,
   * change, archive or recount (`kind`), kept with the plan so an unchanged organization is not
   * planned twice; removed once committed.
   */
  org_import_writes: {
    import_id: string;
    kind: string;
    seq: number;
    data: ColumnType<unknown, string, string>;
  };
  /** The last column mapping chosen for a set of headers. */
  org_import_mappings: {
    header_key: string;
    headers: ColumnType<unknown, string, string>;
    mapping: ColumnType<unknown, string, string>;
    updated_by: string | null;
    updated_at: Timestamp;
  };
  coaches: {
    id: string;
    program_id: string;
    person_id: string;
    /** How many teams the coach can support at once. */
    capacity: number;
    /** Free text: units, languages, seniority. */
    focus: Generated<string>;
    active: Generated<boolean>;
    created_at: CreatedAt;
    updated_at: Timestamp;
  };
  coach_assignments: {
    id: string;
    program_id: string;
    coach_id: string;
    team_id: string;
    kind: Generated<AssignmentKind>;
    starts_on: DateOnly;
    /** Null: open-ended. An assignment is current on day D when starts_on <= D and (ends_on is null or ends_on >= D). */
    ends_on: DateOnly | null;
    created_at: CreatedAt;
  };
  support_sessions: {
    id: string;
    program_id: string;
    coach_id: string;
    team_id: string;
    held_on: DateOnly;
    type: SessionType;
    duration_minutes: number;
    attendees: Generated<number>;
    notes: Generated<string>;
    /** The coach's 1–5 observation of the team's OKR maturity. */
    maturity: number | null;
    follow_ups: Generated<string>;
    /** The cycle event (drafting workshop, alignment…) this session delivered, if any. */
    cycle_event_id: ColumnType<string | null, string | null | undefined, string | null>;
    created_by: string | null;
    created_at: CreatedAt;
    updated_at: Timestamp;
  };
  escalations: {
    id: string;
    program_id: string;
    coach_id: string;
    team_id: string | null;
    session_id: string | null;
    category: EscalationCategory;
    urgency: Generated<Urgency>;
    question: string;
    status: Generated<EscalationStatus>;
    owner_id: string | null;
    answer: string | null;
    answered_by: string | null;
    answered_at: Date | null;
    /** When the coach saw the answer (their home page shows unseen answers). */
    answer_seen_at: Date | null;
    closed_at: Date | null;
    created_by: string | null;
    created_at: CreatedAt;
    updated_at: Timestamp;
  };
  learnings: {
    id: string;
    program_id: string | null;
    kind: Generated<LearningKind>;
    title: string;
    body: string;
    /** Comma-separated, lower-case. */
    tags: Generated<string>;
    team_id: string | null;
    session_id: string | null;
    escalation_id: string | null;
    author_id: string | null;
    author_label: Generated<string>;
    created_at: CreatedAt;
    updated_at: Timestamp;
  };

  /** An OKR cycle of a program (e.g. a quarter). See ADR 0016. */
  cycles: {
    id: string;
    program_id: string;
    name: string;
    starts_on: DateOnly;
    ends_on: DateOnly;
    state: Generated<CycleState>;
    checkin_cadence_days: Generated<number>;
    /** At most this many objectives per team (a quality check). */
    max_objectives: Generated<number>;
    previous_cycle_id: string | null;
    version: Generated<number>;
    created_by: string | null;
    created_at: CreatedAt;
    updated_at: Timestamp;
  };
  /** A dated event of a cycle's calendar, for all teams of the program or a wave's or a unit's. */
  cycle_events: {
    id: string;
    cycle_id: string;
    program_id: string;
    kind: CycleEventKind;
    /** Empty: the kind's label. */
    title: Generated<string>;
    occurs_on: DateOnly;
    /** 'HH:MM', or null for an all-day event. */
    starts_at: string | null;
    duration_minutes: number | null;
    scope: Generated<CycleEventScope>;
    wave_id: string | null;
    unit_id: string | null;
    facilitator_user_id: string | null;
    /** A room or a link. */
    location: Generated<string>;
    state: Generated<CycleEventState>;
    notes: Generated<string>;
    version: Generated<number>;
    created_at: CreatedAt;
    updated_at: Timestamp;
  };
  /** An objective of a cycle at the company, unit or team level. */
  objectives: {
    id: string;
    cycle_id: string;
    program_id: string;
    level: ObjectiveLevel;
    /** Set for unit objectives. */
    unit_id: string | null;
    /** Set for team objectives. */
    team_id: string | null;
    title: string;
    description: Generated<string>;
    owner_person_id: string | null;
    owner_user_id: string | null;
    type: Generated<ObjectiveType>;
    state: Generated<ObjectiveState>;
    /** Why it aligns to no parent objective; null when aligned or not said. */
    standalone_reason: string | null;
    /** The objective of an earlier cycle this one was carried forward from. */
    carried_from_id: string | null;
    /** 0–1, the weighted score of its key results, set at scoring. */
    score: number | null;
    position: Generated<number>;
    /** Optimistic locking: every update checks and bumps it (a stale one is a 409). */
    version: Generated<number>;
    created_by: string | null;
    created_at: CreatedAt;
    updated_at: Timestamp;
  };
  /** Child objective aligned to a parent objective (unit or company level); many to many. */
  objective_alignments: {
    child_id: string;
    parent_id: string;
    created_at: CreatedAt;
  };
  key_results: {
    id: string;
    objective_id: string;
    /** Denormalized from the objective. */
    cycle_id: string;
    title: string;
    kind: Generated<KeyResultKind>;
    start_value: number | null;
    target_value: number | null;
    current_value: number | null;
    /** The unit of the values ("%", "tickets"…). */
    unit: Generated<string>;
    direction: Generated<KeyResultDirection>;
    milestone_done: Generated<boolean>;
    weight: Generated<number>;
    owner_person_id: string | null;
    /** 0–1, set at scoring. */
    score: number | null;
    /** Copied from the latest check-in when it is written (for at-risk/stale flags at scale). */
    last_check_in_at: Date | null;
    last_confidence: CheckInConfidence | null;
    position: Generated<number>;
    /** Optimistic locking: every update checks and bumps it (a stale one is a 409). */
    version: Generated<number>;
    created_at: CreatedAt;
    updated_at: Timestamp;
  };
  check_ins: {
    id: string;
    key_result_id: string;
    /** The key result's value at the check-in (null for a milestone). */
    value: number | null;
    confidence: CheckInConfidence;
    note: Generated<string>;
    blockers: Generated<string>;
    by_user_id: string | null;
    by_label: Generated<string>;
    at: CreatedAt;
  };
  /** A coach's (or anyone's) comment on an objective or a key result; resolved, never deleted. */
  okr_comments: {
    id: string;
    /** Exactly one of objective_id and key_result_id is set. */
    objective_id: string | null;
    key_result_id: string | null;
    author_id: string | null;
    author_label: Generated<string>;
    body: string;
    created_at: CreatedAt;
    resolved_at: Date | null;
    resolved_by: string | null;
    resolved_by_label: string | null;
  };
  /** One per team and cycle. */
  team_retrospectives: {
    id: string;
    team_id: string;
    cycle_id: string;
    went_well: Generated<string>;
    to_improve: Generated<string>;
    process_feedback: Generated<string>;
    held_on: DateOnly | null;
    /** The learning it fed into the learnings library, if any. */
    learning_id: string | null;
    version: Generated<number>;
    created_by: string | null;
    created_at: CreatedAt;
    updated_at: Timestamp;
  };
  /** An uploaded OKR-set or check-in file of a cycle, kept between the preview and the commit. */
  cycle_imports: {
    id: string;
    program_id: string;
    cycle_id: string;
    kind: CycleImportKind;
    file_name: Generated<string>;
    csv: string;
    created_by: string | null;
    created_at: CreatedAt;
    committed_at: Date | null;
  };
  /** The secret of a user's iCal feed URL, stored as a SHA-256 hash; revoked ones answer 404. */
  calendar_feed_tokens: {
    id: string;
    user_id: string;
    secret_hash: string;
    created_at: CreatedAt;
    revoked_at: Date | null;
  };

  enablement_modules: {
    id: string;
    program_id: string;
    title: string;
    kind: ModuleKind;
    delivery: ModuleDelivery;
    duration_minutes: number;
    /** The current version; completions record the version they were of. */
    version: Generated<number>;
    /** Months a completion stays valid (null: forever). */
    validity_months: number | null;
    description: Generated<string>;
    created_at: CreatedAt;
    updated_at: Timestamp;
  };
  enablement_module_prerequisites: {
    module_id: string;
    prerequisite_id: string;
  };
  enablement_module_versions: {
    module_id: string;
    version: number;
    /** Completions of earlier versions become "refresh due". */
    requires_refresh: Generated<boolean>;
    published_on: DateOnly;
    note: Generated<string>;
    published_by: string | null;
  };
  enablement_materials: {
    id: string;
    program_id: string;
    title: string;
    url: Generated<string>;
    version: Generated<number>;
    created_at: CreatedAt;
    updated_at: Timestamp;
  };
  enablement_material_versions: {
    material_id: string;
    version: number;
    /** Completions of the linked modules before `published_on` become "refresh due". */
    requires_refresh: Generated<boolean>;
    published_on: DateOnly;
    note: Generated<string>;
    url: Generated<string>;
  };
  enablement_module_materials: {
    module_id: string;
    material_id: string;
  };
  enablement_requirements: {
    id: string;
    program_id: string;
    module_id: string;
    audience: Audience;
    scope: Generated<RequirementScope>;
    wave_id: string | null;
    unit_id: string | null;
    necessity: Generated<Necessity>;
    due_rule: DueRule;
    /** N of "N days before the wave starts / the first drafting event", "within N days of joining". */
    due_days: number | null;
    /** The fixed date of a "fixed" rule. */
    due_on: DateOnly | null;
    created_at: CreatedAt;
    updated_at: Timestamp;
  };
  enablement_sessions: {
    id: string;
    program_id: string;
    module_id: string;
    starts_at: Timestamp;
    duration_minutes: number;
    /** IANA name the session is planned in ("Europe/Berlin"); starts_at is the instant. */
    time_zone: Generated<string>;
    location: Generated<string>;
    url: Generated<string>;
    trainer_user_id: string | null;
    capacity: number;
    state: Generated<TrainingSessionState>;
    created_at: CreatedAt;
    updated_at: Timestamp;
  };
  enablement_roster: {
    session_id: string;
    person_id: string;
    status: RosterStatus;
    /** Waiting-list order. */
    added_at: CreatedAt;
    updated_at: Timestamp;
  };
  enablement_completions: {
    id: string;
    person_id: string;
    module_id: string;
    module_version: number;
    completed_on: DateOnly;
    source: CompletionSource;
    evidence: Generated<string>;
    session_id: string | null;
    recorded_by: string | null;
    created_at: CreatedAt;
  };
  enablement_waivers: {
    id: string;
    requirement_id: string;
    person_id: string;
    reason: string;
    granted_by: string | null;
    granted_by_label: Generated<string>;
    granted_at: CreatedAt;
  };
  enablement_cert_paths: {
    id: string;
    program_id: string;
    name: string;
    created_at: CreatedAt;
  };
  enablement_cert_levels: {
    id: string;
    path_id: string;
    name: string;
    rank: number;
    required_sessions: Generated<number>;
    /** Comma-separated support-session types that count (empty: any type). */
    session_types: Generated<string>;
    validity_months: number | null;
  };
  enablement_cert_level_modules: {
    level_id: string;
    module_id: string;
  };
  enablement_cert_awards: {
    id: string;
    level_id: string;
    person_id: string;
    awarded_on: DateOnly;
    expires_on: DateOnly | null;
    assessor_id: string | null;
    assessor_label: Generated<string>;
    note: Generated<string>;
    created_at: CreatedAt;
  };
  enablement_feedback: {
    id: string;
    session_id: string;
    /** Null when given anonymously. */
    person_id: string | null;
    rating: number;
    comment: Generated<string>;
    created_at: CreatedAt;
  };
  /** For which input versions and day the stored coverage rows of a program were computed (ADR 0014). */
  enablement_coverage_stamps: {
    program_id: string;
    program_version: number | null;
    installation_version: number | null;
    day: DateOnly | null;
    computed_at: Date | null;
    compute_ms: number | null;
    /** How many enablement_overdue rows the program has under this stamp; null: not known (migration 0150). */
    overdue_rows: number | null;
  };
  /** Stored enablement figures (wave readiness, report) per program × kind, JSON, stamped like the heat map's (migration 0087). */
  /** Minutes of support sessions per program and team, kept by a trigger on support_sessions (migration 0140). */
  team_coaching_minutes: {
    program_id: string;
    team_id: string;
    minutes: Generated<number>;
  };
  enablement_figures: {
    program_id: string;
    kind: string;
    program_version: number;
    installation_version: number;
    day: DateOnly;
    figures: string;
  };
  /** The coverage heat map's figures of a program for its stamp's day: one row per wave × unit × required module. */
  enablement_coverage: {
    program_id: string;
    wave_id: string | null;
    unit_id: string | null;
    module_id: string;
    total: number;
    met: number;
    met_on_time: number;
    overdue: number;
    due: number;
    refresh_soon: number;
    waived: number;
  };
  /** The overdue person × requirement states of a program for its coverage stamp's day (migration 0110, ADR 0014). */
  enablement_overdue: {
    program_id: string;
    person_id: string;
    requirement_id: string;
    module_id: string;
    audience: Audience;
    due_on: DateOnly;
    person_name: string;
    module_title: string;
    wave_id: string | null;
    unit_id: string | null;
    team_id: string | null;
  };
  enablement_imports: {
    id: string;
    program_id: string;
    kind: EnablementImportKind;
    session_id: string | null;
    module_id: string | null;
    file_name: Generated<string>;
    csv: string;
    created_by: string | null;
    created_at: CreatedAt;
    committed_at: Date | null;
  };

  status_reports: {
    id: string;
    program_id: string;
    /** Null: the whole program; else one unit and the units below it. */
    unit_id: string | null;
    period_start: DateOnly;
    period_end: DateOnly;
    state: Generated<ReportState>;
    audience: Generated<ReportAudience>;
    summary: Generated<string>;
    achievements: Generated<string>;
    next_steps: Generated<string>;
    /** Ids of the risks the PLO picked from the register (JSON array). */
    risk_ids: ColumnType<string[], string | undefined, string>;
    revision: Generated<number>;
    corrects_id: string | null;
    correction_reason: string | null;
    superseded_by: string | null;
    /** Every figure, colour and chart as published (see app/models/reports/snapshot.ts); null while a draft. */
    snapshot: ColumnType<unknown, string | null | undefined, string | null>;
    created_by: string | null;
    created_at: CreatedAt;
    updated_at: Timestamp;
    published_at: Date | null;
    published_by: string | null;
    published_by_label: string | null;
    acknowledged_at: Date | null;
    acknowledged_by: string | null;
    acknowledged_by_label: string | null;
  };
  status_overrides: {
    id: string;
    program_id: string;
    dimension: string;
    colour: RagColour;
    reason: string;
    set_by: string | null;
    set_by_label: Generated<string>;
    set_at: CreatedAt;
    cleared_at: Date | null;
    cleared_by: string | null;
  };
  report_questions: {
    id: string;
    program_id: string;
    report_id: string;
    section: string;
    question: string;
    asked_by: string | null;
    asked_by_label: Generated<string>;
    asked_at: CreatedAt;
    answer: string | null;
    answered_by: string | null;
    answered_by_label: string | null;
    answered_at: Date | null;
    /** When the asker read the answer (their home badges unseen answers). */
    answer_seen_at: Date | null;
  };
  report_decisions: {
    id: string;
    program_id: string;
    report_id: string | null;
    question: string;
    /** One option per line. */
    options: Generated<string>;
    recommendation: Generated<string>;
    due_on: DateOnly;
    impact_if_late: Generated<string>;
    state: Generated<DecisionState>;
    decision: string | null;
    decided_by: string | null;
    decided_by_label: string | null;
    decided_at: Date | null;
    created_by: string | null;
    created_at: CreatedAt;
  };
  sponsor_commitments: {
    id: string;
    program_id: string;
    title: string;
    due_on: DateOnly;
    done_at: Date | null;
    created_by: string | null;
    created_at: CreatedAt;
  };
  report_cadences: {
    program_id: string;
    kind: Generated<CadenceKind>;
    every_weeks: Generated<number>;
    updated_by: string | null;
    updated_at: Timestamp;
  };
  budget_lines: {
    id: string;
    program_id: string;
    category: string;
    /** Whole currency units. */
    planned_amount: number;
    position: Generated<number>;
    created_at: CreatedAt;
  };
  budget_actuals: {
    budget_line_id: string;
    program_id: string;
    /** The first day of the month. */
    month: DateOnly;
    amount: number;
    updated_at: Timestamp;
  };
}

export const ORG_IMPORT_STATUSES = ["planning", "ready", "failed", "committed"] as const;
export type OrgImportStatus = (typeof ORG_IMPORT_STATUSES)[number];

export const RACI_VALUES = ["R", "A", "C", "I"] as const;
export type RaciValue = (typeof RACI_VALUES)[number];

export type User = Selectable<Database["users"]>;
export type NewUser = Insertable<Database["users"]>;
export type UserUpdate = Updateable<Database["users"]>;
export type AuthSession = Selectable<Database["auth_sessions"]>;
export type AuditEvent = Selectable<Database["audit_events"]>;
/** A program as the app reads it (its data version is bookkeeping for cached reads, ADR 0011). */
export type Program = Omit<Selectable<Database["programs"]>, "data_version" | "enablement_version">;
export type NewProgram = Insertable<Database["programs"]>;
export type ProgramUpdate = Updateable<Database["programs"]>;

export const ONBOARDING_STATUSES = ["not_started", "onboarding", "first_cycle", "running", "self_sufficient"] as const;
export type OnboardingStatus = (typeof ONBOARDING_STATUSES)[number];

/** Wave entry criteria the app computes itself; "manual" ones are ticked by the PLO. */
export const WAVE_CRITERION_KINDS = [
  "manual",
  "teams_have_lead",
  "teams_have_coach",
  "leads_trained",
  "members_trained",
  "coaches_certified",
  "sponsor_briefed",
] as const;
export type WaveCriterionKind = (typeof WAVE_CRITERION_KINDS)[number];

export const WAVE_STATES = ["planned", "starting", "active", "closing", "closed"] as const;
export type WaveState = (typeof WAVE_STATES)[number];

/** Exit criteria the app computes; "manual" ones are ticked by the PLO. */
export const WAVE_EXIT_KINDS = ["manual", "first_cycle_scored", "graduated_running"] as const;
export type WaveExitKind = (typeof WAVE_EXIT_KINDS)[number];

export const MILESTONE_STATUSES = ["planned", "in_progress", "done"] as const;
export type MilestoneStatus = (typeof MILESTONE_STATUSES)[number];

export const LEVELS = ["low", "high"] as const;
export type Level = (typeof LEVELS)[number];

export const ATTITUDES = ["champion", "supporter", "neutral", "sceptic"] as const;
export type Attitude = (typeof ATTITUDES)[number];

export const RISK_STATUSES = ["open", "mitigating", "accepted", "closed"] as const;
export type RiskStatus = (typeof RISK_STATUSES)[number];

export type OrgUnit = Selectable<Database["org_units"]>;
export type Team = Selectable<Database["teams"]>;
export type Person = Selectable<Database["people"]>;
export type Wave = Selectable<Database["waves"]>;
export type WaveCriterion = Selectable<Database["wave_criteria"]>;
export type ProgramTeam = Selectable<Database["program_teams"]>;
export type Milestone = Selectable<Database["milestones"]>;
export type Stakeholder = Selectable<Database["stakeholders"]>;
export type Risk = Selectable<Database["risks"]>;

export const ASSIGNMENT_KINDS = ["primary", "secondary"] as const;
export type AssignmentKind = (typeof ASSIGNMENT_KINDS)[number];

export const SESSION_TYPES = ["drafting", "alignment", "check_in", "review", "retrospective", "training", "qa", "other"] as const;
export type SessionType = (typeof SESSION_TYPES)[number];

export const ESCALATION_CATEGORIES = ["method", "tooling", "team_dynamics", "leadership", "alignment", "capacity", "other"] as const;
export type EscalationCategory = (typeof ESCALATION_CATEGORIES)[number];

export const URGENCIES = ["low", "normal", "high"] as const;
export type Urgency = (typeof URGENCIES)[number];

export const ESCALATION_STATUSES = ["open", "answered", "closed"] as const;
export type EscalationStatus = (typeof ESCALATION_STATUSES)[number];

export const LEARNING_KINDS = ["practice", "lesson", "faq"] as const;
export type LearningKind = (typeof LEARNING_KINDS)[number];

export type Coach = Selectable<Database["coaches"]>;
export type CoachAssignment = Selectable<Database["coach_assignments"]>;
export type SupportSession = Selectable<Database["support_sessions"]>;
export type Escalation = Selectable<Database["escalations"]>;
export type Learning = Selectable<Database["learnings"]>;

export const CYCLE_STATES = ["planning", "drafting", "aligning", "executing", "reviewing", "closed"] as const;
export type CycleState = (typeof CYCLE_STATES)[number];

export const CYCLE_EVENT_KINDS = [
  "priorities",
  "drafting_workshop",
  "alignment",
  "check_in",
  "mid_cycle_review",
  "scoring",
  "retrospective",
  "other",
] as const;
export type CycleEventKind = (typeof CYCLE_EVENT_KINDS)[number];

export const CYCLE_EVENT_SCOPES = ["all", "wave", "unit"] as const;
export type CycleEventScope = (typeof CYCLE_EVENT_SCOPES)[number];

export const CYCLE_EVENT_STATES = ["planned", "held", "cancelled"] as const;
export type CycleEventState = (typeof CYCLE_EVENT_STATES)[number];

export const OBJECTIVE_LEVELS = ["company", "unit", "team"] as const;
export type ObjectiveLevel = (typeof OBJECTIVE_LEVELS)[number];

export const OBJECTIVE_TYPES = ["committed", "aspirational", "learning"] as const;
export type ObjectiveType = (typeof OBJECTIVE_TYPES)[number];

export const OBJECTIVE_STATES = ["draft", "in_review", "approved", "active", "achieved", "abandoned"] as const;
export type ObjectiveState = (typeof OBJECTIVE_STATES)[number];

export const KEY_RESULT_KINDS = ["metric", "milestone"] as const;
export type KeyResultKind = (typeof KEY_RESULT_KINDS)[number];

export const KEY_RESULT_DIRECTIONS = ["increase", "decrease"] as const;
export type KeyResultDirection = (typeof KEY_RESULT_DIRECTIONS)[number];

export const CHECK_IN_CONFIDENCES = ["on_track", "needs_attention", "off_track"] as const;
export type CheckInConfidence = (typeof CHECK_IN_CONFIDENCES)[number];

export const CYCLE_IMPORT_KINDS = ["okrs", "checkins"] as const;
export type CycleImportKind = (typeof CYCLE_IMPORT_KINDS)[number];

export type Cycle = Selectable<Database["cycles"]>;
export type CycleEvent = Selectable<Database["cycle_events"]>;
export type Objective = Selectable<Database["objectives"]>;
export type ObjectiveAlignment = Selectable<Database["objective_alignments"]>;
export type KeyResult = Selectable<Database["key_results"]>;
export type CheckIn = Selectable<Database["check_ins"]>;
export type OkrComment = Selectable<Database["okr_comments"]>;
export type TeamRetrospective = Selectable<Database["team_retrospectives"]>;
export type CalendarFeedToken = Selectable<Database["calendar_feed_tokens"]>;

export const MODULE_KINDS = [
  "fundamentals",
  "drafting_workshop",
  "check_in_practice",
  "coach_masterclass",
  "sponsor_briefing",
  "leader_coaching",
  "assessment",
  "other",
] as const;
export type ModuleKind = (typeof MODULE_KINDS)[number];
export const MODULE_DELIVERIES = ["live", "self_paced"] as const;
export type ModuleDelivery = (typeof MODULE_DELIVERIES)[number];
export const AUDIENCES = ["plo", "coach", "sponsor", "leader", "team_lead", "team_member"] as const;
export type Audience = (typeof AUDIENCES)[number];
export const REQUIREMENT_SCOPES = ["all", "wave", "unit"] as const;
export type RequirementScope = (typeof REQUIREMENT_SCOPES)[number];
export const NECESSITIES = ["required", "recommended"] as const;
export type Necessity = (typeof NECESSITIES)[number];
export const DUE_RULES = ["before_wave", "before_drafting", "fixed", "after_joining"] as const;
export type DueRule = (typeof DUE_RULES)[number];
export const TRAINING_SESSION_STATES = ["planned", "open", "full", "held", "cancelled"] as const;
export type TrainingSessionState = (typeof TRAINING_SESSION_STATES)[number];
export const ROSTER_STATUSES = ["invited", "registered", "waitlisted", "attended", "no_show", "excused"] as const;
export type RosterStatus = (typeof ROSTER_STATUSES)[number];
export const COMPLETION_SOURCES = ["attendance", "import", "manual"] as const;
export type CompletionSource = (typeof COMPLETION_SOURCES)[number];
export const ENABLEMENT_IMPORT_KINDS = ["attendance", "elearning"] as const;
export type EnablementImportKind = (typeof ENABLEMENT_IMPORT_KINDS)[number];

export type EnablementModule = Selectable<Database["enablement_modules"]>;
export type EnablementRequirement = Selectable<Database["enablement_requirements"]>;
export type TrainingSession = Selectable<Database["enablement_sessions"]>;

export const RAG_COLOURS = ["red", "amber", "green", "not_measured"] as const;
export type RagColour = (typeof RAG_COLOURS)[number];
export const REPORT_STATES = ["draft", "published", "acknowledged"] as const;
export type ReportState = (typeof REPORT_STATES)[number];
export const REPORT_AUDIENCES = ["sponsors", "everyone"] as const;
export type ReportAudience = (typeof REPORT_AUDIENCES)[number];
export const DECISION_STATES = ["open", "decided"] as const;
export type DecisionState = (typeof DECISION_STATES)[number];
export const CADENCE_KINDS = ["weeks", "cycle"] as const;
export type CadenceKind = (typeof CADENCE_KINDS)[number];
