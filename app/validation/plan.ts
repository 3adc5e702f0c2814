import { z } from "zod";
import { ONBOARDING_STATUSES, type OnboardingStatus, type WaveCriterionKind } from "../../db/schema";
import type { ListSpec } from "~/utils/list-params";
import { today } from "~/utils/dates";
import { checkbox, optionalDate, optionalText, requiredText } from "./common";

// Forms of the rollout plan: waves, their entry criteria, and the team pipeline's bulk actions.

export const ONBOARDING_STATUS_LABELS: Record<OnboardingStatus, string> = {
  not_started: "Not started",
  onboarding: "Onboarding",
  first_cycle: "First cycle",
  running: "Running",
  self_sufficient: "Self-sufficient",
};

export const CRITERION_KIND_LABELS: Record<WaveCriterionKind, string> = {
  manual: "Ticked by the PLO",
  teams_have_lead: "Computed: every team in the wave has a lead",
  teams_have_coach: "Computed: every team in the wave has a coach",
  leads_trained: "Computed: the wave's team leads are trained (≥ threshold %)",
  members_trained: "Computed: the wave's team members are trained (≥ threshold %)",
  coaches_certified: "Computed: the wave's coaches are certified",
  sponsor_briefed: "Computed: the sponsors are briefed",
};

export const READINESS_STATES = ["ready", "at_risk", "blocked"] as const;
export type ReadinessState = (typeof READINESS_STATES)[number];
export const READINESS_LABELS: Record<ReadinessState, string> = { ready: "Ready", at_risk: "At risk", blocked: "Blocked" };

/** The kinds a PLO may add today; the other computed kinds arrive with coaching and enablement. */
export const CREATABLE_CRITERION_KINDS = [
  "manual",
  "teams_have_lead",
  "teams_have_coach",
  "leads_trained",
  "members_trained",
  "coaches_certified",
  "sponsor_briefed",
] as const satisfies readonly WaveCriterionKind[];

/** The label a computed criterion gets when the PLO leaves it empty. */
const DEFAULT_CRITERION_LABELS: Partial<Record<WaveCriterionKind, string>> = {
  leads_trained: "Team leads trained",
  members_trained: "Team members trained",
  coaches_certified: "Coaches certified",
  sponsor_briefed: "Sponsors briefed",
  teams_have_coach: "Every team in the wave has a primary coach",
};

export const DEFAULT_LEAD_CRITERION_LABEL = "Every team in the wave has a lead";

/** The team list of a program: sort keys and filters understood by the loader and the CSV export. */
export const PROGRAM_TEAM_SORTS = ["team", "unit", "wave", "status", "changed"] as const;
export type ProgramTeamSort = (typeof PROGRAM_TEAM_SORTS)[number];
export const PROGRAM_TEAM_LIST_SPEC: ListSpec<ProgramTeamSort> = {
  sorts: PROGRAM_TEAM_SORTS,
  defaultSort: "team",
  filters: ["wave", "status", "unit", "lead"],
};

const id = (message: string) => z.string({ error: message }).trim().min(1, message).max(64, message);

export const waveSchema = z
  .object({
    name: requiredText("Name", 120),
    goal: optionalText("Goal", 2000),
    startsOn: optionalDate("Start date"),
    endsOn: optionalDate("End date"),
  })
  .refine((v) => !v.startsOn || !v.endsOn || v.endsOn >= v.startsOn, {
    path: ["endsOn"],
    message: "The end date must be on or after the start date.",
  });
export type WaveInput = z.output<typeof waveSchema>;

export const criterionSchema = z
  .object({
    kind: z.enum(CREATABLE_CRITERION_KINDS, { error: "Choose how the criterion is checked." }),
    label: optionalText("Criterion", 200),
    threshold: z
      .string()
      .trim()
      .optional()
      .transform((v) => (v ? v : null))
      .refine((v) => v === null || (/^\d{1,3}$/.test(v) && Number(v) >= 1 && Number(v) <= 100), {
        message: "Threshold must be a whole percentage from 1 to 100, or empty for 100.",
      })
      .transform((v) => (v === null ? null : Number(v))),
  })
  .refine((v) => v.kind !== "manual" || v.label.length > 0, { path: ["label"], message: "Criterion is required." })
  .transform((v) => ({
    kind: v.kind,
    label: v.label || (DEFAULT_CRITERION_LABELS[v.kind] ?? DEFAULT_LEAD_CRITERION_LABEL),
    threshold: v.kind === "leads_trained" || v.kind === "members_trained" ? v.threshold : null,
  }));
export type CriterionInput = z.output<typeof criterionSchema>;

export const criterionIdSchema = z.object({ criterionId: id("Choose a criterion of this wave.") });

export const moveWaveSchema = z.object({ direction: z.enum(["up", "down"], { error: "Move up or down." }) });

export const deleteWaveSchema = z.object({
  confirm: checkbox.refine((v) => v, { message: "Tick the box to confirm: the wave's teams become unassigned." }),
});

/** The selected rows' checkboxes: none, one or many `teamId` values. */
const teamIds = z
  .union([z.string(), z.array(z.string())], { error: "Select teams from the list." })
  .optional()
  .transform((v) => [...new Set((v === undefined ? [] : [v].flat()).map((s) => s.trim()).filter(Boolean))])
  .refine((ids) => ids.every((s) => s.length <= 64), { message: "Some selected teams do not exist." })
  .refine((ids) => ids.length <= 1000, { message: "Select at most 1,000 teams, or apply to all teams matching the filters." });

const selection = { teamId: teamIds, allMatching: checkbox };
const needsSelection = (v: { teamId: string[]; allMatching: boolean }) => v.allMatching || v.teamId.length > 0;
const SELECT_ONE = { path: ["teamId"], message: "Select at least one team." };

/** `waveId`: a wave of the program, or "none" to take the teams out of their wave. */
const waveChoice = id("Choose a wave.");

export const assignSchema = z.object({ ...selection, waveId: waveChoice }).refine(needsSelection, SELECT_ONE);
export type AssignInput = z.output<typeof assignSchema>;

export const statusSchema = z
  .object({
    ...selection,
    status: z.enum(ONBOARDING_STATUSES, { error: "Choose one of the listed statuses." }),
    changedOn: optionalDate("The date of the change").refine((v) => v === null || v <= today(), {
      message: "The date of the change cannot be in the future.",
    }),
  })
  .refine(needsSelection, SELECT_ONE);
export type StatusInput = z.output<typeof statusSchema>;

export const assignUnitSchema = z.object({ unitId: id("Choose a unit."), waveId: waveChoice });
export type AssignUnitInput = z.output<typeof assignUnitSchema>;
