import { z } from "zod";
import { RACI_VALUES } from "../../db/schema";
import { requiredText } from "./common";

const id = z.string({ error: "Missing id." }).trim().min(1, "Missing id.").max(64, "Unknown id.");
const version = z.coerce
  .number({ error: "Missing version." })
  .int("Unknown version.")
  .min(0, "Unknown version.")
  .max(1_000_000_000, "Unknown version.");

export const cellValue = z
  .string()
  .trim()
  .toUpperCase()
  .optional()
  .transform((v) => (v ? v : null))
  .refine((v): v is (typeof RACI_VALUES)[number] | null => v === null || (RACI_VALUES as readonly string[]).includes(v), {
    message: "A cell holds R, A, C, I or nothing.",
  });

export const setCellSchema = z.object({ activityId: id, roleId: id, value: cellValue, version });

export const activitySchema = z.object({
  groupName: requiredText("Group", 80),
  name: requiredText("Activity", 200),
});
export const updateActivitySchema = activitySchema.extend({ activityId: id, version });

export const roleSchema = z.object({
  name: requiredText("Role", 80),
  holders: z
    .string()
    .max(1000, "Keep the list of people under 1000 characters.")
    .optional()
    .transform((v) => (v ?? "").trim()),
});
export const updateRoleSchema = roleSchema.extend({ roleId: id, version });

export const moveSchema = z.object({ id, direction: z.enum(["up", "down"], { error: "Move up or down." }) });
export const removeSchema = z.object({ id, version });

export const createMatrixSchema = z.discriminatedUnion(
  "source",
  [
    z.object({ source: z.literal("template") }),
    z.object({ source: z.literal("empty") }),
    z.object({ source: z.literal("copy"), copyFrom: id }),
  ],
  { error: "Choose how to start the matrix." },
);

export const overloadSchema = z.object({
  overloadPercent: z.coerce
    .number({ error: "Enter a percentage." })
    .int("Enter a whole percentage.")
    .min(10, "Use a share between 10% and 100%.")
    .max(100, "Use a share between 10% and 100%."),
});
