import { z } from "zod";
import { CADENCE_KINDS, REPORT_AUDIENCES } from "../../db/schema";
import { DIMENSION_KEYS } from "~/models/reports/dimensions/types";
import { optionalText, requiredText } from "./common";
import { requiredDate } from "./plan-details";

// Forms of sponsor reporting: colour overrides, report drafts, corrections, questions and
// answers, decisions, commitments, the cadence and the budget.

const id = (message: string) => z.string({ error: message }).trim().min(1, message).max(100, message);

export const OVERRIDE_COLOURS = ["red", "amber", "green"] as const;

export const overrideSchema = z.object({
  dimension: z.enum(DIMENSION_KEYS, { error: "Choose one of the dimensions." }),
  colour: z.enum(OVERRIDE_COLOURS, { error: "Choose red, amber or green." }),
  reason: requiredText("A reason", 500),
});
export type OverrideInput = z.output<typeof overrideSchema>;

export const clearOverrideSchema = z.object({ dimension: z.enum(DIMENSION_KEYS, { error: "Choose one of the dimensions." }) });

/** Risk ids picked from the register (checkboxes named riskIds). */
const riskIds = z
  .union([z.string(), z.array(z.string())])
  .optional()
  .transform((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]))
  .pipe(z.array(z.string().trim().min(1).max(100)).max(50, "Pick at most 50 risks."));

const period = {
  periodStart: requiredDate("The period's first day"),
  periodEnd: requiredDate("The period's last day"),
};
const periodInOrder = (v: { periodStart: string; periodEnd: string }) => v.periodStart <= v.periodEnd;
const PERIOD_ORDER = { message: "The period must end on or after its first day.", path: ["periodEnd"] };

export const createReportSchema = z
  .object({
    ...period,
    unitId: z
      .string()
      .trim()
      .max(100)
      .optional()
      .transform((v) => (v ? v : null)),
  })
  .refine(periodInOrder, PERIOD_ORDER);
export type CreateReportInput = z.output<typeof createReportSchema>;

export const draftSchema = z
  .object({
    ...period,
    audience: z.enum(REPORT_AUDIENCES, { error: "Choose who may read the report." }),
    summary: optionalText("The summary", 4000),
    achievements: optionalText("Achievements", 4000),
    nextSteps: optionalText("Next steps", 4000),
    riskIds,
  })
  .refine(periodInOrder, PERIOD_ORDER);
export type DraftInput = z.output<typeof draftSchema>;

export const correctionSchema = z.object({ reason: requiredText("The reason for the correction", 1000) });

export const REPORT_SECTIONS = ["summary", "status", "achievements", "next_steps", "risks", "decisions", "commitments", "budget"] as const;
export type ReportSection = (typeof REPORT_SECTIONS)[number];
export const SECTION_LABELS: Record<ReportSection, string> = {
  summary: "Summary",
  status: "Status by dimension",
  achievements: "Achievements",
  next_steps: "Next steps",
  risks: "Risks and issues",
  decisions: "Decisions requested",
  commitments: "Sponsor commitments",
  budget: "Budget",
};

export const questionSchema = z.object({
  section: z.enum(REPORT_SECTIONS, { error: "Choose the section you ask about." }),
  question: requiredText("Your question", 2000),
});
export type QuestionInput = z.output<typeof questionSchema>;

export const answerSchema = z.object({ questionId: id("Choose a question."), answer: requiredText("The answer", 4000) });
export const questionIdSchema = z.object({ questionId: id("Choose a question.") });

export const decisionRequestSchema = z.object({
  question: requiredText("The question", 500),
  options: optionalText("Options", 2000),
  recommendation: optionalText("The recommendation", 2000),
  dueOn: requiredDate("The due date"),
  impactIfLate: optionalText("The impact if late", 1000),
});
export type DecisionRequestInput = z.output<typeof decisionRequestSchema>;

export const decideSchema = z.object({ decisionId: id("Choose a decision."), decision: requiredText("The decision", 2000) });

export const commitmentSchema = z.object({ title: requiredText("The commitment", 300), dueOn: requiredDate("The due date") });
export type CommitmentInput = z.output<typeof commitmentSchema>;
export const commitmentIdSchema = z.object({ commitmentId: id("Choose a commitment.") });

export const cadenceSchema = z
  .object({
    kind: z.enum(CADENCE_KINDS, { error: "Choose every N weeks or once per cycle." }),
    everyWeeks: z
      .string()
      .trim()
      .optional()
      .transform((v) => (v ? v : "4"))
      .refine((v) => /^\d{1,3}$/.test(v), "Enter a whole number of weeks.")
      .transform(Number)
      .refine((v) => v >= 1 && v <= 26, "Every 1 to 26 weeks."),
  })
  .transform((v) => ({ kind: v.kind, everyWeeks: v.everyWeeks }));
export type CadenceInput = z.output<typeof cadenceSchema>;

const amount = (label: string) =>
  z
    .string({ error: `${label} is required.` })
    .trim()
    .min(1, `${label} is required.`)
    .transform((v) => v.replace(/[\s,_']/g, ""))
    .refine((v) => !v.startsWith("-"), `${label} cannot be negative.`)
    .refine((v) => /^\d{1,10}$/.test(v), `${label} must be a whole amount, like 12500.`)
    .transform(Number)
    .refine((v) => v <= 1_000_000_000, `${label} must be at most 1,000,000,000.`);

export const budgetLineSchema = z.object({ category: requiredText("The category", 100), plannedAmount: amount("The planned amount") });
export type BudgetLineInput = z.output<typeof budgetLineSchema>;

export const actualSchema = z.object({
  lineId: id("Choose a budget line."),
  month: z
    .string({ error: "The month is required." })
    .trim()
    .regex(/^\d{4}-(0[1-9]|1[0-2])$/, "Enter the month as YYYY-MM.")
    .refine((v) => v >= "1900-01" && v <= "2999-12", "The month must be between 1900 and 2999.")
    .transform((v) => `${v}-01`),
  amount: amount("The amount"),
});
export type ActualInput = z.output<typeof actualSchema>;
