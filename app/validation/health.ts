import { z } from "zod";
import { WAVE_EXIT_KINDS, WAVE_STATES } from "../../db/schema";
import { isDay, MAX_DAY, MIN_DAY } from "~/utils/dates";
import { optionalText } from "./common";

// Forms of process health, graduation and the waves' lifecycle (issue 16).

const id = (message: string) => z.string({ error: message }).trim().min(1, message).max(64, message);

const day = (label: string) =>
  z
    .string({ error: `${label} is required.` })
    .trim()
    .min(1, `${label} is required.`)
    .refine((v) => isDay(v) && v >= MIN_DAY && v <= MAX_DAY, { message: `${label} must be a valid date (YYYY-MM-DD).` });

/** A check-in clinic for the stale teams of a unit, as an event of the cycle. */
export const clinicSchema = z.object({
  cycleId: id("Choose the cycle."),
  unitId: id("Choose the unit."),
  occursOn: day("Date"),
  notes: optionalText("Notes", 2000),
});
export type ClinicInput = z.output<typeof clinicSchema>;

const percent = (label: string) =>
  z
    .string({ error: `${label} is required.` })
    .trim()
    .refine((v) => /^\d{1,3}$/.test(v) && Number(v) <= 100, { message: `${label} must be a whole number from 0 to 100.` })
    .transform(Number);

const flag = z
  .string()
  .optional()
  .transform((v) => v === "on" || v === "true");

/** The program's graduation rules (see ~/models/health/graduation.ts). */
export const graduationRulesSchema = z.object({
  consecutiveCycles: z
    .string({ error: "Consecutive cycles is required." })
    .trim()
    .refine((v) => /^\d{1,2}$/.test(v) && Number(v) >= 1 && Number(v) <= 8, { message: "Consecutive cycles must be from 1 to 8." })
    .transform(Number),
  minWindowsPercent: percent("Check-in windows kept"),
  requireScored: flag,
  requireTeamRetro: flag,
  minMaturity: z
    .string()
    .trim()
    .optional()
    .transform((v) => (v ? v : null))
    .refine((v) => v === null || /^[1-5]$/.test(v), { message: "The maturity rating must be from 1 to 5, or empty." })
    .transform((v) => (v === null ? null : Number(v))),
  requireTraining: flag,
});
export type GraduationRulesInput = z.output<typeof graduationRulesSchema>;

const MAX_DECISIONS = 2_000;

/** Confirming or rejecting proposals in bulk: each selected proposal is "teamId:fromStatus:toStatus". */
export const graduationDecisionSchema = z.object({
  decision: z.enum(["confirm", "reject"], { error: "Choose confirm or reject." }),
  proposal: z
    .union([z.string(), z.array(z.string())], { error: "Select at least one proposal." })
    .optional()
    .transform((v) => [...new Set((v === undefined ? [] : [v].flat()).map((s) => s.trim()).filter(Boolean))])
    .refine((v) => v.length > 0, { message: "Select at least one proposal." })
    .refine((v) => v.length <= MAX_DECISIONS, { message: `Select at most ${MAX_DECISIONS.toLocaleString("en")} proposals at once.` })
    .refine((v) => v.every((p) => /^[\w-]{1,64}:[a-z_]{1,20}:[a-z_]{1,20}$/.test(p)), {
      message: "Some selected proposals are not valid.",
    }),
  reason: optionalText("Reason", 500),
});
export type GraduationDecisionInput = z.output<typeof graduationDecisionSchema>;

/** Moving a wave along its lifecycle. */
export const waveStateSchema = z.object({
  to: z.enum(WAVE_STATES, { error: "Choose one of the wave's next states." }),
});

/** A wave's exit criterion: a computed share of its teams (with a threshold) or one the PLO ticks. */
export const exitCriterionSchema = z
  .object({
    kind: z.enum(WAVE_EXIT_KINDS, { error: "Choose one of the listed kinds." }),
    label: z.string().trim().max(200, "The label must be at most 200 characters.").optional().default(""),
    threshold: z
      .string()
      .trim()
      .optional()
      .transform((v) => (v ? v : null))
      .refine((v) => v === null || (/^\d{1,3}$/.test(v) && Number(v) >= 1 && Number(v) <= 100), {
        message: "The threshold must be a whole percent from 1 to 100.",
      })
      .transform((v) => (v === null ? null : Number(v))),
  })
  .refine((v) => v.kind === "manual" || v.threshold !== null, { path: ["threshold"], message: "A computed criterion needs a threshold." })
  .refine((v) => v.kind !== "manual" || v.label !== "", { path: ["label"], message: "Say what the PLO ticks." });
export type ExitCriterionInput = z.output<typeof exitCriterionSchema>;

export const exitCriterionIdSchema = z.object({ exitCriterionId: id("Choose one of the wave's exit criteria.") });
