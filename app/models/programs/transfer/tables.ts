import { sql, type RawBuilder } from "kysely";
import {
  ASSIGNMENT_KINDS,
  ATTITUDES,
  AUDIENCES,
  CADENCE_KINDS,
  CHECK_IN_CONFIDENCES,
  COMPLETION_SOURCES,
  CYCLE_EVENT_KINDS,
  CYCLE_EVENT_SCOPES,
  CYCLE_EVENT_STATES,
  CYCLE_STATES,
  DECISION_STATES,
  DUE_RULES,
  ESCALATION_CATEGORIES,
  ESCALATION_STATUSES,
  KEY_RESULT_DIRECTIONS,
  KEY_RESULT_KINDS,
  LEARNING_KINDS,
  LEVELS,
  MILESTONE_STATUSES,
  MODULE_DELIVERIES,
  MODULE_KINDS,
  NECESSITIES,
  OBJECTIVE_LEVELS,
  OBJECTIVE_STATES,
  OBJECTIVE_TYPES,
  ONBOARDING_STATUSES,
  RACI_VALUES,
  RAG_COLOURS,
  REPORT_AUDIENCES,
  REPORT_STATES,
  REQUIREMENT_SCOPES,
  RISK_STATUSES,
  ROSTER_STATUSES,
  SESSION_TYPES,
  TRAINING_SESSION_STATES,
  URGENCIES,
  WAVE_CRITERION_KINDS,
  WAVE_EXIT_KINDS,
  WAVE_STATES,
} from "../../../../db/schema";

// What a program transfer document (ADR 0018) holds, table by table: the one description the
// export, the import and the validation of a document all read. Format version 1 is frozen
// here: a new column reaches the document only by being listed (and, if older documents must
// still load, by a version bump with a reader for the old one).
//
// A column is written `name[:kind][=enum][@target][?]`:
//   kind    text (default), int, num, bool, date (YYYY-MM-DD), ts (ISO instant), json, ids (a
//           text made of row ids, e.g. "<cycle id>/<cycle id>": each id is mapped like a reference);
//   =enum   one of the values in ENUMS;
//   @target a reference, stored in the document as an export-local id: `unit`, `team`,
//           `person`, `account` (organization section) or another table's section name;
//   ?       may be null.
// A `~` instead of `@` marks a reference without a foreign key (RACI changes name activities
// and roles that may be gone): one the document does not hold becomes null.

export const TRANSFER_FORMAT = "rollout-desk-program";
export const TRANSFER_VERSION = 1;

export const ENUMS: Record<string, readonly string[]> = {
  onboarding: ONBOARDING_STATUSES,
  criterion: WAVE_CRITERION_KINDS,
  milestone: MILESTONE_STATUSES,
  level: LEVELS,
  attitude: ATTITUDES,
  risk: RISK_STATUSES,
  assignment: ASSIGNMENT_KINDS,
  sessionType: SESSION_TYPES,
  escalationCategory: ESCALATION_CATEGORIES,
  urgency: URGENCIES,
  escalationStatus: ESCALATION_STATUSES,
  learning: LEARNING_KINDS,
  raci: RACI_VALUES,
  cycleState: CYCLE_STATES,
  eventKind: CYCLE_EVENT_KINDS,
  eventScope: CYCLE_EVENT_SCOPES,
  eventState: CYCLE_EVENT_STATES,
  objectiveLevel: OBJECTIVE_LEVELS,
  objectiveType: OBJECTIVE_TYPES,
  objectiveState: OBJECTIVE_STATES,
  krKind: KEY_RESULT_KINDS,
  direction: KEY_RESULT_DIRECTIONS,
  confidence: CHECK_IN_CONFIDENCES,
  moduleKind: MODULE_KINDS,
  delivery: MODULE_DELIVERIES,
  audience: AUDIENCES,
  requirementScope: REQUIREMENT_SCOPES,
  necessity: NECESSITIES,
  dueRule: DUE_RULES,
  trainingState: TRAINING_SESSION_STATES,
  roster: ROSTER_STATUSES,
  completionSource: COMPLETION_SOURCES,
  colour: RAG_COLOURS,
  reportState: REPORT_STATES,
  reportAudience: REPORT_AUDIENCES,
  decisionState: DECISION_STATES,
  cadence: CADENCE_KINDS,
  waveState: WAVE_STATES,
  exitKind: WAVE_EXIT_KINDS,
  graduation: ["confirmed", "rejected"],
};

export type ColumnKind = "text" | "int" | "num" | "bool" | "date" | "ts" | "json" | "ids";
export const ORG_TARGETS = ["unit", "team", "person", "account"] as const;
export type OrgTarget = (typeof ORG_TARGETS)[number];

export interface ColumnSpec {
  /** The database column (snake_case). */
  name: string;
  /** The document field (camelCase). */
  field: string;
  kind: ColumnKind;
  nullable: boolean;
  enumValues?: readonly string[];
  /** A reference: an organization target or another table's section name. */
  ref?: string;
  /** A reference without a foreign key: a missing target becomes null. */
  soft?: boolean;
}

export type Group = "plan" | "coaching" | "raci" | "cycles" | "enablement" | "reports";
export const GROUPS: readonly Group[] = ["plan", "coaching", "raci", "cycles", "enablement", "reports"];

export interface TableSpec {
  table: string;
  group: Group;
  /** The array's name in its group, unique over the document. */
  section: string;
  /** Prefix of export-local ids ("wave#3"); null for rows without an id of their own. */
  prefix: string | null;
  /** The table has a program_id column the import sets. */
  programColumn: boolean;
  columns: ColumnSpec[];
  /** The rows of the program, as a condition on the table. */
  scope: (programId: string) => RawBuilder<unknown>;
}

const camel = (name: string) => name.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());

function parseColumns(text: string): ColumnSpec[] {
  return text
    .trim()
    .split(/\s+/)
    .map((token) => {
      const match = /^([a-z_]+)(?::(text|int|num|bool|date|ts|json|ids))?(?:=(\w+))?(?:([@~])(\w+))?(\?)?$/.exec(token);
      if (!match) throw new Error(`transfer table spec: cannot read column “${token}”`);
      const [, name, kind, enumName, refMark, ref, nullable] = match;
      const enumValues = enumName ? ENUMS[enumName] : undefined;
      if (enumName && !enumValues) throw new Error(`transfer table spec: unknown enum ${enumName}`);
      return {
        name,
        field: camel(name),
        kind: (kind ?? "text") as ColumnKind,
        nullable: nullable === "?",
        ...(enumValues ? { enumValues } : {}),
        ...(ref ? { ref, soft: refMark === "~" } : {}),
      };
    });
}

const byProgram = (p: string) => sql`program_id = ${p}`;
const under = (column: string, table: string) => (p: string) =>
  sql`${sql.ref(column)} in (select id from ${sql.table(table)} where program_id = ${p})`;
const underMatrix = (p: string) => sql`matrix_id in (select id from raci_matrices where program_id = ${p})`;
const underObjectives = (column: string) => (p: string) => sql`${sql.ref(column)} in (select id from objectives where program_id = ${p})`;
const underKeyResults = (column: string) => (p: string) =>
  sql`${sql.ref(column)} in (select kr.id from key_results kr join objectives o on o.id = kr.objective_id where o.program_id = ${p})`;

function t(
  group: Group,
  table: string,
  section: string,
  prefix: string | null,
  columns: string,
  scope: (programId: string) => RawBuilder<unknown> = byProgram,
): TableSpec {
  return { table, group, section, prefix, programColumn: scope === byProgram, columns: parseColumns(columns), scope };
}

const STAMPS = "created_at:ts updated_at:ts";

/** Every table of a program, parents before children (the order of export and import). */
export const TABLES: readonly TableSpec[] = [
  // The rollout plan
  t(
    "plan",
    "waves",
    "waves",
    "wave",
    `name position:int starts_on:date? ends_on:date? goal state=waveState started_on:date? closed_on:date? entry_snapshot:json? exit_snapshot:json? ${STAMPS}`,
  ),
  t(
    "plan",
    "wave_criteria",
    "waveCriteria",
    "criterion",
    "wave_id@waves label position:int kind=criterion threshold:int? met_at:ts? met_by@account? met_by_label?",
    under("wave_id", "waves"),
  ),
  t(
    "plan",
    "wave_exit_criteria",
    "waveExitCriteria",
    "exitCriterion",
    "wave_id@waves label position:int kind=exitKind threshold:int? met_at:ts? met_by@account? met_by_label?",
    under("wave_id", "waves"),
  ),
  t("plan", "program_teams", "programTeams", null, "team_id@team wave_id@waves? status=onboarding status_changed_on:date? updated_at:ts"),
  t(
    "plan",
    "team_status_changes",
    "teamStatusChanges",
    null,
    "team_id@team changed_on:date at:ts from_status=onboarding to_status=onboarding changed_by@account?",
  ),
  t(
    "plan",
    "milestones",
    "milestones",
    "milestone",
    `due_on:date title wave_id@waves? owner_person_id@person? status=milestone done_on:date? notes ${STAMPS}`,
  ),
  t(
    "plan",
    "stakeholders",
    "stakeholders",
    "stakeholder",
    `person_id@person influence=level interest=level attitude=attitude communication_plan contact_every_days:int last_contact_on:date? ${STAMPS}`,
  ),
  t(
    "plan",
    "risks",
    "risks",
    "risk",
    `title description likelihood:int impact:int owner_person_id@person? mitigation status=risk wave_id@waves? unit_id@unit? ${STAMPS}`,
  ),
  t(
    "plan",
    "graduation_rules",
    "graduationRules",
    null,
    "consecutive_cycles:int min_windows_percent:int require_scored:bool require_team_retro:bool min_maturity:int? require_training:bool updated_by@account? updated_at:ts",
  ),
  // Coaches (sessions follow the cycle events they may deliver)
  t("coaching", "coaches", "coaches", "coach", `person_id@person capacity:int focus active:bool ${STAMPS}`),
  t(
    "coaching",
    "coach_assignments",
    "coachAssignments",
    "assignment",
    "coach_id@coaches team_id@team starts_on:date ends_on:date? kind=assignment created_at:ts",
  ),
  // RACI
  t("raci", "raci_matrices", "matrices", "matrix", `overload_share:num revision:int ${STAMPS}`),
  t("raci", "raci_roles", "roles", "role", "matrix_id@matrices position:int name holders version:int deleted_at:ts?", underMatrix),
  t(
    "raci",
    "raci_activities",
    "activities",
    "activity",
    "matrix_id@matrices position:int group_name name version:int deleted_at:ts?",
    underMatrix,
  ),
  t(
    "raci",
    "raci_cells",
    "cells",
    null,
    "matrix_id@matrices activity_id@activities role_id@roles value=raci? version:int updated_by@account? updated_by_label? updated_at:ts",
    underMatrix,
  ),
  t(
    "raci",
    "raci_changes",
    "changes",
    null,
    "matrix_id@matrices revision:int at:ts kind activity_id~activities? role_id~roles? actor_id@account? actor_label? before:json? after:json?",
    underMatrix,
  ),
  // OKR cycles
  t(
    "cycles",
    "cycles",
    "cycles",
    "cycle",
    `starts_on:date name ends_on:date state=cycleState checkin_cadence_days:int max_objectives:int previous_cycle_id@cycles? version:int created_by@account? ${STAMPS}`,
  ),
  t(
    "cycles",
    "cycle_events",
    "events",
    "event",
    `cycle_id@cycles occurs_on:date starts_at? kind=eventKind title duration_minutes:int? scope=eventScope wave_id@waves? unit_id@unit? facilitator_user_id@account? location state=eventState notes version:int ${STAMPS}`,
  ),
  t(
    "coaching",
    "support_sessions",
    "supportSessions",
    "session",
    `held_on:date coach_id@coaches team_id@team type=sessionType duration_minutes:int attendees:int notes maturity:int? follow_ups cycle_event_id@events? created_by@account? ${STAMPS}`,
  ),
  t(
    "coaching",
    "escalations",
    "escalations",
    "escalation",
    `created_at:ts coach_id@coaches team_id@team? session_id@supportSessions? category=escalationCategory urgency=urgency question status=escalationStatus owner_id@account? answer? answered_by@account? answered_at:ts? answer_seen_at:ts? closed_at:ts? created_by@account? updated_at:ts`,
  ),
  t(
    "coaching",
    "learnings",
    "learnings",
    "learning",
    `created_at:ts kind=learning title body tags team_id@team? session_id@supportSessions? escalation_id@escalations? author_id@account? author_label updated_at:ts`,
  ),
  t(
    "cycles",
    "objectives",
    "objectives",
    "objective",
    `cycle_id@cycles level=objectiveLevel unit_id@unit? team_id@team? position:int title description owner_person_id@person? owner_user_id@account? type=objectiveType state=objectiveState standalone_reason? carried_from_id@objectives? score:num? version:int created_by@account? ${STAMPS}`,
  ),
  t(
    "cycles",
    "objective_alignments",
    "alignments",
    null,
    "child_id@objectives parent_id@objectives created_at:ts",
    underObjectives("child_id"),
  ),
  t(
    "cycles",
    "key_results",
    "keyResults",
    "keyResult",
    `objective_id@objectives cycle_id@cycles position:int title kind=krKind start_value:num? target_value:num? current_value:num? unit direction=direction milestone_done:bool weight:num owner_person_id@person? score:num? last_check_in_at:ts? last_confidence=confidence? version:int ${STAMPS}`,
    underObjectives("objective_id"),
  ),
  t(
    "cycles",
    "check_ins",
    "checkIns",
    "checkIn",
    "key_result_id@keyResults at:ts value:num? confidence=confidence note blockers by_user_id@account? by_label",
    underKeyResults("key_result_id"),
  ),
  t(
    "cycles",
    "okr_comments",
    "comments",
    "comment",
    "created_at:ts objective_id@objectives? key_result_id@keyResults? body author_id@account? author_label resolved_at:ts? resolved_by@account? resolved_by_label?",
    (p) => sql`(${underObjectives("objective_id")(p)} or ${underKeyResults("key_result_id")(p)})`,
  ),
  t(
    "cycles",
    "team_retrospectives",
    "retrospectives",
    "retrospective",
    `cycle_id@cycles team_id@team went_well to_improve process_feedback held_on:date? learning_id@learnings? version:int created_by@account? ${STAMPS}`,
    under("cycle_id", "cycles"),
  ),
  t(
    "plan",
    "graduation_decisions",
    "graduationDecisions",
    "graduationDecision",
    "decided_at:ts team_id@team from_status=onboarding to_status=onboarding decision=graduation basis:ids evidence:json reason decided_by@account? decided_by_label",
  ),
  // Enablement
  t(
    "enablement",
    "enablement_modules",
    "modules",
    "module",
    `title kind=moduleKind delivery=delivery duration_minutes:int version:int validity_months:int? description ${STAMPS}`,
  ),
  t(
    "enablement",
    "enablement_module_prerequisites",
    "prerequisites",
    null,
    "module_id@modules prerequisite_id@modules",
    under("module_id", "enablement_modules"),
  ),
  t(
    "enablement",
    "enablement_module_versions",
    "moduleVersions",
    null,
    "module_id@modules version:int requires_refresh:bool published_on:date note published_by@account?",
    under("module_id", "enablement_modules"),
  ),
  t("enablement", "enablement_materials", "materials", "material", `title url version:int ${STAMPS}`),
  t(
    "enablement",
    "enablement_material_versions",
    "materialVersions",
    null,
    "material_id@materials version:int requires_refresh:bool published_on:date note url",
    under("material_id", "enablement_materials"),
  ),
  t(
    "enablement",
    "enablement_module_materials",
    "moduleMaterials",
    null,
    "module_id@modules material_id@materials",
    under("module_id", "enablement_modules"),
  ),
  t(
    "enablement",
    "enablement_requirements",
    "requirements",
    "requirement",
    `module_id@modules audience=audience scope=requirementScope wave_id@waves? unit_id@unit? necessity=necessity due_rule=dueRule due_days:int? due_on:date? ${STAMPS}`,
  ),
  t(
    "enablement",
    "enablement_sessions",
    "trainingSessions",
    "training",
    `starts_at:ts module_id@modules duration_minutes:int time_zone location url trainer_user_id@account? capacity:int state=trainingState ${STAMPS}`,
  ),
  t(
    "enablement",
    "enablement_roster",
    "roster",
    null,
    "session_id@trainingSessions person_id@person status=roster added_at:ts updated_at:ts",
    under("session_id", "enablement_sessions"),
  ),
  t(
    "enablement",
    "enablement_completions",
    "completions",
    "completion",
    "person_id@person module_id@modules module_version:int completed_on:date source=completionSource evidence session_id@trainingSessions? recorded_by@account? created_at:ts",
    under("module_id", "enablement_modules"),
  ),
  t(
    "enablement",
    "enablement_waivers",
    "waivers",
    "waiver",
    "requirement_id@requirements person_id@person reason granted_by@account? granted_by_label granted_at:ts",
    under("requirement_id", "enablement_requirements"),
  ),
  t("enablement", "enablement_cert_paths", "certPaths", "path", "name created_at:ts"),
  t(
    "enablement",
    "enablement_cert_levels",
    "certLevels",
    "certLevel",
    "path_id@certPaths rank:int name required_sessions:int session_types validity_months:int?",
    under("path_id", "enablement_cert_paths"),
  ),
  t(
    "enablement",
    "enablement_cert_level_modules",
    "certLevelModules",
    null,
    "level_id@certLevels module_id@modules",
    (p) =>
      sql`level_id in (select l.id from enablement_cert_levels l join enablement_cert_paths cp on cp.id = l.path_id where cp.program_id = ${p})`,
  ),
  t(
    "enablement",
    "enablement_cert_awards",
    "certAwards",
    "award",
    "level_id@certLevels person_id@person awarded_on:date expires_on:date? assessor_id@account? assessor_label note created_at:ts",
    (p) =>
      sql`level_id in (select l.id from enablement_cert_levels l join enablement_cert_paths cp on cp.id = l.path_id where cp.program_id = ${p})`,
  ),
  t(
    "enablement",
    "enablement_feedback",
    "feedback",
    "feedback",
    "session_id@trainingSessions created_at:ts person_id@person? rating:int comment",
    under("session_id", "enablement_sessions"),
  ),
  // Sponsor reporting
  t(
    "reports",
    "status_reports",
    "statusReports",
    "report",
    `period_end:date period_start:date revision:int unit_id@unit? state=reportState audience=reportAudience summary achievements next_steps risk_ids:json corrects_id@statusReports? correction_reason? superseded_by@statusReports? snapshot:json? created_by@account? ${STAMPS} published_at:ts? published_by@account? published_by_label? acknowledged_at:ts? acknowledged_by@account? acknowledged_by_label?`,
  ),
  t(
    "reports",
    "status_overrides",
    "overrides",
    "override",
    "set_at:ts dimension colour=colour reason set_by@account? set_by_label cleared_at:ts? cleared_by@account?",
  ),
  t(
    "reports",
    "report_questions",
    "questions",
    "question",
    "report_id@statusReports asked_at:ts section question asked_by@account? asked_by_label answer? answered_by@account? answered_by_label? answered_at:ts? answer_seen_at:ts?",
  ),
  t(
    "reports",
    "report_decisions",
    "decisions",
    "decision",
    "created_at:ts report_id@statusReports? question options recommendation due_on:date impact_if_late state=decisionState decision? decided_by@account? decided_by_label? decided_at:ts? created_by@account?",
  ),
  t("reports", "sponsor_commitments", "commitments", "commitment", "due_on:date title done_at:ts? created_by@account? created_at:ts"),
  t("reports", "report_cadences", "cadence", null, "kind=cadence every_weeks:int updated_by@account? updated_at:ts"),
  t("reports", "budget_lines", "budgetLines", "budgetLine", "position:int category planned_amount:int created_at:ts"),
  t("reports", "budget_actuals", "budgetActuals", null, "budget_line_id@budgetLines month:date amount:int updated_at:ts"),
];

export const TABLE_BY_SECTION: ReadonlyMap<string, TableSpec> = new Map(TABLES.map((spec) => [spec.section, spec]));

/** The program row itself (its id and data version stay behind). */
export const PROGRAM_COLUMNS = parseColumns(
  `name description starts_on:date? ends_on:date? status created_at:ts updated_at:ts created_by@account?`,
);

// The organization the program refers to: matched by natural keys in the target installation.
export const ORG_COLUMNS: Record<"units" | "teams" | "people" | "accounts", ColumnSpec[]> = {
  units: parseColumns("name external_id? parent_id@unit? archived_at:ts?"),
  teams: parseColumns("name external_id? unit_id@unit lead_person_id@person? size:int? archived_at:ts?"),
  people: parseColumns("name email external_id? title unit_id@unit? team_id@team? user_id@account? archived_at:ts?"),
  accounts: parseColumns("email name"),
};
export const ORG_PREFIX: Record<OrgTarget, string> = { unit: "unit", team: "team", person: "person", account: "account" };
export const ORG_SECTION: Record<OrgTarget, "units" | "teams" | "people" | "accounts"> = {
  unit: "units",
  team: "teams",
  person: "people",
  account: "accounts",
};
